"""Dossiers: what mercato knows about a player, a club or a source, as plain JSON-ready dicts.

Pure functions over records (``mercato.knowledge.records``); the service layer reads the store and
calls them. Every statement in a dossier carries its evidence (article id, offsets, url) so a UI
can link to the sentence it came from, and every choice between conflicting values says why.
"""

from __future__ import annotations

import itertools
import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from mercato.knowledge.credibility import PRIORS, Credibility, final_score, link_credibility, source_class
from mercato.knowledge.ladder import (
    RANK,
    SourceUnit,
    claim_stage,
    is_medical,
    source_units,
    stage_rank,
    syndicated_copies,
)
from mercato.knowledge.records import (
    MOVE_TYPES,
    ClaimRecord,
    EntityRecord,
    FactRecord,
    alternatives_from_detail,
    date_key,
    on_or_before,
)
from mercato.knowledge.timeline import chronicle
from mercato.text import fold

STATUS_RANK = {"official": 3, "reported": 2, "rumour": 1, "denied": 0}
CONTRACT_TYPES = ("contract_expiry", "contract_extension")
# Claims that place the player at their club on the day of publication (he is there to be
# injured, dropped, in a row, or under contract).
PRESENCE_TYPES = frozenset(
    {"contract_expiry", "contract_extension", "squad_exclusion", "injury", "conflict", "departure"}
)


def club_key_of(key: str | None, name: str | None) -> str | None:
    """A stable grouping key for a club: its store key, else its folded name."""
    if key:
        return key
    return f"name:{fold(name)}" if name else None


# -- club at a date ---------------------------------------------------------------------------
@dataclass(slots=True)
class _Seen:
    when: tuple[int, int, int]
    priority: int  # 2: an official move; 1: seen at the club
    club: str
    club_key: str | None
    basis: str
    claim: ClaimRecord


def _move_day(claim: ClaimRecord) -> str | None:
    """When an official move happened: its own date unless that lies after publication (then it
    is a contract end or a season, not the move), else the publication day."""
    if claim.date and (not claim.published or date_key(claim.date) <= date_key(claim.published)):
        return claim.date
    return None if claim.is_career else claim.published


class _Timeline(list[_Seen]):
    """A player's sightings in claim order, plus (built on first use) the same sorted by
    (day, priority, position): the latest sighting up to a day, the one ``club_at`` picks (the
    greatest day and priority, the last of equals), is then the last of a sorted prefix, found by
    bisection instead of a scan. A club view asks this for every report of 150 players."""

    __slots__ = ("_days", "_sorted")

    def __init__(self, items: Iterable[_Seen] = ()) -> None:
        super().__init__(items)
        self._sorted: list[_Seen] | None = None
        self._days: list[tuple[int, int, int]] = []

    def latest(self, limit: tuple[int, int, int] | None, before: bool) -> _Seen | None:
        if self._sorted is None:
            order = sorted(range(len(self)), key=lambda i: (self[i].when, self[i].priority, i))
            self._sorted = [self[i] for i in order]
            self._days = [s.when for s in self._sorted]
        if limit is None:
            end = len(self._sorted)
        else:
            end = bisect_left(self._days, limit) if before else bisect_right(self._days, limit)
        return self._sorted[end - 1] if end else None


def _sightings(claims: Iterable[ClaimRecord]) -> _Timeline:
    out = _Timeline()
    for c in claims:
        if c.status == "denied":
            continue
        if c.type in ("transfer", "loan") and c.status == "official" and c.club:
            # An announced move places him at the club from the announcement on; its own date is
            # often just a month ("2025-06"), which would sort before sightings earlier that month.
            day = _move_day(c) if c.is_career else c.published
            if day:
                out.append(_Seen(date_key(day), 2, c.club, c.club_key, f"{c.type}_official", c))
            continue
        if c.is_career or not c.published:
            continue
        if c.type in PRESENCE_TYPES and c.club:
            if c.type == "departure" and c.status == "official":
                continue  # he left: this is no longer where he plays
            out.append(_Seen(date_key(c.published), 1, c.club, c.club_key, c.type, c))
        if c.type in MOVE_TYPES and c.from_club:
            out.append(_Seen(date_key(c.published), 1, c.from_club, c.from_club_key, "from_club", c))
    return out


