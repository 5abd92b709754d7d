"""評価: run `eval` on a gold set, see the metrics, charts, failed items and earlier runs."""

from __future__ import annotations

from typing import Iterable, Iterator

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import REPO, assistant, settings
from app_pages.uploads import japanese_uploader
from assistant.documents import format_time
from assistant.evaluation import PIPELINES, GoldError, GoldItem, failures, load_gold, run_eval
from assistant.failures import explain
from assistant.index import EmbedderMismatch, IndexNotFound
from assistant.limits import gold_problems
from assistant.plain import plain
from assistant.ui_state import (
    METRIC_LABELS,
    RATE_METRICS,
    EvalRun,
    latency_histogram,
    list_runs,
    new_run_dir,
    previous_run,
    runs_table,
)

UPLOAD = "（ファイルをアップロード）"
HEADLINE = ["fact_accuracy", "citation_precision", "citation_recall", "hit_at_5",
            "abstain_rate_unanswerable", "false_abstain_rate", "latency_p50_ms", "latency_p95_ms"]
LOWER_IS_BETTER = {"false_abstain_rate", "latency_p50_ms", "latency_p95_ms"}

cfg = settings()


def gold_files() -> list[str]:
    folder = REPO / "evals"
    return sorted(str(p.relative_to(REPO)) for p in folder.glob("*.jsonl")) if folder.is_dir() else []


def answer_function(pipeline: str):  # type: ignore[no-untyped-def]
    if pipeline == "full":
        bot = assistant(cfg)
        return (lambda item: bot.ask(item.question, item.history)), bot.settings.model_dump(mode="json")
    from assistant.pipeline import answer_function as make

    return make(cfg, pipeline)


def run(gold: list[GoldItem], gold_text: str, gold_label: str, pipeline: str) -> str | None:
    try:
        answer_fn, snapshot = answer_function(pipeline)
    except (IndexNotFound, EmbedderMismatch) as exc:
        st.error(f"索引を使えません: {plain(exc)}")
        return None
    except Exception as exc:  # noqa: BLE001 - e.g. click.ClickException from the CLI helper
        st.error(f"評価を始められませんでした。{plain(explain(exc, cfg))}")
        return None
    out_dir = new_run_dir(cfg.data_dir)
    out_dir.mkdir(parents=True)
    (out_dir / "gold.jsonl").write_text(gold_text, encoding="utf-8")  # what the run was scored on
    bar = st.progress(0.0, text="評価を始めます…")

    def progress(items: Iterable[GoldItem]) -> Iterator[GoldItem]:
        listed = list(items)
        for i, item in enumerate(listed):
            bar.progress(i / len(listed), text=f"{i + 1}/{len(listed)} 問目: {plain(item.question[:40])}")
            yield item
        bar.progress(1.0, text=f"{len(listed)} 問を評価しました")

    try:
        run_eval(gold, answer_fn, out_dir, snapshot, gold_label, pipeline, progress)
    except Exception as exc:  # e.g. the Chroma server went away during the run
        bar.empty()
        st.error(f"評価を最後まで実行できませんでした。{plain(explain(exc, cfg))}", icon="⚠️")
        return None
    return out_dir.name


def fmt(key: str, value: float) -> str:
    return f"{value:.0f} ms" if key.startswith("latency") else f"{value:.3f}"


def draw_metrics(current: EvalRun, before: EvalRun | None) -> None:
    cols = st.columns(4)
    for i, key in enumerate(HEADLINE):
        value = current.metrics.get(key)
        if value is None:
            continue
        delta = None
        if before is not None and key in before.metrics:
            diff = value - before.metrics[key]
            delta = f"{diff:+.0f} ms" if key.startswith("latency") else f"{diff:+.3f}"
        cols[i % 4].metric(METRIC_LABELS[key], fmt(key, value), delta,
                           delta_color="inverse" if key in LOWER_IS_BETTER else "normal")
    if before is not None:
        st.caption(f"差分は同じ正解データでの前回の実行（{before.name}）との比較です。")


def metric_chart(current: EvalRun) -> alt.Chart:
    data = pd.DataFrame(
        [{"指標": METRIC_LABELS[k], "値": float(current.metrics[k])} for k in RATE_METRICS if k in current.metrics]
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("値:Q", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("指標:N", sort=None, title=None),
            tooltip=["指標", alt.Tooltip("値:Q", format=".3f")],
        )
    )


def latency_chart(current: EvalRun) -> alt.Chart | None:
    bins = latency_histogram([float(r["latency_ms"]) for r in current.items()])
    if not bins:
        return None
    data = pd.DataFrame([{"応答時間": label, "問題数": count} for label, count in bins])
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(x=alt.X("応答時間:N", sort=None), y=alt.Y("問題数:Q"), tooltip=["応答時間", "問題数"])
    )


