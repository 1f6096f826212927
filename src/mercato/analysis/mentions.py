"""Find candidate mentions: knowledge-base aliases, people's names (known or not), handles,
national-team phrases, and the cues around them (roles, bylines, tweet signatures).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from mercato.analysis.document import (
    Doc,
    Mention,
    first_names,
    hard_non_name_words,
    non_name_words,
    place_names,
    word_set,
)
from mercato.analysis.patterns import PatternSet, compile_patterns, patterns_for
from mercato.lang import LanguagePack
from mercato.model import EntityType
from mercato.text import fold, fold_keep_length

_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{2,30})")
_ROLE_TYPES = (
    EntityType.COACH,
    EntityType.JOURNALIST,
    EntityType.AGENT,
    EntityType.EXECUTIVE,
    EntityType.PLAYER,
)
_GLUE_OK = re.compile(r"^(?:[ \t\u00a0]+|-|['’]|\.\s?|\s*&\s*)$")


def _glue_ok(doc: Doc, left: int, right: int) -> bool:
    gap = doc.text[doc.tokens[left].end : doc.tokens[right].start]
    # no gap at all after an elided token: "L'" + "Équipe" is the alias "L'Équipe"
    return gap == " " or gap == "" or bool(_GLUE_OK.match(gap))


def _case_ok(form: str, surface: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return surface == surface.upper()  # acronyms: "OM", "PSG", never "om"
    if form[:1].isupper():
        return surface[:1].isupper()
    return True


def find_kb_mentions(doc: Doc) -> list[Mention]:
    """Longest KB alias matches on whole tokens, with case rules; weak ones kept for later."""
    kb = doc.kb
    first_tokens, prefixes, aliases = kb.first_tokens, kb.alias_prefixes, kb.aliases
    toks = doc.tokens
    found: list[Mention] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if tok.key not in first_tokens:
            i += 1
            continue
        # grow the token sequence while it can still begin an alias; remember the lengths that are one
        key: tuple[str, ...] = (tok.key,)
        lengths = [1] if key in aliases else []
        j = i + 1
        while j < n and toks[j].sentence == tok.sentence and _glue_ok(doc, j - 1, j):
            key = (*key, toks[j].key)
            if key not in prefixes:
                break
            if key in aliases:
                lengths.append(len(key))
            j += 1
        matched = False
        for k in reversed(lengths):
            last = i + k - 1
            surface = doc.text[tok.start : toks[last].end]
            hits = [h for h in aliases[tuple(t.key for t in toks[i : last + 1])] if _case_ok(h.form, surface)]
            if not hits:
                continue
            for hit in hits:
                entry = kb.entries[hit.entry_id]
                # "Atlético" is Atlético Madrid in a Spanish article, one of several elsewhere
                strong = hit.strong and (hit.lang is None or hit.lang == doc.lang)
                found.append(
                    Mention(
                        start=tok.start,
                        end=toks[last].end,
                        text=surface,
                        sentence=tok.sentence,
                        tok_start=i,
                        tok_end=last + 1,
                        kind="kb",
                        kb_id=entry.id,
                        strong=strong,
                        role=entry.type,
                    )
                )
            i = last + 1
            matched = True
            break
        if not matched:
            i += 1
    return found


def select_kb_mentions(doc: Doc, found: list[Mention]) -> list[Mention]:
    """Keep weak and ambiguous matches only where the article names the same entry strongly."""
    kb = doc.kb
    locatives = word_set(doc.pack, "core", "locative_prepositions")
    strong_ids = {m.kb_id for m in found if m.strong}
    by_span: dict[tuple[int, int], list[Mention]] = {}
    for m in found:
        by_span.setdefault((m.start, m.end), []).append(m)
    kept: list[Mention] = []
    for span_mentions in by_span.values():
        candidates = [m for m in span_mentions if m.strong or m.kb_id in strong_ids]
        if not candidates:
            continue
        if len(candidates) > 1:
            # An ambiguous alias: prefer entries named strongly elsewhere, then non-people.
            named = [
                m
                for m in candidates
                if m.kb_id in strong_ids
                and sum(1 for x in found if x.kb_id == m.kb_id and x.strong) > (1 if m.strong else 0)
            ]
            candidates = named or candidates
        chosen = candidates[0]
        entry = kb.entries[chosen.kb_id or ""]
        # "à Marseille", "a Napoli": a city-named club after a locative is a place unless named elsewhere
        city = entry.attrs.get("city")
        if entry.type is EntityType.CLUB and city and fold(city) == fold(chosen.text):
            prev = doc.tokens[chosen.tok_start - 1] if chosen.tok_start > 0 else None
            if prev is not None and prev.fold in locatives and prev.sentence == chosen.sentence:
                chosen.place_like = True
        if entry.type is EntityType.CLUB and _in_dateline(doc, chosen):
            chosen.place_like = True
        kept.append(chosen)
    place_only = {m.kb_id for m in kept} - {m.kb_id for m in kept if not m.place_like}
    kept = [m for m in kept if m.kb_id not in place_only]
    # outlets whose name is a common word count only after an attribution cue
    cues = patterns_for(doc.pack, "attribution", "according_to")
    verbs = patterns_for(doc.pack, "attribution", "reporting_verbs")
    out = []
    for m in kept:
        entry = kb.entries[m.kb_id or ""]
        if entry.attrs.get("needs_cue"):
            window = max(doc.sentences[m.sentence].start, m.start - 40)
            if not (cues.search(doc.folded, window, m.start) or verbs.search(doc.folded, window, m.start)):
                continue
        out.append(m)
    return out


# what closes a byline's name before a place, role or outlet ("Par X, envoyée spéciale",
# "Por X | Vitoria"); resolve.py uses the same characters to tell the author
BYLINE_SEPARATORS = ",|·•—–/"
_DATELINE_SEPARATOR = re.compile(f"[{re.escape(BYLINE_SEPARATORS)}]\\s*$")


def _in_dateline(doc: Doc, m: Mention) -> bool:
    """"Por Carlos Peñalver | Vitoria", "Von Jan Müller, Dortmund": a name after a separator on the
    byline's own line is where the piece was filed, a place, not the club of that name."""
    s = doc.sentences[m.sentence]
    if not s.line_alone:
        return False
    cue = patterns_for(doc.pack, "roles", "byline").search(doc.folded, s.start, m.start)
    return cue is not None and cue.start == s.start and bool(_DATELINE_SEPARATOR.search(doc.text[s.start : m.start]))