def club_at(
    claims: Sequence[ClaimRecord], on: str | None = None, before: bool = False, seen: Sequence[_Seen] | None = None
) -> dict[str, Any] | None:
    """The player's club on a day (None: latest known): the latest sighting on or before it;
    an official move beats a mere sighting of the same day. ``before`` excludes the day itself.
    ``seen`` passes sightings already computed (callers asking about many days)."""
    if seen is None:
        seen = _sightings(claims)
    timeline = seen if isinstance(seen, _Timeline) else _Timeline(seen)
    best = timeline.latest(date_key(on) if on else None, before)
    if best is None:
        return None
    return {
        "club": best.club,
        "club_key": best.club_key,
        "basis": best.basis,
        "seen": best.claim.published if best.priority == 1 else _move_day(best.claim),
        "evidence": best.claim.ref(),
    }


# -- statements and conflicts ---------------------------------------------------------------
def statement(claim: ClaimRecord, value: Any = None, alt: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A claim (or one of its alternatives) as a citable statement."""
    ref = claim.ref()
    out: dict[str, Any] = {
        "value": value if value is not None else (alt or {}).get("date", claim.date),
        "type": claim.type,
        "club": claim.club,
        "status": claim.status,
        "source": claim.source,
        "source_platform": claim.source_platform,
        "outlet": claim.article.outlet,
        "language": claim.article.language,
        "published": claim.published,
        "kind": "claim",
        "in_quote": False,
        "evidence": ref,
    }
    if alt is not None:
        offsets = alt.get("evidence_offsets")
        out.update(
            {
                "status": alt.get("status") or claim.status,
                "source": alt.get("source"),
                "source_platform": None,
                "kind": "alternative",
                "in_quote": bool(alt.get("in_quote")),
                "evidence": {
                    **ref,
                    "start": offsets[0] if offsets else None,
                    "end": offsets[1] if offsets else None,
                    "evidence": alt.get("evidence") or (None if offsets else ref["evidence"]),
                },
            }
        )
    return out


def _alternatives(claim: ClaimRecord) -> list[dict[str, Any]]:
    return list(claim.alternatives) or alternatives_from_detail(claim.detail, claim.type)


def with_alternatives(claim: ClaimRecord) -> ClaimRecord:
    if not claim.alternatives:
        claim.alternatives = alternatives_from_detail(claim.detail, claim.type)
    return claim


def _precision(value: str | None) -> int:
    return len(value or "")


def contract(claims: Sequence[ClaimRecord], current_club_key: str | None) -> dict[str, Any] | None:
    """Contract end: every statement of it (alternatives included) and the preferred value.

    Preference, strongest first: about his current club; newer report; official over reported
    over rumour; better source; more precise date. The reason names the first rule that decided
    between the preferred value and the best statement of another value."""
    stmts: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for c in claims:
        if c.type not in CONTRACT_TYPES or c.status == "denied" or c.is_career:
            continue
        current = current_club_key is None or c.club_key in (None, current_club_key)
        for alt in [None, *_alternatives(c)]:
            st = statement(c, alt=alt)
            if not st["value"] or st["status"] == "denied":
                continue
            rank = (
                int(current),
                date_key(c.published),
                STATUS_RANK.get(st["status"], 0),
                # An alternative is the statement the analysis did not pick for the claim; its
                # speaker is rarely resolved, so it never outranks the claim's own source.
                PRIORS[source_class(c)] if alt is None else PRIORS["unnamed"],
                _precision(st["value"]),
            )
            st["current_club"] = current
            stmts.append((rank, st))
    if not stmts:
        return None
    stmts.sort(key=lambda x: x[0], reverse=True)
    best_rank, best = stmts[0]
    values = list(dict.fromkeys(st["value"] for _, st in stmts))
    reason = "only_value" if len(values) == 1 else "agreeing"
    rival = next(((r, st) for r, st in stmts if not _same_value(st["value"], best["value"])), None)
    if rival is not None:
        names = ("current_club", "newer", "official", "better_sourced", "more_precise")
        reason = next((n for n, a, b in zip(names, best_rank, rival[0], strict=True) if a != b), "first_seen")
        if reason == "official" and best["status"] != "official":
            reason = "stronger_status"
    return {
        "until": best["value"],
        "club": best["club"],
        "preferred": best,
        "reason": reason,
        "conflict": rival is not None,
        "values": values,
        "statements": [st for _, st in stmts],
    }


def _same_value(a: str | None, b: str | None) -> bool:
    """ "2025-06" and "2025" do not conflict; "2025-06" and "2024-06" do."""
    if not a or not b:
        return a == b
    short, long = sorted((a, b), key=len)
    return long.startswith(short)


def events_of(claims: Sequence[ClaimRecord], ctype: str) -> list[dict[str, Any]]:
    out = []
    for c in sorted(claims, key=lambda c: (date_key(c.published), c.id)):
        if c.type != ctype or c.is_career:
            continue
        st = statement(c, value=c.date)
        st.update(
            {
                "date": c.date,
                "detail": c.detail,
                "counterpart": c.counterpart,
                "alternatives": [statement(c, alt=a) for a in _alternatives(c)],
            }
        )
        out.append(st)
    return out


# -- career -----------------------------------------------------------------------------------
def career(
    claims: Sequence[ClaimRecord],
    facts: Sequence[FactRecord],
    kb_clubs: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Career stints from career-history claims and official moves, in order; clubs the knowledge
    base lists but no article mentioned are filled in (marked ``source: kb``); stats facts."""
    moves: dict[str, dict[str, Any]] = {}
    for c in sorted(claims, key=lambda c: (date_key(c.published), c.id)):
        if c.type not in ("transfer", "loan") or c.status != "official" or not c.club:
            continue
        k = club_key_of(c.club_key, c.club) or ""
        day = _move_day(c)
        old = moves.get(k)
        if old is None or (old["since"] is None and day):
            moves[k] = {
                "club": c.club,
                "club_key": c.club_key,
                "since": day,
                "kind": c.type,
                "from_club": c.from_club,
                "from_club_key": c.from_club_key,
                "source": "article",
                "evidence": c.ref(),
            }
    seq = _chain(list(moves.values()))
    # The club he came from in the first known move was his club before it.
    if seq and seq[0]["from_club"]:
        first_from = club_key_of(seq[0]["from_club_key"], seq[0]["from_club"])
        if first_from not in {club_key_of(s["club_key"], s["club"]) for s in seq}:
            seq.insert(
                0,
                {
                    "club": seq[0]["from_club"],
                    "club_key": seq[0]["from_club_key"],
                    "since": None,
                    "kind": "before",
                    "from_club": None,
                    "from_club_key": None,
                    "source": "article",
                    "evidence": seq[0]["evidence"],
                },
            )
    seq = _fill_from_kb(seq, kb_clubs)
    for i, stint in enumerate(seq):
        stint["until"] = seq[i + 1]["since"] if i + 1 < len(seq) else None
    stats = []
    for f in facts:
        if f.kind not in ("appearances", "goals", "minutes", "debut"):
            continue
        stats.append(
            {
                "kind": f.kind,
                "value": f.value,
                "club": f.club,
                "club_key": f.club_key,
                "competition": f.competition,
                "date": f.date,
                "origin": f.origin,
                "evidence": {
                    "article_id": f.article.id if f.article else None,
                    "external_id": f.article.external_id if f.article else None,
                    "url": f.article.url if f.article else None,
                    "start": f.evidence_start,
                    "end": f.evidence_end,
                },
            }
        )
    # Totals at a club first: they describe the career; bare numbers are usually one season.
    stats.sort(key=lambda s: (s["club"] is None, s["kind"], -(s["value"] if isinstance(s["value"], int) else 0)))
    return {"stints": seq, "stats": stats}


def _chain(moves: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order moves by date; an undated move goes right after the move into its ``from`` club
    (or right before the move out of its club), which is what "then he played for" means."""
    dated = sorted((m for m in moves if m["since"]), key=lambda m: date_key(m["since"]))
    seq = list(dated)
    pending = [m for m in moves if not m["since"]]
    for _ in range(len(pending) + 1):
        rest = []
        for m in pending:
            keys = [club_key_of(s["club_key"], s["club"]) for s in seq]
            src = club_key_of(m["from_club_key"], m["from_club"])
            dst = club_key_of(m["club_key"], m["club"])
            if src in keys:
                seq.insert(keys.index(src) + 1, m)
            elif dst in [club_key_of(s["from_club_key"], s["from_club"]) for s in seq]:
                idx = [club_key_of(s["from_club_key"], s["from_club"]) for s in seq].index(dst)
                seq.insert(idx, m)
            else:
                rest.append(m)
        if len(rest) == len(pending):
            break
        pending = rest
    return seq + pending


def _fill_from_kb(seq: list[dict[str, Any]], kb_clubs: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    if not kb_clubs:
        return seq
    order = [k for k, _ in kb_clubs]
    have = {club_key_of(s["club_key"], s["club"]) for s in seq}
    for key, name in kb_clubs:
        if key in have:
            continue
        pos = order.index(key)
        later = set(order[pos + 1 :])
        idx = next((i for i, s in enumerate(seq) if s["club_key"] in later), len(seq))
        seq.insert(
            idx,
            {
                "club": name,
                "club_key": key,
                "since": None,
                "kind": "kb",
                "from_club": None,
                "from_club_key": None,
                "source": "kb",
                "evidence": None,
            },
        )
        have.add(key)
    return seq


# -- links: the latest on his future --------------------------------------------------------
def _unit_dict(u: SourceUnit) -> dict[str, Any]:
    c = u.first
    return {
        "published": c.published,
        "type": c.type,
        "status": c.status,
        "stage": claim_stage(c),
        "source": c.source,
        "source_platform": c.source_platform,
        "source_class": source_class(c),
        "outlet": c.article.outlet,
        "language": c.article.language,
        "evidence": c.ref(),
        "copies": [
            {"article_id": x.article.id, "outlet": x.article.outlet, "published": x.published, "url": x.article.url}
            for x in u.copies
        ],
    }


def _type_rank(claim: ClaimRecord) -> int:
    """The ladder rank a claim would have if it were not denied (``claim_stage`` of it as a
    reported claim, without copying it: this runs for every report of every link)."""
    if claim.type in ("transfer", "loan", "agreement"):
        return RANK["medical"] if is_medical(claim) else RANK["agreement"]
    return RANK[claim.type] if claim.type in ("interest", "negotiation") else 0


def link_view(
    club: str | None,
    club_key: str | None,
    claims: Sequence[ClaimRecord],
    as_of: date,
    signed_elsewhere: tuple[str, str | None] | None = None,
) -> dict[str, Any]:
    """One player-club link: stage, ladder climbed, independent sources and credibility."""
    return _link(club, club_key, claims, as_of, signed_elsewhere)[0]


def _link(
    club: str | None,
    club_key: str | None,
    claims: Sequence[ClaimRecord],
    as_of: date,
    signed_elsewhere: tuple[str, str | None] | None = None,
) -> tuple[dict[str, Any], Credibility]:
    """``link_view`` and its credibility (whose ``base`` and ``last`` the dict leaves out)."""
    units = source_units(claims)
    # on one day, steps climb in ladder order (an article may report talks and their outcome)
    ordered = sorted(claims, key=lambda c: (date_key(c.published), _type_rank(c), c.id))
    ladder: list[dict[str, Any]] = []
    top = 0
    for c in ordered:
        st = claim_stage(c)
        if st == "denied":
            if not (ladder and ladder[-1]["stage"] == "denied" and ladder[-1]["published"] == c.published):
                ladder.append({"stage": "denied", "published": c.published, "evidence": c.ref()})
        elif stage_rank(st) > top:
            top = stage_rank(st)
            ladder.append({"stage": st, "published": c.published, "evidence": c.ref()})
    highest = next((s for s, r in RANK.items() if r == top), None)
    positive = [c for c in claims if c.status != "denied"]
    # "Napoli never made a formal bid" denies a step the link never reached: it stays at
    # interest. A denial counts when it is about a reached step, or when nothing else is known.
    denials = [c for c in claims if c.status == "denied" and (top == 0 or _type_rank(c) <= top)]
    stage = highest or "denied"
    if highest != "official" and denials:
        last_denial = max(date_key(c.published) for c in denials)
        last_positive = max((date_key(c.published) for c in positive), default=None)
        if last_positive is None or last_denial >= last_positive:
            stage = "collapsed" if top >= RANK["negotiation"] else "denied"
    if signed_elsewhere is not None and highest != "official" and top >= RANK["negotiation"]:
        stage = "collapsed"
    voices = {u.voice() for u in units if u.first.status != "denied"}
    cred = link_credibility(units, stage, as_of, signed_elsewhere)
    view = {
        "club": club,
        "club_key": club_key,
        "stage": stage,
        "highest_stage": highest,
        "ladder": ladder,
        "reports": len(claims),
        "independent_sources": len(voices) or len({u.voice() for u in units}),
        "syndicated_copies": sum(len(u.copies) for u in units),
        "first_seen": ordered[0].published if ordered else None,
        "last_seen": ordered[-1].published if ordered else None,
        "signed_elsewhere": ({"club": signed_elsewhere[0], "date": signed_elsewhere[1]} if signed_elsewhere else None),
        "credibility": cred.to_dict(),
        "sources": [_unit_dict(u) for u in units],
    }
    return view, cred


def future(
    claims: Sequence[ClaimRecord],
    as_of: date,
    only: set[str | None] | None = None,
    seen: Sequence[_Seen] | None = None,
    departures: bool = True,
) -> dict[str, Any]:
    """One line per club linked to him, most credible first, and what was said about leaving.
    ``only`` restricts the links (and the ignored same-club reports) to these club keys: a club
    view needs one or two. ``seen``: the claims' sightings, when the caller has them already.
    ``departures=False`` leaves the departure reports out (empty), for callers not showing them."""
    found, ignored = _links(claims, as_of, only, seen)
    links = [view for _, view, _ in found]
    links.sort(key=lambda link: (-link["credibility"]["score"], link["club"] or "~"))
    return {
        "links": links,
        "departures": events_of(claims, "departure") if departures else [],
        "ignored_same_club": ignored,
    }


def _links(
    claims: Sequence[ClaimRecord],
    as_of: date,
    only: set[str | None] | None = None,
    seen: Sequence[_Seen] | None = None,
) -> tuple[list[tuple[str | None, dict[str, Any], Credibility]], list[dict[str, Any]]]:
    """The links of ``future`` in the order their clubs first appear in ``claims`` (before
    sorting), each with its grouping key and credibility; and the ignored same-club reports."""
    groups: dict[str | None, list[ClaimRecord]] = defaultdict(list)
    names: dict[str | None, tuple[str | None, str | None]] = {}
    ignored: list[dict[str, Any]] = []
    if seen is None:
        seen = _sightings(claims)
    for c in claims:
        if not c.is_move:
            continue
        if only is not None and club_key_of(c.club_key, c.club) not in only:
            continue
        if c.status != "official" and c.club:
            here = club_at(claims, c.published, before=True, seen=seen)
            if here and club_key_of(here["club_key"], here["club"]) == club_key_of(c.club_key, c.club):
                # A move to the club he already plays for is no move: keep it in the chronicle only.
                ignored.append(c.ref())
                continue
        k = club_key_of(c.club_key, c.club)
        groups[k].append(c)
        names.setdefault(k, (c.club, c.club_key))
    officials = sorted(
        (c for c in claims if c.type in ("transfer", "loan") and c.status == "official" and not c.is_career),
        key=lambda c: date_key(c.published),
    )
    links = []
    for k, group in groups.items():
        if only is not None and k not in only:
            continue
        last = max(date_key(c.published) for c in group)
        moved = next(
            (o for o in reversed(officials) if club_key_of(o.club_key, o.club) != k and date_key(o.published) >= last),
            None,
        )
        club, club_key = names[k]
        view, cred = _link(club, club_key, group, as_of, (moved.club or "", moved.published) if moved else None)
        links.append((k, view, cred))
    return links, ignored


# -- identity ---------------------------------------------------------------------------------
def identity(entity: EntityRecord, kb_attrs: Mapping[str, Any] | None, as_of: date) -> dict[str, Any]:
    attrs = dict(kb_attrs or {})
    attrs.update({k: v for k, v in entity.attributes.items() if v is not None})
    birth = attrs.get("birth_year") or attrs.get("birth_year_estimate")
    age = None
    if isinstance(birth, int):
        age = as_of.year - birth
    elif isinstance(attrs.get("age"), int):
        age = attrs["age"]
    aliases = [a for a in dict.fromkeys(entity.aliases) if a != entity.name]
    return {
        "key": entity.key,
        "name": entity.name,
        "type": entity.type,
        "kb_id": entity.kb_id,
        "aliases": aliases,
        "nationality": attrs.get("nationality"),
        "birth_year": birth,
        "birth_year_estimated": "birth_year" not in attrs and birth is not None,
        "age": age,
        "position": attrs.get("position"),
    }


# -- the player dossier -----------------------------------------------------------------------
def player_dossier(
    entity: EntityRecord,
    claims: Sequence[ClaimRecord],
    facts: Sequence[FactRecord],
    as_of: date,
    at: str | None = None,
    kb_attrs: Mapping[str, Any] | None = None,
    kb_clubs: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Everything known about a player as of ``at`` (None: everything stored)."""
    claims = [with_alternatives(c) for c in claims if on_or_before(c.published, at)]
    facts = [f for f in facts if f.article is None or on_or_before(f.article.published, at)]
    mine = [c for c in claims if c.player_key in (None, entity.key)]
    current = club_at(mine, at)
    fut = future(mine, as_of)
    synd: dict[int, int] = {}
    for link in fut["links"]:
        for src in link["sources"]:
            for cp in src["copies"]:
                synd[cp["article_id"]] = src["evidence"]["article_id"]
    synd.update(syndicated_copies(source_units(c for c in mine if c.is_move)))
    return {
        "kind": "player",
        "as_of": as_of.isoformat(),
        "at": at,
        "identity": identity(entity, kb_attrs, as_of),
        "club": current,
        "contract": contract(mine, current["club_key"] if current else None),
        "injuries": events_of(mine, "injury"),
        "exclusions": events_of(mine, "squad_exclusion"),
        "conflicts": events_of(mine, "conflict"),
        "career": career(mine, facts, kb_clubs),
        "future": fut,
        "chronicle": chronicle(mine, synd),
        "counts": {
            "claims": len(mine),
            "articles": len({c.article.id for c in mine}),
            "languages": sorted({c.article.language for c in mine if c.article.language}),
        },
    }


# -- club dossier -----------------------------------------------------------------------------
def club_dossier(
    club: EntityRecord,
    players: Mapping[str, tuple[str, Sequence[ClaimRecord]]],
    as_of: date,
    at: str | None = None,
) -> dict[str, Any]:
    """Squad (players whose latest known club is this one), incoming and outgoing links.
    ``players`` maps a player key to (name, every claim about him)."""
    squad, incoming, outgoing = [], [], []
    for pkey, (pname, pclaims) in sorted(players.items(), key=lambda kv: kv[1][0]):
        mine = [c for c in pclaims if on_or_before(c.published, at)]
        if not mine:
            continue
        seen = _sightings(mine)
        here = club_at(mine, at, seen=seen)
        at_club = here is not None and here["club_key"] == club.key
        if at_club and here is not None:
            squad.append({"player": pname, "player_key": pkey, "since_seen": here["seen"], "basis": here["basis"]})
        if not at_club:
            # Not his club now: only the link to this club, and links he had while he was here.
            was_here = {club_key_of(c.club_key, c.club) for c in mine if c.is_move and c.from_club_key == club.key}
            fut = future(mine, as_of, only={club.key} | was_here, seen=seen, departures=False)
        else:
            fut = future(mine, as_of, seen=seen)
        for link in fut["links"]:
            row = {"player": pname, "player_key": pkey, **_link_row(link)}
            if link["club_key"] == club.key:
                incoming.append(row)
            else:
                # Outgoing: he plays here, or played here when the link was first reported.
                then = club_at(mine, link["first_seen"], before=True, seen=seen) if link["first_seen"] else None
                if at_club or (then is not None and then["club_key"] == club.key):
                    outgoing.append(row)
        if at_club:
            for dep in fut["departures"]:
                if dep["club"] and fold(dep["club"]) == fold(club.name) and dep["status"] != "denied":
                    outgoing.append(_departure_row(pname, pkey, dep["status"], dep["published"]))
    return _club_view(club, as_of, at, squad, incoming, outgoing)


def _club_view(
    club: EntityRecord,
    as_of: date,
    at: str | None,
    squad: list[dict[str, Any]],
    incoming: list[dict[str, Any]],
    outgoing: list[dict[str, Any]],
) -> dict[str, Any]:
    by_score = lambda r: (-(r["credibility"] or 0), r["player"])  # noqa: E731
    return {
        "kind": "club",
        "as_of": as_of.isoformat(),
        "at": at,
        "identity": {"key": club.key, "name": club.name, "kb_id": club.kb_id, "aliases": club.aliases},
        "squad": squad,
        "incoming": sorted(incoming, key=by_score),
        "outgoing": sorted(outgoing, key=by_score),
    }


def _departure_row(pname: str, pkey: str, status: str, published: str | None) -> dict[str, Any]:
    return {"player": pname, "player_key": pkey, "club": None, "club_key": None, "stage": "departure",
            "status": status, "last_seen": published, "credibility": None, "independent_sources": 1}  # fmt: skip


# -- club view summaries ------------------------------------------------------------------------
# A club view shows every link of up to 150 players: computing them from the claims on each request
# costs ~250 ms. What it needs of one player does not depend on the club asked about, only on his
# claims (and, through recency, on today), so the store keeps it per player (``player_summaries``,
# rewritten whenever his claims change) and the view is assembled from those summaries.
#
# A summary is text: a JSON header line (name, current club, departures), then one line per link,
# ``<JSON list: the link's club key, then the clubs he was leaving in its reports>\t<JSON link>``.
# A view needs all the links of its squad players but only one or two of each other player's ~35:
# it picks those lines by their keys and decodes only them, all in one json.loads (decoding every
# link of 150 players as JSON objects cost ~10 ms, and garbage collections as long again).
# Changing what a summary holds: bump the version, and add a migration emptying player_summaries so
# `mercato db upgrade` rewrites them (rows of another version are ignored, computed on read).
SUMMARY_VERSION = 1
_SUMMARY_AS_OF = date(2000, 1, 1)  # any day: a summary keeps the score before recency
_LINK_FIELDS = ("club", "club_key", "stage", "independent_sources", "first_seen", "last_seen")


def club_view_summary(claims: Sequence[ClaimRecord]) -> str:
    """What ``club_dossier`` needs of one player, from every claim about him (newest first, as
    the service reads them), for any club and any ``as_of`` (not for a view ``at`` a past day)."""
    mine = list(claims)
    seen = _sightings(mine)
    here = club_at(mine, None, seen=seen)
    froms: dict[str | None, set[str]] = defaultdict(set)
    for c in mine:
        if c.is_move and c.from_club_key:
            froms[club_key_of(c.club_key, c.club)].add(c.from_club_key)
    header = {
        "v": SUMMARY_VERSION,
        "name": mine[0].player if mine else None,
        "here": {"club_key": here["club_key"], "seen": here["seen"], "basis": here["basis"]} if here else None,
        "departures": [
            [d["club"], d["status"], d["published"]] for d in events_of(mine, "departure") if d["status"] != "denied"
        ],
    }
    lines = [json.dumps(header, ensure_ascii=False)]
    found, _ = _links(mine, _SUMMARY_AS_OF, seen=seen)
    for k, view, cred in found:
        then = club_at(mine, view["first_seen"], before=True, seen=seen) if view["first_seen"] else None
        body = [view[f] for f in _LINK_FIELDS]
        body += [cred.base, cred.last.isoformat() if cred.last else None, then["club_key"] if then else None]
        keys = json.dumps([k, *sorted(froms.get(k, ()))], ensure_ascii=False)
        lines.append(keys + "\t" + json.dumps(body, ensure_ascii=False))  # JSON text has no tab or newline
    return "\n".join(lines)


def summary_header(summary: str) -> dict[str, Any]:
    return json.loads(summary.partition("\n")[0])  # type: ignore[no-any-return]


def _shown_links(summary: str, club_key: str, everything: bool) -> list[str]:
    """The JSON of the links a view of ``club_key`` shows: all, or those to that club and those
    reported while he was leaving it."""
    lines = summary.split("\n")[1:]
    if everything:
        return [line[line.index("\t") + 1 :] for line in lines]
    needle = json.dumps(club_key, ensure_ascii=False)
    out = []
    for line in lines:
        tab = line.index("\t")
        # A key inside the keys' JSON appears as its own JSON text; confirm a hit by decoding.
        if line.find(needle, 0, tab) >= 0 and club_key in json.loads(line[:tab]):
            out.append(line[tab + 1 :])
    return out


def club_dossier_from_summaries(
    club: EntityRecord, players: Sequence[tuple[str, dict[str, Any], str]], as_of: date
) -> dict[str, Any]:
    """``club_dossier`` (no ``at``) from the players' summaries (``club_view_summary``), given as
    (player key, decoded header, summary) in the order ``club_dossier`` visits them (by name)."""
    squad, incoming, outgoing = [], [], []
    lasts: dict[str, date] = {}
    shown = []
    for _, header, summary in players:
        here = header["here"]
        shown.append(_shown_links(summary, club.key, here is not None and here["club_key"] == club.key))
    decoded = iter(json.loads("[" + ",".join(body for bodies in shown for body in bodies) + "]"))
    for (pkey, header, _), bodies in zip(players, shown, strict=True):
        pname, here = header["name"], header["here"]
        at_club = here is not None and here["club_key"] == club.key
        if at_club:
            squad.append({"player": pname, "player_key": pkey, "since_seen": here["seen"], "basis": here["basis"]})
        scored = []
        for x in itertools.islice(decoded, len(bodies)):
            last = x[7]
            if last is not None and last not in lasts:
                lasts[last] = date.fromisoformat(last)
            scored.append((final_score(x[6], lasts[last] if last is not None else None, as_of), x))
        scored.sort(key=lambda sx: (-sx[0], sx[1][0] or "~"))
        for score, x in scored:
            row = {"player": pname, "player_key": pkey, **dict(zip(_LINK_FIELDS, x[:6], strict=True))}
            row["credibility"] = score
            if x[1] == club.key:
                incoming.append(row)
            elif at_club or x[8] == club.key:
                outgoing.append(row)
        if at_club:
            for dclub, status, published in header["departures"]:
                if dclub and fold(dclub) == fold(club.name):
                    outgoing.append(_departure_row(pname, pkey, status, published))
    return _club_view(club, as_of, None, squad, incoming, outgoing)


def _link_row(link: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "club": link["club"],
        "club_key": link["club_key"],
        "stage": link["stage"],
        "independent_sources": link["independent_sources"],
        "first_seen": link["first_seen"],
        "last_seen": link["last_seen"],
        "credibility": link["credibility"]["score"],
    }


# -- source dossier -----------------------------------------------------------------------------
def outcome(claim: ClaimRecord, later: Sequence[ClaimRecord]) -> str:
    """What became of a report once later news is in: came_true, wrong, or pending.

    A move report came true when the player later moved officially to that club; it was wrong
    when he moved officially elsewhere, or the link was denied afterwards by someone on record.
    A denial was right when no official move to that club followed, wrong when one did."""
    k = club_key_of(claim.club_key, claim.club)
    after = [c for c in later if date_key(c.published) >= date_key(claim.published) and c.id != claim.id]
    officials = [c for c in after if c.type in ("transfer", "loan") and c.status == "official" and not c.is_career]
    if claim.status == "denied":
        if any(club_key_of(o.club_key, o.club) == k for o in officials):
            return "wrong"
        return "came_true" if officials else "pending"
    if any(club_key_of(o.club_key, o.club) == k for o in officials):
        return "came_true"
    if officials:
        return "wrong"
    if any(c.status == "denied" and club_key_of(c.club_key, c.club) == k and c.type in MOVE_TYPES for c in after):
        return "wrong"
    return "pending"


def source_dossier(
    name: str,
    key: str | None,
    kind: str,
    claims: Sequence[ClaimRecord],
    later_by_player: Mapping[str, Sequence[ClaimRecord]],
    as_of: date,
    at: str | None = None,
) -> dict[str, Any]:
    """A journalist's or outlet's claims and how many came true once outcomes are known."""
    rows = []
    tally = {"came_true": 0, "wrong": 0, "pending": 0}
    for c in sorted(claims, key=lambda c: (date_key(c.published), c.id), reverse=True):
        if not on_or_before(c.published, at):
            continue
        res = None
        if c.is_move and c.status != "official":
            later = [x for x in later_by_player.get(c.player_key or "", ()) if on_or_before(x.published, at)]
            res = outcome(c, later)
            tally[res] += 1
        rows.append(
            {
                "published": c.published,
                "type": c.type,
                "status": c.status,
                "player": c.player,
                "player_key": c.player_key,
                "club": c.club,
                "date": c.date,
                "outlet": c.article.outlet,
                "language": c.article.language,
                "outcome": res,
                "evidence": c.ref(),
            }
        )
    resolved = tally["came_true"] + tally["wrong"]
    return {
        "kind": "source",
        "as_of": as_of.isoformat(),
        "at": at,
        "identity": {"name": name, "key": key, "type": kind},
        "claims": rows,
        "outcomes": {
            **tally,
            "resolved": resolved,
            "accuracy": round(tally["came_true"] / resolved, 3) if resolved else None,
        },
    }
