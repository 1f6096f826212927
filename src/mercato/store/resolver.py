"""Placing analysis entities in the store: the registry's rules over a cache of what they read.

``mercato.knowledge.registry`` decides; this module gathers its candidates (entities by key, KB id,
alias and surname index) and records what an article taught (aliases, surname keys, fuller names,
attributes, clubs). Placing one article used to cost ~35 ORM round trips; here the lookups of an
article are batched into a few set-based queries, and their answers are kept in a
:class:`RegistryCache` that lives with the database connection, so a warm ingest asks the database
almost nothing but its inserts.

Correctness of the cache (docs/store.md):

- An entry is a complete answer, "nothing" included; a missing entry means "ask the database".
- Writes made by the resolver update the cache as they are made (write-through), so it always
  equals the database as this transaction sees it.
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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from mercato.knowledge import registry
from mercato.model import Entity
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


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    items = sorted(values)
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


class Resolver:
    """Places the entities of one transaction; writes go out in batches at :meth:`flush` (and
    always before the database is read again, so a read never misses what we wrote)."""

    def __init__(self, conn: Connection, cache: RegistryCache) -> None:
        self.conn = conn
        self.cache = cache
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
        org_forms: set[str] = set()
        probes: set[str] = set()
        for sub in subjects:
            sub_forms = sub.folded_forms()
            forms |= sub_forms
            if sub.kb_id:
                keys.add(sub.key)
                kb.add((sub.kb_id, sub.type))
            if sub.is_person:
                probes |= _probes(sub)
            else:
                keys.add(sub.key)
                org_forms |= sub_forms
        self._load_keys(keys)
        self._load_kb(kb)
        self._load_manual(forms)
        self._load_alias_entities(org_forms)
        self._load_name_keys(probes)
        c = self.cache
        ids = {i for k in keys if (i := c.id_by_key.get(k)) is not None}
        ids |= {i for p in kb if (i := c.kb_first.get(p)) is not None}
        ids |= {hit[1] for f in forms if (hit := c.manual.get(f)) is not None}
        for f in org_forms:
            ids |= c.alias_entities.get(f, set())
        for p in probes:
            ids |= c.name_key_entities.get(p, set())
        self._load_entities(ids)
        self._load_aliases(ids)

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
        self._load_manual(forms)
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
            self._load_alias_entities(forms)
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
            # Manual aliases are excluded: they already decided above, and a split's aliases must
            # not pull look-alikes back into either side.
            forms = {f for _, f, o in e.aliases or () if o not in ("manual", "blocked")}
            blocked = {f for _, f, o in e.aliases or () if o == "blocked"}
            out.append(
                registry.Candidate(
                    entity_id=e.id,
                    key=e.key,
                    name=e.name,
                    type=e.type,
                    kb_id=e.kb_id,
                    attributes=dict(e.attributes),
                    forms=forms - blocked,
                    clubs=known_clubs(e.attributes),
                )
            )
        return out

    def _follow(self, entity_id: int) -> CachedEntity:
        row = self._entity(entity_id)
        seen = {row.id}
        while row.merged_into is not None and row.merged_into not in seen:
            seen.add(row.merged_into)
            row = self._entity(row.merged_into)
        return row

    def _create(self, subject: registry.Subject) -> CachedEntity:
        key = self.unique_key(subject.key if ":" in subject.key else f"{subject.type}:{slug(subject.name)}")
        now = utcnow()
        result = self.conn.execute(
            ENTITIES.insert(),
            {
                "key": key,
                "name": subject.name,
                "type": subject.type,
                "kb_id": subject.kb_id,
                "attributes": {},
                "created_at": now,
                "updated_at": now,
            },
        )
        (new_id,) = result.inserted_primary_key  # type: ignore[misc]
        row = CachedEntity(new_id, key, subject.name, subject.type, subject.kb_id, {}, None, [], set())
        c = self.cache
        c.entities[new_id] = row
        c.id_by_key[key] = new_id
        pair = (subject.kb_id, subject.type) if subject.kb_id else None
        if pair is not None and pair in c.kb_first and c.kb_first[pair] is None:
            c.kb_first[pair] = new_id  # known to be the only one: the others were "none"
        return row

    def unique_key(self, key: str) -> str:
        if self._id_by_key(key) is None:
            return key
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
                self._dirty[row.id] = row
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
            self._dirty[row.id] = row

    def _add_alias(self, row: CachedEntity, surface: str, folded: str) -> None:
        self._new_aliases.append(
            {"entity_id": row.id, "folded": folded, "surface": surface, "origin": "analysis", "created_at": utcnow()}
        )
        assert row.aliases is not None
        row.aliases.append((surface, folded, "analysis"))
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
        """Send the pending inserts and updates, one statement per table."""
        if self._new_aliases:
            self.conn.execute(ALIASES.insert(), self._new_aliases)
            self._new_aliases = []
        if self._new_name_keys:
            self.conn.execute(NAME_KEYS.insert(), self._new_name_keys)
            self._new_name_keys = []
        if self._dirty:
            now = utcnow()
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
    def _id_by_key(self, key: str) -> int | None:
        self._load_keys({key})
        return self.cache.id_by_key[key]

    def _kb_first(self, kb_id: str, etype: str) -> int | None:
        self._load_kb({(kb_id, etype)})
        return self.cache.kb_first[(kb_id, etype)]

    def _entity(self, entity_id: int) -> CachedEntity:
        self._load_entities({entity_id})
        return self.cache.entities[entity_id]

    def _remember(self, rows: Iterable[Any]) -> None:
        c = self.cache
        for r in rows:
            if r.id not in c.entities:
                c.entities[r.id] = CachedEntity(
                    r.id, r.key, r.name, r.type, r.kb_id, dict(r.attributes or {}), r.merged_into
                )
            c.id_by_key[r.key] = r.id

    def _load_keys(self, keys: set[str]) -> None:
        missing = {k for k in keys if k not in self.cache.id_by_key}
        if not missing:
            return
        self.flush()
        for chunk in _chunks(missing):
            self._remember(self.conn.execute(select(*_ENTITY_COLUMNS).where(ENTITIES.c.key.in_(chunk))))
        for k in missing:
            self.cache.id_by_key.setdefault(k, None)

    def _load_kb(self, pairs: set[tuple[str, str]]) -> None:
        missing = {p for p in pairs if p not in self.cache.kb_first}
        if not missing:
            return
        self.flush()
        found: dict[tuple[str, str], int] = {}
        for chunk in _chunks({kb for kb, _ in missing}):
            rows = list(self.conn.execute(select(*_ENTITY_COLUMNS).where(ENTITIES.c.kb_id.in_(chunk))))
            self._remember(rows)
            for r in rows:
                pair = (r.kb_id, r.type)
                if pair not in found or r.id < found[pair]:
                    found[pair] = r.id  # the oldest entity with that KB id and type
        for p in missing:
            self.cache.kb_first[p] = found.get(p)

    def _load_manual(self, forms: set[str]) -> None:
        missing = {f for f in forms if f not in self.cache.manual}
        if not missing:
            return
        self.flush()
        newest: dict[str, tuple[int, int]] = {}
        for chunk in _chunks(missing):
            q = select(ALIASES.c.id, ALIASES.c.entity_id, ALIASES.c.folded).where(
                ALIASES.c.origin == "manual", ALIASES.c.folded.in_(chunk)
            )
            for alias_id, entity_id, folded in self.conn.execute(q):
                if folded not in newest or alias_id > newest[folded][0]:
                    newest[folded] = (alias_id, entity_id)
        for f in missing:
            self.cache.manual[f] = newest.get(f)

    def _load_alias_entities(self, forms: set[str]) -> None:
        missing = {f for f in forms if f not in self.cache.alias_entities}
        if not missing:
            return
        self.flush()
        found: dict[str, set[int]] = {f: set() for f in missing}
        for chunk in _chunks(missing):
            q = select(ALIASES.c.folded, ALIASES.c.entity_id).where(ALIASES.c.folded.in_(chunk))
            for folded, entity_id in self.conn.execute(q):
                found[folded].add(entity_id)
        self.cache.alias_entities.update(found)

    def _load_name_keys(self, keys: set[str]) -> None:
        missing = {k for k in keys if k not in self.cache.name_key_entities}
        if not missing:
            return
        self.flush()
        found: dict[str, set[int]] = {k: set() for k in missing}
        for chunk in _chunks(missing):
            q = select(NAME_KEYS.c.key, NAME_KEYS.c.entity_id).where(NAME_KEYS.c.key.in_(chunk))
            for key, entity_id in self.conn.execute(q):
                found[key].add(entity_id)
        self.cache.name_key_entities.update(found)

    def _load_entities(self, ids: set[int]) -> None:
        missing = {i for i in ids if i not in self.cache.entities}
        if not missing:
            return
        self.flush()
        for chunk in _chunks(missing):
            self._remember(self.conn.execute(select(*_ENTITY_COLUMNS).where(ENTITIES.c.id.in_(chunk))))

    def _load_aliases(self, ids: set[int]) -> None:
        self._load_entities(ids)
        c = self.cache
        missing = {i for i in ids if i in c.entities and c.entities[i].aliases is None}
        if not missing:
            return
        self.flush()
        found: dict[int, list[tuple[str, str, str]]] = {i: [] for i in missing}
        for chunk in _chunks(missing):
            q = (
                select(ALIASES.c.entity_id, ALIASES.c.surface, ALIASES.c.folded, ALIASES.c.origin)
                .where(ALIASES.c.entity_id.in_(chunk))
                .order_by(ALIASES.c.id)
            )
            for entity_id, surface, folded, origin in self.conn.execute(q):
                found[entity_id].append((surface, folded, origin))
        for i, aliases in found.items():
            c.entities[i].aliases = aliases

    def _load_entity_name_keys(self, ids: set[int]) -> None:
        self._load_entities(ids)
        c = self.cache
        missing = {i for i in ids if c.entities[i].name_keys is None}
        if not missing:
            return
        self.flush()
        found: dict[int, set[str]] = {i: set() for i in missing}
        for chunk in _chunks(missing):
            q = select(NAME_KEYS.c.entity_id, NAME_KEYS.c.key).where(NAME_KEYS.c.entity_id.in_(chunk))
            for entity_id, key in self.conn.execute(q):
                found[entity_id].add(key)
        for i, keys in found.items():
            c.entities[i].name_keys = keys


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
