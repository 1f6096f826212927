"""Story bundling: reports of the same event across outlets and languages, told once.

A story is one (player, club, claim family) within a time window. Interest, negotiation,
agreement, transfer and loan are one "deal" family (the same move at different stages); other claim
types are their own family. Inside a story:

- ``copy``: a syndicated near-duplicate of an article already counted (the store marks them);
  copies never count as extra reports;
- ``origin``: the earliest remaining report;
- ``follow_up``: a later report by an outlet already in the story (not independent);
- ``citation``: a later report that names another outlet as its source ("secondo Sky",
  "selon L'Équipe", "laut Bild") — the story spreads but gains no independent evidence;
- ``confirmation``: a later report by another outlet that cites nobody else.

Pure functions over ``mercato.knowledge.records.ClaimRecord``; cue words come from each language
pack's ``attribution.according_to`` and outlet names from the knowledge base.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from mercato.knowledge.records import ClaimRecord, date_key, to_date
from mercato.text import fold, fold_tokens

DEAL_TYPES = frozenset({"interest", "negotiation", "agreement", "transfer", "loan"})
WINDOW_DAYS = 30
ROLES = ("origin", "confirmation", "citation", "follow_up", "copy")
_CUE_WINDOW = 6  # words after (or before, for postposed cues like "zufolge") a cue to look for a name


def claim_family(claim_type: str) -> str:
    return "deal" if claim_type in DEAL_TYPES else claim_type


@dataclass(slots=True)
class StoryReport:
    claim: ClaimRecord
    role: str
    cites: str | None = None  # outlet named as the source, when the report cites one


@dataclass(slots=True)
class Story:
    key: tuple[str, str, str]  # (player key, club key, family)
    reports: list[StoryReport] = field(default_factory=list)

    @property
    def id(self) -> str:
        first = self.first or "undated"
        return f"{self.key[0]}|{self.key[1]}|{self.key[2]}|{first}"

    @property
    def origin(self) -> StoryReport | None:
        return next((r for r in self.reports if r.role == "origin"), None)

    @property
    def first(self) -> str | None:
        dates = [r.claim.published for r in self.reports if r.claim.published]
        return min(dates, key=date_key) if dates else None

    @property
    def last(self) -> str | None:
        dates = [r.claim.published for r in self.reports if r.claim.published]
        return max(dates, key=date_key) if dates else None

    @property
    def outlets(self) -> list[str]:
        """Distinct outlets with a report of their own (copies excluded), first reporter first."""
        seen: dict[str, None] = {}
        for r in self.reports:
            if r.role != "copy" and r.claim.article.outlet:
                seen.setdefault(r.claim.article.outlet, None)
        return list(seen)

    @property
    def languages(self) -> list[str]:
        return sorted({r.claim.article.language for r in self.reports if r.claim.article.language})

    @property
    def independent(self) -> int:
        """Reports that add evidence: the origin and confirmations (not citations, follow-ups, copies)."""
        return sum(1 for r in self.reports if r.role in ("origin", "confirmation"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "player": self.key[0],
            "club": self.key[1],
            "family": self.key[2],
            "first": self.first,
            "last": self.last,
            "outlets": self.outlets,
            "languages": self.languages,
            "independent": self.independent,
            "reports": [
                {"claim": r.claim.id, "article": r.claim.article.id, "outlet": r.claim.article.outlet,
                 "language": r.claim.article.language, "published": r.claim.published, "role": r.role,
                 "cites": r.cites}
                for r in self.reports
            ],
        }  # fmt: skip


# -- cited sources ------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _cue_patterns(language: str) -> tuple[re.Pattern[str], ...]:
    """The pack's ``according_to`` phrases as regexes over folded text (pattern syntax of
    docs/language-data.md: ``word*`` any word starting so, ``a .. b`` up to four words between)."""
    try:
        from mercato.lang import load_pack

        cues = load_pack(language).attribution.get("according_to", [])
    except Exception:  # a pack in progress: no cues rather than no stories
        cues = []
    patterns = []
    for cue in cues:
        regex, gap = "", False
        for word in cue.split():
            if word == "..":
                gap = True
                continue
            tokens = fold(word.rstrip("*")).split()
            if not tokens:
                continue
            piece = r"\s+".join(re.escape(t) for t in tokens) + (r"\w*" if word.endswith("*") else "")
            if regex:
                regex += r"\s+(?:\S+\s+){0,4}?" if gap else r"\s+"
            regex += piece
            gap = False
        if regex:
            patterns.append(re.compile(rf"(?<!\w){regex}(?!\w)"))
    return tuple(patterns)


_INDEX_CACHE: dict[int, tuple[Any, dict[tuple[str, ...], str]]] = {}


def _kb(kb: Any) -> Any:
    if kb is not None:
        return kb
    from mercato.kb import load_kb

    return load_kb()


def _outlet_index(kb: Any) -> dict[tuple[str, ...], str]:
    """Folded outlet names and aliases -> canonical outlet name (cached per knowledge base)."""
    from mercato.model import EntityType

    kb = _kb(kb)
    cached = _INDEX_CACHE.get(id(kb))
    if cached is not None and cached[0] is kb:
        return cached[1]
    index: dict[tuple[str, ...], str] = {}
    for entry in kb.of_type(EntityType.OUTLET):
        for form in [entry.name, *entry.aliases, *entry.nicknames]:
            key = fold_tokens(form)
            if key:
                index.setdefault(key, entry.name)
    _INDEX_CACHE[id(kb)] = (kb, index)  # holding kb keeps its id from being reused
    return index


def canonical_outlet(name: str | None, kb: Any = None) -> str | None:
    """The KB's name for an outlet alias ("Gazzetta" -> "La Gazzetta dello Sport"); else the name."""
    if not name:
        return None
    index = _outlet_index(kb)
    toks = fold_tokens(name)
    # A leading article ("la Gazzetta", "the Athletic") is optional in aliases.
    return index.get(toks) or index.get(toks[1:]) or name


