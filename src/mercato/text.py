"""Name folding shared by analysis, registry and evaluation.

Two foldings exist on purpose:
- ``fold`` is the scorer's folding from SCHEMA.md (NFKD without marks, special letters, lower case,
  punctuation to spaces, whitespace collapsed). Lengths change, so it is for comparing names.
- ``fold_keep_length`` maps every character to exactly one character, so a folded copy of an
  article has the same offsets as the original and matches found in it point back into the text.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not decompose; the scorer folds them as follows.
_SPECIAL = {"ø": "o", "ł": "l", "ı": "i", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d", "þ": "th"}
_SPECIAL.update({k.upper(): v for k, v in list(_SPECIAL.items()) if k.upper() != k})
_SPECIAL["İ"] = "i"
# Apostrophe and dash look-alikes that should behave like their ASCII forms when matching.
_PUNCT_EQUIV = {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "–": "-", "—": "-", "‐": "-", "‑": "-"}


@lru_cache(maxsize=65536)
def _fold_char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if ch in _PUNCT_EQUIV:
        return _PUNCT_EQUIV[ch]
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.lower() if base else ch.lower()


def keep_out_of_gc() -> None:
    """Move every object alive now out of the cyclic collector's reach.

    Called once data that lives as long as the process is loaded (knowledge base, language
    packs): otherwise each full collection walks those hundred thousand objects again, which
    cost about a tenth of the analysis time. The youngest generation is also collected less
    often (every 50,000 allocations instead of 700, a few MB at most): an article's analysis
    makes tens of thousands of short-lived objects, and collecting them early bought nothing
    but another 7-10 % of the time."""
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(max(gc.get_threshold()[0], 50_000), second, third)


class _FoldTable(dict[int, str]):
    r"""str.translate table of ``fold``, filled on first sight of each character: its folded form
    with every non-word character (``[^\w]``, and ``_``) already turned into a space. Folding a
    whole article is then one C-level pass plus a split, instead of a Python call per character
    and a regex (~6x faster); ``fold`` gives exactly what the per-character definition gives."""

    def __missing__(self, code: int) -> str:
        # re's \w is str.isalnum() or "_"; "_" becomes a space as well, so isalnum() decides.
        value = self[code] = "".join(c if c.isalnum() else " " for c in _fold_char(chr(code)))
        return value


_FOLD = _FoldTable()


def fold(name: str) -> str:
    """Fold a name for comparison, exactly as the scoring rules of SCHEMA.md describe: NFKD
    without marks, special letters, lower case, punctuation to spaces, whitespace collapsed."""
    return " ".join(name.translate(_FOLD).split())


class _KeepLengthTable(dict[int, str]):
    """str.translate table that fills itself: each character folds to exactly one character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        f = _fold_char(ch)
        value = f[0] if f else ch
        self[code] = value
        return value


_KEEP_LENGTH = _KeepLengthTable()


# ASCII folds to its lower case, except the backtick (an apostrophe look-alike)
_NEEDS_TABLE = re.compile(r"[^\x00-\x5f\x61-\x7f]")


def fold_keep_length(text: str) -> str:
    """Lower-case and strip diacritics one character for one character (offsets are preserved)."""
    if text.isascii() and "`" not in text:
        return text.lower()
    # the few other characters through the table, then ASCII lower case in one C-level pass
    # (what the table gives is lower case already): several times faster than a table lookup
    # per character on an article that is mostly ASCII
    return _NEEDS_TABLE.sub(_fold_match, text).lower()


def _fold_match(m: re.Match[str]) -> str:
    return _KEEP_LENGTH[ord(m.group())]


def _fold_keep_length_by_table(text: str) -> str:
    """The definition ``fold_keep_length`` must equal (tests compare them)."""
    return text.translate(_KEEP_LENGTH)


@lru_cache(maxsize=65536)  # the same names are folded again and again
def fold_tokens(name: str) -> tuple[str, ...]:
    return tuple(fold(name).split())


def slug(name: str) -> str:
    return "-".join(fold_tokens(name)) or "x"


def is_capitalized(token: str) -> bool:
    return bool(token) and token[0].isupper()


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """True when a and b differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    if la > lb:
        a, b = b, a
    # b is one longer than a: find the single insertion
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]
