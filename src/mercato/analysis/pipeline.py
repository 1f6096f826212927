"""The analysis pipeline: ``analyze_article(article) -> Analysis``. Pure: no I/O beyond reading
mercato's own packaged data (language packs, knowledge base) once per process.

Stages, in order (each a module of this package):
language -> segment -> mentions -> resolve -> claims (dates, status, attribution) -> facts
"""

from __future__ import annotations

import re

from mercato.analysis import dates
from mercato.analysis.claims import extract_claims
from mercato.analysis.document import Doc
from mercato.analysis.facts import extract_facts
from mercato.analysis.language import detect_language, normalize_code
from mercato.analysis.mentions import (
    find_handles,
    find_kb_mentions,
    find_national_team_phrases,
    find_person_runs,
    select_kb_mentions,
)
from mercato.analysis.resolve import resolve
from mercato.analysis.segment import assign_tokens, mark_quotes, split_sentences, tokenize
from mercato.kb import KnowledgeBase, load_kb
from mercato.lang import load_pack
from mercato.model import LANGUAGES, Analysis, Article, Entity, Span
from mercato.text import fold_keep_length

MAX_TEXT_CHARS = 200_000  # longer texts are not articles; analysing them would only waste time


class AnalysisError(ValueError):
    """The article cannot be analysed (no text, unsupported language); the message says why."""


def analyze_article(article: Article, kb: KnowledgeBase | None = None) -> Analysis:
    text = article.text or ""
    if not text.strip():
        raise AnalysisError("no text")
    if len(text) > MAX_TEXT_CHARS:
        raise AnalysisError(f"text too long for one article ({len(text):,} characters)")
    lang = normalize_code(article.language)
    warnings: list[str] = []
    if lang not in LANGUAGES:
        if lang:
            warnings.append(f"metadata language {article.language!r} is not supported; detecting")
        lang = detect_language(text)
        if lang is None:
            raise AnalysisError("language not recognised as one of " + ", ".join(LANGUAGES))
    pack = load_pack(lang)
    kb = kb if kb is not None else load_kb()

    pub = dates.parse_iso_date(article.published) or dates.date_from_url(article.url)
    published = article.published
    if pub is None:
        pub = dates.date_from_text_head(text, pack)
        published = pub.iso() if pub else None
    elif not published:
        published = pub.iso()

    abbreviations = pack.memo(("abbreviations",), lambda: frozenset(a.lower() for a in pack.core["abbreviations"]))
    folded = fold_keep_length(text)
    tokens = tokenize(text, folded)
    sentences = split_sentences(text, abbreviations)
    assign_tokens(tokens, sentences)
    mark_quotes(text, sentences)
    doc = Doc(
        article=article,
        text=text,
        folded=folded,
        lang=lang,
        pack=pack,
        kb=kb,
        pub=pub,
        tokens=tokens,
        sentences=sentences,
        warnings=warnings,
    )

    kb_mentions = select_kb_mentions(doc, find_kb_mentions(doc))
    nt_phrases = find_national_team_phrases(doc)
    nt_phrases = [m for m in nt_phrases if not any(k.start < m.end and m.start < k.end for k in kb_mentions)]
    occupied = {i for m in kb_mentions + nt_phrases for i in range(m.tok_start, m.tok_end)}
    runs = find_person_runs(doc, occupied)
    handles = find_handles(doc)
    resolve(doc, kb_mentions, runs, handles, nt_phrases)
    claims = extract_claims(doc)
    facts = extract_facts(doc)

    author = article.author or _byline_author(doc)
    outlet = article.outlet
    if not outlet and article.url:
        from urllib.parse import urlsplit

        entry = kb.outlet_for_domain(urlsplit(article.url).hostname or "")
        outlet = entry.name if entry else None

    return Analysis(
        id=article.id,
        language=lang,
        published=published,
        entities=[_entity_out(doc, i) for i in range(len(doc.entities)) if doc.entities[i].mentions],
        claims=claims,
        facts=facts,
        url=article.url,
        title=article.title or _first_line(text),
        outlet=outlet,
        author=author,
        warnings=doc.warnings,
    )


def _entity_out(doc: Doc, index: int) -> Entity:
    e = doc.entities[index]
    ms = sorted((doc.mentions[k] for k in e.mentions), key=lambda m: m.start)
    surfaces: list[str] = []
    for m in ms:
        if m.text not in surfaces:
            surfaces.append(m.text)
    return Entity(
        id=e.key,
        name=e.name,
        type=e.type,
        mentions=surfaces,
        spans=[Span(m.start, m.end, m.text) for m in ms],
        kb_id=e.kb_id,
        attributes=dict(e.attributes),
    )


def _byline_author(doc: Doc) -> str | None:
    from mercato.model import EntityType

    for e in doc.entities:
        if e.type is EntityType.JOURNALIST:
            first = doc.mentions[e.mentions[0]]
            if doc.sentences[first.sentence].index <= 3 and doc.sentences[first.sentence].line_alone:
                return e.name
    return None


def _first_line(text: str) -> str | None:
    line = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    return re.sub(r"\s+", " ", line)[:200] or None