def detect_cited_source(text: str, language: str | None, kb: Any = None) -> str | None:
    """The outlet a text names as its source after an attribution cue of its language, if any."""
    if not text or not language:
        return None
    folded = fold(text)
    index = _outlet_index(kb)
    longest = max((len(k) for k in index), default=1)
    for pattern in _cue_patterns(language):
        for m in pattern.finditer(folded):
            # "secondo Sky", "wie Bild berichtet" (name inside the cue), "der Bild zufolge" (before it)
            after = folded[m.start() :].split()[: len(m.group().split()) + _CUE_WINDOW]
            before = folded[: m.start()].split()[-_CUE_WINDOW:]
            found = _find_outlet(after, index, longest) or _find_outlet(before[::-1][:3][::-1], index, longest)
            if found:
                return found
    return None


def _find_outlet(tokens: Sequence[str], index: dict[tuple[str, ...], str], longest: int) -> str | None:
    for start in range(len(tokens)):
        for size in range(min(longest, len(tokens) - start), 0, -1):
            hit = index.get(tuple(tokens[start : start + size]))
            if hit:
                return hit
    return None


def _cited(claim: ClaimRecord, kb: Any) -> str | None:
    """Outlet a report attributes its claim to: the analysed source when it is an outlet, else a cue
    in the evidence sentence."""
    if claim.source and (claim.source_type in (None, "outlet")):
        named = canonical_outlet(claim.source, kb)
        if claim.source_type == "outlet" or named != claim.source:
            return named
    return detect_cited_source(claim.evidence, claim.article.language, kb)


# -- bundling -----------------------------------------------------------------------------------


def bundle_stories(claims: Iterable[ClaimRecord], *, window_days: int = WINDOW_DAYS, kb: Any = None) -> list[Story]:
    """Group claims into stories and give every report its role. Stories come out oldest first."""
    groups: dict[tuple[str, str, str], list[ClaimRecord]] = {}
    for claim in claims:
        if claim.is_career:  # career history is background, not news
            continue
        player = claim.player_key or fold(claim.player)
        club = claim.club_key or (fold(claim.club) if claim.club else "")
        groups.setdefault((player, club, claim_family(claim.type)), []).append(claim)
    stories: list[Story] = []
    for key, members in groups.items():
        members.sort(key=lambda c: (date_key(c.published), c.article.id, c.id))
        current: list[ClaimRecord] = []
        last_day: date | None = None
        for claim in members:
            day = to_date(claim.published)
            if current and day is not None and last_day is not None and (day - last_day).days > window_days:
                stories.append(_story(key, current, kb))
                current = []
            current.append(claim)
            last_day = day or last_day
        if current:
            stories.append(_story(key, current, kb))
    stories.sort(key=lambda s: (date_key(s.first), s.key))
    return stories


def _story(key: tuple[str, str, str], claims: list[ClaimRecord], kb: Any) -> Story:
    story = Story(key)
    counted_articles: set[int] = set()
    outlets_in_story: set[str] = set()
    for claim in claims:
        article = claim.article
        if article.id in counted_articles:
            continue  # one article stating the same event twice is one report
        if article.duplicate_of is not None:
            story.reports.append(StoryReport(claim, "copy"))
            counted_articles.add(article.id)
            continue
        counted_articles.add(article.id)
        outlet = canonical_outlet(article.outlet, kb) or f"article:{article.id}"
        cites = _cited(claim, kb)
        if cites and fold(cites) == fold(outlet):
            cites = None  # "secondo la Gazzetta" in the Gazzetta: its own scoop, not a citation
        if not story.reports or all(r.role == "copy" for r in story.reports):
            role = "origin"
        elif outlet in outlets_in_story:
            role = "follow_up"
        elif cites:
            role = "citation"
        else:
            role = "confirmation"
        outlets_in_story.add(outlet)
        story.reports.append(StoryReport(claim, role, cites))
    return story