@lru_cache(maxsize=16)
def _role_patterns(code: str) -> dict[EntityType, PatternSet]:
    from mercato.lang import load_pack

    pack = load_pack(code)
    return {t: compile_patterns(pack.roles[t.value], pack) for t in _ROLE_TYPES}


@lru_cache(maxsize=16)
def _nationality_lookup(code: str) -> dict[str, str]:
    from mercato.lang import load_pack

    pack = load_pack(code)
    return {fold_keep_length(k): v for k, v in pack.nationalities["adjectives"].items()}


@lru_cache(maxsize=16)
def _positions(code: str) -> dict[str, str]:
    from mercato.lang import load_pack

    pack = load_pack(code)
    return {fold_keep_length(k): v for k, v in pack.roles["positions"].items()}


@lru_cache(maxsize=16)
def _particles(code: str) -> frozenset[str]:
    """Lower-case words allowed inside a surname ("van", "de", "dos"): language data."""
    from mercato.lang import load_pack

    return frozenset(fold_keep_length(w) for w in load_pack(code).core["name_particles"])


def role_cue(doc: Doc, tok_index: int, occupied: set[int]) -> tuple[EntityType | None, str | None, str | None]:
    """A role noun just before the name ("il difensore argentino X", "de trainer van Ajax X"),
    with the nationality adjective and position it carries."""
    tok = doc.tokens[tok_index]
    sent = doc.sentences[tok.sentence]
    lo = max(sent.first_token, tok_index - 6)
    if lo >= tok_index:
        return None, None, None
    window_start = doc.tokens[lo].start
    nat_lookup = _nationality_lookup(doc.lang)
    particles = _particles(doc.lang)
    articles = word_set(doc.pack, "core", "articles")
    best: tuple[int, EntityType, int, int] | None = None
    for etype, patterns in _role_patterns(doc.lang).items():
        for m in patterns.finditer(doc.folded, window_start, tok.start):
            if best is None or m.end > best[0] or (m.end == best[0] and etype is not EntityType.PLAYER):
                best = (m.end, etype, m.start, m.end)
    if best is None:
        return None, None, None
    _, etype, cue_start, cue_end = best
    # Every token between the cue and the name must be an adjective of nationality, a particle,
    # an article, or part of a club/outlet mention ("l'allenatore dell'Atalanta Gasperini").
    nationality = None
    for j in range(lo, tok_index):
        t = doc.tokens[j]
        if t.start < cue_end:
            continue
        if t.fold in nat_lookup:
            nationality = nat_lookup[t.fold]
            continue
        if j in occupied or t.fold in particles or t.fold in articles or t.fold.endswith("'"):
            continue
        return None, None, None
    cue_text = doc.folded[cue_start:cue_end]
    position = _positions(doc.lang).get(cue_text.split()[-1]) if cue_text else None
    return etype, nationality, position


