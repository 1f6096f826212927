"""Placing analysis entities in the store: the registry's rules over a cache of what they read.

``mercato.knowledge.registry`` decides; this module gathers its candidates (entities by key, KB id,
alias and surname index) and records what an article taught (aliases, surname keys, fuller names,
attributes, clubs). Placing one article used to cost ~35 ORM round trips; here the lookups of an
article are batched into a few set-based queries, and their answers are kept in a
:class:`RegistryCache` that lives with the database connection, so a warm ingest asks the database
almost nothing but its inserts.

Correctness of the cache (docs/store.md):

- An entry is a complete answer, "nothing" included; a missing entry means "ask the database".
- Writes made by the resolver update the cache at once (write-through) and reach the database in
  one statement per table at :meth:`Resolver.flush`; a load merges in what is still pending, so
  the cache always equals the database as this transaction will leave it. On SQLite new entities
  get their ids here (the next rowid: we hold the write lock), so they are inserted in a batch too.
- Anything else that changes the database invalidates the whole cache. On SQLite this is detected
  at the start of every write transaction (which already holds the write lock): ``PRAGMA
  data_version`` changes when another connection (another process, another ``Store``) committed,
  and the connection's ``total_changes`` moves when this connection wrote outside the resolver
  (a merge, split or alias correction, an import). PostgreSQL has no such cheap signal, so there
  the cache lives for one transaction only (it still batches that transaction's lookups).
- A transaction that does not commit (a failing article, a lost connection) leaves the cache
  unconfirmed, and an unconfirmed cache is dropped before its next use.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from mercato.knowledge import registry
from mercato.model import Entity
from mercato.store.db import insert_plain
from mercato.store.models import AliasRow, EntityRow, NameKeyRow, utcnow
from mercato.text import fold, fold_tokens, slug

ENTITIES = EntityRow.__table__
ALIASES = AliasRow.__table__
NAME_KEYS = NameKeyRow.__table__
CHUNK = 500  # values per IN (...) list: far below every backend's limit on bound parameters
MAX_CACHED = 400_000  # entries before the cache starts over: bounds memory on a huge store

_ENTITY_COLUMNS = (
    ENTITIES.c.id,
    ENTITIES.c.key,
    ENTITIES.c.name,
    ENTITIES.c.type,
    ENTITIES.c.kb_id,
    ENTITIES.c.attributes,
    ENTITIES.c.merged_into,
)
_UPDATE_ENTITY = (
    update(ENTITIES)
    .where(ENTITIES.c.id == bindparam("eid"))
    .values(name=bindparam("new_name"), attributes=bindparam("new_attributes"), updated_at=bindparam("now"))
)


@dataclass(slots=True)
class CachedEntity:
    id: int
    key: str
    name: str
    type: str
    kb_id: str | None
    attributes: dict[str, Any]
    merged_into: int | None
    aliases: list[tuple[str, str, str]] | None = None  # (surface, folded, origin); None: not loaded
    name_keys: set[str] | None = None  # its rows in name_keys; None: not loaded
    candidate: registry.Candidate | None = None  # how the registry sees it; None: to build again


class RegistryCache:
    """What placing entities has read, kept on one database connection between its transactions."""

    def __init__(self) -> None:
        self.dbapi: Any = None  # the DBAPI connection the entries were read through
        self.mark: tuple[int, int] | None = None  # (data_version, total_changes) at our last commit
        self._pending_mark: tuple[int, int] | None = None
        self._data_version = 0
        self.clear()

    def clear(self) -> None:
        self.entities: dict[int, CachedEntity] = {}
        self.id_by_key: dict[str, int | None] = {}
        self.kb_first: dict[tuple[str, str], int | None] = {}  # (kb_id, type) -> oldest entity
        self.manual: dict[str, tuple[int, int] | None] = {}  # folded -> (alias id, entity id), newest
        self.alias_entities: dict[str, set[int]] = {}  # folded alias (any origin) -> entities
        self.name_key_entities: dict[str, set[int]] = {}  # name key -> entities
        self.next_entity_id: int | None = None  # SQLite: the id the next new entity gets
        self.mark = None

    def size(self) -> int:
        return (
            len(self.entities)
            + len(self.id_by_key)
            + len(self.manual)
            + len(self.alias_entities)
            + len(self.name_key_entities)
        )

    def begin(self, conn: Connection) -> None:
        """Called inside a write transaction before the cache is used: drop it unless provably
        nothing but this cache's own confirmed writes touched the database since it was filled."""
        dbapi = conn.connection.dbapi_connection
        if conn.dialect.name == "sqlite" and dbapi is not None:
            # The write lock is held (BEGIN IMMEDIATE): nobody can commit until we do.
            self._data_version = dbapi.execute("PRAGMA data_version").fetchone()[0]
            now = (self._data_version, dbapi.total_changes)
            if dbapi is not self.dbapi or self.mark != now or self.size() > MAX_CACHED:
                self.clear()
        else:
            self.clear()  # no cheap way to know what other writers did: one transaction only
        self.dbapi = dbapi
        self.mark = None  # in use: valid again only once this transaction commits

    def seal(self, conn: Connection) -> None:
        """Called last inside the transaction: what the cache will be worth after the commit."""
        dbapi = conn.connection.dbapi_connection
        if conn.dialect.name == "sqlite" and dbapi is not None:
            self._pending_mark = (self._data_version, dbapi.total_changes)
        else:
            self._pending_mark = None

    def confirm(self) -> None:
        """Called after the commit succeeded."""
        self.mark = self._pending_mark
        self._pending_mark = None


