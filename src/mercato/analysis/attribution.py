"""According to whom: the journalist on X, the outlet, the coach in a press conference."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mercato.analysis.document import Doc, Mention
from mercato.analysis.patterns import patterns_for
from mercato.model import EntityType
from mercato.text import fold_keep_length

_SOURCE_TYPES = {EntityType.JOURNALIST, EntityType.OUTLET}
_SPEAKER_TYPES = {EntityType.COACH, EntityType.EXECUTIVE, EntityType.AGENT}


@dataclass(slots=True)
class Attribution:
    entity: int | None = None  # index into doc.entities
    platform: str | None = None


@lru_cache(maxsize=16)
def _platforms(code: str) -> dict[str, str]:
    from mercato.lang import load_pack

    return {fold_keep_length(k): v for k, v in load_pack(code).attribution["platforms"].items()}


def _platform_in(doc: Doc, start: int, end: int) -> str | None:
    import re

    for surface, canonical in _platforms(doc.lang).items():
        for m in re.finditer(rf"(?<!\w){re.escape(surface)}(?!\w)", doc.folded[start:end]):
            original = doc.text[start + m.start() : start + m.end()]
            # the platform "X" must be written as a capital X, never the letter x in a word
            if len(surface) > 1 or original == "X":
                return canonical
    return None


def _typed(doc: Doc, mentions: list[Mention], types: set[EntityType]) -> list[Mention]:
    return [m for m in mentions if doc.entities[m.entity].type in types]


def attribute(doc: Doc, sentence_index: int, trigger_start: int) -> Attribution:
    s = doc.sentences[sentence_index]
    mentions = doc.mentions_in(s.start, s.end)
    platform = _platform_in(doc, s.start, s.end)
    according = patterns_for(doc.pack, "attribution", "according_to")
    verbs = patterns_for(doc.pack, "attribution", "reporting_verbs")
    press = patterns_for(doc.pack, "attribution", "press_conference")
    quote_verbs = patterns_for(doc.pack, "attribution", "quote_verbs")

    sources = _typed(doc, mentions, _SOURCE_TYPES)
    # "secondo Sky", "selon le journaliste X": the source follows the cue; a person beats an outlet
    for cue in according.finditer(doc.folded, s.start, s.end):
        after = [m for m in sources if m.start >= cue.end and m.start - cue.end <= 80]
        if after:
            people = [m for m in after if doc.entities[m.entity].type is EntityType.JOURNALIST]
            return Attribution((people or after)[0].entity, platform)
    # "Fabrizio Romano schrijft op Twitter dat ...": a source with a reporting verb
    if sources and verbs.search(doc.folded, s.start, s.end):
        people = [m for m in sources if doc.entities[m.entity].type is EntityType.JOURNALIST]
        return Attribution((people or sources)[0].entity, platform)
    # "Sur X, il a révélé que ...": a reporting verb with a pronoun, the journalist named just before
    if verbs.search(doc.folded, s.start, s.end) and not sources:
        for back in (1, 2):
            if sentence_index - back < 0:
                break
            prev = doc.sentences[sentence_index - back]
            prev_sources = _typed(doc, doc.mentions_in(prev.start, prev.end), {EntityType.JOURNALIST})
            if prev_sources:
                return Attribution(prev_sources[-1].entity, platform)
    # a coach or executive speaking to the press, in this sentence or the quote right after it
    if press.search(doc.folded, s.start, s.end) or quote_verbs.search(doc.folded, s.start, s.end):
        speakers = _typed(doc, mentions, _SPEAKER_TYPES)
        if speakers:
            return Attribution(speakers[0].entity, platform or "press conference")
    return Attribution(None, platform)