def _after_source_cue(doc: Doc, start: int) -> bool:
    """ "Secondo Gianluca Di Marzio", "selon X": a person named as the source of news is a journalist."""
    cues = patterns_for(doc.pack, "attribution", "according_to")
    window = max(0, start - 30)
    for cue in cues.finditer(doc.folded, window, start):
        # prepositions such as "per" also mean "for": only a real cue word types the name
        if len(cue.phrase.replace("*", "")) >= 4 and not doc.folded[cue.end : start].strip(" ,:'"):
            return True
    return False


def apposition_role(doc: Doc, after_tok: int) -> EntityType | None:
    """ "Míchel, el técnico del Girona", "Tainta, agente del jugador": a role right after a comma."""
    if after_tok >= len(doc.tokens):
        return None
    start = doc.tokens[after_tok - 1].end
    gap = doc.text[start : doc.tokens[after_tok].start]
    if gap.strip() != ",":
        return None
    window_end = doc.tokens[min(len(doc.tokens) - 1, after_tok + 2)].end
    articles = word_set(doc.pack, "core", "articles")
    best: EntityType | None = None
    for etype, patterns in _role_patterns(doc.lang).items():
        for m in patterns.finditer(doc.folded, doc.tokens[after_tok].start, window_end):
            lead = doc.folded[doc.tokens[after_tok].start : m.start].split()
            if all(w in articles or w.endswith("'") for w in lead) and (best is None or etype is not EntityType.PLAYER):
                best = etype
    return best


def _is_title_line(doc: Doc, sentence_index: int) -> bool:
    s = doc.sentences[sentence_index]
    words = [t for t in doc.tokens[s.first_token : s.last_token] if t.text[:1].isalpha()]
    if len(words) < 5:
        return False
    caps = sum(1 for t in words if t.cap)
    return caps / len(words) >= 0.7


