"""Validate the shared gazetteers: ``src/mercato/lang/first_names.toml`` and ``places.toml``.

Both lists are compared folded (case and diacritics ignored), so a spelling that folds like another one
is a duplicate. A first name must never be a word the analyzer treats as a non-name (a stopword of some
language pack) nor a club's one-word strong alias: either would make ordinary text or a club read as the
start of a person's name.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pytest

from mercato.kb import BUILTIN_DIR, KnowledgeBase
from mercato.lang import LANG_DIR
from mercato.model import EntityType
from mercato.text import fold

FIRST_NAMES = LANG_DIR / "first_names.toml"
PLACES = LANG_DIR / "places.toml"

# First names that fold to a stopword of one language pack and are kept anyway. The analyzer already
# refuses to open a name with a stopword of the text's own language, so the entry only acts in the
# other languages, where the word is a very common given name. Keep the reason next to each entry.
FIRST_NAME_STOPWORD_EXCEPTIONS: dict[str, str] = {
    "marco": "pt stopword (the month 'março'); Marco is one of the commonest given names in football",
    "julio": "es stopword (the month 'julio'); Julio is a common given name (Julio Enciso, Julio César)",
}


def load_names(path: Path) -> list[str]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    names = data["names"]
    assert isinstance(names, list)
    return names


def folded_duplicates(names: list[str]) -> list[str]:
    """Entries whose folded form was already listed, as 'entry (= earlier entry)'."""
    seen: dict[str, str] = {}
    dups: list[str] = []
    for name in names:
        key = fold(name)
        if key in seen:
            dups.append(f"{name} (= {seen[key]})")
        else:
            seen[key] = name
    return dups


@cache
def language_stopwords() -> dict[str, frozenset[str]]:
    """Language code -> folded stopwords, for every language pack that exists."""
    out: dict[str, frozenset[str]] = {}
    for core in sorted(LANG_DIR.glob("*/core.toml")):
        data = tomllib.loads(core.read_text(encoding="utf-8"))
        out[core.parent.name] = frozenset(fold(w) for w in data.get("stopwords", []))
    return out


@cache
def strong_club_words() -> frozenset[str]:
    """Folded one-word aliases that identify a club on their own."""
    kb = KnowledgeBase()
    kb.load_dir(BUILTIN_DIR)
    words: set[str] = set()
    for key, hits in kb.aliases.items():
        if len(key) != 1:
            continue
        if any(h.strong and kb.entries[h.entry_id].type is EntityType.CLUB for h in hits):
            words.add(key[0])
    return frozenset(words)


# -- the checks themselves, on synthetic data ---------------------------------------------------


def test_folded_duplicates_helper() -> None:
    assert folded_duplicates(["Vinícius", "Vinicius", "Luuk"]) == ["Vinicius (= Vinícius)"]
    assert folded_duplicates(["Jan-Niklas", "Jan Niklas"]) == ["Jan Niklas (= Jan-Niklas)"]
    assert folded_duplicates(["Teun", "Quinten"]) == []


# -- the real lists ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", [FIRST_NAMES, PLACES], ids=lambda p: p.name)
def test_list_loads(path: Path) -> None:
    names = load_names(path)
    assert names, f"{path.name} is empty"
    for name in names:
        assert isinstance(name, str), f"{path.name}: {name!r} is not a string"
        assert name == name.strip() and fold(name), f"{path.name}: {name!r} is blank or padded"


@pytest.mark.parametrize("path", [FIRST_NAMES, PLACES], ids=lambda p: p.name)
def test_no_folded_duplicates(path: Path) -> None:
    assert folded_duplicates(load_names(path)) == []


def test_first_names_are_capitalised() -> None:
    bad = [n for n in load_names(FIRST_NAMES) if not n[:1].isupper()]
    assert bad == []


def test_first_names_are_not_stopwords() -> None:
    stopwords = language_stopwords()
    assert stopwords, "no language pack found"
    problems = []
    for name in load_names(FIRST_NAMES):
        key = fold(name)
        if key in FIRST_NAME_STOPWORD_EXCEPTIONS:
            continue
        problems.extend(f"{name!r} is a {lang} stopword" for lang, words in stopwords.items() if key in words)
    assert problems == []


def test_stopword_exceptions_are_still_needed() -> None:
    """An exception that no longer matches a listed name and a stopword is stale."""
    folded = {fold(n) for n in load_names(FIRST_NAMES)}
    all_stopwords = set().union(*language_stopwords().values())
    stale = [k for k in FIRST_NAME_STOPWORD_EXCEPTIONS if k not in folded or k not in all_stopwords]
    assert stale == []


def test_first_names_are_not_club_aliases() -> None:
    clubs = strong_club_words()
    assert clubs, "the knowledge base has no one-word club alias"
    bad = [n for n in load_names(FIRST_NAMES) if fold(n) in clubs]
    assert bad == []


def test_first_names_are_not_places() -> None:
    places = {fold(p) for p in load_names(PLACES)}
    bad = [n for n in load_names(FIRST_NAMES) if fold(n) in places]
    assert bad == []


@pytest.mark.parametrize(
    "name",
    ["Jan-Niklas", "Nadiem", "Frenkie", "Vinícius", "Merlin", "Brajan", "Jurriën", "Teun", "Endrick", "Khvicha"],
)
def test_first_name_present(name: str) -> None:
    assert fold(name) in {fold(n) for n in load_names(FIRST_NAMES)}


@pytest.mark.parametrize("word", ["Will", "May", "Sunday", "Milan", "Nancy", "Messi", "Kader", "Tore"])
def test_common_words_and_clubs_left_out(word: str) -> None:
    assert fold(word) not in {fold(n) for n in load_names(FIRST_NAMES)}


@pytest.mark.parametrize("place", ["Castel Volturno", "Roland Garros", "Westfalenstadion", "Estadio de la Cerámica"])
def test_place_present(place: str) -> None:
    assert fold(place) in {fold(p) for p in load_names(PLACES)}
