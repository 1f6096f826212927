"""Historic transfers (tmtransfers data set) stored as facts of player entities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from mercato.knowledge import registry
from mercato.model import Entity, EntityType
from mercato.store.models import AliasRow, EntityRow, FactRow
from mercato.store.store import Store
from mercato.text import fold, fold_tokens, slug

CHUNK = 500


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value not in (None, "") else None
    except ValueError:
        return None


def store_transfer_facts(store: Store, rows: Iterable[dict[str, str]]) -> tuple[int, int]:
    """Returns (facts added, players they belong to)."""
    moves: dict[str, dict[str, Any]] = {}
    for row in rows:
        name = (row.get("name") or "").strip()
        season = _int(row.get("season"))
        if not name or season is None or not fold(name):
            continue
        age = _int(row.get("age"))
        birth_year = season - age if age is not None else None
        incoming = row.get("movement") == "in"
        club, other = row.get("club", "").strip(), row.get("dealing_club", "").strip()
        src, dst = (other, club) if incoming else (club, other)
        is_loan = (row.get("is_loan") or "").lower() == "true"
        fee = _int(row.get("fee"))
        key = f"tm:{slug(name)}:{birth_year}:{season}:{row.get('window', '')}:{fee}:{int(is_loan)}"
        move = moves.get(key)
        if move is None:
            window = row.get("window") or ""
            moves[key] = {
                "name": name,
                "nationality": row.get("nationality") or None,
                "birth_year": birth_year,
                "position": row.get("position") or None,
                "from": src,
                "to": dst,
                "fee_eur": fee,
                "market_value_eur": _int(row.get("market_value")),
                "season": season,
                "window": window,
                "loan": is_loan,
                "loan_status": row.get("loan_status") or None,
                "date": f"{season + 1}-01" if window == "winter" else str(season),
            }
        elif incoming:
            # The buying club's own row names it in full ("Atalanta BC"); prefer it over the short form.
            move["to"] = dst
        else:
            move["from"] = src
    with store.session() as s:
        existing = set(s.scalars(select(FactRow.import_key).where(FactRow.import_key.like("tm:%"))))
    todo = {k: m for k, m in moves.items() if k not in existing}
    if not todo:
        return 0, 0
    # One entity per (name, nationality, birth year within a year): the same player over seasons.
    groups: dict[tuple[str, str | None], list[tuple[int | None, str]]] = defaultdict(list)
    for key, m in todo.items():
        groups[(m["name"], m["nationality"])].append((m["birth_year"], key))
    people: list[tuple[str, str | None, int | None, list[str]]] = []
    for (name, nat), items in groups.items():
        items.sort(key=lambda t: t[0] or 0)
        cluster: list[str] = []
        first: int | None = None
        for by, key in items:
            if cluster and by is not None and first is not None and by - first > 2:
                people.append((name, nat, first, cluster))
                cluster, first = [], None
            if first is None:
                first = by
            cluster.append(key)
        people.append((name, nat, first, cluster))
    club_ids = _club_ids(store, {m[side] for m in todo.values() for side in ("from", "to") if m[side]})
    added = 0
    for start in range(0, len(people), CHUNK):
        with store.session(write=True) as s:
            resolver = store.resolver(s)
            facts = []
            for name, nat, by, keys in people[start : start + CHUNK]:
                attrs = {k: v for k, v in (("nationality", nat), ("birth_year", by)) if v is not None}
                pos = todo[keys[0]]["position"]
                if pos:
                    attrs["position"] = pos
                subject = registry.Subject(
                    key=f"person:{slug(name)}", name=name, type="player", surfaces=[name], attributes=attrs
                )
                if len(fold_tokens(name)) == 1:
                    subject.clubs = {f"club-name:{fold(todo[k]['to'])}" for k in keys}
                erow = resolver.place(
                    subject, Entity(subject.key, name, EntityType.PLAYER, [name], attributes=attrs)
                )
                for key in keys:
                    m = todo[key]
                    value = {
                        k: v
                        for k, v in m.items()
                        if k not in ("name", "nationality", "birth_year", "position")
                    }
                    value["source"] = "tmtransfers"
                    facts.append(
                        {
                            "article_id": None,
                            "kind": "loan" if m["loan"] else "transfer",
                            "subject_id": erow.id,
                            "subject": name,
                            "value": value,
                            "club_id": club_ids.get(fold(m["to"])),
                            "club": m["to"] or None,
                            "competition": None,
                            "date": m["date"],
                            "origin": "import:tmtransfers",
                            "import_key": key,
                        }
                    )
            if facts:
                resolver.flush()  # the players' rows first: the facts refer to them
                s.execute(FactRow.__table__.insert(), facts)
                added += len(facts)
    return added, len(people)


def _club_ids(store: Store, names: set[str]) -> dict[str, int]:
    """Folded club name -> stored club entity, when exactly one club has that name or alias."""
    folded = sorted({fold(n) for n in names if fold(n)})
    found: dict[str, set[int]] = defaultdict(set)
    with store.session() as s:
        for i in range(0, len(folded), 500):
            q = (
                select(AliasRow.folded, AliasRow.entity_id)
                .join(EntityRow, EntityRow.id == AliasRow.entity_id)
                .where(AliasRow.folded.in_(folded[i : i + 500]), EntityRow.type == "club")
            )
            for f, eid in s.execute(q):
                found[f].add(eid)
    return {f: next(iter(ids)) for f, ids in found.items() if len(ids) == 1}
