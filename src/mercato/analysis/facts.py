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


def extract_facts(doc: Doc) -> list[Fact]:
    facts: list[Fact] = []
    focus: int | None = None
    for s in doc.sentences:
        ms = doc.mentions_in(s.start, s.end)
        players = [m for m in ms if doc.entities[m.entity].type is EntityType.PLAYER]
        clubs = [m for m in ms if doc.entities[m.entity].type is EntityType.CLUB]
        subject = players[0].entity if players else focus
        if subject is not None:
            entity = doc.entities[subject]
            for m in patterns_for(doc.pack, "facts", "age").finditer(doc.folded, s.start, s.end):
                age = _number(m.groups.get("n", ""), doc)
                if age is not None and 15 <= age <= 45:
                    entity.attributes.setdefault("age", age)
                    if doc.pub is not None:
                        entity.attributes.setdefault("birth_year_estimate", doc.pub.year - age)
            for m in patterns_for(doc.pack, "facts", "birth_year").finditer(doc.folded, s.start, s.end):
                year = m.groups.get("year")
                if year:
                    entity.attributes.setdefault("birth_year", int(year))
            for kind in ("appearances", "goals", "minutes"):
                for m in patterns_for(doc.pack, "facts", kind).finditer(doc.folded, s.start, s.end):
                    value = _number(m.groups.get("n", ""), doc)
                    if value is None:
                        continue
                    before = [c for c in clubs if c.end <= m.start]
                    club = doc.entities[before[-1].entity].name if before else None
                    facts.append(Fact(kind, entity.key, entity.name, value, club=club, evidence_span=(m.start, m.end)))
        if players:
            focus = players[-1].entity
    return facts
