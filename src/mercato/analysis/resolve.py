"""Group mentions into entities: one per real-world thing, with a canonical name and a stable id.

Within an article: full names first, then shorter forms that fit one of them ("Palomino",
"José Palomino" -> José Luis Palomino), typos ("Goméz", "Gasparini"), handles next to a name.
Against the knowledge base: aliases, then unique known surnames. Ids are KB ids where known,
else ``person:<given name>-<surname>`` so the same person gets the same id in every article.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import cast

from mercato.analysis.document import Doc, DocEntity, Mention, non_name_words, word_set
from mercato.analysis.mentions import BYLINE_SEPARATORS, _particles
from mercato.analysis.patterns import PatternSet, patterns_for
from mercato.model import EntityType
from mercato.text import edit_distance_at_most_one, fold_tokens, slug

# resolve()'s entity_for(key, name, type, kb_id, tokens): the index of the entity, created if new
_EntityFor = Callable[[str, str, EntityType, str | None, tuple[str, ...]], int]

_PERSON_PRIORITY = {
    EntityType.COACH: 4,
    EntityType.JOURNALIST: 4,
    EntityType.EXECUTIVE: 3,
    EntityType.AGENT: 3,
    EntityType.PLAYER: 1,
}


def name_tokens(doc: Doc, m: Mention) -> tuple[str, ...]:
    return tuple(t.key for t in doc.tokens[m.tok_start : m.tok_end] if t.key)


def surname_part(tokens: tuple[str, ...], particles: frozenset[str]) -> tuple[str, ...]:
    """The surname: the last token with the particles right before it ("de jong")."""
    if not tokens:
        return ()
    i = len(tokens) - 1
    while i > 0 and tokens[i - 1] in particles:
        i -= 1
    return tokens[i:]


def person_key(tokens: tuple[str, ...], particles: frozenset[str]) -> str:
    surname = surname_part(tokens, particles)
    given = tokens[: len(tokens) - len(surname)]
    parts = ((given[0],) if given else ()) + surname
    return "person:" + slug(" ".join(parts))


@lru_cache(maxsize=65536)  # names recur within and across articles; the check is pure
@lru_cache(maxsize=1 << 16)  # every person mention is compared with every person so far
def same_person(a: tuple[str, ...], b: tuple[str, ...], particles: frozenset[str]) -> bool:
    if not a or not b:
        return False
    if a == b:
        return True
    sa, sb = surname_part(a, particles), surname_part(b, particles)
    core_a = tuple(t for t in sa if t not in particles) or sa
    core_b = tuple(t for t in sb if t not in particles) or sb
    same_surname = (
        sa == sb
        or core_a == core_b
        or (len(sa) == len(sb) == 1 and min(len(sa[0]), len(sb[0])) >= 5 and edit_distance_at_most_one(sa[0], sb[0]))
    )
    if not same_surname:
        return False
    ga, gb = a[: len(a) - len(sa)], b[: len(b) - len(sb)]
    if not ga or not gb:
        return True  # one of them is the surname alone
    return ga[0] == gb[0] or set(ga) <= set(gb) or set(gb) <= set(ga)


def resolve(
    doc: Doc, kb_mentions: list[Mention], runs: list[Mention], handles: list[Mention], nt_phrases: list[Mention]
) -> None:
    particles = _particles(doc.lang)
    by_key: dict[str, int] = {}

    def entity_for(key: str, name: str, etype: EntityType, kb_id: str | None, tokens: tuple[str, ...] = ()) -> int:
        if key not in by_key:
            by_key[key] = len(doc.entities)
            doc.entities.append(DocEntity(key=key, name=name, type=etype, kb_id=kb_id, tokens=tokens))
        return by_key[key]

    def attach(m: Mention, index: int) -> None:
        m.entity = index
        doc.mentions.append(m)
        doc.entities[index].mentions.append(len(doc.mentions) - 1)

    kb = doc.kb
    for m in kb_mentions:
        entry = kb.entries[m.kb_id or ""]
        toks = fold_tokens(entry.name)
        attach(m, entity_for(entry.entity_id, entry.name, entry.type, entry.id, toks if entry.type.is_person else ()))
    for m in nt_phrases:
        country = m.cue_nationality or ""
        entries = [e for e in kb.lookup(country) if e.type is EntityType.NATIONAL_TEAM]
        if entries:
            attach(m, entity_for(entries[0].entity_id, entries[0].name, EntityType.NATIONAL_TEAM, entries[0].id))
        else:
            attach(m, entity_for("nt:" + slug(country), country, EntityType.NATIONAL_TEAM, None))

    # Full names first (longest first), so shorter forms find the name they belong to.
    multi = sorted(
        (r for r in runs if r.tok_end - r.tok_start >= 2), key=lambda r: (-(r.tok_end - r.tok_start), r.start)
    )
    for m in multi:
        toks = name_tokens(doc, m)
        index = _match_person(doc, toks, particles, m)
        if index is None:
            index = _kb_person(doc, toks, particles, entity_for)
        if index is None:
            # a name made only of words seen as non-names elsewhere is not a person
            index = entity_for(person_key(toks, particles), m.text, EntityType.PLAYER, None, toks)
        attach(m, index)

    singles = [r for r in runs if r.tok_end - r.tok_start == 1]
    counts: dict[str, int] = {}
    for r in singles:
        counts[doc.tokens[r.tok_start].key] = counts.get(doc.tokens[r.tok_start].key, 0) + 1
    articles = word_set(doc.pack, "core", "articles") | word_set(doc.pack, "core", "locative_prepositions")
    stop = non_name_words(doc.lang)
    for m in sorted(singles, key=lambda r: r.start):
        tok = doc.tokens[m.tok_start]
        toks = (tok.key,)
        index = _match_person(doc, toks, particles, m)
        if index is None:
            index = _kb_person(doc, toks, particles, entity_for)
        if index is None and m.role is not None:
            index = entity_for(person_key(toks, particles), m.text, m.role, None, toks)
        if index is None:
            prev = doc.tokens[m.tok_start - 1] if m.tok_start > 0 else None
            sentence_start = m.tok_start == doc.sentences[m.sentence].first_token
            after_article = prev is not None and prev.fold in articles and prev.sentence == m.sentence
            if (
                counts.get(tok.key, 0) >= 2
                and not sentence_start
                and not after_article
                and tok.fold not in stop
                and doc.lang != "de"
                and len(tok.text) >= 4
            ):
                index = entity_for(person_key(toks, particles), m.text, EntityType.PLAYER, None, toks)
        if index is not None:
            attach(m, index)

    _attach_handles(doc, handles, entity_for, attach)
    _assign_person_types(doc)
    _name_entities(doc)


def _match_person(doc: Doc, toks: tuple[str, ...], particles: frozenset[str], m: Mention) -> int | None:
    """The person entity these name tokens belong to; the nearest earlier mention breaks ties."""
    persons = _person_entities(doc)
    entities = doc.entities
    candidates = [i for i in persons if same_person(toks, entities[i].tokens, particles)]
    if not candidates and len(toks) == 1 and len(toks[0]) >= 4:
        # "Theo" after "Theo Hernández": a first name alone, when exactly one person carries it
        by_first = [i for i in persons if len(entities[i].tokens) >= 2 and entities[i].tokens[0] == toks[0]]
        if len(by_first) == 1:
            return by_first[0]
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    exact = [i for i in candidates if doc.entities[i].tokens == toks]
    if len(exact) == 1:
        return exact[0]

    def last_before(i: int) -> int:
        starts = [doc.mentions[k].start for k in doc.entities[i].mentions if doc.mentions[k].start < m.start]
        return max(starts, default=-1)

    return max(candidates, key=last_before)


def _person_entities(doc: Doc) -> list[int]:
    """Indexes of the person entities so far; entities are only appended while resolving."""
    key = ("persons",)
    seen, persons = cast("tuple[int, list[int]]", doc.cache.get(key, (0, [])))
    for i in range(seen, len(doc.entities)):
        if doc.entities[i].type.is_person:
            persons.append(i)
    doc.cache[key] = (len(doc.entities), persons)
    return persons


def _kb_person(doc: Doc, toks: tuple[str, ...], particles: frozenset[str], entity_for: _EntityFor) -> int | None:
    kb = doc.kb
    ids = kb.surnames.get(surname_part(toks, particles), []) or kb.surnames.get(toks[-1:], [])
    fits = [kb.entries[i] for i in ids if same_person(toks, fold_tokens(kb.entries[i].name), particles)]
    if len(fits) != 1:
        return None
    entry = fits[0]
    return entity_for(entry.entity_id, entry.name, entry.type, entry.id, fold_tokens(entry.name))


def _attach_handles(
    doc: Doc, handles: list[Mention], entity_for: _EntityFor, attach: Callable[[Mention, int], None]
) -> None:
    kb = doc.kb
    for h in handles:
        entry_id = kb.handles.get(h.text.lower())
        if entry_id:
            entry = kb.entries[entry_id]
            attach(h, entity_for(entry.entity_id, entry.name, entry.type, entry.id, fold_tokens(entry.name)))
            continue
        # "Gianluigi Longari (@Glongari)": the handle belongs to the name just before it
        before = doc.text[max(0, h.start - 4) : h.start - 1]
        if "(" not in before:
            continue
        prior = [m for m in doc.mentions if m.end <= h.start - 1 and h.start - 1 - m.end <= 3 and m.entity >= 0]
        if prior:
            attach(h, prior[-1].entity)


def _assign_person_types(doc: Doc) -> None:
    byline = patterns_for(doc.pack, "roles", "byline")
    for entity in doc.entities:
        if not entity.type.is_person or entity.kb_id:
            continue
        best = EntityType.PLAYER
        for k in entity.mentions:
            m = doc.mentions[k]
            role = m.role
            if _is_byline(doc, m, byline) or _is_signature(doc, m):
                role = EntityType.JOURNALIST
            if role is not None and role.is_person and _PERSON_PRIORITY.get(role, 0) > _PERSON_PRIORITY.get(best, 0):
                best = role
            if m.cue_nationality:
                entity.attributes.setdefault("nationality", m.cue_nationality)
            if m.cue_position:
                entity.attributes.setdefault("position", m.cue_position)
        entity.type = best


_TIME_STAMP = re.compile(r"\d{1,2}[:.h]\d{2}|\b\d{1,2}\s+\w{3,9}\.?\s+(?:19|20)\d\d\b|\b(?:19|20)\d\d-\d\d-\d\d\b")


_BYLINE_SEPARATOR = re.compile(f"\\s*[{re.escape(BYLINE_SEPARATORS)}]|\\s+-\\s")


def _is_byline(doc: Doc, m: Mention, byline: PatternSet) -> bool:
    s = doc.sentences[m.sentence]
    if not s.line_alone:
        return False
    head = doc.folded[s.start : m.start]
    cue = byline.search(doc.folded, s.start, m.start)
    if cue is not None and cue.start == s.start and len(head.split()) <= 4:
        if m.end >= s.end - 2:
            return True
        # "Par Camille Ferrand, envoyée spéciale", "Door Marloes Veenstra · ED", "Por X | Castellón":
        # the name is closed by a separator and the rest of the line is a place, role or outlet
        if _BYLINE_SEPARATOR.match(doc.text, m.end):
            return True
    # "22:29 18 Ott 2024 Gianluca Pirovano": a name closing a time-stamped line
    return bool(_TIME_STAMP.search(doc.text[s.start : m.start])) and m.end >= s.end - 1


def _is_signature(doc: Doc, m: Mention) -> bool:
    """An embedded post's signature: "— Name (@handle) June 11, 2024"."""
    before = doc.text[max(0, m.start - 3) : m.start]
    after = doc.text[m.end : m.end + 3]
    return ("—" in before or "-" in before) and "(@" in after


def _name_entities(doc: Doc) -> None:
    for entity in doc.entities:
        if entity.kb_id or not entity.type.is_person:
            continue
        longest = max((doc.mentions[k] for k in entity.mentions), key=lambda m: (m.tok_end - m.tok_start, -m.start))
        entity.name = longest.text
