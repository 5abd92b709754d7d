"""The Japanese lexicon, as data: the YAML files in this folder, loaded once.

Counters, eras, spelling variants, question words, answer-type cues, attributes, follow-up
markers, place-name rules, how plans write definitions and lists, heading kinds and stop
words. Code never spells a Japanese word list itself: it asks `lexicon()`. The patterns
built from the lists (the one counter pattern, the answer-type rules) are built here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import yaml

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the word lists load ~10x faster

ANSWER_TYPES = ("count", "amount", "date", "period", "place", "definition", "list", "name", "other")


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Era:
    name: str
    first_year: int  # Gregorian year of the era's year 1
    last: int  # the era's last year number
    letter: str | None = None  # 「R6」 for 令和6年


# A thing named in kanji or katakana, okurigana inside it (「飲み物」) but not a particle (「…に申」).
_THING = r"[0-9]*(?:[\u4e00-\u9fffァ-ヶー々]+(?![にをがはでとのへもや])[ぁ-ゖ](?=[\u4e00-\u9fffァ-ヶー々]))*[\u4e00-\u9fffァ-ヶー々]+"


def _alternation(words: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    """A regex alternation of literal words, longest first (「事業所」 before 「事業」)."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _read(name: str) -> dict[str, Any]:
    text = resources.files(__name__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_SAFE_LOADER)
    if not isinstance(data, dict):
        raise LexiconError(f"lexicon/{name}.yaml: a mapping is expected")
    return data


def _words(data: dict[str, Any], key: str, file: str) -> tuple[str, ...]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise LexiconError(f"lexicon/{file}.yaml: '{key}' must be a list of non-empty strings")
    return tuple(value)


