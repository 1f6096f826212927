"""The knowledge base: clubs, competitions, national teams, outlets and people with their aliases.

Data lives in TOML files beside this module (see ``docs/knowledge-base.md`` for the format); a user
can add more files (``mercato kb import`` writes them to the user's data directory). Loading builds
one alias index keyed by folded token tuples, which the mention finder walks as a trie.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from mercato.model import EntityType
from mercato.text import fold_tokens, keep_out_of_gc

BUILTIN_DIR = Path(__file__).parent

# TOML array name -> entity type
_TABLES: dict[str, EntityType | None] = {
    "club": EntityType.CLUB,
    "competition": EntityType.COMPETITION,
    "national_team": EntityType.NATIONAL_TEAM,
    "outlet": EntityType.OUTLET,
    "person": None,  # type given per entry
}
_ID_PREFIX = {
    EntityType.CLUB: "club",
    EntityType.COMPETITION: "comp",
    EntityType.NATIONAL_TEAM: "nt",
    EntityType.OUTLET: "outlet",
}


class KBError(ValueError):
    """A knowledge-base file is malformed; the message names the file and the entry."""


@dataclass(slots=True)
class KBEntry:
    id: str
    name: str
    type: EntityType
    country: str | None = None
    aliases: list[str] = field(default_factory=list)  # strong: a match alone identifies the entry
    nicknames: list[str] = field(default_factory=list)  # weak: count only if the entry is named too
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def entity_id(self) -> str:
        prefix = _ID_PREFIX.get(self.type, "person")
        return f"{prefix}:{self.id}"

    def all_surface_forms(self) -> list[str]:
        return [self.name, *self.aliases, *self.nicknames]


@dataclass(frozen=True, slots=True)
class AliasHit:
    entry_id: str
    strong: bool
    form: str  # the alias as written in the KB (used for case rules)
    lang: str | None = None  # a local name: strong only in articles of this language


@dataclass(slots=True)
class KnowledgeBase:
    entries: dict[str, KBEntry] = field(default_factory=dict)
    aliases: dict[tuple[str, ...], list[AliasHit]] = field(default_factory=dict)
    max_alias_tokens: int = 1
    first_tokens: dict[str, int] = field(default_factory=dict)  # first folded token -> longest alias
    # every multi-token start of an alias ("paris saint"), so a match grows only while one can fit
    alias_prefixes: set[tuple[str, ...]] = field(default_factory=set)
    # folded surname -> person entry ids, for surname-only mentions of known people
    surnames: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    handles: dict[str, str] = field(default_factory=dict)  # folded handle -> entry id
    domains: dict[str, str] = field(default_factory=dict)  # web domain -> outlet entry id
    sources: list[str] = field(default_factory=list)

    # -- building ---------------------------------------------------------------------------
    def add(self, entry: KBEntry) -> None:
        if entry.id in self.entries:
            existing = self.entries[entry.id]
            # A later file may extend an entry (user data adding aliases); never change its type.
            if existing.type != entry.type:
                raise KBError(f"entry {entry.id!r} defined as {existing.type} and {entry.type}")
            existing.aliases.extend(a for a in entry.aliases if a not in existing.aliases)
            existing.nicknames.extend(a for a in entry.nicknames if a not in existing.nicknames)
            for k, v in entry.attrs.items():
                existing.attrs.setdefault(k, v)
            entry = existing
        else:
            self.entries[entry.id] = entry
        # A national team's name is its country's, which text mostly uses for the place:
        # it identifies the team only where the team is otherwise named (or by a phrase).
        self._index(entry.name, entry, strong=entry.type is not EntityType.NATIONAL_TEAM)
        for form in entry.aliases:
            self._index(form, entry, strong=True)
        for form in entry.nicknames:
            self._index(form, entry, strong=False)
        for lang, forms in entry.attrs.get("local_names", {}).items():
            for form in forms:
                self._index(form, entry, strong=True, lang=lang)
        if entry.type.is_person:
            toks = fold_tokens(entry.name)
            if len(toks) >= 2:
                for key in {toks[-1:], tuple(toks[1:])}:
                    ids = self.surnames.setdefault(key, [])
                    if entry.id not in ids:
                        ids.append(entry.id)
            for handle in entry.attrs.get("handles", []):
                self.handles[handle.lstrip("@").lower()] = entry.id
        for domain in entry.attrs.get("domains", []):
            self.domains[domain.lower().removeprefix("www.")] = entry.id

    def _index(self, form: str, entry: KBEntry, strong: bool, lang: str | None = None) -> None:
        key = fold_tokens(form)
        if not key:
            return
        hits = self.aliases.setdefault(key, [])
        if not any(h.entry_id == entry.id and h.strong == strong and h.lang == lang for h in hits):
            hits.append(AliasHit(entry.id, strong, form, lang))
        self.max_alias_tokens = max(self.max_alias_tokens, len(key))
        self.first_tokens[key[0]] = max(self.first_tokens.get(key[0], 0), len(key))
        for k in range(2, len(key) + 1):
            self.alias_prefixes.add(key[:k])

    # -- loading ----------------------------------------------------------------------------
    def load_file(self, path: Path) -> None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise KBError(f"{path}: {exc}") from exc
        for table, fixed_type in _TABLES.items():
            for i, raw in enumerate(data.get(table, [])):
                self.add(_entry_from_toml(raw, table, fixed_type, f"{path.name}[{table} {i}]"))
        self.sources.append(str(path))

    def load_dir(self, directory: Path) -> None:
        for path in sorted(directory.rglob("*.toml")):
            self.load_file(path)

    # -- queries ----------------------------------------------------------------------------
    def get(self, entry_id: str) -> KBEntry | None:
        return self.entries.get(entry_id)

    def lookup(self, name: str) -> list[KBEntry]:
        return [self.entries[h.entry_id] for h in self.aliases.get(fold_tokens(name), [])]

    def of_type(self, *types: EntityType) -> Iterable[KBEntry]:
        return (e for e in self.entries.values() if e.type in types)

    def outlet_for_domain(self, host: str) -> KBEntry | None:
        host = host.lower().removeprefix("www.")
        while host:
            if host in self.domains:
                return self.entries[self.domains[host]]
            if "." not in host:
                return None
            host = host.split(".", 1)[1]
        return None


def _as_list(value: Any, where: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KBError(f"{where}: '{key}' must be a list of strings")
    return list(value)


def _entry_from_toml(raw: dict[str, Any], table: str, fixed_type: EntityType | None, where: str) -> KBEntry:
    if not isinstance(raw, dict):
        raise KBError(f"{where}: expected a table")
    try:
        entry_id, name = str(raw["id"]), str(raw["name"])
    except KeyError as exc:
        raise KBError(f"{where}: missing {exc.args[0]!r}") from exc
    if fixed_type is None:
        try:
            etype = EntityType(raw.get("type", "player"))
        except ValueError as exc:
            raise KBError(f"{where}: unknown person type {raw.get('type')!r}") from exc
        if not etype.is_person:
            raise KBError(f"{where}: person entries must have a person type")
    else:
        etype = fixed_type
    aliases = _as_list(raw.get("aliases"), where, "aliases")
    # Exonyms are strong aliases recorded per language ("Atalanta Bergame" is French).
    exonyms = raw.get("exonyms", {})
    if not isinstance(exonyms, dict):
        raise KBError(f"{where}: 'exonyms' must be a table of language -> list")
    for lang, names in exonyms.items():
        aliases.extend(_as_list(names, where, f"exonyms.{lang}"))
    nicknames_raw = raw.get("nicknames", [])
    nicknames: list[str] = []
    if isinstance(nicknames_raw, dict):
        for lang, names in nicknames_raw.items():
            nicknames.extend(_as_list(names, where, f"nicknames.{lang}"))
    else:
        nicknames = _as_list(nicknames_raw, where, "nicknames")
    country = raw.get("country")
    if country is not None and not isinstance(country, str):
        raise KBError(f"{where}: 'country' must be a string")
    known = {"id", "name", "type", "country", "aliases", "exonyms", "nicknames"}
    attrs = {k: v for k, v in raw.items() if k not in known}
    attrs["table"] = table
    return KBEntry(
        id=entry_id,
        name=name,
        type=etype,
        country=country,
        aliases=aliases,
        nicknames=nicknames,
        attrs=attrs,
    )


def user_kb_dir() -> Path:
    # platformdirs reads the environment on every call; its answer only changes with it
    return _user_kb_dir(os.environ.get("XDG_DATA_HOME"), os.environ.get("HOME"))


@lru_cache(maxsize=8)
def _user_kb_dir(xdg_data_home: str | None, home: str | None) -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("mercato", appauthor=False)) / "kb"


@lru_cache(maxsize=4)
def _load_cached(extra: tuple[str, ...]) -> KnowledgeBase:
    kb = KnowledgeBase()
    kb.load_dir(BUILTIN_DIR)
    for directory in extra:
        path = Path(directory)
        if path.is_dir():
            kb.load_dir(path)
        elif path.is_file():
            kb.load_file(path)
    keep_out_of_gc()
    return kb


def load_kb(extra_dirs: Iterable[Path | str] = (), include_user: bool = True) -> KnowledgeBase:
    """The built-in knowledge base plus user data (``mercato kb import``) and any extra paths."""
    extra = [str(p) for p in extra_dirs]
    if include_user:
        extra.append(str(user_kb_dir()))
    return _load_cached(tuple(extra))
