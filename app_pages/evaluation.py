"""評価: run `eval` on a gold set (in the background), see the metrics against their targets,
the failed items and earlier runs."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import REPO, assistant, settings
from app_pages.uploads import japanese_uploader
from assistant.documents import format_time
from assistant.eval_jobs import progress, start_eval
from assistant.evaluation import PIPELINES, GoldError, GoldItem, failures, load_gold
from assistant.failures import explain
from assistant.index import EmbedderMismatch, IndexNotFound
from assistant.limits import gold_problems
from assistant.metric_guide import METRICS, is_rate
from assistant.plain import plain
from assistant.staff_gold import STAFF_GOLD_FILE, staff_gold_path
from assistant.ui_state import EvalRun, latency_histogram, list_all_runs, list_runs, new_run_dir, previous_run, runs_table

UPLOAD = "（ファイルをアップロード）"
HEADLINE = ["fact_accuracy", "citation_precision", "citation_recall", "hit_at_5",
            "abstain_rate_unanswerable", "false_abstain_rate", "latency_p50_ms", "latency_p95_ms"]
VERDICT_COLORS = {"目標達成": "#2e7d32", "目標未達": "#c62828", "目標なし": "#9e9e9e"}

cfg = settings()


def gold_files() -> dict[str, Path]:
    """Label -> file: the repository's gold sets, and the items staff added from the chat."""
    folder = REPO / "evals"
    files = {str(p.relative_to(REPO)): p for p in sorted(folder.glob("*.jsonl"))} if folder.is_dir() else {}
    staff = staff_gold_path(cfg.data_dir)
    if staff.is_file() and staff.stat().st_size:
        count = sum(1 for line in staff.read_text(encoding="utf-8").splitlines() if line.strip())
        files[f"職員が追加した質問（{STAFF_GOLD_FILE}、{count} 問）"] = staff
    return files


def answer_function(pipeline: str):  # type: ignore[no-untyped-def]
    if pipeline == "full":
        bot = assistant(cfg)
        return (lambda item: bot.ask(item.question, item.history)), bot.settings.model_dump(mode="json")
    from assistant.pipeline import answer_function as make

    return make(cfg, pipeline)


def start(gold: list[GoldItem], gold_text: str, gold_label: str, pipeline: str) -> str | None:
    """Start a run in the background; it goes on if this tab is closed. Its folder name."""
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
    start_eval(gold, answer_fn, out_dir, snapshot, gold_label, pipeline, explain=lambda exc: explain(exc, cfg))
    return out_dir.name


def fmt(key: str, value: float) -> str:
    unit = METRICS[key].unit if key in METRICS else ""
    return f"{value:.0f} {unit}" if unit else f"{value:.3f}"


def draw_metrics(current: EvalRun, before: EvalRun | None) -> None:
    cols = st.columns(4)
    for i, key in enumerate(HEADLINE):
        value = current.metrics.get(key)
        if value is None:
            continue
        info = METRICS[key]
        delta = None
        if before is not None and key in before.metrics:
            diff = value - before.metrics[key]
            delta = f"{diff:+.0f} {info.unit}" if info.unit else f"{diff:+.3f}"
        met = info.met(value)
        mark = "" if met is None else (" ✅" if met else " ⚠️")
        cols[i % 4].metric(f"{info.label}{mark}", fmt(key, value), delta,
                           delta_color="inverse" if info.direction == "lower" else "normal",
                           help=f"{info.explanation}（{info.direction_text}。目標 {info.target_text}）")
    if before is not None:
        st.caption(f"差分は同じ正解データでの前回の実行（{before.name}）との比較です。✅ は目標達成、⚠️ は目標未達。")


def metric_rows(current: EvalRun) -> list[dict[str, object]]:
    rows = []
    for key, info in METRICS.items():
        value = current.metrics.get(key)
        if value is None:
            continue
        met = info.met(value)
        rows.append({"指標": info.label, "値": fmt(key, float(value)), "向き": info.direction_text,
                     "目標": info.target_text, "判定": "—" if met is None else ("達成" if met else "未達"),
                     "意味": info.explanation})
    return rows


