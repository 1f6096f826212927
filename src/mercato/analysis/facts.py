"""Extra facts about people: age, birth year, appearances, goals, minutes."""

from __future__ import annotations

from mercato.analysis.document import Doc
from mercato.analysis.patterns import patterns_for
from mercato.model import EntityType, Fact


def _number(value: str, doc: Doc) -> int | None:
    if value.isdigit():
        return int(value)
    words = {k.lower(): int(v) for k, v in doc.pack.core["number_words"].items()}
    return words.get(value)


_COUNTS = ("appearances", "goals", "minutes")


def extract_facts(doc: Doc) -> list[Fact]:
    facts: list[Fact] = []
    focus: int | None = None
    ages, births = (doc.sentence_matches(patterns_for(doc.pack, "facts", k)) for k in ("age", "birth_year"))
    counts = [(k, doc.sentence_matches(patterns_for(doc.pack, "facts", k))) for k in _COUNTS]
    for s in doc.sentences:
        ms = doc.mentions_in(s.start, s.end)
        players = [m for m in ms if doc.entities[m.entity].type is EntityType.PLAYER]
        clubs = [m for m in ms if doc.entities[m.entity].type is EntityType.CLUB]
        subject = players[0].entity if players else focus
        if subject is not None:
            entity = doc.entities[subject]
            for m in ages.get(s.index, ()):
                age = _number(m.groups.get("n", ""), doc)
                if age is not None and 15 <= age <= 45:
                    entity.attributes.setdefault("age", age)
                    if doc.pub is not None:
                        entity.attributes.setdefault("birth_year_estimate", doc.pub.year - age)
            for m in births.get(s.index, ()):
                year = m.groups.get("year")
                if year:
                    entity.attributes.setdefault("birth_year", int(year))
            for kind, matches in counts:
                for m in matches.get(s.index, ()):
                    value = _number(m.groups.get("n", ""), doc)
                    if value is None:
                        continue
                    before = [c for c in clubs if c.end <= m.start]
                    club = doc.entities[before[-1].entity].name if before else None
                    facts.append(Fact(kind, entity.key, entity.name, value, club=club, evidence_span=(m.start, m.end)))
        if players:
            focus = players[-1].entity
    return facts
