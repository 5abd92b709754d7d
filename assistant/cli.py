"""The `assistant` command: index / ask / eval (and hash-password, serve).

Every failure ends in one Japanese sentence on stderr, never a traceback (`_Main`).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import click

from assistant.evaluation import PIPELINES
from assistant.settings import Settings, SettingsError, load_settings
from assistant.types import Answer, Turn

LOG_FILE = "assistant.log"  # under the data folder: details of what staff were told in one sentence


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


class StaffError(click.ClickException):
    """A failure told in Japanese, without click's English "Error:" prefix."""

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def, override]
        click.echo(f"エラー: {self.format_message()}", err=True)


class _LogFile(logging.FileHandler):
    """`<data_dir>/assistant.log`, created on the first record."""

    def _open(self):  # type: ignore[no-untyped-def]
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()


class _Main(click.Group):
    """Turns whatever a command raises into a StaffError (see assistant.failures), and sends
    warnings and tracebacks (ours and the libraries', e.g. pypdf's) to the log file, not
    to the staff member's terminal."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            settings: Settings | None = load_settings()
        except SettingsError:
            settings = None
        handler = None
        if settings is not None:
            handler = _LogFile(Path(settings.data_dir) / LOG_FILE, encoding="utf-8", delay=True)
            handler.setLevel(logging.WARNING)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            logging.getLogger().addHandler(handler)
        try:
            return super().invoke(ctx)
        except (click.UsageError, click.exceptions.Exit, click.Abort, StaffError):
            raise
        except click.ClickException as exc:
            raise StaffError(exc.format_message()) from exc
        except Exception as exc:
            from assistant.failures import explain

            raise StaffError(explain(exc, settings)) from exc
        finally:
            if handler is not None:
                logging.getLogger().removeHandler(handler)
                handler.close()


def _reporter(settings: Settings, labels: dict[str, str]):  # type: ignore[no-untyped-def]
    from assistant.progress import ProgressReporter

    return ProgressReporter(labels, interval_s=settings.progress_interval_s)


@click.group(cls=_Main)
def main() -> None:
    """協働推進計画アシスタント: 索引の作成・質問・評価。"""


@main.command()
@click.option("--rebuild", is_flag=True, help="既存の索引を使わずに最初から作り直す。")
def index(rebuild: bool) -> None:
    """corpus/ の文書から索引を作成・更新する（変更された文書だけを処理）。"""
    from assistant.indexer import CorpusNotFound, IndexBusy, build_index

    settings = _settings()
    progress = _reporter(settings, {"load": "読み込み", "embed": "埋め込み"})
    try:
        report = build_index(settings, rebuild=rebuild, progress=progress)
    except (IndexBusy, CorpusNotFound) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        progress.close()
    if report.notice:
        click.echo(report.notice)
    for source, reason in sorted(report.failed.items()):
        click.echo(f"読み込めませんでした: {source}: {reason}", err=True)
    click.echo(
        f"追加 {len(report.added)} / 更新 {len(report.updated)} / 削除 {len(report.removed)} / "
        f"変更なし {len(report.unchanged)} / 失敗 {len(report.failed)}; "
        f"チャンク {report.chunks}（新規埋め込み {report.embedded}、再利用 {report.reused}）; {report.seconds:.1f} 秒"
    )


def _load_history(path: Path | None) -> list[Turn]:
    if path is None:
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return [Turn(t["role"], t["content"]) for t in raw]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise click.ClickException(
            f"会話履歴ファイルを読めません（[{{\"role\": \"user\", \"content\": \"...\"}}, ...] 形式）: {exc}"
        ) from exc


def _open(settings: Settings):  # type: ignore[no-untyped-def]
    from assistant.index import EmbedderMismatch, IndexNotFound
    from assistant.pipeline import Assistant

    try:
        return Assistant(settings)
    except (IndexNotFound, EmbedderMismatch) as exc:
        raise click.ClickException(str(exc)) from exc


def render(answer: Answer, show_trace: bool = False) -> str:
    lines = [answer.text]
    if answer.notice:
        lines.insert(0, f"※ {answer.notice}")
    if answer.abstained:
        lines += ["", "関連する可能性のある箇所:"]
        for i, p in enumerate(answer.passages[:3], 1):
            excerpt = p.chunk.body.strip().replace("\n", " ")[:120]
            lines.append(f"  ({i}) {p.chunk.title} / {p.chunk.section}: {excerpt}…")
    else:
        lines += ["", "出典:"]
        for c in answer.citations:
            page = f" p.{c.page}" if c.page else ""
            lines.append(f"  [{c.n}] {c.title} / {c.section}{page}\n      「{c.quote}」")
    if show_trace and answer.trace:
        lines += ["", "回答の根拠（処理の流れ）:", *(f"  - {line}" for line in answer.trace.lines_ja())]
    return "\n".join(lines)


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="items.jsonl 形式の1行で出力する。")
@click.option("--history", "history_file", type=click.Path(path_type=Path, exists=True), help="会話履歴 (JSON)。")
@click.option("--city", "cities", multiple=True, help="この市の文書に限定する（複数可）。")
@click.option("--trace", is_flag=True, help="回答の根拠（処理の流れ）も表示する。")
def ask(question: str, as_json: bool, history_file: Path | None, cities: tuple[str, ...], trace: bool) -> None:
    """質問に出典付きで答える。"""
    from assistant.evaluation import GoldItem, item_record
    from assistant.limits import history_problem, question_problem
    from assistant.retrieval import Filters

    settings = _settings()
    history = _load_history(history_file)
    problem = question_problem(question, settings) or history_problem(history, settings)
    if problem:  # before the index is even opened
        raise StaffError(problem)
    assistant = _open(settings)
    answer = assistant.ask(question, history, Filters(cities=cities))
    if as_json:
        item = GoldItem(id="ask", question=question, facts=[], sources=[], evidence=[], answerable=True)
        click.echo(json.dumps(item_record(item, answer, with_trace=True), ensure_ascii=False))
    else:
        click.echo(render(answer, show_trace=trace))


@main.command(name="eval")
@click.option("--gold", "gold_path", type=click.Path(path_type=Path, exists=True), required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True)
@click.option("--pipeline", type=click.Choice(list(PIPELINES)), default="full", show_default=True,
              help="full=ハイブリッド検索+根拠による並べ替え+回答エンジン、reranked=並べ替えまで（最上位の箇所で回答）、"
                   "hybrid/dense/keyword=検索のみ（最上位の箇所で回答）、baseline=チュートリアル構成（500字分割・密ベクトルのみ）。")
def eval_cmd(gold_path: Path, out_dir: Path, pipeline: str) -> None:
    """正解データで回答品質を評価し、結果をフォルダに書き出す。"""
    from assistant.evaluation import GoldError, load_gold, run_eval

    from assistant.limits import gold_problems

    settings = _settings()
    try:
        gold = load_gold(gold_path)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from exc
    problems = gold_problems(gold, settings)
    if problems:
        raise StaffError(f"{gold_path}: " + " / ".join(problems))
    answer_fn, snapshot = make_answer_fn(settings, pipeline)
    reporter = _reporter(settings, {"eval": "評価"})

    def progress(items):  # type: ignore[no-untyped-def]
        listed = list(items)
        for done, item in enumerate(listed):
            reporter("eval", done, len(listed))
            yield item
        reporter("eval", len(listed), len(listed))

    try:
        summary = run_eval(gold, answer_fn, out_dir, snapshot, str(gold_path), pipeline, progress)
    finally:
        reporter.close()
    click.echo(f"{summary['n']} 問を評価しました → {out_dir}")
    for key, value in summary["metrics"].items():
        click.echo(f"  {key:28s} {value:8.3f}")


def make_answer_fn(settings: Settings, pipeline: str):  # type: ignore[no-untyped-def]
    """An answer function for the eval harness, with the index errors said in Japanese."""
    from assistant.index import EmbedderMismatch, IndexNotFound
    from assistant.pipeline import answer_function

    try:
        return answer_function(settings, pipeline)
    except (IndexNotFound, EmbedderMismatch) as exc:
        raise click.ClickException(str(exc)) from exc


@main.command(name="hash-password")
@click.option("--password-stdin", is_flag=True, help="パスワードを標準入力の1行目から読む（確認なし）。")
def hash_password_cmd(password_stdin: bool) -> None:
    """管理者パスワードのハッシュを表示する（ASSISTANT_ADMIN_PASSWORD_HASH に設定する）。"""
    from assistant.access import hash_password, password_problem

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("管理者パスワード", hide_input=True, confirmation_prompt="もう一度入力してください",
                                err=True)
    problem = password_problem(password)
    if problem:
        raise StaffError(problem)
    click.echo(hash_password(password))


@main.command()
@click.option("--port", type=int, default=8501, show_default=True, help="待ち受けるポート。")
def serve(port: int) -> None:
    """チャット画面を起動する（待ち受けアドレスは ASSISTANT_SERVER_ADDRESS、既定 127.0.0.1）。"""
    from assistant.access import serve_warning

    settings = _settings()
    address = settings.server_address
    warning = serve_warning(settings, port)
    if warning:
        click.echo(warning, err=True)
    app = Path(__file__).resolve().parents[1] / "app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
               "--client.toolbarMode", "viewer",
               "--server.address", address, "--server.port", str(port)]
    if hasattr(os, "execv"):
        os.execv(sys.executable, command)
    raise SystemExit(subprocess.call(command))  # pragma: no cover - platforms without exec


if __name__ == "__main__":
    main()