def rate_chart(current: EvalRun, direction: str) -> alt.LayerChart | None:
    """Rates of one direction as bars coloured by their target, the target as a black tick."""
    rows = []
    for key, info in METRICS.items():
        if info.direction != direction or not is_rate(key) or key not in current.metrics:
            continue
        value = float(current.metrics[key])
        met = info.met(value)
        rows.append({"指標": info.label, "値": value, "目標": info.target,
                     "判定": "目標なし" if met is None else ("目標達成" if met else "目標未達")})
    if not rows:
        return None
    data = pd.DataFrame(rows)
    top = 1.0 if direction == "higher" else max(0.2, float(data["値"].max()) * 1.2)
    color = alt.Color("判定:N", scale=alt.Scale(domain=list(VERDICT_COLORS), range=list(VERDICT_COLORS.values())),
                      legend=alt.Legend(title=None, orient="bottom"))
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("値:Q", scale=alt.Scale(domain=[0, top]), title=None),
        y=alt.Y("指標:N", sort=None, title=None),
        color=color,
        tooltip=["指標", alt.Tooltip("値:Q", format=".3f"), alt.Tooltip("目標:Q", format=".2f"), "判定"],
    )
    ticks = alt.Chart(data.dropna(subset=["目標"])).mark_tick(color="black", thickness=3, size=24).encode(
        x="目標:Q", y=alt.Y("指標:N", sort=None))
    return alt.layer(bars, ticks)


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


@st.fragment(run_every=1.0)
def running_runs(names: list[str]) -> None:
    """Progress of the runs going on (they go on when this tab is closed); refreshed each second."""
    still = False
    for name in names:
        state = progress(cfg.data_dir / "eval_runs" / name)
        if state.state == "running":
            still = True
            share = state.done / state.total if state.total else 0.0
            text = f"評価中 {name}: {state.done}/{state.total} 問" + (f" — {plain(state.question)}" if state.question else "")
            st.progress(share, text=text)
    if not still:
        st.rerun(scope="app")  # show the finished run


# ---------------------------------------------------------------------------- page
st.title("評価")
st.caption("正解データ（JSONL）の質問に答えさせて、回答と出典を採点します。結果は "
           f"`{cfg.data_dir / 'eval_runs'}` に保存されます。評価はこの画面を閉じても最後まで続きます。")

with st.container(border=True):
    files = gold_files()
    choices = [*files, UPLOAD]
    default = choices.index("evals/gold.jsonl") if "evals/gold.jsonl" in choices else 0
    choice = st.selectbox("正解データ", choices, index=default, key="gold-choice",
                          help="チャットの「評価用の質問に追加」で職員が追加した質問も選べます。")
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
            path = files[choice]
            gold_text = path.read_text(encoding="utf-8")
            label = str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)
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
                    name = start(gold, gold_text, label, pipeline)
                    if name:
                        st.session_state["eval-started"] = name
            finally:
                tmp.unlink(missing_ok=True)

every = list_all_runs(cfg.data_dir)
running = [r.name for r in every if r.state == "running"]
if running:
    running_runs(running)
for run in every:
    if run.state == "failed" and run.name == st.session_state.get("eval-started"):
        st.error(f"評価を最後まで実行できませんでした。{plain(progress(run.path).message)}", icon="⚠️")

runs = list_runs(cfg.data_dir)
if not runs:
    if not every:
        st.info("まだ評価の実行結果がありません。「評価を実行」を押してください。")
    else:
        st.subheader("これまでの実行")
        st.dataframe(runs_table(every), hide_index=True, width="stretch")
    st.stop()

names = [r.name for r in runs]
started = st.session_state.get("eval-started")
if started in names and st.session_state.get("eval-shown") != started:  # a run just finished: show it once
    st.session_state["eval-shown"] = started
    st.session_state["eval-run"] = started
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
left, middle, right = st.columns([3, 2, 3])
with left:
    st.markdown("**高いほど良い指標**（黒い線が目標）")
    chart = rate_chart(current, "higher")
    if chart is not None:
        st.altair_chart(chart, width="stretch")
with middle:
    st.markdown("**低いほど良い指標**（黒い線が目標）")
    chart = rate_chart(current, "lower")
    if chart is not None:
        st.altair_chart(chart, width="stretch")
with right:
    st.markdown("**応答時間の分布**（目標: 中央値 100 ms 以下）")
    chart = latency_chart(current)
    if chart is not None:
        st.altair_chart(chart, width="stretch")
st.markdown("**各指標の意味と目標**")
st.table(metric_rows(current), hide_index=True)

draw_failures(current)

st.subheader("これまでの実行との比較")
st.caption("状態が「中断」の実行は、途中でサーバーが止まるなどして最後まで終わらなかったものです（結果は集計されていません）。")
st.dataframe(runs_table(every), hide_index=True, width="stretch")
