"""Compile the phrase lists of the language data into regular expressions.

Syntax (docs/language-data.md): whole words, ``word*`` prefix, ``a .. b`` gap of up to four words,
``l'`` elision glued to the next word, ``{n}`` number, ``{year}`` four-digit year, ``{month}`` month
name, and any placeholder the caller supplies (``{adj}``, ``{country}``). Matching runs on the
length-preserving folded text, so match offsets are offsets into the original article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from mercato.text import fold_keep_length

if TYPE_CHECKING:
    from mercato.lang import LanguagePack

_WORD_CHARS = r"[\w'-]"
_GAP = r"(?:\s+" + _WORD_CHARS + r"+){0,4}?\s+"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class PatternMatch:
    start: int
    end: int
    phrase: str
    groups: dict[str, str]


class PatternSet:
    """A compiled list of phrases; ``finditer`` yields every non-overlapping match."""

    def __init__(self, phrases: Iterable[str], placeholders: Mapping[str, str]):
        self.phrases = [p for p in phrases if p and p.strip()]
        self._plain: re.Pattern[str] | None = None
        self._templated: list[tuple[re.Pattern[str], str]] = []
        plain_parts: list[tuple[str, str]] = []
        for phrase in self.phrases:
            regex = _phrase_regex(phrase, placeholders)
            if _PLACEHOLDER.search(phrase):
                self._templated.append((re.compile(regex), phrase))
            else:
                plain_parts.append((regex, phrase))
        if plain_parts:
            # Longest phrases first so "in prestito" wins over "prestito".
            plain_parts.sort(key=lambda p: -len(p[1]))
            self._plain_lookup = {i: phrase for i, (_, phrase) in enumerate(plain_parts)}
            self._plain = re.compile("|".join(f"(?P<p{i}>{rx})" for i, (rx, _) in enumerate(plain_parts)))

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def finditer(self, folded: str, start: int = 0, end: int | None = None) -> list[PatternMatch]:
        end = len(folded) if end is None else end
        out: list[PatternMatch] = []
        if self._plain is not None:
            for m in self._plain.finditer(folded, start, end):
                idx = int(m.lastgroup[1:]) if m.lastgroup else 0
                out.append(PatternMatch(m.start(), m.end(), self._plain_lookup[idx], {}))
        for regex, phrase in self._templated:
            for m in regex.finditer(folded, start, end):
                groups = {k.rstrip("0123456789"): v for k, v in m.groupdict().items() if v is not None}
                out.append(PatternMatch(m.start(), m.end(), phrase, groups))
        out.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return out

    def search(self, folded: str, start: int = 0, end: int | None = None) -> PatternMatch | None:
        found = self.finditer(folded, start, end)
        return found[0] if found else None


def _phrase_regex(phrase: str, placeholders: Mapping[str, str]) -> str:
    words = fold_keep_length(phrase.strip()).split()
    parts: list[str] = []
    counters: dict[str, int] = {}
    for i, word in enumerate(words):
        if word == "..":
            parts.append(("GAP",))  # type: ignore[arg-type]
            continue
        parts.append(_word_regex(word, placeholders, counters))
        del i
    regex = ""
    prev_elided = False
    for j, part in enumerate(parts):
        if part == ("GAP",):
            regex += _GAP
            prev_elided = True  # the gap supplies its own spacing
            continue
        if j > 0 and not prev_elided:
            regex += r"[\s]+"
        regex += part
        prev_elided = part.endswith("'")
    starts_with_word = bool(words) and (words[0][:1].isalnum() or words[0].startswith("{"))
    lead = r"(?<![\w])" if starts_with_word else ""
    trail = "" if regex.endswith("'") else r"(?![\w])"
    return lead + regex + trail


def _word_regex(word: str, placeholders: Mapping[str, str], counters: dict[str, int]) -> str:
    out = ""
    pos = 0
    for m in _PLACEHOLDER.finditer(word):
        out += _literal(word[pos : m.start()])
        name = m.group(1)
        if name not in placeholders:
            raise ValueError(f"unknown placeholder {{{name}}} in phrase {word!r}")
        n = counters.get(name, 0)
        counters[name] = n + 1
        group = name if n == 0 else f"{name}{n}"
        out += f"(?P<{group}>{placeholders[name]})"
        pos = m.end()
    out += _literal(word[pos:])
    return out


def _literal(text: str) -> str:
    if text.endswith("*"):
        return re.escape(text[:-1]) + r"\w*"
    return re.escape(text)


def base_placeholders(pack: LanguagePack) -> dict[str, str]:
    numbers = sorted((fold_keep_length(w) for w in pack.core.get("number_words", {})), key=len, reverse=True)
    months = sorted((fold_keep_length(w) for w in pack.time.get("months", {})), key=len, reverse=True)
    return {
        "n": r"\d{1,3}" + "".join(f"|{re.escape(w)}" for w in numbers),
        "year": r"(?:19|20)\d\d",
        "month": "|".join(re.escape(m) for m in months) or "(?!)",
    }


def compile_patterns(phrases: Iterable[str], pack: LanguagePack, extra: Mapping[str, str] | None = None) -> PatternSet:
    placeholders = base_placeholders(pack)
    if extra:
        placeholders.update(extra)
    return PatternSet(phrases, placeholders)


@lru_cache(maxsize=1024)
def _cached(phrases: tuple[str, ...], code: str) -> PatternSet:
    from mercato.lang import load_pack

    return compile_patterns(phrases, load_pack(code))


def patterns_for(pack: LanguagePack, file: str, key: str) -> PatternSet:
    """The compiled patterns of one key of a language pack (cached)."""
    value = pack.data[file].get(key, [])
    if isinstance(value, Mapping):
        value = list(value)
    return _cached(tuple(value), pack.code)
