"""Typed claims: a trigger of the language pack, the player it is about, the clubs involved.

Per sentence: every trigger match proposes a claim for the players of the sentence (or the player
the previous sentences were about). Clubs are chosen by role: the buying club for deals, the
player's own club for contracts, injuries, exclusions and conflicts. Career paragraphs become a
chain of official transfers. Then one claim per (type, player, club), the main statement kept and
the others recorded as alternatives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import cast

from mercato.analysis.attribution import attribute
from mercato.analysis.claim_dates import (
    date_departures,
    date_from_following,
    event_recency,
    old_contract_first,
    sentence_times,
)
from mercato.analysis.dates import DAY_RULES, PAST_RULES, TimeExpr, month_for
from mercato.analysis.document import Doc, Mention
from mercato.analysis.mentions import Description, find_descriptions
from mercato.analysis.patterns import PatternSet, patterns_for, phrase_before
from mercato.analysis.segment import Sentence, clause_bounds
from mercato.analysis.status import can_be_official, claim_status, is_hedged, talks_ended
from mercato.model import Claim, ClaimType, EntityType, Status
from mercato.text import fold_keep_length

DEAL_STAGES = {
    ClaimType.INTEREST: 1,
    ClaimType.NEGOTIATION: 2,
    ClaimType.AGREEMENT: 3,
    ClaimType.TRANSFER: 4,
    ClaimType.LOAN: 4,
}
_OWN_CLUB_TYPES = {
    ClaimType.DEPARTURE,
    ClaimType.CONTRACT_EXPIRY,
    ClaimType.CONTRACT_EXTENSION,
    ClaimType.INJURY,
    ClaimType.SQUAD_EXCLUSION,
    ClaimType.CONFLICT,
}
# How many sentences a player stays "the one the text is about" when no player is named.
FOCUS_SENTENCES = 5
_CONTRACT_TYPES = {ClaimType.CONTRACT_EXPIRY, ClaimType.CONTRACT_EXTENSION}
_EVENT_TYPES = {ClaimType.INJURY, ClaimType.SQUAD_EXCLUSION, ClaimType.CONFLICT}
_NEEDS_CLUB = {ClaimType.NEGOTIATION, ClaimType.AGREEMENT, ClaimType.TRANSFER, ClaimType.LOAN}
_DATE_STAMP_LINE = re.compile(
    r"^\s*(?:\d{1,2}[:.h]\d{2}\s+)?(\d{1,2})\s+([^\W\d_]{3,10})\.?\s+((?:19|20)\d\d)\b", re.UNICODE
)


@dataclass(slots=True)
class Candidate:
    type: ClaimType
    player: int  # entity index
    club: int | None
    from_club: int | None
    sentence: int
    trigger: tuple[int, int]
    clause: tuple[int, int]
    career: bool = False
    in_quote: bool = False
    far_club: bool = False  # the club was taken from outside the trigger's clause
    date_inherited: bool = False  # the date came from another claim or the publication, not this sentence
    date_at: int | None = None  # where the time expression the date came from starts
    historic: bool = False  # a move dated before the article, told outside a career chain
    by_focus: bool = False  # the sentence names no player: he is the one the text was about
    with_seller: bool = False  # from_club is the club "with" whom the deal is made
    announced_next: bool = False  # the next sentence announces it ("Dat maakte de club bekend")
    from_departure: bool = False  # a move told as a departure to a named club ("le départ vers X")
    origin_named: bool = False  # the sentence names the club the move starts from ("dal Genoa")
    years_left: bool = False  # the contract date is "a year left": the contract he has now
    extra_clubs: list[int] = field(default_factory=list)  # clubs coordinated with the buyer
    counterpart: int | None = None
    date: str | None = None
    status: Status = Status.REPORTED
    source: int | None = None
    platform: str | None = None
    alternatives: list[dict[str, object]] = field(default_factory=list)


@lru_cache(maxsize=16)
def _conjunctions(code: str) -> frozenset[str]:
    from mercato.lang import load_pack

    return frozenset(fold_keep_length(w) for w in load_pack(code).core.get("conjunctions", []))


@lru_cache(maxsize=16)
def _triggers(code: str) -> dict[ClaimType, PatternSet]:
    from mercato.lang import load_pack

    pack = load_pack(code)
    return {t: patterns_for(pack, "claims", t.value) for t in ClaimType}


def _preceded_by(doc: Doc, m: Mention, key: str, file: str = "core") -> bool:
    """The mention comes right after one of the pack's prepositions ("dal", "van", "du"); an
    article and an adjective may sit in between ("van het Oekraïense Metalist")."""
    # (file, key, start) -> the answer, ("lo", start) -> where the words looked at may start
    memo = cast("dict[tuple[object, ...], int] | None", doc.cache.get(("before", 0)))
    if memo is None:
        memo = doc.cache[("before", 0)] = {}
    found = memo.get((file, key, m.start))
    if found is None:
        lo = memo.get(("lo", m.start))
        if lo is None:
            s = doc.sentences[m.sentence]
            # "aus Wolfsburg zum BVB": the words skipped are no other name
            ends = [o.end for o in doc.mentions_in(s.start, m.start)]
            lo = memo[("lo", m.start)] = max([s.start, *ends])
        window = doc.folded[lo : m.start]
        found = phrase_before(doc.pack, file, key).ends_before(window, m.start - lo, skip_words=2)
        memo[(file, key, m.start)] = found
    return bool(found)


def extract_claims(doc: Doc) -> list[Claim]:
    sentences = doc.sentences
    triggers = _triggers(doc.lang)
    career = patterns_for(doc.pack, "claims", "career")
    career_youth = patterns_for(doc.pack, "claims", "career_youth")
    conj = _conjunctions(doc.lang)
    candidates: list[Candidate] = []
    focus: tuple[int, int] | None = None  # (player entity, sentence index) last seen
    recent: list[tuple[int, int]] = []  # (player entity, sentence index) of every player mention, in order
    local_dates = _local_dates(doc)

    # every trigger type's matches, by sentence, in one pass each (types that match nothing skipped)
    by_sentence = [(t, type_matches) for t, ps in triggers.items() if (type_matches := doc.sentence_matches(ps))]
    career_by_sentence = doc.sentence_matches(career)
    for s in sentences:
        sent_mentions = doc.mentions_in(s.start, s.end)
        players = [m for m in sent_mentions if doc.entities[m.entity].type is EntityType.PLAYER]
        clubs = [m for m in sent_mentions if doc.entities[m.entity].type is EntityType.CLUB]
        found: list[tuple[ClaimType, int, int]] = []
        for ctype, matches in by_sentence:
            found.extend((ctype, tm.start, tm.end) for tm in matches.get(s.index, ()))
        # a career cue inside a longer trigger is part of it: folded, "chegou à" is the "chegou a"
        # of "chegou a acordo"
        cues = [
            cm.start
            for cm in career_by_sentence.get(s.index, ())
            if not any(a <= cm.start and cm.end <= b and b - a > cm.end - cm.start for _, a, b in found)
            and not _future_year(doc, doc.folded[cm.start : cm.end])
        ]
        is_career = bool(clubs) and bool(cues)
        if is_career:
            # "O Botafogo apresentou uma proposta pelo avançado, que chegou ao Benfica em 2023": a
            # club in the clause of a current deal word is that deal's, not a step of the career
            current = [(a, b) for t, a, b in found if t in (ClaimType.INTEREST, ClaimType.NEGOTIATION)]
            deal_clauses = [clause_bounds(doc.folded, s.start, s.end, a, conj) for a, _ in current]
            chain_clubs = [m for m in clubs if not any(lo <= m.start < hi for lo, hi in deal_clauses)] or clubs
            who = (
                [players[0].entity]
                if players
                else ([focus[0]] if focus and s.index - focus[1] <= FOCUS_SENTENCES else [])
            )
            if who:
                candidates.extend(_career_chain(doc, s.index, who[0], chain_clubs, career_youth, conj, candidates))
            # the career chain tells these moves
            found = [f for f in found if f[0] not in (ClaimType.TRANSFER, ClaimType.LOAN, ClaimType.DEPARTURE)]
        found = _longest_triggers(found)
        descriptions: list[Description] | None = None
        described_focus: int | None = None
        per_trigger = [_players_for(doc, players, t_start, t_end, conj) for _, t_start, t_end in found]
        for (ctype, t_start, t_end), targets in zip(found, per_trigger, strict=True):
            # "le prêt de Bennacer, Wahi file à Francfort": a player coordinated with this trigger's
            # player who is the nearest player of another trigger belongs to that one
            others = {t[0] for t in per_trigger if t and t is not targets and t[0] != targets[0]}
            targets = targets[:1] + [p for p in targets[1:] if p not in others]
            # a line of its own in headline style naming no player ("Read more: Chelsea close in on
            # a deal for Brighton youngster") is about another story
            by_focus = (
                not targets
                and focus is not None
                and s.index - focus[1] <= FOCUS_SENTENCES
                and not (s.line_alone and s.index > 0 and not _ends_like_prose(doc, s))
            )
            if by_focus and focus is not None:  # (by_focus implies a focus)
                if descriptions is None:
                    descriptions = find_descriptions(doc, s.start, s.end)
                described = _described_player(doc, descriptions, t_start, recent, s.index)
                targets = [described if described is not None else focus[0]]
                if described is not None:
                    described_focus = described
            clause = clause_bounds(doc.folded, s.start, s.end, t_start, conj)
            for player in targets:
                candidates.append(
                    Candidate(
                        ctype,
                        player,
                        None,
                        None,
                        s.index,
                        (t_start, t_end),
                        clause,
                        in_quote=s.in_quote,
                        by_focus=by_focus,
                    )
                )
        if players and (not s.line_alone or s.index == 0):
            # the sentence's subject (its first player), not a teammate named in passing; a line of
            # its own after the headline ("read also" teaser, photo caption) is no antecedent
            focus = (players[0].entity, s.index)
            recent.extend((m.entity, s.index) for m in players)
        elif described_focus is not None:
            focus = (described_focus, s.index)  # "le milieu centrafricain" named him again
            recent.append((described_focus, s.index))

    candidates = [c for c in candidates if not _hypothetical(doc, c)]
    # moves first: a year that makes one historic is no longer free to date the sentence's other
    # claims ("a bid for Solanke, who joined Tottenham in 2024")
    for c in sorted(candidates, key=lambda c: not c.career and c.type not in (ClaimType.TRANSFER, ClaimType.LOAN)):
        _date_status_source(doc, c, local_dates)  # also tells historic moves from current ones
    _current_end_is_no_renewal(candidates)
    date_from_following(doc, candidates)
    _announcement_follows(doc, candidates)
    _assign_clubs(doc, candidates)  # historic moves known: they do not make a club a buyer
    _inherit_buyers(candidates)
    _speakers_clubs(doc, candidates)
    candidates = [c for c in candidates if not (c.type in _NEEDS_CLUB and c.club is None)]
    candidates = _suppress_within_sentence(candidates)
    candidates = _drop_unnamed_duplicates(candidates)
    candidates = _fold_into_loans(doc, candidates)
    candidates = _drop_steps_of_done_moves(doc, candidates)
    candidates = _renewals_are_no_moves(candidates)
    _departures_follow_moves(candidates)
    _contracts_of_done_moves(candidates)
    _inherit_deal_dates(candidates)
    date_departures(doc, candidates)
    old_contract_first(candidates)
    return _merge(doc, candidates)


def _ends_like_prose(doc: Doc, s: Sentence) -> bool:
    """A sentence ending with a full stop, a question or exclamation mark or a closing quote; a
    headline, teaser or subheading does not."""
    tail = doc.text[s.start : s.end].rstrip()
    return tail[-1:] in '.!?»"”…' if tail else False


def _described_player(
    doc: Doc, descriptions: list[Description], t_start: int, recent: list[tuple[int, int]], sentence: int
) -> int | None:
    """The player a nameless description stands for ("le milieu centrafricain", "the Brazilian"):
    among the players of the last sentences, one whose known nationality and position fit it, the
    most recently named first. A nationality that may be an adjective ("the Brazilian club") must
    match a known nationality.
    None when the sentence has no description, or none fits (the sentence's subject rule applies)."""
    if not descriptions:
        return None
    before = [d for d in descriptions if d.start < t_start]
    desc = before[-1] if before else descriptions[0]
    best: tuple[int, int, int] | None = None  # (fit, recency, entity)
    headline = doc.sentences[0].line_alone
    for rank, (entity, seen_in) in enumerate(recent):
        if sentence - seen_in > FOCUS_SENTENCES:
            continue
        attrs = doc.entities[entity].attributes
        nationality, position = attrs.get("nationality"), attrs.get("position")
        if desc.nationality and nationality and nationality != desc.nationality:
            continue
        if desc.position and position and position != desc.position:
            continue
        fit = 2 * (desc.nationality is not None and nationality == desc.nationality)
        fit += desc.position is not None and position == desc.position
        if (not desc.certain and fit < 2) or (seen_in == 0 and headline and fit == 0):
            # the headline names several players in telegraphic style: which one a description
            # means is for the subject rule to say, unless what is known of him fits it
            continue
        if best is None or (fit, rank) >= best[:2]:
            best = (fit, rank, entity)
    return best[2] if best is not None else None


def _future_year(doc: Doc, cue: str) -> bool:
    """A cue dated after the article ("cujo vínculo termina em 2027") tells no career step."""
    return doc.pub is not None and any(int(y) > doc.pub.year for y in re.findall(r"(?<!\d)(?:19|20)\d\d(?!\d)", cue))


def _current_end_is_no_renewal(cands: list[Candidate]) -> None:
    """A renewal only rumoured has no end of its own: "Rongier, who has a year left, could
    extend", "avrebbe avviato i contatti per il rinnovo del contratto, che scade nel 2029". The end
    told in the clause of the contract running out is that contract's, not the renewal's. (A
    refusal to renew may be dated by the end it lets come: "ends on 31 December, and the club
    decided not to renew".)"""
    expiries = [c for c in cands if c.type is ClaimType.CONTRACT_EXPIRY and c.date_at is not None]
    for c in cands:
        if c.type is not ClaimType.CONTRACT_EXTENSION or c.status is not Status.RUMOUR:
            continue
        at = c.date_at
        if at is None or c.clause[0] <= at < c.clause[1]:
            continue
        if any(e.player == c.player and e.sentence == c.sentence and e.clause[0] <= at < e.clause[1] for e in expiries):
            c.date, c.date_at, c.years_left = None, None, False


def _longest_triggers(found: list[tuple[ClaimType, int, int]]) -> list[tuple[ClaimType, int, int]]:
    """A trigger inside a longer trigger of another type is part of that phrase, not a claim of
    its own: "chiesto informazioni" is interest, not the "chiesto" of a negotiation."""
    if len(found) < 2:
        return found
    kept = []
    for t, a, b in found:
        for t2, a2, b2 in found:
            if t2 is not t and a2 <= a and b <= b2 and b2 - a2 > b - a:
                break
        else:
            kept.append((t, a, b))
    return kept


def _hypothetical(doc: Doc, c: Candidate) -> bool:
    """A trigger inside an "if" clause ("si l'Atalanta fait une offre") states nothing."""
    cues = patterns_for(doc.pack, "status", "hypothetical")
    return bool(cues) and cues.search(doc.folded, c.clause[0], c.trigger[0]) is not None


_CLAUSE_BREAK = re.compile(r"[,;:()]")


def _players_for(doc: Doc, players: list[Mention], t_start: int, t_end: int, conj: frozenset[str]) -> list[int]:
    """The player a trigger is about (nearest), plus players coordinated with him ("X e Y")."""
    if not players:
        return []

    def distance(m: Mention) -> int:
        gap = doc.folded[m.end : t_start] if m.end <= t_start else doc.folded[t_end : m.start]
        # "Rabiot proche de prolonger, Greenwood courtisé": a player across a comma is farther
        broken = 1000 if _CLAUSE_BREAK.search(gap) else 0
        return broken + (t_start - m.end if m.end <= t_start else m.start - t_end + 1)

    nearest = min(players, key=distance)
    chosen = [nearest]
    ordered = sorted(players, key=lambda m: m.start)
    idx = ordered.index(nearest)
    for step in (-1, 1):
        j = idx
        while 0 <= j + step < len(ordered):
            a, b = (ordered[j], ordered[j + step]) if step == 1 else (ordered[j + step], ordered[j])
            between = doc.folded[a.end : b.start].strip(" ,")
            if between == "" or between in conj:
                chosen.append(ordered[j + step])
                j += step
            else:
                break
    seen: list[int] = []
    for m in chosen:
        if m.entity not in seen:
            seen.append(m.entity)
    return seen


def _career_chain(
    doc: Doc,
    sentence: int,
    player: int,
    clubs: list[Mention],
    youth: PatternSet,
    conj: frozenset[str],
    previous: list[Candidate],
) -> list[Candidate]:
    """Career history: each club reached in the sentence is an official transfer from the club before."""
    s = doc.sentences[sentence]
    prior = [c for c in previous if c.player == player and c.career]
    chain_prev: int | None = prior[-1].club if prior else None
    out: list[Candidate] = []
    loans = patterns_for(doc.pack, "claims", "loan")
    # "overgenomen van Metalist": a club introduced by "from" is where the move started
    origins = [m for m in clubs if _preceded_by(doc, m, "from_prepositions")]
    if origins:
        chain_prev = origins[0].entity
    youth_clubs: list[Mention] = []
    prev_end = s.start
    for m in sorted(clubs, key=lambda x: x.start):
        if m.place_like or m in origins:
            continue
        clause = clause_bounds(doc.folded, s.start, s.end, m.start, conj)
        # youth cues right before the club ("settore giovanile del San Lorenzo", "academy of Köln"),
        # not a cue that belongs to a club named before it
        youth_club = youth.search(doc.folded, max(prev_end, m.start - 40), m.start) is not None
        prev_end = m.end
        if m.entity == chain_prev:
            continue
        if youth_club:
            youth_clubs.append(m)
        else:
            # "dat hem in 2021 verhuurde aan FC Barcelona": a loan cue just before the club
            on_loan = loans.search(doc.folded, max(clause[0], m.start - 50), m.start) is not None
            kind = ClaimType.LOAN if on_loan else ClaimType.TRANSFER
            out.append(Candidate(kind, player, m.entity, chain_prev, sentence, (m.start, m.end), clause, career=True))
        chain_prev = m.entity
    # "war aus der Jugend des 1. FC Köln nach Leverkusen gewechselt" (the city after "nach" is no
    # club mention): a move word with a youth club and no club reached also leads to his club now
    move_words = patterns_for(doc.pack, "claims", "transfer")
    moved = bool(youth_clubs) and move_words.search(doc.folded, s.start, s.end) is not None
    if (origins or moved) and not out:
        # "Arrivé de Lens l'été dernier": the move led to his present club, filled in once known
        o = origins[0] if origins else youth_clubs[-1]
        clause = clause_bounds(doc.folded, s.start, s.end, o.start, conj)
        out.append(
            Candidate(ClaimType.TRANSFER, player, None, o.entity, sentence, (o.start, o.end), clause, career=True)
        )
    moves = [c for c in out if c.type is ClaimType.TRANSFER]
    lent = any(c.type is ClaimType.LOAN for c in out)  # "verhuurde aan FC Barcelona": the cue is used
    if len(moves) == 1 and not lent and _loan_of_this_move(doc, moves[0], loans, s.start, s.end):
        # "chegou em 2019 por empréstimo da Inter e foi comprado em definitivo no ano seguinte",
        # "depois de uma temporada por empréstimo": the one move of the sentence was a loan, and
        # also a permanent move when the sentence says so
        move = moves[0]
        loan = replace(move, type=ClaimType.LOAN)
        if patterns_for(doc.pack, "claims", "career_permanent").search(doc.folded, s.start, s.end):
            out.append(loan)
        else:
            out[out.index(move)] = loan
    return out


def _loan_of_this_move(doc: Doc, move: Candidate, loans: PatternSet, start: int, end: int) -> bool:
    """A loan word of the sentence that can be this career move's. Not one followed, in its clause,
    by another club ("emprestado pelo Eintracht Frankfurt ao St. Pauli") or by a name that is no
    club of the move ("avait auparavant été prêté à Getafe"): that loan was another career step."""
    own = {move.club, move.from_club}
    for lm in loans.finditer(doc.folded, start, end):
        if move.clause[0] <= lm.start < move.clause[1]:
            return True  # "chegou ao Flamengo em 2019 por empréstimo da Inter de Milão"
        after = re.split(r"[,;:.()]", doc.text[lm.end : min(end, lm.end + 40)], maxsplit=1)[0]
        # the first capitalised word after the loan word, past small words ("à", "pelo", "ao")
        cap = next((w for w in re.finditer(r"[^\W\d_][\w'’-]*", after) if w.group()[0].isupper()), None)
        if cap is None:
            return True  # "prima in prestito e poi a titolo definitivo"
        at = lm.end + cap.start()
        clubs = [m for m in doc.mentions_in(at, end) if m.start == at]
        if clubs and clubs[0].entity in own:
            return True  # "prêté par Lens, il ...": the club the move came from
    return False


def _suppress_within_sentence(cands: list[Candidate]) -> list[Candidate]:
    """In one sentence keep the most advanced deal stage per player and club (a loan is not also a
    transfer; "Milan asked, while Forest's interest ..." keeps both clubs), and drop a departure the
    same sentence already expresses as a move."""
    by_sentence: dict[tuple[int, int], list[Candidate]] = {}
    for c in cands:
        by_sentence.setdefault((c.sentence, c.player), []).append(c)
    kept: list[Candidate] = []
    for group in by_sentence.values():
        deals = [c for c in group if c.type in DEAL_STAGES and not c.career]
        moves = any(
            c.type in (ClaimType.TRANSFER, ClaimType.LOAN) and not c.career and not c.from_departure for c in group
        )
        seen: set[tuple[ClaimType, int | None]] = set()
        # "Sul fronte rinnovi, è stata smentita la trattativa per il prolungamento": of two
        # triggers of one claim in a sentence, the denied one tells it
        denied = {(c.type, c.club) for c in group if c.status is Status.DENIED}
        group = [c for c in group if c.status is Status.DENIED or (c.type, c.club) not in denied]
        for c in group:
            if c.type in DEAL_STAGES and not c.career:
                # a deal naming no club competes with every club's deal
                rivals = [d for d in deals if c.club is None or d.club in (c.club, None)]
                interested = any(d.type is ClaimType.INTEREST for d in rivals)
                top = max(_stage(d, interested) for d in rivals)
                has_loan = any(d.type is ClaimType.LOAN for d in rivals)
                if _stage(c, interested) < top or (has_loan and c.type is ClaimType.TRANSFER):
                    continue
            if c.type is ClaimType.DEPARTURE and moves:
                continue
            if not c.career and (c.type, c.club) in seen:
                continue
            seen.add((c.type, c.club))
            kept.append(c)
    kept.sort(key=lambda c: (c.sentence, c.trigger[0]))
    return kept


def _fold_into_loans(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """A current loan to a club is the whole move: "il passaggio all'Inter" and "accord trouvé"
    about the same player and club are that loan, not a transfer or an agreement besides it. An
    announcement in the transfer's sentence makes the loan official."""
    loans: dict[tuple[int, int], list[Candidate]] = {}
    for c in cands:
        if c.type is ClaimType.LOAN and not c.career and c.club is not None and c.status is not Status.DENIED:
            loans.setdefault((c.player, c.club), []).append(c)
    if not loans:
        return cands
    official = patterns_for(doc.pack, "status", "official")
    kept: list[Candidate] = []
    for c in cands:
        key = (c.player, c.club) if c.club is not None else None
        if c.career or key not in loans or c.type not in (ClaimType.TRANSFER, ClaimType.AGREEMENT):
            kept.append(c)
            continue
        s = doc.sentences[c.sentence]
        if c.type is ClaimType.TRANSFER and official.search(doc.folded, s.start, s.end):
            for loan in loans[key]:
                if loan.status is Status.REPORTED:
                    loan.status = Status.OFFICIAL
    return kept


def _announcement_follows(doc: Doc, cands: list[Candidate]) -> None:
    """ "Ajax heeft X verhuurd aan Excelsior. Dat maakte de club woensdag bekend op de
    clubwebsite.": an announcement in the next sentence of the paragraph, a sentence telling no
    claim of its own, makes the claim official."""
    official = patterns_for(doc.pack, "status", "official")
    told = {c.sentence for c in cands}
    for c in cands:
        n = c.sentence + 1
        if c.career or c.status is not Status.REPORTED or not can_be_official(c.type) or n >= len(doc.sentences):
            continue
        nxt = doc.sentences[n]
        if n not in told and not nxt.line_start and official.search(doc.folded, nxt.start, nxt.end):
            # "L'annonce officielle pourrait intervenir": an announcement still hedged is none yet
            if is_hedged(doc, nxt.start, nxt.end):
                continue
            c.status = Status.OFFICIAL
            c.announced_next = True


def _contracts_of_done_moves(cands: list[Candidate]) -> None:
    """The contract a player signs on a done move is as official as the move ("C'est officiel :
    X est un nouveau joueur du Stade Rennais. Il s'est engagé jusqu'en juin 2028")."""
    joined = {
        (c.player, c.club)
        for c in cands
        if c.type is ClaimType.TRANSFER and not c.career and c.status is Status.OFFICIAL
    }
    for c in cands:
        if c.type is ClaimType.CONTRACT_EXPIRY and c.status is Status.REPORTED and (c.player, c.club) in joined:
            c.status = Status.OFFICIAL


def _announced(doc: Doc, c: Candidate) -> bool:
    """The claim's sentence, or the bare announcement after it, carries an announcement
    ("ufficiale", "officiel", "bevestigd")."""
    if c.announced_next:
        return True
    s = doc.sentences[c.sentence]
    official = patterns_for(doc.pack, "status", "official")
    if official.search(doc.folded, s.start, s.end) is not None:
        return True
    # "X verkocht aan Southampton. De club betaalt 14 miljoen, zo meldt de club op de website.",
    # "Stuttgart zieht die Kaufoption. Er unterschreibt bis 2027. Das gab der Verein bekannt."
    for n in (c.sentence + 1, c.sentence + 2):
        if n >= len(doc.sentences) or doc.sentences[n].line_start:
            return False
        if official.search(doc.folded, doc.sentences[n].start, doc.sentences[n].end) is not None:
            return True
    return False


def _drop_steps_of_done_moves(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """Once an article tells a move as done (an official transfer or loan), the interest, talks and
    agreement that led to it with the same club are its story, not claims of their own ("Si chiude
    così una trattativa durata tutta l'estate" under "Ufficiale: X alla Juventus"); so are the
    talks and interest before an agreement ("la Juventus tient la corde" above "accord trouvé")."""
    done = {
        (c.player, c.club)
        for c in cands
        if c.type in (ClaimType.TRANSFER, ClaimType.LOAN)
        and not c.career
        and c.status is Status.OFFICIAL
        and _announced(doc, c)  # "sein Wechsel zu PSG" alone is no done move
    }
    # an agreement asserted by the text is where the talks and the interest ended up
    agreed = {
        (c.player, c.club)
        for c in cands
        if c.type is ClaimType.AGREEMENT and c.status in (Status.REPORTED, Status.OFFICIAL)
    }
    steps = (ClaimType.INTEREST, ClaimType.NEGOTIATION, ClaimType.AGREEMENT)
    return [
        c
        for c in cands
        if c.type not in steps
        or c.career
        or c.status is Status.DENIED
        or not ((c.player, c.club) in done or (c.type is not ClaimType.AGREEMENT and (c.player, c.club) in agreed))
    ]


def _renewals_are_no_moves(cands: list[Candidate]) -> list[Candidate]:
    """A renewal and a current transfer with the same club: the one told first frames the story.
    "Ufficiale il rinnovo di Pedro ... ha firmato un anno in più": the renewal, signed, is no
    transfer. "Stuttgart zieht die Kaufoption ... er unterschreibt bis 2027": the move, and the
    contract he signs with it is its new contract, not a renewal. Talks with his club in the
    sentence of a renewal are about the renewal."""
    first: dict[tuple[ClaimType, int, int | None], int] = {}
    for c in cands:
        if c.type in (ClaimType.CONTRACT_EXTENSION, ClaimType.TRANSFER) and not c.career:
            key = (c.type, c.player, c.club)
            first[key] = min(first.get(key, c.sentence), c.sentence)
    renewal_first: set[tuple[int, int | None]] = set()
    move_first: set[tuple[int, int | None]] = set()
    for (t, p, club), at in first.items():
        other = first.get((ClaimType.TRANSFER, p, club)) if t is ClaimType.CONTRACT_EXTENSION else None
        if other is not None:
            (renewal_first if at <= other else move_first).add((p, club))
    # "avrebbe avviato i contatti con l'agente per prolungare il contratto": talks about a renewal
    # in its own sentence are the renewal's
    renewing = {(c.sentence, c.player, c.club) for c in cands if c.type is ClaimType.CONTRACT_EXTENSION}
    talks = (ClaimType.INTEREST, ClaimType.NEGOTIATION, ClaimType.AGREEMENT)
    kept = []
    for c in cands:
        renewal_story = c.type is ClaimType.TRANSFER and (c.player, c.club) in renewal_first
        renewal_talks = c.type in talks and (c.sentence, c.player, c.club) in renewing
        if not c.career and (renewal_story or renewal_talks):
            continue
        if not c.career and c.type is ClaimType.CONTRACT_EXTENSION and (c.player, c.club) in move_first:
            c = replace(c, type=ClaimType.CONTRACT_EXPIRY)
        kept.append(c)
    return kept


def _departures_follow_moves(cands: list[Candidate]) -> None:
    """Leaving a club is as certain as the move away from it: "saluta dopo dieci anni" after an
    official loan to Inter, "der Abgang von X" after his official transfer, are official too."""
    done = {
        (c.player, c.from_club)
        for c in cands
        if c.type in (ClaimType.TRANSFER, ClaimType.LOAN) and not c.career and c.status is Status.OFFICIAL
    }
    for c in cands:
        if c.type is ClaimType.DEPARTURE and c.status is Status.REPORTED and (c.player, c.club) in done:
            c.status = Status.OFFICIAL


def _stage(c: Candidate, interested: bool) -> float:
    """How far a deal has gone. An offer the text only supposes ("estaria interessado e poderá
    avançar com uma proposta") is no talks yet: beside a stated interest it ranks below it."""
    if c.type is ClaimType.NEGOTIATION and c.status is Status.RUMOUR and interested:
        return DEAL_STAGES[ClaimType.INTEREST] - 0.5
    return float(DEAL_STAGES[c.type])


def _drop_unnamed_duplicates(cands: list[Candidate]) -> list[Candidate]:
    """A deal with no club is dropped when the same player has the same deal with a named club:
    "the Italian scouts" of one sentence are the Atalanta of another (and their time is its)."""
    named = {(c.type, c.player) for c in cands if c.club is not None}
    for c in cands:
        if c.club is None and (c.type, c.player) in named and c.date and not c.date_inherited:
            for o in cands:
                if o.club is not None and (o.type, o.player) == (c.type, c.player) and not o.date:
                    o.date = c.date
    # "Greenwood courtisé par l'Arabie saoudite" beside Al-Qadsiah's bid: unnamed interest in a
    # player some named club is already dealing for is that club's
    dealt = {c.player for c in cands if c.club is not None and c.type in DEAL_STAGES and not c.career}
    return [
        c
        for c in cands
        if c.club is not None
        or ((c.type, c.player) not in named and not (c.type is ClaimType.INTEREST and c.player in dealt))
    ]


def _home_clubs(doc: Doc, cands: list[Candidate], guessed: set[int] | None = None) -> dict[int, int]:
    """Each player's own club: the club most often beside him, not counting clubs courting him."""
    buyers: dict[int, set[int]] = {}
    far_buyers: dict[int, set[int]] = {}
    for c in cands:
        # clubs courting him, and the destination of a move he is making, are not his club now
        moving = c.type in DEAL_STAGES and not c.career
        if moving and c.club is not None:
            # a club named far from the deal word, or a deal told without naming the player, is
            # weaker evidence: it keeps the club out of his own only when another one is known
            weak = c.far_club or c.by_focus
            (far_buyers if weak else buyers).setdefault(c.player, set()).add(c.club)
    scores: dict[int, dict[int, float]] = {}
    focus: int | None = None
    # "llegó en 2019 procedente del Benfica", "riscattato dal Genoa": in a sentence telling a
    # career step or a move, "from" names a former club
    career_sentences = {c.sentence for c in cands if c.career or c.type in (ClaimType.TRANSFER, ClaimType.LOAN)}
    for s in doc.sentences:
        ms = doc.mentions_in(s.start, s.end)
        players = {m.entity for m in ms if doc.entities[m.entity].type is EntityType.PLAYER}
        about = players or ({focus} if focus is not None else set())
        for m in ms:
            e = doc.entities[m.entity]
            if e.type is not EntityType.CLUB or _is_opponent(doc, m):
                continue
            from_marked = _preceded_by(doc, m, "from_prepositions")
            if from_marked and s.index in career_sentences:
                continue
            weight = 2.0 if from_marked else 1.0
            for p in about:
                scores.setdefault(p, {})[m.entity] = scores.setdefault(p, {}).get(m.entity, 0) + weight
        if players:
            # "Trainer Robin van Persie moet het zonder Hartman doen", "'Calvin blijft bij ons', aldus
            # Te Kloese": the club of the coach or executive speaking about him (knowledge base)
            speaker = _speaker_club(doc, s.index)
            if speaker is not None:
                for p in players:
                    scores.setdefault(p, {})[speaker] = scores.setdefault(p, {}).get(speaker, 0) + 2.0
            focus = max(players, key=lambda p: max(m.start for m in ms if m.entity == p))
    # The article's own club: the most named one. It is a player's club when nothing better is known
    # (a player seen once beside an opponent is not that opponent's player).
    club_counts = {i: len(e.mentions) for i, e in enumerate(doc.entities) if e.type is EntityType.CLUB}
    dominant = max(club_counts, key=lambda c: (club_counts[c], -_first_pos(doc, c))) if club_counts else None
    # the club a deal is made with ("contatti con il Bologna") is the one he plays for; the club a
    # done move started from ("riscattato dal Genoa") no longer is
    talks = (ClaimType.INTEREST, ClaimType.NEGOTIATION, ClaimType.AGREEMENT)
    for c in cands:
        if c.type in talks and not c.career and c.from_club is not None:
            club_scores = scores.setdefault(c.player, {})
            club_scores[c.from_club] = club_scores.get(c.from_club, 0) + 3
    home: dict[int, int] = {}
    for player, club_scores in scores.items():
        usable = {c: v for c, v in club_scores.items() if c not in buyers.get(player, set())}
        # a club named far from a deal word is probably courting him too, unless it is all we have
        narrowed = {c: v for c, v in usable.items() if c not in far_buyers.get(player, set())}
        usable = narrowed or usable
        if usable:
            best = max(usable, key=lambda c: (usable[c], -_first_pos(doc, c)))
            weak = usable[best] < 2 and dominant is not None and dominant != best and club_counts[dominant] >= 3
            home[player] = (
                dominant if weak and dominant is not None and dominant not in buyers.get(player, set()) else best
            )
    if dominant is not None:
        for c in cands:
            if c.player in home:
                continue
            # "Il tecnico Abel Ferreira confirmou que Murilo ...": the club of the coach speaking;
            # "Chelsea head coach Enzo Maresca ... The club are also trying to offload Sterling":
            # "the club" of a sentence naming none is the one named in the sentence before
            speaker = _speaker_club(doc, c.sentence)
            named: set[int] = set()
            if c.sentence > 0 and not _sentence_clubs(doc, c.sentence):
                prev = doc.sentences[c.sentence - 1]
                if not any(
                    doc.entities[m.entity].type is EntityType.PLAYER for m in doc.mentions_in(prev.start, prev.end)
                ):
                    before = _sentence_clubs(doc, c.sentence - 1, opponents=False)
                    named = {m.entity for m in before if not _preceded_by(doc, m, "from_prepositions")}
            named -= buyers.get(c.player, set())
            if speaker is not None and speaker not in buyers.get(c.player, set()):
                home[c.player] = speaker
            elif len(named) == 1:
                home[c.player] = named.pop()
            elif dominant not in buyers.get(c.player, set()):
                home[c.player] = dominant
            else:
                continue
            if guessed is not None:
                guessed.add(c.player)  # no evidence about him: a guess from the text around
    return home


def _first_pos(doc: Doc, entity: int) -> int:
    return min(doc.mentions[k].start for k in doc.entities[entity].mentions)


def _assign_clubs(doc: Doc, cands: list[Candidate]) -> None:
    # deal claims first: their buying clubs tell which clubs are not the player's own
    denials = patterns_for(doc.pack, "status", "denials")
    withdrawals = patterns_for(doc.pack, "status", "withdrawals")
    for c in list(cands):
        # a past move told in its own sentence ("nel 2021 è passato all'Atalanta") names its club
        # like a current one; only the clubs of a career chain are already known
        if c.type in DEAL_STAGES and (not c.career or c.historic):
            c.club, c.from_club = _deal_clubs(doc, c)
            c.origin_named = c.from_club is not None
            if c.club is not None and c.type in (ClaimType.NEGOTIATION, ClaimType.AGREEMENT):
                # "l'Atalanta ha respinto l'offerta": the club refusing an offer is selling
                before = [m for m in _sentence_clubs(doc, c.sentence) if m.entity == c.club and m.end <= c.trigger[0]]
                # but a club giving up ("desistiu da contratação", "abbandona la trattativa") buys
                between = (before[-1].end, c.trigger[0]) if before else (0, 0)
                if before and denials.search(doc.folded, *between) and not withdrawals.search(doc.folded, *between):
                    c.from_club, c.club = c.club, None
                    if c.status is Status.DENIED:
                        # a bid the seller turns down is still a bid (ANNOTATION_GUIDE: an interim
                        # rejected bid stays a reported negotiation)
                        c.status = Status.RUMOUR if is_hedged(doc, *c.clause) else Status.REPORTED
            for extra in c.extra_clubs:
                cands.append(replace(c, club=extra, extra_clubs=[]))
    guessed: set[int] = set()
    home = _home_clubs(doc, cands, guessed)
    deals = [c for c in cands if c.type in DEAL_STAGES and not c.career]
    for c in cands:
        if c.career and c.club is None and home.get(c.player) not in (None, c.from_club):
            c.club = home[c.player]
    cands.extend(_departure_destinations(doc, cands, home))
    # the club a player is surely moving to now (an agreement, an announced transfer; not a loan,
    # which leaves his contract where it is): a new contract he signs is with that club
    on_loan = {c.player for c in cands if c.type is ClaimType.LOAN and not c.career}
    moving_to: dict[int, int] = {}
    for c in cands:
        if c.career or c.club is None or c.player in on_loan or c.status not in (Status.REPORTED, Status.OFFICIAL):
            continue
        if c.type is ClaimType.AGREEMENT or (c.type is ClaimType.TRANSFER and _announced(doc, c)):
            moving_to[c.player] = c.club
    for c in cands:
        if c.career:
            continue
        if c.type in DEAL_STAGES:
            if c.with_seller and c.club is not None and c.club == home.get(c.player):
                # "Feyenoord è d'accordo con il Milan per Giménez" about a Feyenoord player: his own
                # club is the one selling, the club dealt with is buying
                c.club, c.from_club = c.from_club, c.club
            # a deal told without naming him, with his own club: his club when another club is
            # courting him ("Ajax heeft nog geen bod ontvangen" beside Marseille's interest)
            courted = any(o.player == c.player and o.club not in (None, c.club) for o in deals)
            weak_buyer = c.far_club or (c.by_focus and c.player not in guessed and courted)
            if weak_buyer and c.club is not None and c.club == home.get(c.player):
                c.club = None  # his own club is not buying him ("Ajax heeft nog geen bod ontvangen")
            if c.from_club is None and home.get(c.player) not in (None, c.club):
                c.from_club = home.get(c.player)
            continue
        c.club = _own_club(doc, c, home.get(c.player), moving_to.get(c.player))
        if c.type is ClaimType.CONFLICT:
            c.counterpart = _counterpart(doc, c)


def _departure_destinations(doc: Doc, cands: list[Candidate], home: dict[int, int]) -> list[Candidate]:
    """ "Le RC Lens a officialisé le départ de Kevin Danso vers Tottenham": a departure naming the
    club it goes to, after a "to" preposition in its clause, is also the move to that club."""
    out = []
    for c in cands:
        if c.type is not ClaimType.DEPARTURE or c.career or c.status not in (Status.REPORTED, Status.OFFICIAL):
            continue
        for m in _sentence_clubs(doc, c.sentence, opponents=False):
            ahead = m.start >= c.trigger[1] and m.start < c.clause[1]
            other_side = _preceded_by(doc, m, "with_prepositions") or _preceded_by(doc, m, "from_prepositions")
            if ahead and m.entity != home.get(c.player) and not other_side and _preceded_by(doc, m, "to_prepositions"):
                out.append(
                    replace(
                        c, type=ClaimType.TRANSFER, club=m.entity, from_club=home.get(c.player), from_departure=True
                    )
                )
                break
    return out


def _inherit_buyers(cands: list[Candidate]) -> None:
    """A deal step naming no club ("medical tests are scheduled") is about the club most advanced
    in courting the player so far; a club whose approach was denied is not that club."""
    best: dict[int, tuple[int, int]] = {}  # player -> (stage, club)
    for c in cands:
        if c.type not in DEAL_STAGES or c.career:
            continue
        # only a step still ahead: a transfer or loan names the club it was made with; one naming
        # a club it came from only ("contratado ao Atlético no verão passado") is no step of this deal
        moved = c.type in (ClaimType.TRANSFER, ClaimType.LOAN)
        inherits = c.type is not ClaimType.INTEREST and not (moved and c.origin_named)
        if c.club is None and inherits and c.player in best:
            c.club = best[c.player][1]
        if c.club is not None and c.status is not Status.DENIED:
            stage = DEAL_STAGES[c.type]
            if c.player not in best or stage >= best[c.player][0]:
                best[c.player] = (stage, c.club)


def _speakers_clubs(doc: Doc, cands: list[Candidate]) -> None:
    """Interest or talks naming no club, told or denied by a club's executive or coach ("Il ds
    Ghisolfi ha smentito le voci su Chilwell", "Benatia a démenti tout intérêt pour Pogba"): the
    club is the speaker's, as the knowledge base knows it, else the club the article is about."""
    counts = {i: len(e.mentions) for i, e in enumerate(doc.entities) if e.type is EntityType.CLUB}
    if not counts:
        return
    dominant = max(counts, key=lambda i: (counts[i], -_first_pos(doc, i)))
    for c in cands:
        if c.club is not None or c.type not in (ClaimType.INTEREST, ClaimType.NEGOTIATION) or c.career:
            continue
        if not _speakers_in(doc, c.sentence):
            continue
        club = _speaker_club(doc, c.sentence)
        club = club if club is not None else dominant
        if club != c.from_club:
            c.club = club


def _speakers_in(doc: Doc, sentence: int) -> list[Mention]:
    s = doc.sentences[sentence]
    speaking = (EntityType.EXECUTIVE, EntityType.COACH)
    return [m for m in doc.mentions_in(s.start, s.end) if doc.entities[m.entity].type in speaking]


def _speaker_club(doc: Doc, sentence: int) -> int | None:
    """The current club (knowledge base) of the first executive or coach named in the sentence,
    when the article names that club."""
    for m in _speakers_in(doc, sentence)[:1]:
        entry = doc.kb.get(doc.entities[m.entity].kb_id or "")
        clubs = entry.attrs.get("clubs") if entry else None
        if isinstance(clubs, list) and clubs:
            for i, e in enumerate(doc.entities):
                if e.type is EntityType.CLUB and e.kb_id == clubs[-1]:
                    return i
    return None


def _sentence_clubs(doc: Doc, sentence: int, opponents: bool = True) -> list[Mention]:
    key = ("clubs", sentence, opponents)
    found = cast("list[Mention] | None", doc.cache.get(key))
    if found is None:
        s = doc.sentences[sentence]
        found = [m for m in doc.mentions_in(s.start, s.end) if doc.entities[m.entity].type is EntityType.CLUB]
        if not opponents:
            found = [m for m in found if not _is_opponent(doc, m)]
        doc.cache[key] = found
    return found


def _is_opponent(doc: Doc, m: Mention) -> bool:
    """ "contro il Club Brugge", "gegen Bremen": a match opponent."""
    key = ("opponent", m.start)
    if key not in doc.cache:
        doc.cache[key] = _preceded_by(doc, m, "against_words")
    return bool(doc.cache[key])


@lru_cache(maxsize=16)
def _player_role_words(code: str) -> frozenset[str]:
    from mercato.lang import load_pack

    roles = load_pack(code).roles
    return frozenset(fold_keep_length(w) for w in roles["player"] + list(roles["positions"]) if " " not in w)


def _owner_clubs(doc: Doc, c: Candidate, clubs: list[Mention]) -> list[Mention]:
    """ "RB Leipzig striker Benjamin Šeško": a club named right before the player, with only role
    words in between, is the club he plays for, not one buying him."""
    roles = _player_role_words(doc.lang)
    s = doc.sentences[c.sentence]
    player_mentions = [m for m in doc.mentions_in(s.start, s.end) if m.entity == c.player]
    owners = []
    for club in clubs:
        for pm in player_mentions:
            if club.end <= pm.start:
                between = doc.folded[club.end : pm.start].split()
                if len(between) <= 2 and all(w in roles for w in between) and between:
                    owners.append(club)
            elif pm.end <= club.start and doc.folded[pm.end : pm.end + 1] == ",":
                # "Ben Chilwell, 28enne esterno del Chelsea": an apposition naming his role and club
                words = re.findall(r"\w+", doc.folded[pm.end : club.start])
                role = any(w in roles for w in words)
                filler = all(w in roles or len(w) <= 3 or any(ch.isdigit() for ch in w) for w in words)
                if role and filler and len(words) <= 5:
                    owners.append(club)
    return owners


def _deal_clubs(doc: Doc, c: Candidate) -> tuple[int | None, int | None]:
    clubs = _sentence_clubs(doc, c.sentence, opponents=False)
    # "bod van Brentford", "offerta del Napoli": the club making the offer buys, whatever "van" says
    bidders = [m for m in clubs if _preceded_by(doc, m, "bid_by", "claims")]
    from_marked = [m for m in clubs if _preceded_by(doc, m, "from_prepositions") and m not in bidders]
    from_marked += [m for m in _owner_clubs(doc, c, clubs) if m not in from_marked]
    if c.type is ClaimType.NEGOTIATION:
        # "offerta al Torino", "enviou ao Barcelona uma proposta": the club an offer goes to sells;
        # so does one after the offer's amount ("uma proposta de 20 milhões de euros ao Benfica")
        t0, t1 = c.trigger
        recipients = [
            m
            for m in clubs
            if m not in bidders
            and _preceded_by(doc, m, "to_prepositions")
            and (
                len(doc.folded[m.end : t0] if m.end <= t0 else doc.folded[t1 : m.start]) <= 6
                or (m.start >= t1 and _amount_between(doc.folded[t1 : m.start]))
            )
        ]
        from_marked += [m for m in recipients if m not in from_marked]
    # "accordo con l'Ajax per Rensch", "accordo con il PSG per Kolo Muani in prestito": the club
    # dealt with is the seller (or the lender)
    from_marked += [
        m
        for m in clubs
        if _preceded_by(doc, m, "with_prepositions")
        and m not in from_marked
        and not _suitor_after_with(doc, c, m, clubs)
    ]
    from_club = from_marked[0].entity if from_marked else None
    c.with_seller = bool(from_marked) and _preceded_by(doc, from_marked[0], "with_prepositions")
    t0, t1 = c.trigger
    # the buying club sits in the trigger's clause, or right next to the trigger
    buyers = [
        m
        for m in clubs
        if m.entity != from_club
        and (c.clause[0] <= m.start < c.clause[1] or _close_without_break(doc.folded, m, t0, t1))
    ]
    if not buyers:
        # "Napoli, Conte vuole Ndoye": a headline's club before a comma; checked against the
        # player's own club once that is known (see _assign_clubs)
        buyers = [m for m in clubs if m.entity != from_club and not _preceded_by(doc, m, "with_prepositions")]
        c.far_club = True
    if not buyers:
        return None, from_club
    to_marked = [m for m in buyers if _preceded_by(doc, m, "to_prepositions")]

    def distance(m: Mention) -> int:
        # a club before the trigger is its subject ("L'Atalanta vise X"): slightly preferred
        return (t0 - m.end) if m.end <= t0 else (m.start - t1) + 3

    pool = [m for m in buyers if m in bidders] or [m for m in to_marked if m.start >= t0] or buyers
    best = min(pool, key=distance)
    if c.type not in (ClaimType.INTEREST, ClaimType.NEGOTIATION):
        # an agreement or a move goes to one club: "Feyenoord en Milan akkoord" are its two sides
        return best.entity, from_club
    # "Manchester City und Real Madrid sollen ... beobachten": every coordinated club is a buyer
    conj = _conjunctions(doc.lang)
    # the conjunction cuts the clause, so coordinated clubs are looked for in the whole sentence
    ordered = sorted([m for m in clubs if m.entity != from_club or m is best], key=lambda m: m.start)
    i = ordered.index(best)
    for step in (-1, 1):
        j = i
        while 0 <= j + step < len(ordered):
            a, b = (ordered[j], ordered[j + step]) if step == 1 else (ordered[j + step], ordered[j])
            between = doc.folded[a.end : b.start].strip(" ,")
            if between not in conj and between != "":
                break
            coordinated = ordered[j + step].entity
            if coordinated != best.entity and coordinated not in c.extra_clubs:
                c.extra_clubs.append(coordinated)
            j += step
    return best.entity, from_club


def _suitor_after_with(doc: Doc, c: Candidate, m: Mention, clubs: list[Mention]) -> bool:
    """ "Wissa, who has two years left, has been linked with Newcastle", "Nørgaard is in talks with
    Arsenal": when the player is the subject (the last name before the trigger, in the same
    clause or past a relative clause), the club he is linked or talking with right after the
    trigger is the one courting him; not, as in "Milan are in talks with Feyenoord over Giménez"
    or "Manna ha avuto un contatto con il Bologna", the club selling him."""
    if c.type not in (ClaimType.INTEREST, ClaimType.NEGOTIATION):
        return False
    t0, t1 = c.trigger
    if m.start < t1 or not _close_without_break(doc.folded, m, t0, t1, limit=12):
        return False
    s = doc.sentences[c.sentence]
    before = [o for o in doc.mentions_in(s.start, t0) if o.end <= t0]
    if not before or before[-1].entity != c.player:
        return False
    return not any(ch in doc.folded[before[-1].end : t0] for ch in ":;()")


_AMOUNT_GAP = re.compile(r"[^,;:()\[\]]{0,45}")


def _amount_between(gap: str) -> bool:
    """The words between an offer and a club are its amount: "da 25 milioni di euro", "de 20 M€"."""
    return any(ch.isdigit() for ch in gap) and _AMOUNT_GAP.fullmatch(gap) is not None


def _close_without_break(folded: str, m: Mention, t0: int, t1: int, limit: int = 40) -> bool:
    between = folded[m.end : t0] if m.end <= t0 else folded[t1 : m.start]
    return len(between) <= limit and not re.search(r"[,;:()\[\]]", between)


def _own_club(doc: Doc, c: Candidate, home: int | None, moving_to: int | None = None) -> int | None:
    """The player's own club for contracts, exits, injuries, exclusions and conflicts.

    A club in the trigger's clause names it for contracts and exits ("lasciare l'Atalanta"); for
    injuries, exclusions and conflicts a club nearby is usually the opponent ("contro l'Empoli"),
    so the player's club from the rest of the article comes first. A contract is never with the
    club he comes from ("jusqu'en 2029, en provenance de Manchester United"); named with no club,
    it is with the club he is moving to."""
    sentence_clubs = _sentence_clubs(doc, c.sentence, opponents=False)
    if c.type in _CONTRACT_TYPES:
        sentence_clubs = [m for m in sentence_clubs if not _preceded_by(doc, m, "from_prepositions")]
    clause_clubs = [m for m in sentence_clubs if c.clause[0] <= m.start < c.clause[1]]
    if c.type is ClaimType.DEPARTURE:
        # "lascia il Genoa"; not "riscattato dal Genoa, ha chiesto di essere ceduto" (another clause)
        marked = [m for m in clause_clubs if _preceded_by(doc, m, "from_prepositions")]
        if marked:
            return marked[0].entity
    if (
        c.type is ClaimType.CONTRACT_EXPIRY  # a renewal is with the club he has
        and moving_to is not None
        and not c.years_left
        and any(m.entity == moving_to for m in sentence_clubs)
    ):
        # "la Vecchia Signora ha trovato l'accordo con il Porto per Conceição: è pronto un
        # contratto fino al 2030": the new contract is with the club he is moving to
        return moving_to
    if home is not None and any(m.entity == home for m in sentence_clubs):
        return home
    if c.type in _EVENT_TYPES and home is not None:
        return home
    city_club = _club_by_city(doc, c.clause)
    if city_club is not None:
        return city_club  # "Zijn contract in Rotterdam": the club of that city
    if clause_clubs:
        t0 = c.trigger[0]
        return min(clause_clubs, key=lambda m: abs(m.start - t0)).entity
    if c.type in _CONTRACT_TYPES and moving_to is not None and not c.years_left:
        return moving_to  # not "al que le quedaba un año de contrato": the contract he has now
    return home


def _club_by_city(doc: Doc, clause: tuple[int, int]) -> int | None:
    """A club of the article whose city is named in the clause."""
    inside = [(m.start, m.end) for m in doc.mentions_in(clause[0], clause[1])]
    for i, city in _club_cities(doc):
        for m in city.finditer(doc.folded[clause[0] : clause[1]]):
            at = clause[0] + m.start()
            if not any(a <= at < b for a, b in inside):  # "Madrid" inside "Real Madrid" is no city
                return i
    return None


def _club_cities(doc: Doc) -> list[tuple[int, re.Pattern[str]]]:
    """The article's clubs whose city the knowledge base knows, with a pattern for that city."""
    key = ("club_cities",)
    found = cast("list[tuple[int, re.Pattern[str]]] | None", doc.cache.get(key))
    if found is None:
        found = []
        for i, e in enumerate(doc.entities):
            if e.type is not EntityType.CLUB or not e.kb_id:
                continue
            entry = doc.kb.get(e.kb_id)
            city = entry.attrs.get("city") if entry else None
            if isinstance(city, str):
                found.append((i, _city_pattern(city)))
        doc.cache[key] = found
    return found


@lru_cache(maxsize=4096)
def _city_pattern(city: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(fold_keep_length(city))}(?!\w)")


def _counterpart(doc: Doc, c: Candidate) -> int | None:
    s = doc.sentences[c.sentence]
    coaches = [m for m in doc.mentions_in(s.start, s.end) if doc.entities[m.entity].type is EntityType.COACH]
    return coaches[0].entity if coaches else None


def _local_dates(doc: Doc) -> dict[int, tuple[int, int]]:
    """Sidebar headlines followed by a date-stamp line ("11:44 30 Ago 2024 Author") take that date."""
    from mercato.analysis.dates import months_lookup

    months = months_lookup(doc.pack)
    out: dict[int, tuple[int, int]] = {}
    for s in doc.sentences:
        if not s.line_alone:
            continue
        m = _DATE_STAMP_LINE.match(doc.folded[s.start : s.end])
        if not m or m.group(2) not in months:
            continue
        stamp = (int(m.group(3)), months[m.group(2)])
        for back in range(1, 4):
            j = s.index - back
            if j < 0 or _DATE_STAMP_LINE.match(doc.folded[doc.sentences[j].start : doc.sentences[j].end]):
                break
            out[j] = stamp
    return out


def _pick_date(c: Candidate, exprs: list[TimeExpr]) -> TimeExpr | None:
    t0 = c.trigger[0]
    usable = exprs
    if c.type in _CONTRACT_TYPES:
        # "bis 2030" beats "im Januar 2025" (when it was signed): an end date is said with "until"
        # nor is the day it was announced ("ha anunciado este lunes la renovación")
        usable = [e for e in usable if not e.since and e.kind != "ago" and e.rule not in DAY_RULES]
        for tier in (
            [e for e in usable if e.until],
            [e for e in usable if e.kind in ("years_left", "mid_year", "season", "season_year")],
            usable,
        ):
            if tier:
                after = [e for e in tier if e.start >= t0]
                return min(after or tier, key=lambda e: abs(e.start - t0))
        return None
    if c.career:
        # a year belongs to the next club named after it ("nel 2014 è approdato al Metz"); failing
        # that, to the club it follows in the same clause ("joined Bayern in 2015")
        club_start, club_end = c.trigger
        kinds = ("year", "month_year", "ago", "season", "mid_year", "season_year", "relative", "month")
        # a career step is past: "l'été dernier", never "l'été prochain"
        usable = [e for e in usable if e.kind != "relative" or e.rule in PAST_RULES]
        before = [e for e in usable if e.end <= club_start and e.kind in kinds and not e.after_club]
        if before:
            return before[-1]
        after = [e for e in usable if e.start >= club_end and e.kind in kinds and c.clause[0] <= e.start < c.clause[1]]
        return after[0] if after else None
    if c.type in _EVENT_TYPES or c.type is ClaimType.DEPARTURE or c.type in DEAL_STAGES:
        # "un anno di contratto": the length of a contract dates no move nor event
        usable = [e for e in usable if not e.since and e.kind not in ("season", "years_left")]
    if c.type in DEAL_STAGES or c.type in _EVENT_TYPES or c.type is ClaimType.DEPARTURE:
        # "in prestito fino a fine stagione", "absent jusqu'en novembre", "il cui contratto scade a
        # giugno": the end of a loan, an absence or a contract does not date the move or the event
        usable = [e for e in usable if not e.until]
    if not usable:
        return None
    inside = [e for e in usable if c.clause[0] <= e.start < c.clause[1]]
    pool = inside or usable
    return min(pool, key=lambda e: abs(e.start - t0))


def _date_status_source(doc: Doc, c: Candidate, local_dates: dict[int, tuple[int, int]]) -> None:
    s = doc.sentences[c.sentence]
    _choose_date(doc, c, local_dates)
    historic = c.career or (
        c.type in (ClaimType.TRANSFER, ClaimType.LOAN)
        and c.date is not None
        and doc.pub is not None
        and int(c.date[:4]) < doc.pub.year
    )
    if historic:
        c.historic = c.historic or not c.career
        c.career = True
        if c.date_at is not None:
            cast("set[int]", doc.cache.setdefault(("career_years", c.sentence), set())).add(c.date_at)
    attribution = attribute(doc, c.sentence, c.trigger[0])
    c.source = attribution.entity
    c.platform = attribution.platform
    c.status = claim_status(doc, c.type, (s.start, s.end), c.clause, c.trigger, historic, c.source is not None)
    speaker = c.source is not None and doc.entities[c.source].type in (EntityType.COACH, EntityType.EXECUTIVE)
    if speaker and c.type in (ClaimType.SQUAD_EXCLUSION, ClaimType.INJURY) and c.status is Status.REPORTED:
        c.status = Status.OFFICIAL  # the coach announcing it to the press makes it official
    _date_by_status(doc, c)


def _choose_date(doc: Doc, c: Candidate, local_dates: dict[int, tuple[int, int]]) -> None:
    """The date a claim's own sentence gives it, else the publication month for news events."""
    exprs = sentence_times(doc, c.sentence)
    if c.career:
        exprs = _career_years(doc, c, exprs)
    elif c.type in _EVENT_TYPES:
        # "who joined in 2017, was left out": the year is the career step's, not the exclusion's;
        # and an injury reported has happened: "the injury ... before the January window"
        used = cast("set[int] | None", doc.cache.get(("career_years", c.sentence))) or ()
        now = doc.pub.iso()[:7] if doc.pub is not None else "9999"
        exprs = [e for e in exprs if e.start not in used and (e.month is not None or e.value[:7] <= now)]
    elif c.type in (ClaimType.INTEREST, ClaimType.NEGOTIATION, ClaimType.AGREEMENT):
        # "a bid for the striker, who joined Benfica in 2023": that year dates the career step.
        # (Not for a move: the year may make it a historic one, a step of the chain itself.)
        used = cast("set[int] | None", doc.cache.get(("career_years", c.sentence))) or ()
        exprs = [e for e in exprs if e.start not in used]
    chosen = _pick_date(c, exprs)
    c.date = chosen.value if chosen else None
    c.date_at = chosen.start if chosen else None
    c.years_left = chosen is not None and chosen.kind == "years_left"
    c.date_inherited = False
    done_deal = c.type in (ClaimType.TRANSFER, ClaimType.LOAN, ClaimType.AGREEMENT) and not c.career
    # so is an injury, exclusion or conflict dated only by this year ("will miss the start of
    # pre-season"): the event is the news (ANNOTATION_GUIDE: inferable from the article date)
    done_deal = done_deal or c.type in _EVENT_TYPES
    if done_deal and doc.pub is not None and doc.pub.month and c.date == f"{doc.pub.year:04d}":
        # "verleiht ihn für die kommende Saison": a deal done in the news dated only by the window
        # of its own year is dated by the announcement, the more precise of the two
        c.date = doc.pub.iso()[:7]
    if chosen is not None and chosen.month and doc.pub is not None:
        # a bare month: a contract end lies ahead, an injury, an exclusion or a career step is past
        # ("in April he was injured"), a move is the nearer one
        past = c.type in _EVENT_TYPES or c.career
        when = "next" if c.type in _CONTRACT_TYPES else "last" if past else "near"
        c.date = month_for(doc.pub, chosen.month, when)
    if c.date and c.type in _CONTRACT_TYPES and len(c.date) == 4:
        c.date = f"{c.date}-06"  # contracts end in June unless said otherwise
    # a statement in the news without a time of its own happens when it is published; that
    # default yields to a date another statement of the same claim gives (see _merge)
    current = (ClaimType.TRANSFER, ClaimType.LOAN, ClaimType.AGREEMENT, ClaimType.NEGOTIATION)
    current_move = c.type in current and not c.career
    if c.date is None and current_move and c.sentence in local_dates:
        year, month = local_dates[c.sentence]
        c.date = f"{year:04d}-{month:02d}"
    elif c.date is None and (current_move or c.type in _EVENT_TYPES) and doc.pub is not None and doc.pub.month:
        c.date = doc.pub.iso()[:7]
        c.date_inherited = True


def _date_by_status(doc: Doc, c: Candidate) -> None:
    departing = c.status in (Status.OFFICIAL, Status.REPORTED)  # not a hedged or denied exit
    if c.date is None and c.type is ClaimType.DEPARTURE and departing and doc.pub and doc.pub.month:
        c.date = doc.pub.iso()[:7]
        c.date_inherited = True


def _career_years(doc: Doc, c: Candidate, exprs: list[TimeExpr]) -> list[TimeExpr]:
    """The years between the previous club of the sentence and the next one. A year right after
    the previous club in its clause ("joined Bayern in 2015, then ...") is that club's."""
    clubs = sorted(_sentence_clubs(doc, c.sentence), key=lambda m: m.start)
    prev: Mention | None = None
    before_prev: Mention | None = None
    nxt_start = doc.sentences[c.sentence].end
    for m in clubs:
        if m.start >= c.trigger[0]:
            if m.start >= c.trigger[1]:
                nxt_start = m.start
                break
            continue
        before_prev, prev = prev, m
    if prev is not None and prev.entity == c.from_club and _preceded_by(doc, prev, "from_prepositions"):
        # "im Sommer 2021 von der PSV nach Dortmund": a date before the club the move starts from
        # dates this move
        prev = before_prev
    lo = prev.end if prev is not None else doc.sentences[c.sentence].start
    out = []
    conj = _conjunctions(doc.lang)
    for e in exprs:
        if not lo <= e.start < nxt_start:
            continue
        if prev is not None and e.end <= c.trigger[0]:
            s = doc.sentences[c.sentence]
            prev_clause = clause_bounds(doc.folded, s.start, s.end, prev.start, conj)
            e = replace(e, after_club=prev_clause[0] <= e.start < prev_clause[1])
        out.append(e)
    return out


def _inherit_deal_dates(cands: list[Candidate]) -> None:
    """A deal with no time of its own takes the window of the last dated deal of the same player
    and club."""
    # per player and club: Real Madrid's vague interest does not take Bayern's "next summer"
    last: dict[tuple[int, int | None], str] = {}
    for c in cands:
        if c.type not in DEAL_STAGES or c.career:
            continue
        key = (c.player, c.club)
        if c.date and not c.date_inherited:
            last[key] = c.date
        elif key in last and c.type in (ClaimType.NEGOTIATION, ClaimType.AGREEMENT, ClaimType.INTEREST):
            c.date = last[key]
            c.date_inherited = True


def _merge(doc: Doc, cands: list[Candidate]) -> list[Claim]:
    """One claim per (type, player, club): the outlet's own statement beats a quote, then the first."""
    groups: dict[tuple[ClaimType, int, int | None], list[Candidate]] = {}
    for c in cands:
        groups.setdefault((c.type, c.player, c.club), []).append(c)
    claims: list[Claim] = []
    for (ctype, player, club), group in groups.items():
        # the outlet's own words beat a quote; a dated, attributed statement beats a vague one
        # (an injury, exclusion or conflict told twice: the latest one is the current one)
        rank = event_recency
        main = min(
            group,
            key=lambda c: (c.in_quote, c.date is None or c.date_inherited, rank(c), c.source is None, c.sentence),
        )
        others = [c for c in group if c is not main and (c.date != main.date or c.status != main.status)]
        # what the main statement leaves open, another statement of the same claim may say
        if main.counterpart is None:
            main = replace(main, counterpart=next((o.counterpart for o in group if o.counterpart is not None), None))
        if main.date is None:
            # a date of its own: not the publication month a sure statement took by default, which
            # an exit only hedged ("could leave") does not take (_date_by_status)
            own = (o.date for o in group if o.date and not o.in_quote and not o.date_inherited)
            main = replace(main, date=next(own, None))
        if main.from_club is None:
            main = replace(main, from_club=next((o.from_club for o in group if o.from_club is not None), None))
        # a headline sums up: the body's first statement of the claim tells how sure it is
        # ("Pavlidis op het verlanglijstje van Benfica" / "Volgens Portugese media staat ...")
        if main.sentence == 0 and doc.sentences[0].line_alone:
            body = [o for o in group if o.sentence != 0 and not o.in_quote]
            if body:
                main = replace(main, status=min(body, key=lambda o: o.sentence).status)
        # a later sentence may confirm officially what an earlier one reported
        if main.status is Status.REPORTED and any(o.status is Status.OFFICIAL and not o.in_quote for o in group):
            main = replace(main, status=Status.OFFICIAL)
        # a deal or renewal the article also denies ("Sport says Deco met the agent; Athletic
        # deny any offer", "rinnovi: smentita la trattativa") is denied: the denial is the news.
        # Not an exit: it can be wanted and refused in one story.
        # "in gesprek met Club Brugge ... nog geen officieel bod uitgebracht": a step not taken yet
        # does not deny talks the article asserts; alone ("nog geen bod ontvangen") it does
        asserted = any(o.status is not Status.DENIED for o in group)
        denied = any(o.status is Status.DENIED and not (asserted and _not_yet(doc, o)) for o in group)
        deal_like = ctype in DEAL_STAGES or ctype is ClaimType.CONTRACT_EXTENSION
        undone = main.status in (Status.REPORTED, Status.RUMOUR) or not _announced(doc, main)
        if deal_like and main.status is not Status.DENIED and undone and denied:
            main = replace(main, status=Status.DENIED)
        # what is denied did not happen: "no bid has been received", "he won't be sold" has no
        # date of its own, the publication month a statement took by default does not date it.
        # Talks called off did happen: "Inter abandon the talks" is dated by the news.
        if (
            main.status is Status.DENIED
            and not any(o.date and not o.date_inherited for o in group)
            and not any(talks_ended(doc, *o.clause) for o in group if o.status is Status.DENIED)
        ):
            main = replace(main, date=None)
        entity = doc.entities[player]
        s = doc.sentences[_evidence_sentence(doc, main, group)]
        claim = Claim(
            type=ctype,
            player=entity.name,
            club=doc.entities[club].name if club is not None else None,
            status=main.status,
            date=main.date,
            source=doc.entities[main.source].name if main.source is not None else None,
            from_club=doc.entities[main.from_club].name if main.from_club is not None else None,
            counterpart=doc.entities[main.counterpart].name if main.counterpart is not None else None,
            evidence=doc.text[s.start : s.end],
            evidence_span=(s.start, s.end),
            player_id=entity.key,
            club_id=doc.entities[club].key if club is not None else None,
            from_club_id=doc.entities[main.from_club].key if main.from_club is not None else None,
            source_id=doc.entities[main.source].key if main.source is not None else None,
            source_platform=main.platform,
            detail="career history" if main.career else None,
            confidence=_confidence(main),
        )
        if others:
            claim.detail = "; ".join(filter(None, [claim.detail] + [_describe_alternative(doc, o) for o in others]))
            claim.alternatives = [
                {
                    "date": o.date,
                    "status": o.status.value,
                    "source": doc.entities[o.source].name if o.source is not None else None,
                    "evidence_offsets": [doc.sentences[o.sentence].start, doc.sentences[o.sentence].end],
                    "in_quote": o.in_quote,
                }
                for o in others
            ]
        claims.append(claim)
    claims.sort(key=lambda c: c.evidence_span[0])
    return claims


def _not_yet(doc: Doc, c: Candidate) -> bool:
    """ "nog geen bod", "non ha ancora presentato un'offerta", "yet to bid": a "not yet" just
    before the trigger, in its clause."""
    lo = max(c.clause[0], c.trigger[0] - 40)
    found = patterns_for(doc.pack, "status", "not_yet").finditer(doc.folded, lo, c.trigger[1])
    return any(m.start < c.trigger[0] for m in found)


def _evidence_sentence(doc: Doc, main: Candidate, group: list[Candidate]) -> int:
    """The sentence shown as evidence: the main statement's, but the body's own statement rather
    than a headline that sums it up (so that copies of one report share their evidence)."""
    headline = main.sentence == 0 and doc.sentences[0].line_alone
    body = [c.sentence for c in group if c.sentence != 0 and not c.in_quote]
    return min(body) if headline and body else main.sentence


def _describe_alternative(doc: Doc, c: Candidate) -> str:
    who = doc.entities[c.source].name if c.source is not None else ("a quote" if c.in_quote else "the text")
    return f"also stated by {who}: {c.type.value} {c.date or 'undated'} ({c.status.value})"


def _confidence(c: Candidate) -> float:
    base = {Status.OFFICIAL: 0.9, Status.REPORTED: 0.7, Status.RUMOUR: 0.5, Status.DENIED: 0.6}[c.status]
    if c.in_quote:
        base -= 0.1
    return max(0.1, min(1.0, base))


__all__ = ["DEAL_STAGES", "extract_claims"]
