"""Any failure, told to staff as one Japanese sentence: what happened and what to do.

The command line and the pages call `explain` instead of showing an exception; the
details (traceback) go to the log, never to staff.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from assistant.settings import Settings

log = logging.getLogger(__name__)

UNEXPECTED = (
    "予期しないエラー（{name}）のため処理できませんでした。もう一度試し、続くときは管理者に連絡してください。"
)
COLLECTION_MISSING = (
    "索引のベクトル（Chroma のコレクション）が見つかりません。`assistant index --rebuild`"
    "（画面では「文書」ページの「索引を更新」）で索引を作り直してください。"
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _is_connection_failure(exc: BaseException) -> bool:
    import httpx

    if isinstance(exc, (ConnectionError, httpx.TransportError, TimeoutError)):
        return True
    return "Could not connect to a Chroma server" in str(exc)


def explain(exc: BaseException, settings: Settings | None = None) -> str:
    """One Japanese sentence for `exc`; an unexpected one is logged with its traceback."""
    from chromadb.errors import NotFoundError

    from assistant.index import EmbedderMismatch, IndexNotFound
    from assistant.indexer import CorpusNotFound, IndexBusy
    from assistant.limits import QuestionRejected
    from assistant.store import ChromaUnavailable

    chain = list(_chain(exc))
    for e in chain:
        if isinstance(e, QuestionRejected):
            return e.message
        if isinstance(e, (ChromaUnavailable, IndexNotFound, EmbedderMismatch, IndexBusy, CorpusNotFound)):
            return str(e)
    for e in chain:
        if _is_connection_failure(e):
            url = settings.chroma_url if settings is not None and settings.chroma_url else None
            return str(ChromaUnavailable(url)) if url else (
                "サーバーに接続できませんでした。ネットワークと接続先の設定を確認して、もう一度試してください。"
            )
        if isinstance(e, NotFoundError):
            return COLLECTION_MISSING
    log.error("unexpected failure", exc_info=exc)
    return UNEXPECTED.format(name=type(exc).__name__)
