"""Cross-file checks of the built-in knowledge base: references between files resolve, and the
names the analyzer relies on (competition names in the 7 languages, journalists' handles, outlet
domains) point at the right entries."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mercato.kb import BUILTIN_DIR, KnowledgeBase
from mercato.model import EntityType
from mercato.text import fold

LANG_DIR = BUILTIN_DIR.parent / "lang"
PERSON_TYPES = {"player", "coach", "journalist", "agent", "executive"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    # Only the shipped files: user data (``mercato kb import``) must not change these results.
    base = KnowledgeBase()
    base.load_dir(BUILTIN_DIR)
    return base


def _raw(path: Path, table: str) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8")).get(table, [])


def _names(kb: KnowledgeBase, surface: str) -> list[str]:
    return [entry.name for entry in kb.lookup(surface)]


def test_every_club_league_is_a_known_competition(kb: KnowledgeBase) -> None:
    competitions = {e.id for e in kb.of_type(EntityType.COMPETITION)}
    missing = sorted(
        f"{club.id} -> {club.attrs['league']}"
        for club in kb.of_type(EntityType.CLUB)
        if club.attrs.get("league") and club.attrs["league"] not in competitions
    )
    assert missing == []


def test_league_ids_shared_by_the_club_files_exist(kb: KnowledgeBase) -> None:
    ids = {
        "bundesliga", "2-bundesliga", "ligue-1", "ligue-2", "liga-profesional", "brasileirao",
        "super-lig", "saudi-pro-league", "mls", "serie-a", "serie-b", "la-liga",
        "segunda-division", "premier-league", "championship", "primeira-liga", "eredivisie",
    }  # fmt: skip
    for comp_id in ids:
        entry = kb.get(comp_id)
        assert entry is not None and entry.type is EntityType.COMPETITION, comp_id


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        ("Ligue des champions", "UEFA Champions League"),
        ("Champions League", "UEFA Champions League"),
        ("Liga de Campeones", "UEFA Champions League"),
        ("Liga dos Campeões", "UEFA Champions League"),
        ("Ligue Europa", "UEFA Europa League"),
        ("Europa League", "UEFA Europa League"),
        ("Coupe du monde", "FIFA World Cup"),
        ("DFB-Pokal", "DFB-Pokal"),
    ],
)
def test_competition_names_in_several_languages(kb: KnowledgeBase, surface: str, expected: str) -> None:
    assert _names(kb, surface) == [expected]


def test_common_words_are_not_strong_competition_names(kb: KnowledgeBase) -> None:
    for word in ("Liga", "Championship", "Série A"):
        hits = kb.aliases.get(tuple(fold(word).split()), [])
        # "Série A" folds like the Italian "Serie A", which is a strong name of that league only.
        strong = [h.entry_id for h in hits if h.strong]
        assert strong in ([], ["serie-a"]), (word, strong)


def test_journalist_handle_maps_to_the_person(kb: KnowledgeBase) -> None:
    entry_id = kb.handles.get("glongari")
    assert entry_id is not None
    person = kb.get(entry_id)
    assert person is not None
    assert person.name == "Gianluigi Longari"
    assert person.type is EntityType.JOURNALIST
    assert kb.get(kb.handles["fabrizioromano"]).name == "Fabrizio Romano"  # type: ignore[union-attr]


def test_outlet_for_domain(kb: KnowledgeBase) -> None:
    outlet = kb.outlet_for_domain("www.sportitalia.it")
    assert outlet is not None and outlet.name == "Sportitalia"
    lequipe = kb.outlet_for_domain("www.lequipe.fr")
    assert lequipe is not None and lequipe.name == "L'Équipe"
    assert kb.outlet_for_domain("example.invalid") is None


def test_every_person_has_a_valid_type() -> None:
    people = _raw(BUILTIN_DIR / "people.toml", "person")
    assert len(people) >= 100
    bad = [p.get("id") for p in people if p.get("type") not in PERSON_TYPES]
    assert bad == []


def test_people_clubs_are_known_clubs(kb: KnowledgeBase) -> None:
    clubs = {e.id for e in kb.of_type(EntityType.CLUB)}
    missing = sorted(
        f"{p.id} -> {c}"
        for p in kb.entries.values()
        if p.type.is_person
        for c in p.attrs.get("clubs", [])
        if c not in clubs
    )
    assert missing == []


def _country_names() -> set[str]:
    """Country names in every language pack (``nationalities.toml``), plus the teams' own names."""
    names: set[str] = set()
    for path in sorted(LANG_DIR.glob("*/nationalities.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        names.update(fold(k) for k in data.get("countries", {}))
        names.update(fold(v) for v in data.get("countries", {}).values())
    return names


def test_no_national_team_alias_is_a_bare_country_name(kb: KnowledgeBase) -> None:
    teams = list(kb.of_type(EntityType.NATIONAL_TEAM))
    assert len(teams) >= 45
    countries = _country_names() | {fold(t.name) for t in teams}
    bad = sorted(f"{t.id}: {form}" for t in teams for form in [*t.aliases, *t.nicknames] if fold(form) in countries)
    assert bad == []


def test_national_team_ids_are_prefixed(kb: KnowledgeBase) -> None:
    # Club ids such as "argentinos-juniors" or "brasil" must never collide with a team.
    assert all(t.id.startswith("nt-") for t in kb.of_type(EntityType.NATIONAL_TEAM))


def test_no_lower_case_spelling_is_shadowed_by_a_capitalised_one() -> None:
    # The index keeps one form per (entry, strength) and its first letter sets the capital rule:
    # "Xeneizes" listed before "xeneizes" would silently stop the lower-case form from matching.
    problems = []
    for path in sorted(BUILTIN_DIR.rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for table in ("club", "competition", "national_team", "outlet", "person"):
            for raw in data.get(table, []):
                exonyms = [f for forms in raw.get("exonyms", {}).values() for f in forms]
                nicknames = raw.get("nicknames", [])
                if isinstance(nicknames, dict):
                    nicknames = [f for forms in nicknames.values() for f in forms]
                for forms in ([raw["name"], *raw.get("aliases", []), *exonyms], nicknames):
                    first: dict[str, str] = {}
                    for form in forms:
                        key = fold(form)
                        kept = first.setdefault(key, form)
                        if form[:1].islower() and kept[:1].isupper():
                            problems.append(f"{path.name}: {raw['id']} {form!r} is shadowed by {kept!r}")
    assert problems == []