def find_person_runs(doc: Doc, occupied: set[int]) -> list[Mention]:
    """Sequences of capitalised tokens that read as people's names."""
    toks = doc.tokens
    stop = non_name_words(doc.lang)
    hard_stop = hard_non_name_words(doc.lang)
    particles = _particles(doc.lang)
    capital_particles = word_set(doc.pack, "core", "capitalised_particles")
    nouns_capitalised = bool(doc.pack.core.get("nouns_capitalised", False))
    firsts = first_names()
    places = place_names()
    markers = word_set(doc.pack, "core", "club_markers")
    mentions: list[Mention] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if not tok.text[:1].isupper():  # most words: no name starts in lower case
            i += 1
            continue
        # "De Jong", "Van Dijk", "Di Lorenzo": a capitalised particle opens a name when a
        # capitalised word that is not a stopword follows at once
        particle_start = (
            tok.fold in capital_particles
            and _name_token(tok.text)
            and i + 1 < n
            and i + 1 not in occupied
            and _name_token(toks[i + 1].text)
            and toks[i + 1].fold not in stop
            and toks[i + 1].sentence == tok.sentence
            and _glue_ok(doc, i, i + 1)
        )
        if i in occupied or not _name_token(tok.text) or (tok.fold in stop and not particle_start):
            i += 1
            continue
        # extend the run over capitalised tokens and inner particles
        j = i + 1
        while j < n and j not in occupied and toks[j].sentence == tok.sentence and _glue_ok(doc, j - 1, j):
            nxt = toks[j]
            if _name_token(nxt.text) and nxt.fold not in stop:
                j += 1
                continue
            # "Vincenzo Italiano": a soft non-name word can be a surname after a known first name
            if j == i + 1 and tok.key in firsts and _name_token(nxt.text) and nxt.fold not in hard_stop:
                j += 1
                continue
            if (
                nxt.fold in particles
                and j + 1 < n
                and _name_token(toks[j + 1].text)
                and j + 1 not in occupied
                and _glue_ok(doc, j, j + 1)
                and toks[j + 1].fold not in stop
            ):
                j += 2
                continue
            break
        run = list(range(i, j))
        i = j
        # a capitalised particle may open a surname ("De Ketelaere") but not stand alone
        while run and toks[run[-1]].fold in particles:
            run.pop()
        if not run:
            continue
        folded = tuple(toks[k].fold for k in run)
        if folded in places or any(f in markers for f in folded):
            continue
        sent = doc.sentences[toks[run[0]].sentence]
        at_sentence_start = run[0] == sent.first_token
        # "Transferexpert Fabrizio Romano", "Volleyballer Leon Andreasen": an unknown word before a
        # first name is a description, not part of the name
        if len(run) >= 3 and folded[0] not in firsts and folded[0] not in particles and folded[1] in firsts:
            run = run[1:]
            folded = folded[1:]
            at_sentence_start = False
        start, end = toks[run[0]].start, toks[run[-1]].end
        m = Mention(start, end, doc.text[start:end], toks[run[0]].sentence, run[0], run[-1] + 1, "person")
        m.role, m.cue_nationality, m.cue_position = role_cue(doc, run[0], occupied)
        if m.role is None:
            m.role = apposition_role(doc, run[-1] + 1)
        if m.role is None and _after_source_cue(doc, start):
            m.role = EntityType.JOURNALIST
        if len(run) >= 2:
            title_line = _is_title_line(doc, m.sentence)
            known_first = folded[0] in firsts or (folded[0] in particles and len(run) >= 2)
            if title_line and not known_first and m.role is None:
                continue
            if nouns_capitalised and not known_first and m.role is None and folded[0] not in particles:
                continue  # German "Punkten Vorsprung": capitalised nouns, not a name
            # an unknown pair opening a sentence is kept only if both words look like names
            implausible = not all(_looks_like_name(toks[k].text) for k in run)
            if at_sentence_start and not known_first and m.role is None and len(run) == 2 and implausible:
                continue
        mentions.append(m)
    return mentions


def _name_token(text: str) -> bool:
    if not text[:1].isupper() or not text[:1].isalpha():
        return False
    # all-caps words of 2+ letters are acronyms (VAR, UEFA) or shouted headlines, not names
    return not (len(text) > 1 and text.isupper() and len(text) <= 4)


def _looks_like_name(text: str) -> bool:
    return (len(text) >= 2 and text[1:].islower()) or "-" in text or "'" in text


def find_handles(doc: Doc) -> list[Mention]:
    out = []
    for m in _HANDLE.finditer(doc.text):
        start = m.start(1)
        tok_index = _token_at(doc, start)
        if tok_index is None:
            continue
        out.append(
            Mention(start, m.end(1), m.group(1), doc.tokens[tok_index].sentence, tok_index, tok_index + 1, "handle")
        )
    return out


def _token_at(doc: Doc, offset: int) -> int | None:
    lo, hi = 0, len(doc.tokens) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        t = doc.tokens[mid]
        if t.end <= offset:
            lo = mid + 1
        elif t.start > offset:
            hi = mid - 1
        else:
            return mid
    return None


@lru_cache(maxsize=16)
def _national_team_patterns(code: str) -> PatternSet:
    from mercato.lang import load_pack

    pack: LanguagePack = load_pack(code)
    adjs = sorted((re.escape(fold_keep_length(a)) for a in pack.nationalities["adjectives"]), key=len, reverse=True)
    countries = sorted((re.escape(fold_keep_length(c)) for c in pack.nationalities["countries"]), key=len, reverse=True)
    adj_words = [fold_keep_length(a) for a in pack.nationalities["adjectives"]]
    country_words = [fold_keep_length(c) for c in pack.nationalities["countries"]]
    return compile_patterns(
        pack.nationalities["national_team_patterns"],
        pack,
        extra={"adj": "|".join(adjs) or "(?!)", "country": "|".join(countries) or "(?!)"},
        extra_words={"adj": adj_words, "country": country_words},
    )


