"""The shared document object every stage reads and fills in."""

from __future__ import annotations

import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, cast

from mercato.analysis.dates import PubDate
from mercato.analysis.segment import Sentence, Token
from mercato.kb import KnowledgeBase
from mercato.lang import LANG_DIR, LanguagePack
from mercato.model import Article, EntityType
from mercato.text import fold, fold_keep_length

if TYPE_CHECKING:
    from mercato.analysis.patterns import PatternMatch, PatternSet


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    sentence: int
    tok_start: int
    tok_end: int  # exclusive
    kind: str  # "kb", "person", "handle", "national_team", "club"
    kb_id: str | None = None
    strong: bool = True
    role: EntityType | None = None  # type suggested by a cue next to the mention
    cue_nationality: str | None = None
    cue_position: str | None = None
    entity: int = -1  # index into Doc.entities once resolved
    place_like: bool = False  # a city-named club after a locative preposition


@dataclass(slots=True)
class DocEntity:
    key: str  # the stable id
    name: str
    type: EntityType
    kb_id: str | None = None
    mentions: list[int] = field(default_factory=list)  # indexes into Doc.mentions
    tokens: tuple[str, ...] = ()  # folded name tokens (persons)
    attributes: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Doc:
    article: Article
    text: str
    folded: str
    lang: str
    pack: LanguagePack
    kb: KnowledgeBase
    pub: PubDate | None
    tokens: list[Token]
    sentences: list[Sentence]
    mentions: list[Mention] = field(default_factory=list)
    entities: list[DocEntity] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cache: dict[tuple[object, ...], object] = field(default_factory=dict)  # per-sentence memo
    _sorted: list[Mention] | None = None
    _starts: list[int] = field(default_factory=list)
    _indexed: int = -1  # len(mentions) when the index was built
    _spans: dict[tuple[int, int], list[Mention]] = field(default_factory=dict)

    def sentence_text(self, index: int) -> str:
        s = self.sentences[index]
        return self.text[s.start : s.end]

    def entity_of(self, mention: Mention) -> DocEntity | None:
        return self.entities[mention.entity] if mention.entity >= 0 else None

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Resolved mentions inside [start, end), in text order (indexed once mentions are final)."""
        if self._sorted is None or self._indexed != len(self.mentions):
            self._sorted = sorted((m for m in self.mentions if m.entity >= 0), key=lambda m: m.start)
            self._starts = [m.start for m in self._sorted]
            self._indexed = len(self.mentions)
            self._spans = {}
        found = self._spans.get((start, end))
        if found is not None:
            return found  # callers only read it: the same sentence is asked for again and again
        i = bisect_left(self._starts, start)
        out = []
        while i < len(self._sorted) and self._sorted[i].start < end:
            if self._sorted[i].end <= end:
                out.append(self._sorted[i])
            i += 1
        self._spans[(start, end)] = out
        return out

    def sentence_matches(self, patterns: PatternSet) -> dict[int, list[PatternMatch]]:
        """``patterns.finditer(folded, s.start, s.end)`` for every sentence ``s`` that has a match,
        by sentence index, from one pass over the article's matches instead of a lookup per
        sentence. Sentences with no match are absent."""
        key = ("sentence_matches", patterns)
        found = cast("dict[int, list[PatternMatch]] | None", self.cache.get(key))
        if found is None:
            by_sentence: dict[int, list[PatternMatch]] = {}
            matches = patterns.finditer(self.folded)
            if matches:
                starts = cast("list[int] | None", self.cache.get(("sentence_starts",)))
                if starts is None:
                    starts = self.cache[("sentence_starts",)] = [s.start for s in self.sentences]
                for m in matches:
                    i = bisect_right(starts, m.start) - 1
                    if i >= 0 and m.end <= self.sentences[i].end:
                        by_sentence.setdefault(i, []).append(m)
            found = self.cache[key] = by_sentence
        return found


def word_set(pack: LanguagePack, file: str, key: str) -> frozenset[str]:
    """A word list of a language pack, folded, as a set (built once per pack and key)."""
    return pack.memo(
        ("words", file, key), lambda: frozenset(fold_keep_length(w) for w in pack.data[file].get(key, []))
    )


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    data = tomllib.loads((LANG_DIR / "first_names.toml").read_text(encoding="utf-8"))
    return frozenset(fold(n) for n in data["names"])


@lru_cache(maxsize=1)
def place_names() -> frozenset[tuple[str, ...]]:
    data = tomllib.loads((LANG_DIR / "places.toml").read_text(encoding="utf-8"))
    return frozenset(tuple(fold(n).split()) for n in data["names"])


@lru_cache(maxsize=16)
def hard_non_name_words(code: str) -> frozenset[str]:
    """Function words, months and weekdays: never inside a name."""
    from mercato.lang import load_pack

    pack = load_pack(code)
    words: set[str] = set()
    words.update(fold_keep_length(w) for w in pack.core["stopwords"])
    words.update(fold_keep_length(w) for w in pack.time["months"])
    words.update(fold_keep_length(w) for w in pack.time["weekdays"])
    return frozenset(w for w in words if w)


@lru_cache(maxsize=16)
def non_name_words(code: str) -> frozenset[str]:
    """Folded words that do not start a person's name in this language. Besides the hard ones,
    nationality adjectives, countries, role nouns and platforms: these may still end a name
    that opens with a known first name ("Vincenzo Italiano")."""
    from mercato.lang import load_pack

    pack = load_pack(code)
    words: set[str] = set(hard_non_name_words(code))
    words.update(fold_keep_length(w) for w in pack.nationalities["adjectives"])
    # "de Costa Ricaanse spits": the words after the first of a multi-word adjective open no name
    words.update(w for a in pack.nationalities["adjectives"] if " " in a for w in fold(a).split()[1:])
    for name in pack.nationalities["countries"]:
        words.update(fold(name).split())
    for role in ("player", "coach", "journalist", "agent", "executive"):
        words.update(fold_keep_length(w) for w in pack.roles[role] if " " not in w)
    for platform in pack.attribution["platforms"]:
        if " " not in platform:
            words.add(fold_keep_length(platform))
    return frozenset(w for w in words if w)
