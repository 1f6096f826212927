"""Tokens, sentences and clauses: the offsets every later stage relies on."""

from __future__ import annotations

from mercato.analysis.segment import assign_tokens, clause_bounds, split_sentences, tokenize
from mercato.text import fold_keep_length

AND = frozenset({"and", "e", "en"})


def _clause(text: str, word: str) -> str:
    at = text.index(word)
    lo, hi = clause_bounds(fold_keep_length(text), 0, len(text), at, AND)
    return text[lo:hi].strip()


def test_clause_stops_at_punctuation() -> None:
    text = "Il Napoli insiste per Ndoye, il Bologna chiede 40 milioni"
    assert _clause(text, "chiede") == "il Bologna chiede 40 milioni"
    assert _clause(text, "insiste") == "Il Napoli insiste per Ndoye"


def test_clause_ignores_words_that_are_no_conjunction() -> None:
    text = "Ajax wil Hato verkopen voor zestig miljoen"
    assert _clause(text, "verkopen") == text


def test_tokens_skip_underscores_and_split_elisions() -> None:
    text = "snake_case dell'Atalanta O'Neill Howe's"
    words = [t.text for t in tokenize(text)]
    assert words == ["snake", "case", "dell'", "Atalanta", "O'Neill", "Howe"]
    for t in tokenize(text):
        assert text[t.start : t.end] == t.text


def test_token_keys_use_the_scorers_folding() -> None:
    tok = tokenize("Straße")[0]
    assert tok.fold == "straße".replace("ß", "s")  # one character for one
    assert tok.key == "strasse"


def test_no_cut_after_an_abbreviation_at_the_end_of_a_long_line() -> None:
    first = "Der Verein bestätigte am Montag den Wechsel des Stürmers zu Bayer Leverkusen bzw. an den Rhein."
    text = first + " Dann kam der Arzt."
    sentences = split_sentences(text, frozenset({"bzw."}))
    assert [text[s.start : s.end] for s in sentences] == [first, "Dann kam der Arzt."]


def test_every_token_knows_its_sentence() -> None:
    text = "Kane scores. Bayern win. Tuchel smiles."
    tokens = tokenize(text)
    sentences = split_sentences(text, frozenset())
    assign_tokens(tokens, sentences)
    assert [t.sentence for t in tokens] == [0, 0, 1, 1, 2, 2]
    assert [(s.first_token, s.last_token) for s in sentences] == [(0, 2), (2, 4), (4, 6)]