_ENTITY_SQL = 'SELECT id, "key", name, type, kb_id, attributes, merged_into FROM entities'


def _select_in(conn: Connection, sql: str, values: list[Any], more: list[Any] | None = None) -> list[Any]:
    """Rows of ``sql`` whose ``{in}`` (and ``{in2}``) become ``IN (<one placeholder a value>)``.

    Driver-level SQL on purpose: SQLAlchemy's expanding IN costs ~3 µs a value (re-rendering the
    statement and its parameters on every call), ten times the query itself for the ~150 surname
    keys of an article. Only plain strings and integers go in; rows come back as the driver gives
    them (entities.attributes: see :func:`_attributes`)."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"

    def marks(vals: list[Any]) -> str:
        return "(" + ", ".join([mark] * len(vals)) + ")" if vals else "(NULL)"  # IN (NULL) is empty

    params = [*values, *(more or [])]
    return list(conn.exec_driver_sql(sql.format(**{"in": marks(values), "in2": marks(more or [])}), tuple(params)))


def _attributes(value: Any) -> dict[str, Any]:
    # SQLite hands JSON columns back as text, psycopg as Python objects.
    if isinstance(value, str):
        value = json.loads(value)
    return dict(value or {})


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(values)
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


class Resolver:
    """Places the entities of one transaction. Reads come from the cache, misses are loaded in
    batches; writes are kept until :meth:`flush` (call it before inserting rows that refer to the
    entities), then go out as one statement per table."""

    def __init__(self, conn: Connection, cache: RegistryCache) -> None:
        self.conn = conn
        self.cache = cache
        # SQLite: new entity ids are allocated here (max + 1, as SQLite would), so the inserts
        # can wait for flush(); PostgreSQL's sequence hands them out on insert.
        self._own_ids = conn.dialect.name == "sqlite"
        self._new_entities: list[CachedEntity] = []
        self._new_aliases: list[dict[str, Any]] = []
        self._new_name_keys: list[dict[str, Any]] = []
        self._dirty: dict[int, CachedEntity] = {}
        cache.begin(conn)

    # -- placing ------------------------------------------------------------------------------------
    def prefetch(self, subjects: Iterable[registry.Subject]) -> None:
        """Load in a few queries everything :meth:`place` will ask about these subjects."""
        keys: set[str] = set()
        kb: set[tuple[str, str]] = set()
        forms: set[str] = set()
        probes: set[str] = set()
        for sub in subjects:
            forms |= sub.folded_forms()
            keys |= {sub.key, _new_key(sub)}
            if sub.kb_id:
                kb.add((sub.kb_id, sub.type))
            if sub.is_person:
                probes |= _probes(sub)
        self._load_keys_and_kb(keys, kb)
        self._load_forms(forms)
        self._load_name_keys(probes)
        c = self.cache
        ids = {i for k in keys if (i := c.id_by_key.get(k)) is not None}
        ids |= {i for p in kb if (i := c.kb_first.get(p)) is not None}
        for f in forms:
            if (hit := c.manual.get(f)) is not None:
                ids.add(hit[1])
            ids |= c.alias_entities.get(f, set())
        for p in probes:
            ids |= c.name_key_entities.get(p, set())
        self._load_entities(ids)
        self._load_aliases(ids)
        self._load_entity_name_keys({i for i in ids if c.entities[i].type in registry.PERSON_TYPES})

    def place(self, subject: registry.Subject, ent: Entity) -> CachedEntity:
        """The stored entity for an analysis entity (created when new), after learning from it."""
        row = self.resolve(subject)
        self.learn(row, ent, subject)
        return row

    def resolve(self, subject: registry.Subject) -> CachedEntity:
        c = self.cache
        forms = subject.folded_forms()
        # 1. The same KB entry is the same entity (any type: the key says which entry).
        if subject.kb_id:
            found = self._id_by_key(subject.key)
            if found is None:
                found = self._kb_first(subject.kb_id, subject.type)
            if found is not None:
                return self._follow(found)
        # 2. A manual alias is the user's word: the newest one naming any of the forms.
        self._load_forms(forms)
        manual = [hit for f in forms if (hit := c.manual[f]) is not None]
        if manual:
            return self._follow(max(manual)[1])
        # 3. Candidates by name, then the registry decides.
        cand_ids: set[int] = set()
        if subject.is_person:
            probes = _probes(subject)
            self._load_name_keys(probes)
            for p in probes:
                cand_ids |= c.name_key_entities[p]
        else:
            for f in forms:
                cand_ids |= c.alias_entities[f]
            key_hit = self._id_by_key(subject.key)
            if key_hit is not None:
                cand_ids.add(key_hit)
        chosen = registry.choose(subject, self._candidates(cand_ids, subject.type))
        if chosen is not None:
            return self._entity(chosen.entity_id)
        return self._create(subject)

    def _candidates(self, ids: set[int], etype: str) -> list[registry.Candidate]:
        self._load_entities(ids)
        rows = [
            e
            for i in sorted(ids)
            if (e := self.cache.entities.get(i)) is not None and e.merged_into is None and e.type == etype
        ]
        self._load_aliases({e.id for e in rows})
        out = []
        for e in rows:
            if e.candidate is None:
                # Manual aliases are excluded: they already decided above, and a split's aliases
                # must not pull look-alikes back into either side.
                forms = {f for _, f, o in e.aliases or () if o not in ("manual", "blocked")}
                blocked = {f for _, f, o in e.aliases or () if o == "blocked"}
                e.candidate = registry.Candidate(
                    entity_id=e.id,
                    key=e.key,
                    name=e.name,
                    type=e.type,
                    kb_id=e.kb_id,
                    attributes=dict(e.attributes),
                    forms=forms - blocked,
                    clubs=known_clubs(e.attributes),
                )
            out.append(e.candidate)
        return out

    def _follow(self, entity_id: int) -> CachedEntity:
        row = self._entity(entity_id)
        seen = {row.id}
        while row.merged_into is not None and row.merged_into not in seen:
            seen.add(row.merged_into)
            row = self._entity(row.merged_into)
        return row

    def _create(self, subject: registry.Subject) -> CachedEntity:
        key = self.unique_key(_new_key(subject))
        c = self.cache
        row = CachedEntity(0, key, subject.name, subject.type, subject.kb_id, {}, None, [], set())
        if self._own_ids:
            if c.next_entity_id is None:
                top = self.conn.execute(select(func.max(ENTITIES.c.id))).scalar()
                c.next_entity_id = (top or 0) + 1
            row.id = c.next_entity_id
            c.next_entity_id += 1
            self._new_entities.append(row)  # inserted by flush()
        else:
            now = utcnow()
            values = {"key": key, "name": row.name, "type": row.type, "kb_id": row.kb_id, "attributes": {}}
            result = self.conn.execute(ENTITIES.insert(), {**values, "created_at": now, "updated_at": now})
            (row.id,) = result.inserted_primary_key  # type: ignore[misc]
        c.entities[row.id] = row
        c.id_by_key[key] = row.id
        pair = (subject.kb_id, subject.type) if subject.kb_id else None
        if pair is not None and pair in c.kb_first and c.kb_first[pair] is None:
            c.kb_first[pair] = row.id  # known to be the only one: the others were "none"
        return row

    def unique_key(self, key: str) -> str:
        if self._id_by_key(key) is None:
            return key
        self._load_key_suffixes(key)
        n = 2
        while self._id_by_key(f"{key}-{n}") is not None:
            n += 1
        return f"{key}-{n}"

    def learn(self, row: CachedEntity, ent: Entity, subject: registry.Subject) -> None:
        """Remember what this article taught about the entity: surface forms, name keys, a fuller
        name, attributes and the clubs it was linked to."""
        self._load_aliases({row.id})
        assert row.aliases is not None
        blocked_folded = {f for _, f, o in row.aliases if o == "blocked"}
        have = {s for s, _, o in row.aliases if o == "analysis"}
        new_forms: list[str] = []
        for surface in dict.fromkeys([ent.name, *ent.mentions]):
            surface = surface.strip()[:300]
            folded = fold(surface)
            # (`have` grows as forms are added: two mentions equal once stripped are one alias.)
            if surface and surface not in have and folded and folded not in blocked_folded:
                new_forms.append(surface)
                have.add(surface)
                self._add_alias(row, surface, folded)
        if subject.is_person:
            self._index_names(row, [row.name, *new_forms])
            # A person first seen by surname gets a full name once an article gives one.
            if len(fold_tokens(row.name)) < len(fold_tokens(ent.name)) and not row.kb_id:
                row.name = ent.name
                self._changed(row)
        attrs = dict(row.attributes)
        changed = False
        for k, v in ent.attributes.items():
            if k not in attrs and v is not None:
                attrs[k] = v
                changed = True
        if subject.clubs:
            seen = set(attrs.get("clubs_seen", []))
            if not subject.clubs <= seen:
                attrs["clubs_seen"] = sorted(seen | subject.clubs)
                changed = True
        if changed:
            row.attributes = attrs
            self._changed(row)

    def _changed(self, row: CachedEntity) -> None:
        self._dirty[row.id] = row
        row.candidate = None

    def _add_alias(self, row: CachedEntity, surface: str, folded: str) -> None:
        self._new_aliases.append(
            {"entity_id": row.id, "folded": folded, "surface": surface, "origin": "analysis", "created_at": utcnow()}
        )
        assert row.aliases is not None
        row.aliases.append((surface, folded, "analysis"))
        row.candidate = None
        known = self.cache.alias_entities.get(folded)
        if known is not None:
            known.add(row.id)

    def _index_names(self, row: CachedEntity, forms: Iterable[str]) -> None:
        keys: set[str] = set()
        for sn in registry.person_surnames(forms):
            keys |= registry.surname_keys(sn)
        if not keys:
            return
        self._load_entity_name_keys({row.id})
        assert row.name_keys is not None
        for k in sorted(keys - row.name_keys):
            self._new_name_keys.append({"key": k, "entity_id": row.id})
            row.name_keys.add(k)
            known = self.cache.name_key_entities.get(k)
            if known is not None:
                known.add(row.id)

    # -- writing ------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Send the pending inserts and updates, one statement per table (entities first: the
        other rows refer to them)."""
        now = utcnow()
        if self._new_entities:
            self.conn.execute(
                ENTITIES.insert(),
                [
                    {
                        "id": e.id,
                        "key": e.key,
                        "name": e.name,
                        "type": e.type,
                        "kb_id": e.kb_id,
                        "attributes": dict(e.attributes),
                        "created_at": now,
                        "updated_at": now,
                    }
                    for e in self._new_entities
                ],
            )
            for e in self._new_entities:
                self._dirty.pop(e.id, None)  # inserted as they are now
            self._new_entities = []
        if self._new_aliases:
            self.conn.execute(ALIASES.insert(), self._new_aliases)
            self._new_aliases = []
        if self._new_name_keys:  # ~10 rows a new person
            rows = [(r["key"], r["entity_id"]) for r in self._new_name_keys]
            insert_plain(self.conn, "name_keys", ("key", "entity_id"), rows)
            self._new_name_keys = []
        if self._dirty:
            self.conn.execute(
                _UPDATE_ENTITY,
                [
                    {"eid": e.id, "new_name": e.name, "new_attributes": dict(e.attributes), "now": now}
                    for e in self._dirty.values()
                ],
            )
            self._dirty = {}

    def seal(self) -> None:
        """Last call inside the transaction: pending writes out, the cache ready for the commit."""
        self.flush()
        self.cache.seal(self.conn)

    # -- reading (cache first, then one query for every miss) -----------------------------------
    # No load needs a flush first: what is pending is merged into its answer (new entities are in
    # the cache already; their aliases and name keys are added from the pending rows).
    def _id_by_key(self, key: str) -> int | None:
        self._load_keys_and_kb({key}, set())
        return self.cache.id_by_key[key]

    def _kb_first(self, kb_id: str, etype: str) -> int | None:
        self._load_keys_and_kb(set(), {(kb_id, etype)})
        return self.cache.kb_first[(kb_id, etype)]

    def _entity(self, entity_id: int) -> CachedEntity:
        self._load_entities({entity_id})
        return self.cache.entities[entity_id]

    def _remember(self, rows: Iterable[Any]) -> None:
        """Entity rows (id, key, name, type, kb_id, attributes, merged_into) into the cache."""
        c = self.cache
        for r in rows:
            entity_id, key = r[0], r[1]
            if entity_id not in c.entities:
                c.entities[entity_id] = CachedEntity(entity_id, key, r[2], r[3], r[4], _attributes(r[5]), r[6])
            c.id_by_key[key] = entity_id

    def _load_keys_and_kb(self, keys: set[str], pairs: set[tuple[str, str]]) -> None:
        c = self.cache
        missing_keys = {k for k in keys if k not in c.id_by_key}
        missing_pairs = {p for p in pairs if p not in c.kb_first}
        if not missing_keys and not missing_pairs:
            return
        kb_ids = {kb for kb, _ in missing_pairs}
        oldest: dict[tuple[str, str], int] = {}
        for key_chunk, kb_chunk in zip_longest(_chunks(missing_keys), _chunks(kb_ids), fillvalue=[]):
            sql = _ENTITY_SQL + ' WHERE "key" IN {in} OR kb_id IN {in2}'
            for r in _select_in(self.conn, sql, key_chunk, kb_chunk):
                self._remember([r])
                pair = (r.kb_id, r.type)
                if pair in missing_pairs and (pair not in oldest or r.id < oldest[pair]):
                    oldest[pair] = r.id  # the oldest entity with that KB id and type
        for e in self._new_entities:
            pair = (e.kb_id, e.type)
            if pair in missing_pairs and (pair not in oldest or e.id < oldest[pair]):
                oldest[pair] = e.id
        for k in missing_keys:
            c.id_by_key.setdefault(k, None)
        for p in missing_pairs:
            c.kb_first[p] = oldest.get(p)

    def _load_key_suffixes(self, key: str) -> None:
        """Every stored ``key-<n>`` in one indexed range query (for a new entity's unique key)."""
        prefix = key + "-"
        if f"{prefix}2" in self.cache.id_by_key:
            return
        # '-' + 1 is '.': the range holds exactly the keys starting with the prefix.
        q = select(*_ENTITY_COLUMNS).where(ENTITIES.c.key >= prefix, ENTITIES.c.key < key + ".")
        taken = set()
        for r in self.conn.execute(q):
            self._remember([r])
            taken.add(r.key)
        n = 2
        while f"{prefix}{n}" in taken:
            n += 1
        for i in range(2, n + 1):
            self.cache.id_by_key.setdefault(f"{prefix}{i}", None)

    def _load_forms(self, forms: set[str]) -> None:
        """Aliases by folded form: the newest manual one, and every entity named so (any origin)."""
        c = self.cache
        missing = {f for f in forms if f not in c.manual or f not in c.alias_entities}
        if not missing:
            return
        newest: dict[str, tuple[int, int]] = {}
        named: dict[str, set[int]] = {f: set() for f in missing}
        for chunk in _chunks(missing):
            sql = "SELECT id, entity_id, folded, origin FROM aliases WHERE folded IN {in}"
            for alias_id, entity_id, folded, origin in _select_in(self.conn, sql, chunk):
                named[folded].add(entity_id)
                if origin == "manual" and (folded not in newest or alias_id > newest[folded][0]):
                    newest[folded] = (alias_id, entity_id)
        for row in self._new_aliases:  # (never manual: corrections do not go through here)
            if row["folded"] in named:
                named[row["folded"]].add(row["entity_id"])
        for f in missing:
            c.manual[f] = newest.get(f)
            c.alias_entities[f] = named[f]

    def _load_name_keys(self, keys: set[str]) -> None:
        missing = {k for k in keys if k not in self.cache.name_key_entities}
        if not missing:
            return
        found: dict[str, set[int]] = {k: set() for k in missing}
        for chunk in _chunks(missing):
            sql = 'SELECT "key", entity_id FROM name_keys WHERE "key" IN {in}'
            for key, entity_id in _select_in(self.conn, sql, chunk):
                found[key].add(entity_id)
        for row in self._new_name_keys:
            if row["key"] in found:
                found[row["key"]].add(row["entity_id"])
        self.cache.name_key_entities.update(found)

    def _load_entities(self, ids: set[int]) -> None:
        missing = {i for i in ids if i not in self.cache.entities}
        for chunk in _chunks(missing):
            self._remember(_select_in(self.conn, _ENTITY_SQL + " WHERE id IN {in}", chunk))

    def _load_aliases(self, ids: set[int]) -> None:
        # An entity's pending aliases exist only once its aliases were loaded: nothing to merge.
        self._load_entities(ids)
        c = self.cache
        missing = {i for i in ids if i in c.entities and c.entities[i].aliases is None}
        if not missing:
            return
        found: dict[int, list[tuple[str, str, str]]] = {i: [] for i in missing}
        for chunk in _chunks(missing):
            sql = "SELECT entity_id, surface, folded, origin FROM aliases WHERE entity_id IN {in} ORDER BY id"
            for entity_id, surface, folded, origin in _select_in(self.conn, sql, chunk):
                found[entity_id].append((surface, folded, origin))
        for i, aliases in found.items():
            c.entities[i].aliases = aliases

    def _load_entity_name_keys(self, ids: set[int]) -> None:
        # Likewise: an entity gets pending name keys only after its own were loaded.
        self._load_entities(ids)
        c = self.cache
        missing = {i for i in ids if c.entities[i].name_keys is None}
        if not missing:
            return
        found: dict[int, set[str]] = {i: set() for i in missing}
        for chunk in _chunks(missing):
            sql = 'SELECT entity_id, "key" FROM name_keys WHERE entity_id IN {in}'
            for entity_id, key in _select_in(self.conn, sql, chunk):
                found[entity_id].add(key)
        for i, keys in found.items():
            c.entities[i].name_keys = keys


def _new_key(subject: registry.Subject) -> str:
    """The key a new entity for the subject is named after (suffixed -2, -3 when taken)."""
    return subject.key if ":" in subject.key else f"{subject.type}:{slug(subject.name)}"


def _probes(subject: registry.Subject) -> set[str]:
    probes: set[str] = set()
    for sn in registry.person_surnames([subject.name, *subject.surfaces]):
        probes |= registry.surname_probe_keys(sn)
    return probes


def known_clubs(attrs: dict[str, Any]) -> set[str]:
    """Club keys an entity is known with: seen in claims, or listed by the KB (bare KB ids)."""
    clubs = set(attrs.get("clubs_seen", []))
    kb_clubs = attrs.get("clubs", [])
    if isinstance(kb_clubs, list):
        clubs |= {c if ":" in c else f"club:{c}" for c in kb_clubs if isinstance(c, str)}
    return clubs
