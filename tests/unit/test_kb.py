"""Validate the built-in knowledge base (every file under ``src/mercato/kb``).

The loader merges entries that share an id (so user data can extend an entry), which means a
duplicated id in the built-in files would be silently merged: these checks read the raw TOML too.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from mercato.kb import BUILTIN_DIR, KBError, KnowledgeBase
from mercato.lang import LANG_DIR
from mercato.text import fold_tokens

KB_FILES = sorted(BUILTIN_DIR.rglob("*.toml"))
CLUB_FILES = sorted((BUILTIN_DIR / "clubs").glob("*.toml"))
TABLES = ("club", "competition", "national_team", "outlet", "person")
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# ISO 3166-1 alpha-2 (or an ISO 3166-2 subdivision such as gb-eng), or "int" for international bodies.
COUNTRY_RE = re.compile(r"^(?:[a-z]{2}(?:-[a-z]{3})?|int)$")

# Club *names* that fold to a stopword of some language pack and are accepted anyway: the club has no
# other common name, and the analyzer only matches a capitalised name where the text is capitalised.
# Aliases never get this exemption. Keep the reason next to each entry.
NAME_STOPWORD_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("como", "como"): "Serie A club; 'como' is a Spanish/Portuguese word (it.toml prefers 'Como 1907')",
    ("internacional", "internacional"): "Brazilian club; 'internacional' is a Spanish/Portuguese adjective",
}

# Club files whose entries must not repeat a spelling (see test_no_entry_repeats_a_folded_form).
STRICT_FORM_FILES = ("it", "es", "en", "pt", "nl", "europe")


# -- helpers (also exercised on synthetic data below, so the checks themselves are tested) ---------


def _raw_entries(paths: list[Path]) -> list[tuple[Path, str, dict[str, Any]]]:
    out = []
    for path in paths:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for table in TABLES:
            for raw in data.get(table, []):
                out.append((path, table, raw))
    return out


def _strong_forms(raw: dict[str, Any]) -> list[str]:
    forms = [raw["name"], *raw.get("aliases", [])]
    for names in raw.get("exonyms", {}).values():
        forms.extend([names] if isinstance(names, str) else names)
    return forms


def _weak_forms(raw: dict[str, Any]) -> list[str]:
    nick = raw.get("nicknames", [])
    if isinstance(nick, dict):
        return [n for names in nick.values() for n in ([names] if isinstance(names, str) else names)]
    return [nick] if isinstance(nick, str) else list(nick)


def strong_alias_collisions(entries: list[tuple[Path, str, dict[str, Any]]]) -> dict[str, set[str]]:
    """Folded strong form -> club ids, for forms claimed by more than one club."""
    owners: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for _path, table, raw in entries:
        if table != "club":
            continue
        for form in _strong_forms(raw):
            key = fold_tokens(form)
            if key:
                owners[key].add(raw["id"])
    return {" ".join(k): ids for k, ids in owners.items() if len(ids) > 1}


def language_stopwords(lang_dir: Path = LANG_DIR) -> dict[str, set[str]]:
    """Language code -> folded stopwords, for every language pack that exists."""
    out = {}
    for core in sorted(lang_dir.glob("*/core.toml")):
        data = tomllib.loads(core.read_text(encoding="utf-8"))
        out[core.parent.name] = {" ".join(fold_tokens(w)) for w in data.get("stopwords", [])}
    return out


def stopword_aliases(entries: list[tuple[Path, str, dict[str, Any]]], stopwords: dict[str, set[str]]) -> list[str]:
    """Strong club names that equal a stopword of some language.

    Only clubs are checked: the packs' stopword lists also hold capitalised names that must never be
    read as a person ("Reuters", "Transfermarkt", "Oranje"), so outlets and national teams may
    legitimately appear there. Forms written in capitals ("OM", "PSV") only match capitals in the
    text, so they cannot fire on a sentence-initial stopword.
    """
    problems = []
    for path, table, raw in entries:
        if table != "club":
            continue
        name_key = " ".join(fold_tokens(raw["name"]))
        for form in _strong_forms(raw):
            key = " ".join(fold_tokens(form))
            if len(form) > 1 and form.isupper():
                continue
            if key == name_key and (raw["id"], key) in NAME_STOPWORD_EXCEPTIONS:
                continue
            for lang, words in stopwords.items():
                if key in words:
                    problems.append(f"{path.name}: {raw['id']} alias {form!r} is a {lang} stopword")
    return problems


# -- every file --------------------------------------------------------------------------------


def test_there_are_kb_files() -> None:
    assert CLUB_FILES, "no club files found"
    for cc in ("it", "es", "en", "pt", "nl", "europe"):
        assert (BUILTIN_DIR / "clubs" / f"{cc}.toml") in CLUB_FILES, f"missing clubs/{cc}.toml"


@pytest.mark.parametrize("path", KB_FILES, ids=lambda p: str(p.relative_to(BUILTIN_DIR)))
def test_every_file_parses_and_loads(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert any(data.get(t) for t in TABLES), f"{path.name} has no entries"
    unknown = set(data) - set(TABLES)
    assert not unknown, f"{path.name}: unknown top-level keys {sorted(unknown)}"
    kb = KnowledgeBase()
    kb.load_file(path)  # raises KBError on malformed entries
    assert kb.entries


def test_builtin_kb_loads() -> None:
    kb = KnowledgeBase()
    kb.load_dir(BUILTIN_DIR)
    assert len(kb.sources) == len(KB_FILES)
    assert len(list(kb.of_type(*{e.type for e in kb.entries.values()}))) == len(kb.entries)


def test_ids_unique_across_files() -> None:
    seen: dict[str, str] = {}
    dupes = []
    for path, table, raw in _raw_entries(KB_FILES):
        where = f"{path.relative_to(BUILTIN_DIR)} [{table}]"
        if raw["id"] in seen:
            dupes.append(f"{raw['id']}: {seen[raw['id']]} and {where}")
        seen[raw["id"]] = where
    assert not dupes, "duplicate ids:\n" + "\n".join(dupes)


def test_ids_are_slugs_and_fields_well_formed() -> None:
    problems = []
    for path, _table, raw in _raw_entries(KB_FILES):
        rid = raw.get("id", "")
        if not ID_RE.match(rid):
            problems.append(f"{path.name}: id {rid!r} is not a lower-case ascii slug")
        if not str(raw.get("name", "")).strip():
            problems.append(f"{path.name}: {rid} has no name")
        if raw.get("country") and not COUNTRY_RE.match(raw["country"]):
            problems.append(f"{path.name}: {rid} country {raw['country']!r} is not ISO 3166 lower case")
        for form in _strong_forms(raw) + _weak_forms(raw):
            if not isinstance(form, str) or not form.strip() or form != form.strip():
                problems.append(f"{path.name}: {rid} has a blank or padded name {form!r}")
    assert not problems, "\n".join(problems)


def test_no_entry_repeats_a_folded_form() -> None:
    # The index keeps one form per (entry, strength): a second spelling that folds the same
    # ("Viola" after "viola", "Barca" after "Barça") is dropped, and only the first one's casing
    # decides the capital-letter rule. Checked on the files listed in STRICT_FORM_FILES.
    files = [BUILTIN_DIR / "clubs" / f"{cc}.toml" for cc in STRICT_FORM_FILES]
    problems = []
    for path, _table, raw in _raw_entries([f for f in files if f.exists()]):
        for label, forms in (("strong", _strong_forms(raw)), ("weak", _weak_forms(raw))):
            seen: dict[tuple[str, ...], str] = {}
            for form in forms:
                key = fold_tokens(form)
                if key in seen and seen[key] != form:
                    problems.append(f"{path.name}: {raw['id']} {label} {form!r} folds like {seen[key]!r}")
                seen.setdefault(key, form)
    assert not problems, "\n".join(problems)


# -- clubs -------------------------------------------------------------------------------------


def test_every_club_has_name_country_city() -> None:
    missing = []
    for path, table, raw in _raw_entries(KB_FILES):
        if table != "club":
            continue
        for key in ("name", "country", "city"):
            if not str(raw.get(key, "")).strip():
                missing.append(f"{path.name}: {raw['id']} has no {key}")
    assert not missing, "\n".join(missing)


def test_club_files_hold_only_clubs() -> None:
    for path in CLUB_FILES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(data) == {"club"}, f"{path.name}: {sorted(data)}"


def test_club_leagues_are_known_competitions() -> None:
    competitions = BUILTIN_DIR / "competitions.toml"
    leagues = {raw["id"]: raw.get("league") for _p, table, raw in _raw_entries(KB_FILES) if table == "club"}
    for cid, league in leagues.items():
        assert league is None or isinstance(league, str), f"{cid}: league must be a string"
        if league:
            assert ID_RE.match(league), f"{cid}: league {league!r} is not an id"
    if not competitions.exists():
        pytest.skip("kb/competitions.toml not written yet")
    comp_ids = {raw["id"] for raw in tomllib.loads(competitions.read_text(encoding="utf-8")).get("competition", [])}
    unknown = sorted(f"{cid}: {league}" for cid, league in leagues.items() if league and league not in comp_ids)
    assert not unknown, "leagues missing from competitions.toml:\n" + "\n".join(unknown)


def test_no_strong_alias_shared_by_two_clubs() -> None:
    collisions = strong_alias_collisions(_raw_entries(KB_FILES))
    report = [f"{form!r}: {sorted(ids)}" for form, ids in sorted(collisions.items())]
    assert not collisions, "strong names shared by several clubs:\n" + "\n".join(report)


def test_no_strong_alias_is_a_stopword() -> None:
    stopwords = language_stopwords()
    assert stopwords.get("it"), "the Italian pack should define stopwords"
    problems = stopword_aliases(_raw_entries(KB_FILES), stopwords)
    assert not problems, "\n".join(problems)


def test_name_stopword_exceptions_are_still_needed() -> None:
    clubs = {raw["id"]: raw for _p, table, raw in _raw_entries(KB_FILES) if table == "club"}
    for club_id, key in NAME_STOPWORD_EXCEPTIONS:
        assert club_id in clubs, f"exception for unknown club {club_id}"
        assert " ".join(fold_tokens(clubs[club_id]["name"])) == key


# -- the checks catch what they should (synthetic data) ------------------------------------------


def test_checks_report_collisions_and_stopwords(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        "[[club]]\n"
        'id = "alpha"\nname = "Alpha FC"\ncountry = "it"\ncity = "X"\naliases = ["Il", "Shared Name"]\n'
        "[[club]]\n"
        'id = "beta"\nname = "Beta"\ncountry = "it"\ncity = "Y"\nexonyms = { fr = ["Shared  Námé"] }\n',
        encoding="utf-8",
    )
    entries = _raw_entries([bad])
    assert strong_alias_collisions(entries) == {"shared name": {"alpha", "beta"}}
    problems = stopword_aliases(entries, {"it": {"il"}})
    assert problems == ["bad.toml: alpha alias 'Il' is a it stopword"]


def test_loader_rejects_malformed_entries(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[club]]\nid = "x"\naliases = "not a name"\n', encoding="utf-8")
    with pytest.raises(KBError, match="missing 'name'"):
        KnowledgeBase().load_file(bad)
    # a country of another type would be stored as it is by the interpreted code and stop the
    # compiled build (KBEntry.country is a str there): both say so instead
    bad.write_text('[[club]]\nid = "x"\nname = "X"\ncountry = 7\n', encoding="utf-8")
    with pytest.raises(KBError, match="'country' must be a string"):
        KnowledgeBase().load_file(bad)


# -- lookups -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    kb = KnowledgeBase()
    kb.load_dir(BUILTIN_DIR)
    return kb


@pytest.mark.parametrize(
    ("surface", "club_id", "name"),
    [
        ("Atalanta Bergame", "atalanta", "Atalanta"),
        ("Metalist Charkov", "metalist-kharkiv", "Metalist Kharkiv"),
        ("Metalist Charkiw", "metalist-kharkiv", "Metalist Kharkiv"),
        ("Ludogorets", "ludogorets-razgrad", "Ludogorets Razgrad"),
        ("Ludogorez Rasgrad", "ludogorets-razgrad", "Ludogorets Razgrad"),
        ("inter mailand", "inter", "Inter"),
        ("Atletico Madrid", "atletico-madrid", "Atlético Madrid"),
        ("Barça", "barcelona", "Barcelona"),
        ("Man Utd", "manchester-united", "Manchester United"),
        ("Spurs", "tottenham-hotspur", "Tottenham Hotspur"),
        ("PSV", "psv-eindhoven", "PSV Eindhoven"),
        ("Sporting Lisbon", "sporting-cp", "Sporting CP"),
        ("Siviglia", "sevilla", "Sevilla"),
        ("Hellas Verona", "hellas-verona", "Hellas Verona"),
    ],
)
def test_lookup_finds_the_club(kb: KnowledgeBase, surface: str, club_id: str, name: str) -> None:
    found = kb.lookup(surface)
    assert [e.id for e in found] == [club_id], f"{surface!r} -> {[e.id for e in found]}"
    assert found[0].name == name
    assert found[0].entity_id == f"club:{club_id}"


def test_nicknames_are_weak_and_shared(kb: KnowledgeBase) -> None:
    hits = kb.aliases[fold_tokens("nerazzurri")]
    assert {h.entry_id for h in hits} >= {"inter", "atalanta"}
    assert not any(h.strong for h in hits)


# Common words, and cities shared by several clubs or not used as a club's name: never strong.
NEVER_STRONG = ("Villa", "Forest", "United", "City", "Real", "Sporting", "Union", "Palace", "Athletic")
NEVER_STRONG_PLACES = ("Madrid", "Manchester", "Bergamo", "Sheffield", "Bristol", "Glasgow", "Prague", "Moscow")


@pytest.mark.parametrize("word", NEVER_STRONG + NEVER_STRONG_PLACES)
def test_common_words_and_shared_cities_are_not_strong(kb: KnowledgeBase, word: str) -> None:
    # a local name (strong only in one language's articles, e.g. "Sporting" in Portuguese) is
    # allowed: elsewhere it is weak
    strong = [h.entry_id for h in kb.aliases.get(fold_tokens(word), []) if h.strong and h.lang is None]
    assert not strong, f"{word!r} is a strong name of {strong}"


def test_local_names_are_strong_only_in_their_language(kb: KnowledgeBase) -> None:
    hits = [h for h in kb.aliases.get(fold_tokens("Sporting"), []) if h.strong]
    assert hits and all(h.lang == "pt" for h in hits)


def test_league_calendars_are_well_formed(kb: KnowledgeBase) -> None:
    """Leagues date "the 23rd matchday": every calendar field parses, the main leagues have one."""
    from mercato.analysis.dates import calendar_from_attrs

    fields = ("matchdays", "season_start", "season_end", "winter_break")
    for entry in kb.entries.values():
        if any(f in entry.attrs for f in fields):
            cal = calendar_from_attrs(entry.attrs)
            assert cal is not None, f"{entry.id}: bad calendar"
            assert ("winter_break" in entry.attrs) == (cal.winter_break is not None), entry.id
    for league in ("serie-a", "la-liga", "premier-league", "bundesliga", "ligue-1", "eredivisie", "primeira-liga"):
        entry = kb.get(league)
        assert entry is not None and calendar_from_attrs(entry.attrs) is not None, league
