"""Compile the phrase lists of the language data into regular expressions.

Syntax (docs/language-data.md): whole words, ``word*`` prefix, ``a .. b`` gap of up to four words,
``l'`` elision glued to the next word, ``{n}`` number, ``{year}`` four-digit year, ``{month}`` month
name, and any placeholder the caller supplies (``{adj}``, ``{country}``). Matching runs on the
length-preserving folded text, so match offsets are offsets into the original article.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from mercato.text import fold_keep_length

if TYPE_CHECKING:
    from mercato.lang import LanguagePack

_WORD_CHARS = r"[\w'-]"
# a gap word may be a day number with its German full stop ("läuft am 30. Juni 2026 aus")
_GAP = r"(?:\s+(?:" + _WORD_CHARS + r"+|\d{1,2}\.)){0,4}?\s+"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class PatternMatch(NamedTuple):
    """A phrase found in a text (a tuple: thousands are made per article, and a tuple is the
    cheapest immutable record to build)."""

    start: int
    end: int
    phrase: str
    groups: dict[str, str]


_WORD = re.compile(r"\w+'?")
_GAP_AND_WORD = re.compile(r"(\W*)(\w+'?)")
_LEAD_WORD = re.compile(r"^\w+'?")
_PLAIN_WORD = re.compile(r"^\w+$")
_GLUED_LITERAL = re.compile(r"[^*{\s]*")  # "-year-old" in "{n}-year-old", "enne" in "{n}enne"
DIGITS = "<digits>"  # placeholder_words value: the placeholder starts with a digit


class _LazyRegex:
    """A regular expression compiled on first use: a language has thousands of phrases and an
    article meets few of them, so compiling them all up front would dominate start-up. Once
    compiled, ``match`` and ``finditer`` are the compiled pattern's own methods (no Python call
    in between: the scan calls ``match`` tens of thousands of times a second)."""

    __slots__ = ("finditer", "match", "source")

    def __init__(self, source: str) -> None:
        self.source = source
        self.match: Callable[..., re.Match[str] | None] = self._match_first
        self.finditer: Callable[..., Iterator[re.Match[str]]] = self._finditer_first

    def _compile(self) -> re.Pattern[str]:
        compiled = re.compile(self.source)
        self.match, self.finditer = compiled.match, compiled.finditer
        return compiled

    def _match_first(self, text: str, pos: int = 0) -> re.Match[str] | None:
        return self._compile().match(text, pos)

    def _finditer_first(self, text: str) -> Iterator[re.Match[str]]:
        return self._compile().finditer(text)


_Entry = tuple[_LazyRegex, str, str, "frozenset[str] | None", str]


class PatternSet:
    """A compiled list of phrases; ``finditer`` yields non-overlapping matches, longest first.

    Speed matters (every sentence is checked against every list): each phrase is indexed by its
    first word (exactly, or by prefix for ``word*``, or by the words a leading placeholder can
    take), so a text is read once, word by word, for all the phrase sets of a language together.
    """

    def __init__(
        self,
        phrases: Iterable[str],
        placeholders: Mapping[str, str],
        placeholder_words: Mapping[str, Iterable[str] | str] | None = None,
        group: str = "",
    ):
        self.phrases = [p for p in phrases if p and p.strip()]
        # (regex, phrase, literal start of the second word, the words a placeholder second word
        # can start with, literal glued right after a leading number): cheap checks made before
        # the regex is tried
        self.exact: dict[str, list[_Entry]] = {}
        self.prefixed: dict[str, list[tuple[str, _LazyRegex, str]]] = {}
        self.digits: list[_Entry] = []
        placeholder_words = placeholder_words or {}
        for phrase in self.phrases:
            regex = _LazyRegex(_phrase_regex(phrase, placeholders))
            parts = fold_keep_length(phrase.strip()).split()
            first = parts[0]
            # the literal start of the second word, checked against the text before trying the regex
            second = ""
            if len(parts) > 1 and parts[1] != ".." and not first.endswith("'"):
                lead2 = _LEAD_WORD.match(parts[1])
                second = lead2.group().rstrip("'") if lead2 else ""
            next_words = None
            # only when the first word is one token of the text ("{n}", "di"; not "l'ete", "{n}-jarig")
            whole_first = _PLAIN_WORD.match(first) or _PLACEHOLDER.fullmatch(first)
            lead2p = _PLACEHOLDER.match(parts[1]) if len(parts) > 1 and whole_first else None
            if lead2p and lead2p.group() == parts[1]:  # "{n}e" glued forms are left to the regex
                next_words = _lead_words(placeholder_words.get(lead2p.group(1), DIGITS), lead2p.group(1))
            elided = _LEAD_WORD.match(first)
            if elided and elided.group().endswith("'") and len(elided.group()) < len(first):
                # "l'anno scorso" is indexed on "l'": the text's next word is "anno", not "scorso"
                rest = _LEAD_WORD.match(first[elided.end() :])
                second = rest.group().rstrip("'") if rest else ""
            lead = _PLACEHOLDER.match(first)
            if lead:
                words = placeholder_words.get(lead.group(1), DIGITS)
                glued = ""
                if first != lead.group():  # "{n}enne": the number and a suffix in one word
                    second = ""
                    glued_match = _GLUED_LITERAL.match(first[lead.end() :])  # (matches, if only "")
                    glued = glued_match.group() if glued_match else ""
                if words == DIGITS or isinstance(words, str):
                    self.digits.append((regex, phrase, second, next_words, glued))
                else:
                    for w in words:
                        word_lead = _LEAD_WORD.match(w)
                        if word_lead:
                            entry = (regex, phrase, second, next_words, glued if _PLAIN_WORD.match(w) else "")
                            self.exact.setdefault(word_lead.group(), []).append(entry)
                    if lead.group(1) == "n":
                        self.digits.append((regex, phrase, second, next_words, glued))
                continue
            head = _LEAD_WORD.match(first)
            if head is None:
                continue
            key = head.group()
            if first[len(key) : len(key) + 1] == "*":
                self.prefixed.setdefault(key[:2], []).append((key, regex, phrase))
                continue
            # two literal words ("ha firmato"): index on both, so common first words stay cheap
            words = fold_keep_length(phrase.strip()).split()
            if key == first and not key.endswith("'") and len(words) > 1 and _PLAIN_WORD.match(words[1]):
                key = f"{key} {words[1]}"
                second = ""
            self.exact.setdefault(key, []).append((regex, phrase, second, next_words, ""))
        self._cached_text: str | None = None
        self._cached: list[PatternMatch] = []
        self._cached_starts: list[int] = []
        self._group = _GROUPS.setdefault(group, _ScanGroup()) if group else None
        if self._group is not None:
            self._group.add(self)

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def _store(self, folded: str, found: list[PatternMatch]) -> None:
        self._cached_text = folded
        if not found:  # most phrase sets find nothing in a given article
            self._cached, self._cached_starts = [], []
            return
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        out: list[PatternMatch] = []
        last_end = -1
        for m in found:
            if m.start >= last_end and m.end > m.start:
                out.append(m)
                last_end = m.end
        self._cached = out
        self._cached_starts = [m.start for m in out]

    def finditer(self, folded: str, start: int = 0, end: int | None = None) -> list[PatternMatch]:
        if folded is not self._cached_text:
            group = self._group if self._group is not None else _ScanGroup([self])
            group.scan(folded)  # fills every set of the group at once
        cached = self._cached
        if not cached:
            return []  # most phrase sets find nothing in a given article
        end = len(folded) if end is None else end
        i = bisect_left(self._cached_starts, start)
        out = []
        n = len(cached)
        while i < n and cached[i].start < end:
            m = cached[i]
            if m.end <= end:
                out.append(m)
            i += 1
        return out

    def search(self, folded: str, start: int = 0, end: int | None = None) -> PatternMatch | None:
        found = self.finditer(folded, start, end)
        return found[0] if found else None


# One candidate phrase for a word: (set index, regex, phrase, literal start of the next word,
# the words the next word must be, literal that must follow at ``offset`` inside the word, offset).
_Candidate = tuple[int, _LazyRegex, str, str, "frozenset[str] | None", str, int]
# for one word: candidates to check one by one, candidates by the first two letters of the next
# word, and whether the word starts a two-word key
_WordEntry = tuple[tuple[_Candidate, ...], dict[str, tuple[_Candidate, ...]], bool]
_MEMO_LIMIT = 100_000  # distinct words remembered per language before the memo starts over


class _ScanGroup:
    """Phrase sets scanned together: one pass over the words of a text serves them all.

    Which phrases a word can start is worked out once per distinct word and remembered, so the
    pass over a text costs one dictionary lookup for the many words that start no phrase."""

    def __init__(self, sets: list[PatternSet] | None = None) -> None:
        self.sets: list[PatternSet] = []
        self.exact: dict[str, list[tuple[int, _LazyRegex, str, str, frozenset[str] | None, str]]] = {}
        self.prefixed: dict[str, list[tuple[int, str, _LazyRegex, str]]] = {}
        self.digits: list[tuple[int, _LazyRegex, str, str, frozenset[str] | None, str]] = []
        self.pair_heads: set[str] = set()  # first words of two-word keys
        self._memo: dict[str, _WordEntry] = {}
        for ps in sets or []:
            self.add(ps)

    def add(self, ps: PatternSet) -> None:
        idx = len(self.sets)
        self.sets.append(ps)
        self._memo = {}
        for key, items in ps.exact.items():
            self.exact.setdefault(key, []).extend((idx, *item) for item in items)
            if " " in key:
                self.pair_heads.add(key.split(" ", 1)[0])
        for key, pitems in ps.prefixed.items():
            self.prefixed.setdefault(key, []).extend((idx, *item) for item in pitems)
        self.digits.extend((idx, *item) for item in ps.digits)

    def _candidates(self, word: str) -> _WordEntry:
        out: list[_Candidate] = []
        for idx, rx, ph, sec, nw, glued in self.exact.get(word, ()):
            out.append((idx, rx, ph, sec, nw, glued, len(word)))
        if word[-1] == "'":
            for idx, rx, ph, sec, nw, glued in self.exact.get(word[:-1], ()):
                out.append((idx, rx, ph, sec, nw, glued, len(word) - 1))
        for idx, prefix, rx, ph in self.prefixed.get(word[:2], ()):
            if word.startswith(prefix):
                out.append((idx, rx, ph, "", None, "", 0))
        if len(word) > 1:
            for idx, prefix, rx, ph in self.prefixed.get(word[:1], ()):
                if len(prefix) == 1:
                    out.append((idx, rx, ph, "", None, "", 0))
        if word[0].isdigit():
            rest = word.lstrip("0123456789")
            ndigits = len(word) - len(rest)
            rest = rest.rstrip("'")
            glued_word = word[-1].isalpha()  # "34enne", "2027er": no separate next word to check
            for idx, rx, ph, sec, nw, glued in self.digits:
                if glued and rest and not (rest.startswith(glued) or glued.startswith(rest)):
                    continue  # "34enne" never starts "{n}-year-old"; the text decides the rest
                if glued_word:
                    sec, nw = "", None
                out.append((idx, rx, ph, sec, nw, glued, ndigits))
        # phrases whose second word is spelled out are filed under its first two letters: a
        # number word like "een" or "a" starts hundreds of phrases, and only a few fit what follows
        general = tuple(c for c in out if len(c[3]) < 2)
        by_next: dict[str, list[_Candidate]] = {}
        for c in out:
            if len(c[3]) >= 2:
                by_next.setdefault(c[3][:2], []).append(c)
        entry = (general, {k: tuple(v) for k, v in by_next.items()}, word in self.pair_heads)
        if len(self._memo) >= _MEMO_LIMIT:
            self._memo = {}
        self._memo[word] = entry
        return entry

    def scan(self, folded: str) -> None:
        found: list[list[PatternMatch]] = [[] for _ in self.sets]
        exact = self.exact
        memo = self._memo
        # (text before the word, word) pairs: cheaper than a match object per word
        pairs = _GAP_AND_WORD.findall(folded)
        last = len(pairs) - 1
        end = 0
        for i, (gap, word) in enumerate(pairs):
            pos = end + len(gap)
            end = pos + len(word)
            entry = memo.get(word)
            if entry is None:
                entry = self._candidates(word)
            general, by_next, pair_head = entry
            if not general and not by_next and not pair_head:
                continue
            if pos and (folded[pos - 1].isalnum() or folded[pos - 1] == "_"):
                continue
            nxt = pairs[i + 1][1].rstrip("'") if i < last else ""
            candidates = general + by_next.get(nxt[:2], ()) if by_next else general
            for idx, rx, ph, sec, nw, glued, offset in candidates:
                if sec and not nxt.startswith(sec):
                    continue
                if nw is not None and nxt not in nw and not (nxt[:1].isdigit() and DIGITS in nw):
                    continue
                if glued and not folded.startswith(glued, pos + offset):
                    continue
                m = rx.match(folded, pos)
                if m:
                    found[idx].append(PatternMatch(m.start(), m.end(), ph, _groups(m)))
            if pair_head and i < last and pairs[i + 1][0].isspace():
                for idx, rx, ph, *_ in exact.get(word + " " + nxt, ()):
                    m = rx.match(folded, pos)
                    if m:
                        found[idx].append(PatternMatch(m.start(), m.end(), ph, _groups(m)))
        for ps, matches in zip(self.sets, found, strict=True):
            ps._store(folded, matches)


_GROUPS: dict[str, _ScanGroup] = {}


def _lead_words(words: Iterable[str] | str, name: str) -> frozenset[str]:
    """The first words a placeholder's values start with (``DIGITS`` when numbers may stand there)."""
    if isinstance(words, str):
        return frozenset({DIGITS})
    out = {lead.group().rstrip("'") for w in words if (lead := _LEAD_WORD.match(w))}
    if name == "n":
        out.add(DIGITS)
    return frozenset(out)


