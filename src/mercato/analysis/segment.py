"""Tokens, sentences and clauses with character offsets into the article text."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

from mercato.text import fold, fold_keep_length

# Letters and digits with internal apostrophes (O'Neill, N'Golo); hyphens split tokens but are
# remembered as glue so "Saint-Germain" and "Palomino-Atalanta" can be read either way.
# Run on the text with "_" blanked out, so plain \w (much faster than a class excluding "_") will do.
_TOKEN = re.compile(r"\w+(?:['’][^\W\d_]\w*)*", re.UNICODE)
# Elided articles and prepositions glued to the next word: "dell'Atalanta", "l'OM", "d'Atalanta".
_ELISIONS = {
    "l",
    "d",
    "dell",
    "dall",
    "nell",
    "sull",
    "all",
    "coll",
    "un",
    "qu",
    "c",
    "j",
    "s",
    "m",
    "t",
    "quell",
    "quest",
    "sant",
    "lorsqu",
    "jusqu",
    "puisqu",
    "n",
}
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»')\]]*\s+(?=[\"“«(\[]?[^\W\d_]|\d|[\"“«])", re.UNICODE)
_CLAUSE_SPLIT = re.compile(r"[,;:()\u2013\u2014]| - ")


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    fold: str
    sentence: int = 0
    glued_before: str = ""  # "-" or "'" when the token is glued to the previous one
    key: str = ""  # the scorer's folding (ß -> ss, no apostrophes): what KB aliases are keyed on

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()

    @property
    def all_caps(self) -> bool:
        return len(self.text) > 1 and self.text.isupper()


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    line_start: bool  # first sentence of its line (headings, bylines, list items)
    line_alone: bool  # the sentence is its whole line (headings, captions, sidebar items)
    in_quote: bool = False
    first_token: int = 0
    last_token: int = 0  # exclusive


_MULTI_CHAR_FOLDS = re.compile("[ßæœþÆŒÞ]")


def tokenize(text: str, folded: str | None = None) -> list[Token]:
    folded = fold_keep_length(text) if folded is None else folded
    # the scorer's folding differs from the length-preserving one only for a few letters
    exact_keys = _MULTI_CHAR_FOLDS.search(text) is not None
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN.finditer(text.replace("_", " ") if "_" in text else text):
        start, end = m.span()
        word = m.group()
        glue = text[start - 1] if start and text[start - 1] in "-'’" else ""
        if "'" not in word and "’" not in word:  # the common case, kept cheap
            f = folded[start:end]
            key = fold(word) if exact_keys and _MULTI_CHAR_FOLDS.search(word) else f
            append(Token(start, end, word, f, 0, glue, key))
            continue
        if len(word) > 3 and word[-2] in "'’" and word[-1] in "sS":
            word, end = word[:-2], end - 2  # possessive "Howe's": the name is "Howe"
        # split a leading elision: "dell'Atalanta" -> "dell'" + "Atalanta"
        apos = max(word.find("'"), word.find("’"))
        if apos > 0:
            head = folded[start : start + apos]
            if head in _ELISIONS and apos + 1 < len(word):
                cut = start + apos + 1
                append(Token(start, cut, word[: apos + 1], head + "'", 0, glue, head))
                rest = folded[cut:end]
                key = fold(word[apos + 1 :]) if exact_keys or "'" in rest else rest
                append(Token(cut, end, word[apos + 1 :], rest, 0, "'", key))
                continue
        f = folded[start:end]
        key = fold(word) if exact_keys or "'" in f else f
        append(Token(start, end, word, f, 0, glue, key))
    return tokens


def split_sentences(text: str, abbreviations: frozenset[str]) -> list[Sentence]:
    sentences: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        line_end = pos + len(line)
        pos = line_end + 1
        if not line.strip():
            continue
        cuts = [line_start]
        for m in _SENTENCE_END.finditer(text, line_start, line_end):
            # the word before the cut: a short look back does, unless it holds no space at all
            lo = max(line_start, m.start() - 40)
            before = text[lo : m.start()].rsplit(None, 1)
            if lo > line_start and len(before) < 2:
                before = text[line_start : m.start()].rsplit(None, 1)
            last_word = before[-1].lower() if before else ""
            # no cut after abbreviations and initials ("J. Smith"), nor after "11'." minutes
            if last_word in abbreviations or re.fullmatch(r"\w\.", last_word):
                continue
            cuts.append(m.end())
        cuts.append(line_end)
        parts = [(a, b) for a, b in itertools.pairwise(cuts)]
        for j, (a, b) in enumerate(parts):
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if a < b:
                sentences.append(Sentence(len(sentences), a, b, j == 0, len(parts) == 1))
    return sentences


def assign_tokens(tokens: list[Token], sentences: list[Sentence]) -> None:
    """Record each token's sentence and each sentence's token range."""
    si = 0
    last = len(sentences) - 1
    sentence_ends = [s.end for s in sentences]
    starts = [len(tokens)] * len(sentences)
    ends = [0] * len(sentences)
    for ti, tok in enumerate(tokens):  # both in text order: one walk
        while si < last and tok.start >= sentence_ends[si]:
            si += 1
        tok.sentence = si
        if starts[si] > ti:
            starts[si] = ti
        ends[si] = ti + 1
    for s in sentences:
        s.first_token, s.last_token = starts[s.index], max(ends[s.index], starts[s.index])


def mark_quotes(text: str, sentences: list[Sentence]) -> None:
    """Mark sentences that sit inside quotation marks (someone's words, not the outlet's)."""
    quoted: list[tuple[int, int]] = []
    for m in re.finditer(r"[\"“«„]([^\"”»“]{15,}?)[\"”»“]", text):
        quoted.append((m.start(), m.end()))
    for s in sentences:
        mid = (s.start + s.end) // 2
        s.in_quote = any(a <= mid < b for a, b in quoted)


def clause_bounds(text: str, start: int, end: int, at: int, conjunctions: frozenset[str]) -> tuple[int, int]:
    """The clause of sentence [start, end) around offset ``at``: cut at punctuation and coordinating
    conjunctions (the language's list)."""
    lo, hi = start, end
    for is_conjunction, a, b in _clause_breaks(text[start:end], conjunctions):
        a, b = a + start, b + start
        # a conjunction's span has a space each side: the clause stops at the word itself
        cut = (a + 1 if a >= at else b - 1) if is_conjunction else (b if a < at else a)
        if cut <= at:
            lo = max(lo, cut)
        else:
            hi = min(hi, cut)
    return lo, max(hi, at + 1)


_CONJUNCTION_GAP = re.compile(r"\s(\w+)\s")


@lru_cache(maxsize=8192)  # every trigger of a sentence asks for the same breaks
def _clause_breaks(sentence: str, conjunctions: frozenset[str]) -> tuple[tuple[bool, int, int], ...]:
    """What breaks a sentence into clauses: punctuation, and conjunctions (with a space each side)."""
    breaks = [(False, m.start(), m.end()) for m in _CLAUSE_SPLIT.finditer(sentence)]
    if conjunctions:
        for m in _CONJUNCTION_GAP.finditer(sentence):
            if fold_keep_length(m.group(1)) in conjunctions:
                breaks.append((True, m.start(), m.end()))
    return tuple(breaks)
