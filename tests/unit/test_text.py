"""The length-preserving folding: its fast path must give what the per-character table gives."""

from __future__ import annotations

import random

from mercato.text import _fold_keep_length_by_table, fold_keep_length


def test_every_character_folds_like_the_table() -> None:
    # every code point, in runs of 256 between an ASCII capital and a Greek capital sigma (whose
    # lower case depends on the letters around it)
    codes = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for i in range(0, len(codes), 256):
        text = "A" + "".join(map(chr, codes[i : i + 256])) + "Σ"
        assert fold_keep_length(text) == _fold_keep_length_by_table(text), hex(codes[i])


def test_mixed_text_folds_like_the_table_and_keeps_its_length() -> None:
    rng = random.Random(7)
    pool = [chr(c) for c in range(0x3000) if not 0xD800 <= c <= 0xDFFF] + list("`'’ İıßØłΣς")
    for _ in range(500):
        text = "".join(rng.choice(pool) for _ in range(60))
        folded = fold_keep_length(text)
        assert folded == _fold_keep_length_by_table(text)
        assert len(folded) == len(text)


def test_examples() -> None:
    assert fold_keep_length("Gómez `ΟΔΟΣ` İlkay Ødegaard") == "gomez 'οδοσ' ilkay odegaard"
    assert fold_keep_length("PLAIN ascii") == "plain ascii"
