"""Entity registry across articles: which stored entity is this analysis entity?

Pure decisions live here (no database): the store gathers candidates with indexed lookups
(``name_keys``, ``aliases``) and asks :func:`choose` which one, if any, is the same real-world
entity. The rules, strongest first:

1. the same knowledge-base id is the same entity (handled by the store: the key is the KB id);
2. a manual alias (``mercato entity alias add``) wins over everything (handled by the store);
3. organisations and competitions: the same folded name or alias and the same type;
4. people named with given name(s) and surname: the same folded name, or one name's tokens a subset
   of the other's with the same surname ("José Palomino" ⊂ "José Luis Palomino"), or a surname
   typo (edit distance <= 1 on surnames of >= 5 letters: "Gasparini" = "Gasperini"); diacritic
   variants ("Goméz" = "Gómez") are already equal after folding;
5. a surname alone attaches to an existing person only when exactly one compatible candidate
   exists, where compatible means no conflict on type, nationality, birth year or clubs.

A conflict is never overridden by a name match, so two different "Gómez" stay apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from mercato.text import edit_distance_at_most_one, fold_tokens

PERSON_TYPES = frozenset({"player", "coach", "journalist", "agent", "executive"})
MIN_TYPO_SURNAME = 5  # shorter surnames differ by one letter too often to be the same person
# Scores of a name match: an exact name beats a subset, which beats a surname typo.
EXACT, SUBSET, TYPO, SURNAME_ONLY = 3, 2, 1, 0


@dataclass(slots=True)
class Candidate:
    """A stored entity as the registry sees it."""

    entity_id: int
    key: str
    name: str
    type: str
    kb_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    forms: set[str] = field(default_factory=set)  # folded names and aliases (not manual ones)
    clubs: set[str] = field(default_factory=set)  # club keys this entity was linked to in claims


@dataclass(slots=True)
class Subject:
    """An entity of one analysis, to be placed in the store."""

    key: str  # the analysis entity id
    name: str
    type: str
    kb_id: str | None = None
    surfaces: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    clubs: set[str] = field(default_factory=set)  # club keys linked to it in this article

    @property
    def is_person(self) -> bool:
        return self.type in PERSON_TYPES

    def folded_forms(self) -> set[str]:
        return {" ".join(t) for t in (_tokens(s) for s in [self.name, *self.surfaces]) if t}

    def name_tokens(self) -> tuple[str, ...]:
        """The fullest name known for the subject: canonical name unless a mention is longer."""
        best = _tokens(self.name)
        for s in self.surfaces:
            toks = _tokens(s)
            if len(toks) > len(best):
                best = toks
        return best


def surname_keys(surname: str) -> set[str]:
    """Index keys stored for a surname: itself and, when long enough, its one-letter deletions."""
    keys = {surname}
    if len(surname) >= MIN_TYPO_SURNAME:
        keys |= {"~" + surname[:i] + surname[i + 1 :] for i in range(len(surname))}
    return keys


def surname_probe_keys(surname: str) -> set[str]:
    """Keys to look up for a surname: every stored key that can be within one edit of it
    (symmetric delete: equal, one deletion either way, or a shared deletion for a substitution)."""
    probes = {surname}
    if len(surname) >= MIN_TYPO_SURNAME - 1:
        deletions = {surname[:i] + surname[i + 1 :] for i in range(len(surname))}
        probes |= {"~" + surname} | {d for d in deletions if len(d) >= MIN_TYPO_SURNAME - 1}
        probes |= {"~" + d for d in deletions}
    return probes


def surnames_match(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= MIN_TYPO_SURNAME and edit_distance_at_most_one(a, b)


def _given_compatible(shorter: Sequence[str], longer: Sequence[str]) -> bool:
    """Every given name of the shorter form appears in the longer one (an initial matches a name)."""
    pool = list(longer)
    for tok in shorter:
        hit = next((p for p in pool if p == tok or (len(tok) == 1 and p.startswith(tok))), None)
        if hit is None:
            return False
        pool.remove(hit)
    return True


def name_match(a: tuple[str, ...], b: tuple[str, ...]) -> int | None:
    """How two folded person names relate: EXACT, SUBSET, TYPO, SURNAME_ONLY, or None (different)."""
    if not a or not b:
        return None
    if a == b:
        return EXACT if len(a) > 1 else SURNAME_ONLY
    if not surnames_match(a[-1], b[-1]):
        return None
    given_a, given_b = a[:-1], b[:-1]
    if not given_a or not given_b:
        return SURNAME_ONLY
    shorter, longer = (given_a, given_b) if len(given_a) <= len(given_b) else (given_b, given_a)
    if not _given_compatible(shorter, longer):
        return None  # "Alejandro Gómez" and "Mariano Gómez" are two people
    return SUBSET if a[-1] == b[-1] else TYPO


def _norm(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(fold_tokens(str(value)))
    return text or None


def attributes_conflict(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Known facts that cannot both be true of one person."""
    na, nb = _norm(a.get("nationality")), _norm(b.get("nationality"))
    if na and nb and na != nb:
        return True
    ya, yb = a.get("birth_year"), b.get("birth_year")
    try:
        if ya is not None and yb is not None and abs(int(ya) - int(yb)) > 1:
            return True
    except (TypeError, ValueError):
        pass
    return False


