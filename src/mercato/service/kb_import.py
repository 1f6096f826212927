"""``mercato kb import``: open football data sets -> knowledge-base TOML (+ historic transfers).

Sources (read each data set's SOURCE.md for its licence):
- ``openfootball``: openfootball/clubs ``*.clubs.txt`` (CC0): clubs with name variants and exonyms.
- ``reep``: ``teams.csv`` / ``competitions.csv`` (CC0); only teams with a Transfermarkt id, which
  keeps the 45k-row register to clubs that appear in transfer news.
- ``transfermarkt``: dcaribou transfermarkt-datasets ``clubs.csv``, ``competitions.csv`` and
  ``players.csv`` when present (CC0).
- ``tmtransfers``: emordonez ``transfers_1992_2020.csv.gz`` (MIT): clubs of the covered leagues go to
  the KB; every move becomes a ``transfer``/``loan`` fact in the store. Players are *not* written to
  the KB: tens of thousands of surnames would make the analyzer see players in every common word.

An imported club that is already in the KB (built-in or imported before) under any of its names
extends that entry (same id, new aliases) instead of duplicating it: openfootball's
"Atalanta Bergamo" adds aliases to the built-in ``atalanta``. An alias that already names another
entry, or that two imported clubs share, is dropped: ambiguity is worse than a missing alias.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mercato.kb import BUILTIN_DIR, KBEntry, KnowledgeBase
from mercato.model import EntityType
from mercato.text import fold, fold_tokens, slug

if TYPE_CHECKING:
    from mercato.store import Store


class ImportError_(Exception):
    """The data set is not in the expected format; the message says which file and why."""


# Tokens that say "football club" in some language: an alias made only of these names nothing.
# fmt: off
_GENERIC = {
    "fc", "cf", "ac", "as", "sc", "ss", "us", "afc", "cd", "ca", "club", "football", "futbol", "fk",
    "sk", "nk", "if", "bk", "ud", "sd", "rc", "rcd", "sv", "vfb", "vfl", "tsv", "fsv", "calcio",
    "sporting", "real", "city", "united", "athletic", "atletico", "racing", "union", "olympique",
    "deportivo", "ii", "b", "u23", "u21", "u19",
}
# fmt: on
_LEGAL_SUFFIX = re.compile(
    r"[\s,]+(s\.?p\.?a\.?|s\.?r\.?l\.?|s\.?a\.?d\.?|s\.?a\.?|e\.\s?v\.|ltd\.?|plc|gmbh( & co\.? kgaa)?|"
    r"ag|n\.?v\.?|a\.?s\.?|jsc|s\.?a\.?s\.?p\.?|futebol,? s\.?a\.?d\.?)$",
    re.IGNORECASE,
)
_OPENFOOTBALL_COUNTRY = {"eng": "gb-eng", "sco": "gb-sct", "wal": "gb-wls", "nir": "gb-nir"}
_TM_LEAGUE_COUNTRY = {
    "Premier League": "gb-eng", "Laliga": "es", "1 Bundesliga": "de", "Serie A": "it", "Ligue 1": "fr",
    "Primeira Liga": "pt", "Eredivisie": "nl", "Premier Liga": "ru", "Jupiler Pro League": "be",
    "Scottish Premiership": "gb-sct",
}  # fmt: skip
_TM_COMP_COUNTRY = {
    "IT1": "it", "FR1": "fr", "ES1": "es", "GB1": "gb-eng", "L1": "de", "NL1": "nl", "PO1": "pt", "TR1": "tr",
    "UKR1": "ua", "RU1": "ru", "GR1": "gr", "BE1": "be", "DK1": "dk", "SC1": "gb-sct",
}  # fmt: skip


@dataclass(slots=True)
class ImportedEntry:
    table: str  # club, competition, person
    name: str
    aliases: list[str] = field(default_factory=list)
    exonyms: dict[str, list[str]] = field(default_factory=dict)
    country: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [self.name, *self.aliases, *(n for ns in self.exonyms.values() for n in ns)]


@dataclass(slots=True)
class ImportReport:
    source: str
    output: Path | None = None
    new: int = 0
    extended: int = 0
    aliases_added: int = 0
    aliases_dropped: int = 0
    people: int = 0
    facts: int = 0
    players: int = 0
    skipped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.source}: {self.new} new entries, {self.extended} existing entries extended, "
            f"{self.aliases_added} aliases added ({self.aliases_dropped} ambiguous or too generic, dropped)"
        ]
        if self.people:
            out.append(f"{self.people} people")
        if self.facts or self.players:
            out.append(f"{self.facts} historic transfer facts stored for {self.players} players")
        if self.output:
            out.append(f"written to {self.output}")
        out.extend(f"skipped: {s}" for s in self.skipped[:20])
        return out


# -- reading the sources --------------------------------------------------------------------------
def read_openfootball(root: Path) -> Iterator[ImportedEntry]:
    files = sorted(root.rglob("*.clubs.txt")) if root.is_dir() else [root]
    if not files:
        raise ImportError_(f"{root}: no *.clubs.txt files (expected an openfootball/clubs checkout)")
    for path in files:
        cc = path.name.split(".")[0].lower()
        country = _OPENFOOTBALL_COUNTRY.get(cc, cc if len(cc) == 2 else None)
        current: ImportedEntry | None = None
        for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = raw.split("#", 1)[0].rstrip()
            stripped = line.strip()
            if not stripped or stripped.startswith("="):
                continue
            if stripped.startswith("|"):
                if current is not None:
                    for variant in stripped.split("|"):
                        _add_variant(current, variant.strip())
                continue
            if current is not None:
                yield current
            current = None
            if stripped.lower().startswith("ii)"):
                continue  # reserve team: its alias lines are skipped with it
            name = stripped.split(",", 1)[0].strip()
            name = re.sub(r"\s*\(\d{4}(-\d{4})?\)$", "", name)  # "(1990-2024)": a dissolved club
            name = re.sub(r"\s+\d{4}$", "", name).strip()
            if name:
                current = ImportedEntry("club", name, country=country, attrs={"source": "openfootball"})
        if current is not None:
            yield current


def _add_variant(entry: ImportedEntry, variant: str) -> None:
    m = re.match(r"^(.*?)\s*\[([a-z]{2})\]$", variant)
    if m:
        lang, name = m.group(2), m.group(1).strip()
        if name:
            entry.exonyms.setdefault(lang, []).append(name)
    elif variant:
        entry.aliases.append(variant)


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    if not path.is_file():
        raise ImportError_(f"{path}: not found")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:  # type: ignore[operator]
        yield from csv.DictReader(fh)


def _require(row: dict[str, str], columns: Iterable[str], path: Path) -> None:
    missing = [c for c in columns if c not in row]
    if missing:
        raise ImportError_(f"{path}: missing column(s) {', '.join(missing)}")


def read_reep(root: Path) -> Iterator[ImportedEntry]:
    teams = root / "teams.csv" if root.is_dir() else root
    for i, row in enumerate(_read_csv(teams)):
        if i == 0:
            _require(row, ("name", "key_transfermarkt", "key_wikidata"), teams)
        if not row["key_transfermarkt"] or not row["name"].strip():
            continue
        yield ImportedEntry(
            "club",
            row["name"].strip(),
            attrs={
                "wikidata": row["key_wikidata"],
                "transfermarkt_id": row["key_transfermarkt"],
                "source": "reep",
            },
        )
    comps = teams.parent / "competitions.csv"
    if comps.is_file():
        for row in _read_csv(comps):
            name = (row.get("name") or "").strip()
            # Season-specific rows ("2019–20 ... qualifying") are not competitions to recognise.
            if not name or re.match(r"^\d{4}", name):
                continue
            attrs = {"wikidata": row.get("key_wikidata", ""), "source": "reep"}
            if row.get("key_transfermarkt"):
                attrs["transfermarkt_id"] = row["key_transfermarkt"]
            yield ImportedEntry("competition", name, attrs=attrs)


def clean_club_name(name: str) -> str:
    prev = None
    name = name.strip()
    while prev != name:
        prev = name
        name = _LEGAL_SUFFIX.sub("", name).strip(" ,")
    return name


def read_transfermarkt(root: Path) -> Iterator[ImportedEntry]:
    clubs = root / "clubs.csv" if root.is_dir() else root
    club_names: dict[str, str] = {}
    for i, row in enumerate(_read_csv(clubs)):
        if i == 0:
            _require(row, ("club_id", "club_code", "name"), clubs)
        long_name = row["name"].strip()
        name = clean_club_name(long_name)
        if not name:
            continue
        aliases = [
            a for a in dict.fromkeys([long_name, row["club_code"].replace("-", " ").title()]) if a != name
        ]
        club_names[row["club_id"]] = name
        yield ImportedEntry(
            "club",
            name,
            aliases=aliases,
            country=_TM_COMP_COUNTRY.get(row.get("domestic_competition_id", "")),
            attrs={"transfermarkt_id": row["club_id"], "source": "transfermarkt"},
        )
    comps = clubs.parent / "competitions.csv"
    if comps.is_file():
        for row in _read_csv(comps):
            code = row.get("competition_code") or row.get("name") or ""
            if not code:
                continue
            name = code.replace("-", " ").title()
            yield ImportedEntry(
                "competition",
                name,
                attrs={"transfermarkt_id": row.get("competition_id", ""), "source": "transfermarkt"},
            )
    players = clubs.parent / "players.csv"
    if players.is_file():
        for row in _read_csv(players):
            name = (row.get("name") or f"{row.get('first_name', '')} {row.get('last_name', '')}").strip()
            if len(fold_tokens(name)) < 2:
                continue  # a mononym ("Pepe") as a KB person would match the word everywhere
            attrs: dict[str, Any] = {"type": "player", "transfermarkt_id": row.get("player_id", "")}
            if row.get("country_of_citizenship"):
                attrs["nationality"] = row["country_of_citizenship"]
            if (row.get("date_of_birth") or "")[:4].isdigit():
                attrs["birth_year"] = int(row["date_of_birth"][:4])
            if row.get("position"):
                attrs["position"] = row["position"].lower()
            club = club_names.get(row.get("current_club_id", ""))
            if club:
                attrs["current_club"] = club
            yield ImportedEntry("person", name, attrs=attrs)


def read_tmtransfers_clubs(path: Path) -> Iterator[ImportedEntry]:
    seen: set[str] = set()
    for i, row in enumerate(_read_csv(_tm_file(path))):
        if i == 0:
            _require(row, ("club", "name", "dealing_club", "movement", "season", "league"), path)
        club = row["club"].strip()
        if club and club not in seen:
            seen.add(club)
            yield ImportedEntry(
                "club", club, country=_TM_LEAGUE_COUNTRY.get(row["league"]), attrs={"source": "tmtransfers"}
            )


def _tm_file(path: Path) -> Path:
    if path.is_dir():
        found = sorted(path.glob("transfers_*.csv*"))
        if not found:
            raise ImportError_(f"{path}: no transfers_*.csv.gz file")
        return found[0]
    return path


# -- merging with the KB --------------------------------------------------------------------------
def _usable_alias(alias: str) -> bool:
    toks = fold_tokens(alias)
    if not toks or all(t in _GENERIC or t.isdigit() for t in toks):
        return False
    if len(toks) == 1:
        word = toks[0]
        # One short word is too often something else unless written in capitals ("PSV", "AZ").
        return len(word) >= 4 or (alias.isupper() and len(alias) >= 2)
    return len("".join(toks)) >= 3


def _existing_kb(out_dir: Path, exclude: Path) -> KnowledgeBase:
    kb = KnowledgeBase()
    kb.load_dir(BUILTIN_DIR)
    if out_dir.is_dir():
        for path in sorted(out_dir.rglob("*.toml")):
            if path.resolve() != exclude.resolve():
                kb.load_file(path)
    return kb


_TYPE_OF_TABLE = {"club": EntityType.CLUB, "competition": EntityType.COMPETITION}


def merge_entries(
    entries: Iterable[ImportedEntry], kb: KnowledgeBase, report: ImportReport
) -> list[dict[str, Any]]:
    """TOML-ready tables: imported entries matched to KB entries by name, aliases deduplicated."""
    items = list(entries)
    # Aliases two different imported entries claim are ambiguous ("Rangers"): dropped for both.
    owners: dict[str, set[int]] = defaultdict(set)
    for i, e in enumerate(items):
        for n in e.names():
            owners[fold(n)].add(i)
    out: dict[str, dict[str, Any]] = {}
    used_ids = set(kb.entries)
    for e in items:
        etype = _TYPE_OF_TABLE.get(e.table)
        match: KBEntry | None = None
        if etype is not None:
            # The canonical name first, then variants: "Atalanta Bergamo" finds built-in "atalanta".
            for n in e.names():
                hits = [h for h in kb.lookup(n) if h.type == etype]
                if len({h.id for h in hits}) == 1:
                    match = hits[0]
                    break
        if match is not None:
            entry_id, name = match.id, match.name
        else:
            entry_id = slug(e.name)
            if entry_id in used_ids and entry_id not in out:
                entry_id = f"{entry_id}-{e.country}" if e.country else f"{entry_id}-{e.table}"
            base, n = entry_id, 2
            while entry_id in used_ids and entry_id not in out:
                entry_id, n = f"{base}-{n}", n + 1
            name = e.name
        table = out.get(entry_id)
        if table is None:
            table = {"_table": e.table, "id": entry_id, "name": name}
            if match is None and e.country:
                table["country"] = e.country
            if e.table == "person":
                table["type"] = e.attrs.get("type", "player")
            out[entry_id] = table
            used_ids.add(entry_id)
            if match is None:
                report.new += 1
            else:
                report.extended += 1
        known = {fold(f) for f in (match.all_surface_forms() if match else [])} | {fold(name)}
        known |= {fold(a) for a in table.get("aliases", [])}
        for alias in [e.name, *e.aliases]:
            fa = fold(alias)
            if fa in known:
                continue
            other = [h for h in kb.lookup(alias) if h.id != entry_id]
            if other or len(owners[fa]) > 1 or not _usable_alias(alias):
                report.aliases_dropped += 1
                continue
            table.setdefault("aliases", []).append(alias)
            known.add(fa)
            report.aliases_added += 1
        for lang, names in e.exonyms.items():
            for alias in names:
                fa = fold(alias)
                if fa in known or any(h.id != entry_id for h in kb.lookup(alias)) or len(owners[fa]) > 1:
                    continue
                table.setdefault("exonyms", {}).setdefault(lang, []).append(alias)
                known.add(fa)
                report.aliases_added += 1
        for k, v in e.attrs.items():
            if k not in ("type",) and v not in ("", None):
                table.setdefault(k, v)
    if any(t["_table"] == "person" for t in out.values()):
        report.people = sum(1 for t in out.values() if t["_table"] == "person")
    return list(out.values())


# -- writing TOML ---------------------------------------------------------------------------------
def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def write_toml(tables: list[dict[str, Any]], path: Path, header: str) -> None:
    buf = io.StringIO()
    buf.write("".join(f"# {line}\n" for line in header.splitlines()) + "\n")
    for table in tables:
        t = dict(table)
        kind = t.pop("_table")
        buf.write(f"[[{kind}]]\n")
        for k, v in t.items():
            buf.write(f"{_toml_key(k)} = {_toml_value(v)}\n")
        buf.write("\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(buf.getvalue(), encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a file


_HEADERS = {
    "openfootball": "Imported by `mercato kb import openfootball` from openfootball/clubs (CC0 1.0).",
    "reep": "Imported by `mercato kb import reep` from withqwerty/reep (CC0 1.0; Wikidata CC0).",
    "transfermarkt": (
        "Imported by `mercato kb import transfermarkt` from dcaribou/transfermarkt-datasets (CC0 1.0)."
    ),
    "tmtransfers": (
        "Imported by `mercato kb import tmtransfers` from emordonez/transfermarkt-transfers.\n"
        "MIT licence, Copyright (c) 2021 Eric M. Ordonez: ship the upstream LICENSE with copies."
    ),
}


def run_import(source: str, path: Path, out_dir: Path, store: Store | None = None) -> ImportReport:
    """Convert one data set into ``<out_dir>/import-<source>.toml`` (replacing an earlier import of
    the same source) and, for tmtransfers with a store, store historic transfers as facts."""
    readers = {
        "openfootball": read_openfootball,
        "reep": read_reep,
        "transfermarkt": read_transfermarkt,
        "tmtransfers": read_tmtransfers_clubs,
    }
    if source not in readers:
        raise ImportError_(f"unknown source {source!r}; use one of {', '.join(readers)}")
    target = out_dir / f"import-{source}.toml"
    report = ImportReport(source, target)
    try:
        kb = _existing_kb(out_dir, target)
        tables = merge_entries(readers[source](path), kb, report)
    except (csv.Error, UnicodeDecodeError, gzip.BadGzipFile, EOFError) as exc:
        raise ImportError_(f"{path}: unreadable {source} data ({exc})") from exc
    write_toml(tables, target, _HEADERS[source])
    if source == "tmtransfers" and store is not None:
        report.facts, report.players = import_tm_transfers(_tm_file(path), store)
    return report


# -- historic transfers as facts ------------------------------------------------------------------
def import_tm_transfers(path: Path, store: Store) -> tuple[int, int]:
    """Store every move of the tmtransfers data set as a ``transfer`` or ``loan`` fact of its player.

    Each move appears twice when both clubs' leagues are covered (an "in" and an "out" row), so a
    fact is keyed by player, age, season, window, fee and loan flag: importing twice adds nothing.
    Players are placed with the registry rules (same name, compatible nationality and birth year).
    """
    from mercato.store.tm_import import store_transfer_facts

    return store_transfer_facts(store, _read_csv(path))