def _groups(m: re.Match[str]) -> dict[str, str]:
    found = m.groupdict()
    if not found:
        return found  # most phrases have no placeholder
    return {k.rstrip("0123456789"): v for k, v in found.items() if v is not None}


def _phrase_regex(phrase: str, placeholders: Mapping[str, str]) -> str:
    words = fold_keep_length(phrase.strip()).split()
    parts: list[str | None] = []  # None: the gap of a ".."
    counters: dict[str, int] = {}
    for i, word in enumerate(words):
        if word == "..":
            parts.append(None)
            continue
        parts.append(_word_regex(word, placeholders, counters))
        del i
    regex = ""
    prev_elided = False
    for j, part in enumerate(parts):
        if part is None:
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


def compile_patterns(
    phrases: Iterable[str],
    pack: LanguagePack,
    extra: Mapping[str, str] | None = None,
    extra_words: Mapping[str, Iterable[str]] | None = None,
) -> PatternSet:
    placeholders = base_placeholders(pack)
    words: dict[str, Iterable[str] | str] = {
        "n": [fold_keep_length(w) for w in pack.core.get("number_words", {})],
        "year": DIGITS,
        "month": [fold_keep_length(w) for w in pack.time.get("months", {})],
    }
    if extra:
        placeholders.update(extra)
        for name in extra:
            words[name] = (extra_words or {}).get(name, DIGITS)
    return PatternSet(phrases, placeholders, words, group=pack.code)