def clubs_conflict(a: Iterable[str], b: Iterable[str]) -> bool:
    """Both sides were seen with clubs, and never with the same one."""
    sa, sb = set(a), set(b)
    return bool(sa) and bool(sb) and not (sa & sb)


def compatible(subject: Subject, cand: Candidate, *, check_clubs: bool) -> bool:
    if subject.type != cand.type:
        return False
    if attributes_conflict(subject.attributes, cand.attributes):
        return False
    return not (check_clubs and clubs_conflict(subject.clubs, cand.clubs))


def person_score(subject: Subject, cand: Candidate) -> int | None:
    """How the subject's names relate to the candidate's (None: different people).

    Full names are compared with full names only: "Mariano Gómez" against "Alejandro Gómez" is a
    conflict even though both were also called plain "Gómez". A bare surname on either side can
    only give SURNAME_ONLY.
    """
    return _person_score([tuple(f.split()) for f in subject.folded_forms()], cand)


def _person_score(s_forms: list[tuple[str, ...]], cand: Candidate) -> int | None:
    c_forms = [tuple(f.split()) for f in cand.forms | {_fold(cand.name)} if f]
    s_full = [t for t in s_forms if len(t) > 1]
    c_full = [t for t in c_forms if len(t) > 1]
    if s_full and c_full:
        scores = [sc for a in s_full for b in c_full if (sc := name_match(a, b)) is not None]
        return max(scores) if scores else None
    if any(surnames_match(a[-1], b[-1]) for a in s_forms for b in c_forms):
        return SURNAME_ONLY
    return None


def choose(subject: Subject, candidates: Iterable[Candidate]) -> Candidate | None:
    """The stored entity the subject is, or None when it is new (or too ambiguous to say)."""
    # Two different KB entries are two different entities, whatever names they share: Atalanta
    # and Inter are both "nerazzurri", and a shared nickname must not merge them.
    cands = [c for c in candidates if not (subject.kb_id and c.kb_id and c.kb_id != subject.kb_id)]
    if not subject.is_person:
        forms = subject.folded_forms()
        same = [c for c in cands if c.type == subject.type and (forms & c.forms or c.key == subject.key)]
        # Prefer a KB entity, then the oldest: deterministic, and stable across runs.
        same.sort(key=lambda c: (c.kb_id is None, c.entity_id))
        return same[0] if same else None

    scored: list[tuple[int, Candidate]] = []
    s_forms = [tuple(f.split()) for f in subject.folded_forms()]  # once, not once per candidate
    for cand in cands:
        score = _person_score(s_forms, cand)
        if score is None:
            continue
        if score == SURNAME_ONLY:
            # A bare surname on either side proves little: clubs must not conflict either.
            if not compatible(subject, cand, check_clubs=True):
                continue
        elif not compatible(subject, cand, check_clubs=score < EXACT):
            continue
        scored.append((score, cand))
    if not scored:
        return None
    best = max(s for s, _ in scored)
    top = [c for s, c in scored if s == best]
    if best == SURNAME_ONLY:
        # Exactly one compatible candidate, or none: a surname alone never picks among several.
        return top[0] if len(top) == 1 else None
    if len(top) == 1:
        return top[0]
    # Several equally good full-name matches: the one seen with the same clubs, else the oldest
    # for an exact name (it is the same string), else none (a new entity is safer than a wrong merge).
    with_club = [c for c in top if subject.clubs & c.clubs]
    if len(with_club) == 1:
        return with_club[0]
    if best == EXACT:
        return min(top, key=lambda c: c.entity_id)
    return None


@lru_cache(maxsize=1 << 16)
def _tokens(name: str) -> tuple[str, ...]:
    # Cached: the same few thousand names are folded again for every article that names them.
    return fold_tokens(name)


def _fold(name: str) -> str:
    return " ".join(_tokens(name))


def person_surnames(forms: Iterable[str]) -> set[str]:
    """Folded surnames (last tokens) of a person's names, for the ``name_keys`` index."""
    return {toks[-1] for toks in (_tokens(f) for f in forms) if toks}