def run_gold(current: EvalRun) -> list[GoldItem] | None:
    candidates = [current.path / "gold.jsonl", REPO / str(current.summary.get("gold", ""))]
    for path in candidates:
        if path.is_file():
            try:
                return load_gold(path)
            except GoldError:
                continue
    return None


def draw_failures(current: EvalRun) -> None:
    gold = run_gold(current)
    records = current.items()
    if gold is None or {g.id for g in gold} - {r["id"] for r in records}:
        st.caption("この実行の正解データが見つからないため、失敗した項目を表示できません。")
        return
    failed = failures(gold, records)
    st.subheader(f"失敗した項目（{len(failed)} 件）")
    if not failed:
        st.success("失敗した項目はありません。")
    for item, record, reason in failed:
        with st.expander(plain(f"{item.id}: {item.question} — {reason}")):
            st.markdown("**期待する事実**: " + plain(" / ".join(" または ".join(f) for f in item.facts) or "（なし: 回答不能）"))
            st.markdown("**期待する出典**: " + plain("、".join(item.sources) or "（なし）"))
            st.markdown("**回答**")
            st.code(record["answer"], language=None, wrap_lines=True)
            cites = record.get("citations") or []
            st.markdown("**引用**: " + plain("; ".join(f"[{c['n']}] {c['source']} {c['section']}" for c in cites) or "なし"))


# ---------------------------------------------------------------------------- page
st.title("評価")
st.caption("正解データ（JSONL）の質問に答えさせて、回答と出典を採点します。結果は "
           f"`{cfg.data_dir / 'eval_runs'}` に保存されます。")

with st.container(border=True):
    choices = [*gold_files(), UPLOAD]
    default = choices.index("evals/gold.jsonl") if "evals/gold.jsonl" in choices else 0
    choice = st.selectbox("正解データ", choices, index=default, key="gold-choice")
    uploaded = None
    if choice == UPLOAD:
        japanese_uploader()
        # No `type=`: browsers send .jsonl as application/octet-stream, which Streamlit refuses in English.
        uploaded = st.file_uploader("正解データ（.jsonl）", key="gold-upload", max_upload_size=cfg.max_upload_mb)
    pipeline = st.selectbox("評価する構成", list(PIPELINES), format_func=PIPELINES.__getitem__, key="pipeline")
    if st.button("評価を実行", type="primary", icon="▶️", key="run-eval"):
        gold_text, label = None, choice
        if choice == UPLOAD:
            if uploaded is None:
                st.warning("正解データのファイルをアップロードしてください。")
            elif not uploaded.name.lower().endswith(".jsonl"):
                st.error(f"「{plain(uploaded.name)}」は .jsonl ファイルではありません。1行に1問の JSON Lines を選んでください。")
            else:
                try:
                    gold_text, label = uploaded.getvalue().decode("utf-8-sig"), f"アップロード: {uploaded.name}"
                except UnicodeDecodeError:
                    st.error(f"「{plain(uploaded.name)}」を UTF-8 として読めません。UTF-8 で保存し直してください。")
        else:
            gold_text = (REPO / choice).read_text(encoding="utf-8")
        if gold_text is not None:
            tmp = cfg.data_dir / "eval_runs" / ".gold-check.jsonl"
            tmp.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(gold_text, encoding="utf-8")
            try:
                gold = load_gold(tmp)
            except GoldError as exc:
                st.error(plain(str(exc).replace(str(tmp), label)))
            else:
                problems = gold_problems(gold, cfg)
                if problems:
                    st.error(plain(f"{label}: " + " / ".join(problems)))
                else:
                    name = run(gold, gold_text, label, pipeline)
                    if name:
                        st.session_state["eval-run"] = name
            finally:
                tmp.unlink(missing_ok=True)

runs = list_runs(cfg.data_dir)
if not runs:
    st.info("まだ評価の実行結果がありません。「評価を実行」を押してください。")
    st.stop()

names = [r.name for r in runs]
if st.session_state.get("eval-run") not in names:
    st.session_state["eval-run"] = names[0]
selected = st.selectbox("表示する実行結果", names, key="eval-run")
current = runs[names.index(selected)]
st.caption(
    f"正解データ: {plain(current.summary.get('gold'))}（{current.summary.get('n')} 問） / "
    f"構成: {PIPELINES.get(current.summary.get('pipeline', ''), current.summary.get('pipeline'))} / "
    f"完了: {format_time(current.summary.get('finished_at'))}"
)

st.subheader("指標")
draw_metrics(current, previous_run(runs, current))
left, right = st.columns(2)
with left:
    st.markdown("**指標（0〜1）**")
    st.altair_chart(metric_chart(current), width="stretch")
with right:
    st.markdown("**応答時間の分布**")
    chart = latency_chart(current)
    if chart is not None:
        st.altair_chart(chart, width="stretch")

draw_failures(current)

st.subheader("これまでの実行との比較")
st.dataframe(runs_table(runs), hide_index=True, width="stretch")