@lru_cache(maxsize=1024)
def _cached(phrases: tuple[str, ...], code: str) -> PatternSet:
    from mercato.lang import load_pack

    return compile_patterns(phrases, load_pack(code))


def patterns_for(pack: LanguagePack, file: str, key: str) -> PatternSet:
    """The compiled patterns of one key of a language pack (built once per pack)."""

    def build() -> PatternSet:
        value = pack.data[file].get(key, [])
        return _cached(tuple(list(value) if isinstance(value, Mapping) else value), pack.code)

    return pack.memo(("patterns", file, key), build)


class PhraseBefore:
    """Answers "does one of these phrases end right before offset X?" by looking back a few
    words, for short closed lists (prepositions, "until", "since") that would otherwise match
    at almost every word of a text."""

    def __init__(self, phrases: Iterable[str]):
        self.exact: set[str] = set()
        prefixes: list[str] = []
        self.max_words = 1
        self._memo: dict[tuple[tuple[str, ...], int, bool], bool] = {}
        for p in phrases:
            folded = " ".join(fold_keep_length(p.strip()).split())
            if not folded:
                continue
            if folded.endswith("*"):
                prefixes.append(folded[:-1])
            else:
                self.exact.add(folded)
            self.max_words = max(self.max_words, len(folded.split()))
        self.prefixes = tuple(prefixes)  # str.startswith takes them all at once

    def ends_before(self, folded: str, pos: int, skip_words: int = 0, skip_numbers: bool = False) -> bool:
        """True when a phrase ends at ``pos`` (spaces aside), or ``skip_words`` words earlier
        (numbers among them only with ``skip_numbers``: "fino al 30 giugno 2026")."""
        window = folded[max(0, pos - 60) : pos]
        # never across punctuation: in "dal 2017, dell'Atalanta" the "dal" is not about Atalanta
        last_punct = _UP_TO_LAST_PUNCTUATION.match(window)
        if last_punct is not None:
            window = window[last_punct.end() :]
        words = _WORD_OR_ELISION.findall(window)[-(skip_words + self.max_words) :]
        key = (tuple(words), skip_words, skip_numbers)  # the answer depends on these words only
        known = self._memo.get(key)
        if known is None:
            known = self._ends_with_phrase(words, skip_words, skip_numbers)
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo = {}
            self._memo[key] = known
        return known

    def _ends_with_phrase(self, words: list[str], skip_words: int, skip_numbers: bool) -> bool:
        for skip in range(skip_words + 1):
            if skip > len(words):
                break
            skipped = words[len(words) - skip].rstrip("'") if skip else "x"
            if not (skipped.isalpha() or (skip_numbers and skipped.isdigit())):
                break  # only words may sit in between, not numbers
            end = len(words) - skip
            for k in range(1, min(self.max_words, end) + 1):
                candidate = " ".join(words[end - k : end]).replace("' ", "'")
                if candidate in self.exact or candidate.startswith(self.prefixes):
                    return True
        return False


_WORD_OR_ELISION = re.compile(r"\w+'?")
_UP_TO_LAST_PUNCTUATION = re.compile(r'.*[,;:()\[\]"“”«»]', re.DOTALL)


@lru_cache(maxsize=256)
def _phrase_before(code: str, file: str, key: str) -> PhraseBefore:
    from mercato.lang import load_pack

    return PhraseBefore(load_pack(code).data[file].get(key, []))


def phrase_before(pack: LanguagePack, file: str, key: str) -> PhraseBefore:
    return _phrase_before(pack.code, file, key)