class Lexicon:
    """Everything the engine knows about Japanese and about how plans are written."""

    def __init__(self) -> None:
        c = _read("counters")
        self.counters = _words(c, "counters", "counters")
        self.time_counters = _words(c, "time_counters", "counters")
        self.frequency_counters = _words(c, "frequency_counters", "counters")
        self.unit_groups = {name: tuple(map(str, ws)) for name, ws in (c.get("unit_groups") or {}).items()}
        self.item_counters = _words(c, "item_counters", "counters")

        e = _read("eras")
        self.eras = tuple(Era(**entry) for entry in e["eras"])

        v = _read("variants")
        self.variants = tuple(tuple(map(str, group)) for group in v["variants"])
        self.equivalent_groups = tuple(tuple(map(str, group)) for group in v.get("equivalents") or ())
        self.stands_for = {str(k): tuple(map(str, ws)) for k, ws in (v.get("stands_for") or {}).items()}

        q = _read("question_words")
        self.question_words = frozenset(_words(q, "question_words", "question_words"))
        self.interrogatives = _words(q, "interrogatives", "question_words")
        self.requests = _words(q, "requests", "question_words")
        self.yes_no_nouns = frozenset(_words(q, "yes_no_nouns", "question_words"))
        self.indefinites = _words(q, "indefinites", "question_words")
        self.light_verbs = frozenset(_words(q, "light_verbs", "question_words"))
        self.frame_nouns = frozenset(_words(q, "frame_nouns", "question_words"))
        self.source_nouns = _words(q, "source_nouns", "question_words")
        self.source_markers = _words(q, "source_markers", "question_words")
        self.formal_nouns = frozenset(_words(q, "formal_nouns", "question_words"))
        self.person_titles = frozenset(_words(q, "person_titles", "question_words"))
        self.asks_person_words = _words(q, "asks_person", "question_words")
        self.speakers = _words(q, "speakers", "question_words")

        t = _read("answer_types")
        self.type_rules_data = t["rules"]
        for rule in self.type_rules_data:
            if rule.get("type") not in ANSWER_TYPES:
                raise LexiconError(f"lexicon/answer_types.yaml: unknown type {rule.get('type')!r}")
        self.cue_words = {name: tuple(map(str, ws)) for name, ws in t["cues"].items()}
        self.cue_patterns = {name: str(pattern) for name, pattern in t["cue_patterns"].items()}
        self.row_labels_for = {cue: tuple(map(str, ws)) for cue, ws in t["row_labels_for"].items()}
        for cue in self.row_labels_for:
            if cue not in self._cues:
                raise LexiconError(f"lexicon/answer_types.yaml: row_labels_for names an unknown cue {cue!r}")
        self.not_tallies = frozenset(_words(t, "not_tallies", "answer_types"))
        self.not_breakdowns = frozenset(_words(t, "not_breakdowns", "answer_types"))
        self.duration_asked = re.compile(str(t["duration_asked"]))  # group 1: the unit of the length asked
        self.superlatives = {side: tuple(map(str, ws)) for side, ws in t["superlatives"].items()}
        self.total_rows = frozenset(_words(t, "total_rows", "answer_types"))
        self.superlative_says = _words(t, "superlative_says", "answer_types")
        self.superlative_by_date = _words(t, "superlative_by_date", "answer_types")
        self.top_n = re.compile(str(t["top_n"]))

        a = _read("attributes")
        self.attribute_endings = _words(a, "attribute_endings", "attributes")
        self.value_attribute_endings = _words(a, "value_attribute_endings", "attributes")
        self.generic_attributes = frozenset(_words(a, "generic_attributes", "attributes"))
        self.light_nouns = frozenset(_words(a, "light_nouns", "attributes"))
        self.measure_suffixes = _words(a, "measure_suffixes", "attributes")
        self.binding_prefixes = frozenset(_words(a, "binding_prefixes", "attributes"))
        self.hours_words = _words(a, "hours_words", "attributes")
        self.document_kinds = _words(a, "document_kinds", "attributes")
        self.related_plan_words = _words(a, "related_plan_words", "attributes")
        self.term_words = _words(a, "term_words", "attributes")
        self.contact_labels = _words(a, "contact_labels", "attributes")
        self.office_endings = _words(a, "office_endings", "attributes")
        self.breakdowns = _words(a, "breakdowns", "attributes")
        self.breakdown_members = {str(k): tuple(map(str, v)) for k, v in (a.get("breakdown_members") or {}).items()}
        self.actual_words = _words(a, "actual_words", "attributes")
        self.sibling_heads = _words(a, "sibling_heads", "attributes")
        self.target_words = _words(a, "target_words", "attributes")
        self.optional_columns = tuple(tuple(map(str, group)) for group in a["optional_columns"])
        self.contact_values = {
            str(word): re.compile(str(group["shape"])) for group in a.get("contact_values") or () for word in group["words"]
        }

        d = _read("discourse")
        self.openers = _words(d, "openers", "discourse")
        self.demonstratives = _words(d, "demonstratives", "discourse")
        self.document_nouns = _words(d, "document_nouns", "discourse")
        self.parties = _words(d, "parties", "discourse")
        self.pronouns = _words(d, "pronouns", "discourse")
        self.remainder = _words(d, "remainder", "discourse")
        self.item_ordinals = _words(d, "item_ordinals", "discourse")
        self.subject_particles = _words(d, "subject_particles", "discourse")
        self.te_form_after = _words(d, "te_form_after", "discourse")
        self.question_tail = _words(d, "question_tail", "discourse")
        self.topic_shift = _words(d, "topic_shift", "discourse")
        self.same_question_endings = _words(d, "same_question_endings", "discourse")

        p = _read("places")
        self.municipality_suffixes = _words(p, "municipality_suffixes", "places")
        self.not_after_suffix = _words(p, "not_after_suffix", "places")
        self.generic_place_prefixes = frozenset(_words(p, "generic_prefixes", "places"))
        self.inside_city = _words(p, "inside_city", "places")
        self.venue_nouns = _words(p, "venue_nouns", "places")
        self.venue_particles = _words(p, "venue_particles", "places")
        self.venue_labels = _words(p, "venue_labels", "places")
        self.venue_marks = _words(p, "venue_marks", "places")
        self.prefecture_name = re.compile(str(p["prefecture_name"]))

        s = _read("statements")
        self.defines = _words(s, "defines", "statements")
        self.introduces_list_patterns = _words(s, "introduces_list_patterns", "statements")
        self.reason_marks = _words(s, "reason_marks", "statements")
        self.restricts = _words(s, "restricts", "statements")
        self.not_restricted_things = frozenset(_words(s, "not_restricted_things", "statements"))
        self.announces_items_words = _words(s, "announces_items", "statements")
        self.labels = _words(s, "labels", "statements")
        self.number_labels = _words(s, "number_labels", "statements")
        self.detail_mark = str(s["detail_mark"])
        self.bullets = str(s["bullets"])
        self.item_starts = str(s["item_starts"])
        self.line_ends = str(s["line_ends"])
        self.definition_questions = _words(s, "definition_questions", "statements")
        self.definition_qualifier = str(s["definition_qualifier"])
        self.asking_endings = _words(s, "asking_endings", "statements")
        self.negative = _words(s, "negative", "statements")
        self.not_negative = _words(s, "not_negative", "statements")
        self.negative_past = _words(s, "negative_past", "statements")
        self.asks_already = _words(s, "asks_already", "statements")
        self.not_yet = _words(s, "not_yet", "statements")
        self.exceptions = _words(s, "exceptions", "statements")
        self.excepts = _words(s, "excepts", "statements")
        self.opposites = tuple((tuple(map(str, a)), tuple(map(str, b))) for a, b in s["opposites"])
        self.bounds = {op: tuple(map(str, words)) for op, words in s["bounds"].items()}
        self.bounds_before = {op: tuple(map(str, words)) for op, words in s["bounds_before"].items()}
        self.per_unit = _words(s, "per_unit", "statements")
        self.achievement_cues = _words(s, "achievement_cues", "statements")
        self.closed_words = _words(s, "closed_words", "statements")
        self.target_asides = _words(s, "target_asides", "statements")
        self.unlimited_cues = _words(s, "unlimited_cues", "statements")
        self.legend_symbols = _words(s, "legend_symbols", "statements")
        self.legend_letters = _words(s, "legend_letters", "statements")
        self.legend_grade_words = _words(s, "legend_grade_words", "statements")
        self.legend_words = _words(s, "legend_words", "statements")
        self.times_counters = _words(s, "times_counters", "statements")
        self.execution_cues = {rel: tuple(map(str, words)) for rel, words in s["execution_cues"].items()}
        self.execution_columns = {name: tuple(map(str, words)) for name, words in s["execution_columns"].items()}
        self.label_marks = _words(s, "label_marks", "statements")
        self.caps = _words(s, "caps", "statements")
        self.table_columns = {
            name: (tuple(map(str, spec["question"])), tuple(map(str, spec["header"])))
            for name, spec in s["table_columns"].items()
        }
        self.total_words = _words(s, "total_words", "statements")
        self.budget_words = _words(s, "budget_words", "statements")

        h = _read("headings")
        self.numbered_kinds = _words(h, "numbered_kinds", "headings")
        self.project_kinds = _words(h, "project_kinds", "headings")
        self.label_kinds = _words(h, "label_kinds", "headings")
        self.not_after_heading_number = _words(h, "not_after_heading_number", "headings")

        k = _read("tokens")
        self.stop_words = frozenset(_words(k, "stop_words", "tokens"))
        self.skip_pos = frozenset(_words(k, "skip_pos", "tokens"))
        self.bigram_pos = frozenset(_words(k, "bigram_pos", "tokens"))

    # -- contact blocks ---------------------------------------------------------------------
    @cached_property
    def contact_label(self) -> re.Pattern[str]:
        """A contact block's label, at the start of a line or as a heading's title (after a
        page's 「このページに関する」 or a bracket)."""
        return re.compile(rf"^(?:このページに関する|[【\[■●◆]?)(?:{_alternation(self.contact_labels)})")

    @cached_property
    def office_name(self) -> re.Pattern[str]:
        """An office a contact block names: 「企画課」「協働推進係」「ボランティアセンター」."""
        return re.compile(rf"[一-龥ァ-ヶー]+(?:{_alternation(self.office_endings)})(?![一-龥])")

    # -- counters ---------------------------------------------------------------------------
    @cached_property
    def counter_pattern(self) -> str:
        """The one counter alternation, longest first."""
        return _alternation(self.counters)

    @cached_property
    def tally_counter_pattern(self) -> str:
        """The counters of things, a share's (「％」「ポイント」) left out."""
        return _alternation([c for c in self.counters if c not in self.same_unit("%")])

    @property
    def time_counter_pattern(self) -> str:
        return _alternation(self.time_counters)

    def same_unit(self, counter: str) -> tuple[str, ...]:
        """The counters that count what `counter` counts (its group, or itself)."""
        for group in self.unit_groups.values():
            if counter in group:
                return group
        return (counter,)

    def equivalents(self, word: str) -> tuple[str, ...]:
        """Words of the same equivalence group as `word`, and the words a plain word stands for
        (not used for searching)."""
        mates = tuple(w for group in self.equivalent_groups if word in group for w in group if w != word)
        return mates + self.stands_for.get(word, ())

    # -- answer types and cues ------------------------------------------------------------------
    @cached_property
    def type_rules(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        rules = []
        for rule in self.type_rules_data:
            cues = [str(cue).replace("{COUNTER}", self.counter_pattern).replace("{DURATION}", self.duration_asked.pattern)
                    for cue in rule["cues"]]
            rules.append((rule["type"], re.compile("|".join(f"(?:{cue})" for cue in cues))))
        return tuple(rules)

    def cue(self, name: str) -> re.Pattern[str]:
        return self._cues[name]

    @cached_property
    def _cues(self) -> dict[str, re.Pattern[str]]:
        cues = {name: re.compile(_alternation(words)) for name, words in self.cue_words.items()}
        return {**cues, **{name: re.compile(pattern) for name, pattern in self.cue_patterns.items()}}

    @cached_property
    def interrogative_pattern(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.interrogatives))

    @cached_property
    def request_pattern(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.requests))

    @cached_property
    def indefinite_pattern(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.indefinites))

    # -- attributes -------------------------------------------------------------------------------
    @cached_property
    def attribute_end(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{_alternation(self.attribute_endings)})$")

    # -- follow-ups --------------------------------------------------------------------------------
    @cached_property
    def opener_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"^(?:{_alternation(self.openers)})[、,\s]*")

    @cached_property
    def topic_shift_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"^(?:{_alternation(self.topic_shift)})[、,\s]*")

    @cached_property
    def same_question_pattern(self) -> re.Pattern[str]:
        """「岩国市は？」: something else (X), and nothing asked of it."""
        return re.compile(rf"^(?P<x>[^、。?？]{{2,20}}?)(?:{_alternation(self.same_question_endings)})[?？]?$")

    @cached_property
    def document_reference(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{_alternation(self.demonstratives)})(?:{_alternation(self.document_nouns)})")

    @cached_property
    def demonstrative_pattern(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.demonstratives))

    @cached_property
    def pronoun_pattern(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.pronouns))

    @cached_property
    def remainder_pattern(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.remainder))

    @cached_property
    def item_reference(self) -> re.Pattern[str]:
        """「2つ目について…」「第２番目の上限は？」 at the start of a question (NFKC): group 1 the number."""
        return re.compile(rf"^第?([0-9]+)(?:{_alternation(self.item_ordinals)})")

    @cached_property
    def subject_end(self) -> re.Pattern[str]:
        # Order as listed: the longer particles (には) must win over their tails (は).
        not_topic = "|".join(self.te_form_after)
        return re.compile("|".join(re.escape(p) + (f"(?!{not_topic})" if p == "って" else "") for p in self.subject_particles))

    @cached_property
    def question_tail_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"(?:{_alternation(self.question_tail)}).*$")

    # -- places ------------------------------------------------------------------------------------
    @cached_property
    def unknown_place_pattern(self) -> re.Pattern[str]:
        suffixes = "".join(self.municipality_suffixes)
        not_after = "".join(self.not_after_suffix)
        return re.compile(rf"([一-龥ぁ-んァ-ヶ]{{1,6}}?)([{suffixes}])(?![{not_after}])")

    @cached_property
    def venue_pattern(self) -> re.Pattern[str]:
        labels = _alternation(self.venue_labels)
        nouns = _alternation(self.venue_nouns)
        particles = _alternation(self.venue_particles)
        marks = "|".join(self.venue_marks)
        return re.compile(rf"(?:{labels})\s*[:：]?\s*\S|(?:{nouns})(?:{particles}|[\t、）)]|$)|{marks}")

    # -- statements ----------------------------------------------------------------------------------
    @cached_property
    def defines_pattern(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.defines))

    @cached_property
    def speaker_label(self) -> re.Pattern[str]:
        """A line of minutes opening a speaker's turn: 「○川端委員　…」「**野口委員**：…」
        「事務局（森主事）：…」 (NFKC text)."""
        who = _alternation(sorted(set(self.person_titles) | set(self.speakers), key=len, reverse=True))
        return re.compile(rf"[○◯●◎]?\s*\**\s*\S{{0,12}}?(?:{who})(?:\s*[(（][^)）]{{0,20}}[)）])?\**\s*[:：\s]")

    @cached_property
    def label_pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.labels))

    @cached_property
    def announces_items(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.announces_items_words))

    @cached_property
    def restriction(self) -> re.Pattern[str]:
        """「仮予約のみ」「１事業に限る」: group 1 is the one thing let through."""
        return re.compile(rf"({_THING})[」』]?(?:{_alternation(self.restricts)})")  # 「「地域課題解決コース」のみ」

    @cached_property
    def qualified_thing(self) -> re.Pattern[str]:
        """「団体の構成員への謝礼」: a thing with the words that qualify it; group 1 is the thing."""
        return re.compile(rf"(?:[0-9]*[\u4e00-\u9fffァ-ヶー々]+(?:の|への|による|としての))*({_THING})")

    @cached_property
    def gives_reason(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{m})" for m in self.reason_marks))

    @cached_property
    def introduces_list(self) -> re.Pattern[str]:
        return re.compile("|".join(self.introduces_list_patterns))

    @cached_property
    def number_label_pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(self.number_labels))

    @cached_property
    def negative_pattern(self) -> re.Pattern[str]:
        return re.compile(_alternation((*self.negative, *self.negative_past)))

    @cached_property
    def question_negative_pattern(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.negative))

    @cached_property
    def not_negative_pattern(self) -> re.Pattern[str]:
        return re.compile(_alternation(self.not_negative))

    def is_negative(self, text: str) -> bool:
        """Whether a statement says that something is not so."""
        return bool(self.negative_pattern.search(self.not_negative_pattern.sub("", text)))

    def asks_negative(self, question: str) -> bool:
        """Whether a question itself says 「ない」 (「〜は対象外ですか」), its past forms left to the
        case it describes."""
        return bool(self.question_negative_pattern.search(self.not_negative_pattern.sub("", question)))

    @cached_property
    def definition_question_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.definition_questions)

    @cached_property
    def definition_qualifier_pattern(self) -> re.Pattern[str]:
        return re.compile(self.definition_qualifier)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()


def alternation(words: list[str] | tuple[str, ...] | frozenset[str]) -> str:
    return _alternation(words)
