"""Dates that span a claim's statements: what another sentence or another claim of the same
article tells about when a claim happened. The date a sentence gives its own claims is chosen in
claims.py (``_pick_date``, ``_choose_date``); these passes run on all the candidates after that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from mercato.analysis.dates import (
    PAST_RULES,
    PubDate,
    TimeExpr,
    find_time_expressions,
    month_for,
    season_calendars,
    season_end_year,
)
from mercato.model import ClaimType, EntityType, Status

if TYPE_CHECKING:
    from mercato.analysis.claims import Candidate
    from mercato.analysis.document import Doc

_CONTRACT_TYPES = {ClaimType.CONTRACT_EXPIRY, ClaimType.CONTRACT_EXTENSION}
_EVENT_TYPES = {ClaimType.INJURY, ClaimType.SQUAD_EXCLUSION, ClaimType.CONFLICT}


def sentence_times(doc: Doc, sentence: int) -> list[TimeExpr]:
    key = ("times", sentence)
    if key not in doc.cache:
        s = doc.sentences[sentence]
        names = [(m.start, m.end) for m in doc.mentions_in(s.start, s.end)]
        doc.cache[key] = find_time_expressions(
            doc.folded, s.start, s.end, doc.pack, doc.pub, calendar_at=season_calendars(doc), names=names
        )
    return list(cast("list[TimeExpr]", doc.cache[key]))


# Claims a following sentence may date, and the expressions that can: an end for a contract, a
# coming transfer window for an interest or an exit
_CONTINUED = {ClaimType.CONTRACT_EXPIRY, ClaimType.CONTRACT_EXTENSION, ClaimType.INTEREST, ClaimType.DEPARTURE}
_WINDOW_KINDS = ("relative", "season_end", "month", "month_year", "season_year", "mid_year")


def _fits_continued(doc: Doc, c: Candidate, e: TimeExpr) -> bool:
    if e.since or e.rule in PAST_RULES:
        return False
    if c.type in _CONTRACT_TYPES:
        return e.until or e.kind in ("years_left", "mid_year")
    if e.kind not in _WINDOW_KINDS or e.until or doc.pub is None:
        return False
    # a window ahead: "In February talks stalled" after "PSG were watching" is no target date
    when = (month_for(doc.pub, e.month, "near") if e.month else e.value)[:7]
    return when >= doc.pub.iso()[: len(when)]


def date_from_following(doc: Doc, cands: list[Candidate]) -> None:
    """A claim whose sentence gives no time takes it from the next sentences of its paragraph, as
    long as they speak of no other player: "La Lazio ha ufficializzato il rinnovo di Pedro.
    L'attaccante resterà fino al 2026." """
    # a sentence telling the claim again dates it itself: "Fiorentina want to tie Kean down. They
    # have opened talks to extend his contract, which today runs until 2029" (that end is not the
    # renewal's, and the renewal's statement there has already turned it down)
    told: set[tuple[ClaimType, int, int]] = {(c.type, c.player, c.sentence) for c in cands}
    for c in cands:
        if c.career or c.type not in _CONTINUED or (c.date and not c.date_inherited):
            continue
        if c.type is ClaimType.DEPARTURE and c.status is Status.RUMOUR:
            continue  # "he may join the list of departures. Brighton could bid this summer": their bid
        for j in (c.sentence + 1, c.sentence + 2):
            if j >= len(doc.sentences) or doc.sentences[j].line_start:
                break
            nxt = doc.sentences[j]
            people = doc.mentions_in(nxt.start, nxt.end)
            if any(doc.entities[m.entity].type is EntityType.PLAYER and m.entity != c.player for m in people):
                break
            if (c.type, c.player, j) in told:
                break
            found = [e for e in sentence_times(doc, j) if _fits_continued(doc, c, e)]
            if not found:
                continue
            e = found[0]
            date = e.value
            if e.month and doc.pub is not None:
                date = month_for(doc.pub, e.month, "next" if c.type in _CONTRACT_TYPES else "near")
            if c.type in _CONTRACT_TYPES and len(date) == 4:
                date = f"{date}-06"
            c.date, c.date_inherited = date, False
            break


def date_departures(doc: Doc, cands: list[Candidate]) -> None:
    """An exit dated only by default or by a year: "the gap Beste's departure left ... he moved
    to Benfica a few days ago" leaves with that move; "will leave in the summer" with the
    contract running out that summer leaves when it ends, and so does an exit announced with no
    time while the contract runs out before the season ends ("leaves on a free")."""
    moves: dict[int, str] = {}
    ends: dict[tuple[int, int | None], str] = {}
    for c in cands:
        if c.date and not c.date_inherited and not c.career:
            if c.type in (ClaimType.TRANSFER, ClaimType.LOAN):
                moves.setdefault(c.player, c.date)
            elif c.type is ClaimType.CONTRACT_EXPIRY:
                ends.setdefault((c.player, c.club), c.date)
    for c in cands:
        if c.type is not ClaimType.DEPARTURE or c.career:
            continue
        end = ends.get((c.player, c.club))
        if c.date and len(c.date) == 4 and end and end.startswith(c.date):
            c.date = end
        elif c.date_inherited and c.player in moves:
            c.date = moves[c.player]
        elif c.date_inherited and end and doc.pub is not None and _runs_out_this_season(end, doc.pub):
            c.date = end


def _runs_out_this_season(end: str, pub: PubDate) -> bool:
    """The contract ends this season and soon: in spring, a June end is the exit; in the summer
    window, the end of the season ahead is a year away ("asked to be sold" leaves now)."""
    now = pub.iso()[:7]
    if not now <= end[:7] <= f"{season_end_year(pub):04d}-06":
        return False
    months_ahead = (int(end[:4]) - pub.year) * 12 + (int(end[5:7] or 6) - (pub.month or 1))
    return months_ahead <= _SOON_MONTHS


_SOON_MONTHS = 6  # from the winter window on, a June end is this season's way out


def old_contract_first(cands: list[Candidate]) -> None:
    """With an extension in the article, the contract that expires is the one it replaces:
    "extended until 2025; his old deal ran until the end of this season" -> the expiry is 2024.
    Expiry statements giving the extension's new end yield to an earlier one."""
    renewed = {
        (c.player, c.club): c.date
        for c in cands
        if c.type is ClaimType.CONTRACT_EXTENSION and c.date and c.status is not Status.DENIED
    }
    expiries = [c for c in cands if c.type is ClaimType.CONTRACT_EXPIRY and c.date and not c.date_inherited]
    for c in expiries:
        new_end = renewed.get((c.player, c.club))
        if new_end is None or c.date is None or c.date < new_end:  # (expiries all have a date)
            continue
        if any(
            o.player == c.player and o.club == c.club and o.date is not None and o.date < new_end for o in expiries
        ):
            c.date_inherited = True


def event_recency(c: Candidate) -> str:
    """For an injury, exclusion or conflict told twice, the latest is the current one: a key that
    sorts later dates first (empty for other claims)."""
    if c.type not in _EVENT_TYPES or not c.date:
        return ""
    return "".join(str(9 - int(ch)) if ch.isdigit() else ch for ch in c.date)  # 2025-04 before 2025-03
