"""How sure a claim is: rumour, reported, official or denied, from the language itself."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache
from typing import cast

from mercato.analysis.document import Doc
from mercato.analysis.patterns import patterns_for
from mercato.model import ClaimType, Status
from mercato.text import fold_keep_length

_WORD = re.compile(r"\w+")
# Claim types an announcement can make official (an "official" interest is still only interest).
_CAN_BE_OFFICIAL = {
    ClaimType.TRANSFER,
    ClaimType.LOAN,
    ClaimType.CONTRACT_EXTENSION,
    ClaimType.CONTRACT_EXPIRY,
    ClaimType.SQUAD_EXCLUSION,
    ClaimType.DEPARTURE,
    ClaimType.AGREEMENT,
    ClaimType.INJURY,
}
# A transfer is a completed move and a renewal a signed contract (SCHEMA.md): asserted without a
# hedge, they have happened, which is what "official" means ("era passato al", "hat verlängert").
_DONE_WHEN_ASSERTED = {ClaimType.TRANSFER, ClaimType.CONTRACT_EXTENSION}
# A contract's end date is a fact, not a move: nothing in the text "denies" it.
_NEVER_DENIED = {ClaimType.CONTRACT_EXPIRY}


@lru_cache(maxsize=16)
def _conditional(code: str) -> tuple[tuple[str, ...], frozenset[str], frozenset[str], frozenset[str]]:
    from mercato.lang import load_pack

    status = load_pack(code).status
    suffixes = tuple(fold_keep_length(s) for s in status["conditional_suffixes"])
    words = frozenset(fold_keep_length(w) for w in status["conditional_words"])
    exceptions = frozenset(fold_keep_length(w) for w in status.get("conditional_exceptions", []))
    negations = frozenset(fold_keep_length(w).rstrip("*") for w in status["negations"])
    return suffixes, words, exceptions, negations


@lru_cache(maxsize=16)
def _accented_conditionals(code: str) -> frozenset[str]:
    from mercato.lang import load_pack

    return frozenset(w.lower() for w in load_pack(code).status.get("conditional_words_accented", []))


def can_be_official(claim_type: ClaimType) -> bool:
    return claim_type in _CAN_BE_OFFICIAL


def has_conditional(doc: Doc, start: int, end: int) -> bool:
    """A conditional verb or word in [start, end) (clause ends inside a word are read as the
    word's part inside, like the rest of the status rules)."""
    folded_index, text_index = _conditional_index(doc)
    found = _hit_within(folded_index, start, end)
    if found is None:
        found = _conditional_in_words(doc, start, end)
    if found:
        return True
    found = _hit_within(text_index, start, end)
    if found is None:
        found = _accented_in_words(doc, start, end)
    return found


# Where the words of a text are and which of them count: (word starts, word ends, hit starts,
# hit ends). Built once per article, so each clause asked about costs a binary search.
_WordIndex = tuple[list[int], list[int], list[int], list[int]]


def _conditional_index(doc: Doc) -> tuple[_WordIndex, _WordIndex]:
    key = ("conditional_index",)
    known = cast("tuple[_WordIndex, _WordIndex] | None", doc.cache.get(key))
    if known is None:
        suffixes, words, exceptions, _ = _conditional(doc.lang)
        accented = _accented_conditionals(doc.lang)
        known = doc.cache[key] = (
            _word_index(doc.folded, lambda w: _is_conditional(w, suffixes, words, exceptions)),
            _word_index(doc.text, lambda w: w.lower() in accented) if accented else ([], [], [], []),
        )
    return known


def _word_index(text: str, counts: Callable[[str], bool]) -> _WordIndex:
    starts: list[int] = []
    ends: list[int] = []
    hit_starts: list[int] = []
    hit_ends: list[int] = []
    for m in _WORD.finditer(text):
        a, b = m.span()
        starts.append(a)
        ends.append(b)
        if counts(m.group()):
            hit_starts.append(a)
            hit_ends.append(b)
    return starts, ends, hit_starts, hit_ends


def _hit_within(index: _WordIndex, start: int, end: int) -> bool | None:
    """Whether a counted word lies within [start, end); None when a bound cuts a word (the
    caller then reads the words of the span itself)."""
    starts, ends, hit_starts, hit_ends = index
    for bound in (start, end):
        i = bisect_right(starts, bound) - 1
        if i >= 0 and starts[i] < bound < ends[i]:
            return None
    i = bisect_left(hit_starts, start)
    while i < len(hit_starts) and hit_starts[i] < end:
        if hit_ends[i] <= end:
            return True
        i += 1
    return False


def _is_conditional(w: str, suffixes: tuple[str, ...], words: frozenset[str], exceptions: frozenset[str]) -> bool:
    if w in words:
        return True
    if w in exceptions or len(w) < 6:
        return False
    return bool(suffixes) and w.endswith(suffixes)


def _conditional_in_words(doc: Doc, start: int, end: int) -> bool:
    suffixes, words, exceptions, _ = _conditional(doc.lang)
    return any(_is_conditional(m.group(), suffixes, words, exceptions) for m in _WORD.finditer(doc.folded, start, end))


def _accented_in_words(doc: Doc, start: int, end: int) -> bool:
    # "würde" folds to "wurde" (a past tense): such auxiliaries are read with their diacritics
    accented = _accented_conditionals(doc.lang)
    return bool(accented) and any(m.group().lower() in accented for m in _WORD.finditer(doc.text, start, end))


def is_hedged(doc: Doc, start: int, end: int) -> bool:
    key = ("hedged", start, end)  # every claim of a clause asks the same
    known = doc.cache.get(key)
    if known is None:
        known = bool(patterns_for(doc.pack, "status", "hedges").search(doc.folded, start, end)) or has_conditional(
            doc, start, end
        )
        doc.cache[key] = known
    return bool(known)


def negated_before(doc: Doc, clause_start: int, trigger_start: int, trigger_end: int | None = None) -> bool:
    """A negation word among the four words before the trigger, inside its clause ("never made a
    formal bid"), or inside a trigger with a gap ("Vertrag des Stürmers nicht verlängert")."""
    _, _, _, negations = _conditional(doc.lang)
    words = _WORD.findall(doc.folded[clause_start:trigger_start])[-4:]
    if trigger_end is not None:
        words += _WORD.findall(doc.folded[trigger_start:trigger_end])[1:-1]
    return any(w in negations for w in words)


def _denied_in(doc: Doc, claim_type: ClaimType, start: int, end: int) -> bool:
    """A denial in the clause. For talks, a seller turning a bid down ("recusa proposta do
    Chelsea", "bod afgewezen") is no denial: ANNOTATION_GUIDE keeps an interim rejected bid a
    reported negotiation; a buyer giving up ("abbandona la trattativa") is one."""
    denials = patterns_for(doc.pack, "status", "denials").finditer(doc.folded, start, end)
    if claim_type is not ClaimType.NEGOTIATION:
        return bool(denials)
    if patterns_for(doc.pack, "status", "withdrawals").search(doc.folded, start, end):
        return True
    refusals = patterns_for(doc.pack, "status", "refusals").finditer(doc.folded, start, end)
    return any(not any(r.start <= d.start < r.end or d.start <= r.start < d.end for r in refusals) for d in denials)


def talks_ended(doc: Doc, start: int, end: int) -> bool:
    """Talks that took place and ended ("abbandona la trattativa", "bod afgewezen"), unlike a
    denial that anything happened ("nessuna trattativa", "geen bod ontvangen")."""
    return bool(
        patterns_for(doc.pack, "status", "withdrawals").search(doc.folded, start, end)
        or patterns_for(doc.pack, "status", "refusals").search(doc.folded, start, end)
    )


def _refused_bid(doc: Doc, claim_type: ClaimType, start: int, trigger_start: int) -> bool:
    """ "Feyenoord gaat niet in op het bod": the negation is the seller's refusal of a bid."""
    return claim_type is ClaimType.NEGOTIATION and bool(
        patterns_for(doc.pack, "status", "refusals").search(doc.folded, start, trigger_start)
    )


def claim_status(
    doc: Doc,
    claim_type: ClaimType,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    trigger: tuple[int, int],
    historic: bool,
    named_source: bool,
) -> Status:
    s_start, s_end = sentence
    c_start, c_end = clause
    if claim_type not in _NEVER_DENIED and (
        (
            negated_before(doc, c_start, trigger[0], trigger[1])
            and not _refused_bid(doc, claim_type, c_start, trigger[0])
        )
        # a denial counts in the trigger's own clause: "X snubs Barcelona and signs a deal" denies
        # the Barcelona move, not the new contract
        or _denied_in(doc, claim_type, c_start, c_end)
    ):
        return Status.DENIED
    if historic:
        return Status.OFFICIAL
    official = patterns_for(doc.pack, "status", "official")
    if claim_type in _CAN_BE_OFFICIAL and official.search(doc.folded, s_start, s_end):
        return Status.OFFICIAL
    if is_hedged(doc, c_start, c_end) or doc.text[s_start:s_end].rstrip().endswith("?"):
        return Status.RUMOUR  # a question ("Gudmundsson ai saluti?") asserts nothing
    if not named_source and patterns_for(doc.pack, "status", "unnamed_sources").search(doc.folded, s_start, s_end):
        return Status.RUMOUR
    if claim_type in _DONE_WHEN_ASSERTED:
        # "Openda set to join Atlético", "firmerà fino al 2029": a move still ahead is not done yet
        ahead = patterns_for(doc.pack, "status", "prospective").search(doc.folded, c_start, c_end)
        return Status.REPORTED if ahead else Status.OFFICIAL
    return Status.REPORTED
