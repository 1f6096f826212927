"""According to whom: the journalist on X, the outlet, the coach in a press conference."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

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
def _platforms(code: str) -> tuple[re.Pattern[str], dict[str, str]]:
    from mercato.lang import load_pack

    table = {fold_keep_length(k): v for k, v in load_pack(code).attribution["platforms"].items()}
    names = sorted(table, key=len, reverse=True)
    regex = (
        re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)") if names else re.compile("(?!)")
    )
    return regex, table


def _platform_in(doc: Doc, start: int, end: int) -> str | None:
    regex, table = _platforms(doc.lang)
    for m in regex.finditer(doc.folded, start, end):
        # the platform "X" must be written as a capital X, never the letter x in a word
        if len(m.group()) > 1 or doc.text[m.start()] == "X":
            return table[m.group()]
    return None


def _typed(doc: Doc, mentions: list[Mention], types: set[EntityType]) -> list[Mention]:
    return [m for m in mentions if doc.entities[m.entity].type in types]


def attribute(doc: Doc, sentence_index: int, trigger_start: int) -> Attribution:
    key = ("attribution", sentence_index)
    if key not in doc.cache:
        doc.cache[key] = _attribute(doc, sentence_index)
    return cast("Attribution", doc.cache[key])


def _attribute(doc: Doc, sentence_index: int) -> Attribution:
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
    # "Lo ha annunciato Paulo Fonseca in conferenza stampa": the next sentence names the speaker;
    # "Jurić lo ha escluso. «Non è a disposizione», ha spiegato il tecnico in conferenza stampa":
    # the speaker of this sentence explains it in the next one
    for step in (1, 2):
        if sentence_index + step >= len(doc.sentences):
            break
        if step == 2 and not doc.sentences[sentence_index + 1].in_quote:
            break  # only a quote of several sentences puts its speaker two sentences on
        nxt = doc.sentences[sentence_index + step]
        if press.search(doc.folded, nxt.start, nxt.end):
            nxt_mentions = doc.mentions_in(nxt.start, nxt.end)
            speakers = _typed(doc, nxt_mentions, _SPEAKER_TYPES) or _typed(doc, mentions, _SPEAKER_TYPES)
            players = [m for m in nxt_mentions if doc.entities[m.entity].type is EntityType.PLAYER]
            # a player named in the next sentence is the one this sentence talks about only
            # when this sentence names none ("de aanvaller" ... "Manfred heeft ons laten weten")
            here = any(doc.entities[m.entity].type is EntityType.PLAYER for m in mentions)
            if speakers and (not players or not here):
                return Attribution(speakers[0].entity, platform or "press conference")
    return Attribution(None, platform)
