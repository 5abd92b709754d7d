"""A minimal OpenAI-protocol chat server on 127.0.0.1, for driving the real `langchain-openai`
client in tests.

Only `POST /v1/chat/completions` is served. A plain request gets one JSON
`chat.completion`; a request with `"stream": true` gets `text/event-stream` SSE chunks
(`data: {...chat.completion.chunk...}`) ending with `data: [DONE]`. The reply text, a delay
before answering, and the HTTP status are configurable at any time; every request body is
recorded.

    with OpenAIStub(reply="29名です[1]。") as stub:
        LLMSettings(model="stub", base_url=stub.base_url, timeout_s=5)
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler sleeping out a delay never blocks shutdown

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client gave up (timeout): writing the late reply fails, which is expected


@dataclass
class StubRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class OpenAIStub:
    reply: str = "資料には該当する記載が見つかりませんでした。"
    delay_s: float = 0.0  # sleep before sending anything (headers included)
    status: int = 200
    chunk_chars: int = 4  # characters per SSE chunk when streaming
    model: str = "stub"
    requests: list[StubRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> "OpenAIStub":
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                with stub._lock:
                    stub.requests.append(StubRequest(self.path, dict(self.headers), body))
                    reply, delay, status = stub.reply, stub.delay_s, stub.status
                if delay:
                    time.sleep(delay)
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                if status != 200:
                    return self._json(status, {"error": {"message": "stub failure", "type": "server_error", "code": status}})
                if body.get("stream"):
                    return self._sse(reply)
                return self._json(200, stub.completion(reply))

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _sse(self, reply: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                for chunk in stub.chunks(reply):
                    self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode("utf-8"))
                    self.wfile.flush()
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "OpenAIStub":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- configuration --------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._server is not None, "stub not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def configure(self, reply: str | None = None, delay_s: float | None = None, status: int | None = None) -> None:
        with self._lock:
            if reply is not None:
                self.reply = reply
            if delay_s is not None:
                self.delay_s = delay_s
            if status is not None:
                self.status = status

    def reset(self, reply: str = "", delay_s: float = 0.0, status: int = 200) -> None:
        with self._lock:
            self.requests.clear()
            self.reply, self.delay_s, self.status = reply, delay_s, status

    # -- payloads -------------------------------------------------------------------------
    def completion(self, reply: str) -> dict[str, Any]:
        return {
            "id": "chatcmpl-stub",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model,
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": len(reply), "total_tokens": 1 + len(reply)},
        }

    def chunks(self, reply: str) -> list[dict[str, Any]]:
        def chunk(delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
            return {
                "id": "chatcmpl-stub",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": self.model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }

        out = [chunk({"role": "assistant", "content": ""}, None)]
        step = max(1, self.chunk_chars)
        out += [chunk({"content": reply[i : i + step]}, None) for i in range(0, len(reply), step)]
        out.append(chunk({}, "stop"))
        return out
