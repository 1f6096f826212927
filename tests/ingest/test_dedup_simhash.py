"""The fast SimHash must give exactly the values of the plain definition (stores keep them)."""

from __future__ import annotations

import hashlib
import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.ingest.dedup import _shingles, is_near_duplicate, normalized_text, simhash
from mercato.text import _fold_char, fold


def reference_simhash(text: str, bits: int = 64) -> int:
    weights = [0] * bits
    for shingle in _shingles(normalized_text(text).split()):
        h = int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        for i in range(bits):
            weights[i] += 1 if (h >> i) & 1 else -1
    return sum(1 << i for i, w in enumerate(weights) if w > 0)


def test_simhash_equals_reference_definition() -> None:
    rng = random.Random(7)
    words = [
        "il",
        "milan",
        "vuole",
        "rossi",
        "del",
        "bologna",
        "contratto",
        "fino",
        "al",
        "2027",
        "offerta",
        "milioni",
        "di",
        "euro",
        "Ajax",
        "Köln",
    ]
    for n in [0, 1, 3, 4, 5, 8, 60, 700]:
        for _ in range(20):
            text = " ".join(rng.choice(words) for _ in range(n))
            assert simhash(text) == reference_simhash(text)


def test_light_edit_is_near_duplicate() -> None:
    base = " ".join(f"parola{i}" for i in range(400))
    assert is_near_duplicate(simhash(base), simhash(base + " fine"))
    assert not is_near_duplicate(simhash(base), simhash(" ".join(f"altro{i}" for i in range(400))))


# Any text (accents, other scripts, emoji, odd whitespace, combining marks): stored SimHashes and
# content hashes must keep their values whatever the implementation.
_ANY_TEXT = st.text(alphabet=st.characters(codec=None), max_size=300) | st.lists(
    st.sampled_from(["Gómez", "Köln", "İstanbul", "œuvre", "  ", "\u2028", "_", "l'Inter", "x\u0301", "ß", "😀"]),
    max_size=60,
).map(" ".join)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(_ANY_TEXT)
def test_simhash_equals_reference_on_any_text(text: str) -> None:
    normalized_text.cache_clear()
    assert simhash(text) == reference_simhash(text)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(_ANY_TEXT)
def test_fold_equals_its_per_character_definition(text: str) -> None:
    per_char = "".join(_fold_char(c) for c in text)
    per_char = re.sub(r"[^\w]+", " ", per_char).replace("_", " ")
    assert fold(text) == " ".join(per_char.split())