def find_national_team_phrases(doc: Doc) -> list[Mention]:
    """'Argentijnse elftal', 'nazionale argentina' -> the national team of that country."""
    nat = _nationality_lookup(doc.lang)
    countries = {fold_keep_length(k): v for k, v in doc.pack.nationalities["countries"].items()}
    out = []
    for m in _national_team_patterns(doc.lang).finditer(doc.folded):
        country = nat.get(m.groups.get("adj", "")) or countries.get(m.groups.get("country", ""))
        if not country:
            continue
        tok_index = _token_at(doc, m.start)
        if tok_index is None:
            continue
        end_tok = _token_at(doc, m.end - 1) or tok_index
        mention = Mention(
            m.start,
            m.end,
            doc.text[m.start : m.end],
            doc.tokens[tok_index].sentence,
            tok_index,
            end_tok + 1,
            "national_team",
        )
        mention.cue_nationality = country
        out.append(mention)
    return out


class Description(NamedTuple):
    """A player named by what he is, not by his name: "le milieu centrafricain", "the Brazilian
    midfielder", "il brasiliano". ``nationality`` and ``position`` are what it tells of him."""

    start: int
    end: int
    nationality: str | None
    position: str | None
    certain: bool  # surely a person: a role noun ("milieu"), or a nationality used as a noun ("l'Anglais,")


def find_descriptions(doc: Doc, start: int, end: int, occupied: set[int] | None = None) -> list[Description]:
    """Nameless descriptions of a player between two offsets: an article, then a player role noun
    with nationality adjectives on either side, or a nationality adjective on its own used as a
    noun. Tokens in ``occupied`` (other mentions: "la selección argentina") are never part of one."""
    lo = _token_at(doc, start)
    if lo is None:
        lo = next((i for i, t in enumerate(doc.tokens) if t.start >= start), len(doc.tokens))
    occupied = occupied or set()
    nat = _nationality_lookup(doc.lang)
    positions = _positions(doc.lang)
    articles = word_set(doc.pack, "core", "articles")
    function_words = word_set(doc.pack, "core", "function_words")
    roles = _role_patterns(doc.lang)[EntityType.PLAYER]
    role_at = {m.start: m for m in roles.finditer(doc.folded, start, end)}
    out: list[Description] = []
    tokens = doc.tokens
    i = lo
    while i < len(tokens) and tokens[i].end <= end:
        t = tokens[i]
        if t.fold not in articles or i in occupied:
            i += 1
            continue
        j = i + 1
        nationality: str | None = None
        while j < len(tokens) and tokens[j].fold in nat and j not in occupied:  # "the Brazilian midfielder"
            nationality = nat[tokens[j].fold]
            j += 1
        role = role_at.get(tokens[j].start) if j < len(tokens) and j not in occupied else None
        if role is None and t.start in role_at:  # the role phrase carries its article: "l'argentin"
            role = role_at[t.start]
            j = i
        if role is not None:
            words = doc.folded[role.start : role.end].split()
            position = positions.get(doc.folded[role.start : role.end]) or positions.get(words[-1])
            nationality = nationality or next((nat[w] for w in words if w in nat), None)
            k = _token_at(doc, role.end - 1)
            k = (k if k is not None else j) + 1
            if k < len(tokens) and tokens[k].fold in nat and k not in occupied:  # "le milieu centrafricain"
                nationality = nationality or nat[tokens[k].fold]
                k += 1
            out.append(Description(t.start, tokens[k - 1].end, nationality, position, True))
            i = k
            continue
        if nationality is not None and j > i + 1:
            # a nationality adjective as a noun ("l'Anglais", "il brasiliano"): certain before
            # punctuation or a function word ("the Brazilian has"); before another lower-case word
            # it may be that word's adjective ("the Brazilian club")
            nxt = tokens[j] if j < len(tokens) else None
            gap = doc.text[tokens[j - 1].end : nxt.start] if nxt else ""
            certain = nxt is None or bool(gap.strip()) or nxt.fold in function_words
            if certain or (not nxt.cap and j not in occupied):  # type: ignore[union-attr]
                out.append(Description(t.start, tokens[j - 1].end, nationality, None, certain))
        i = max(j, i + 1)
    return out
