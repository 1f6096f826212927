"""Publication dates of web pages: machine-readable dates first, then text pinned to one language.

Order of trust (first sane answer wins):
1. JSON-LD ``datePublished`` / ``dateCreated`` of an article object;
2. ``<meta>`` tags that carry ISO dates (``article:published_time``, ``pubdate``, Dublin Core, ...);
3. ``<time datetime>`` and ``itemprop="datePublished"`` attributes;
4. a date written in words or digits inside a byline-like element, parsed with the month names of
   the page's language only (a German page never has its "März" read as something else, and
   "03/04/2024" is day-first everywhere except where the language says otherwise);
5. a ``/YYYY/MM/DD/`` path in the URL.

"Sane" means: a real calendar date, not before 1995 (no news site predates that), and never after
the fetch time — a date in the future is a contract end or a fixture, not the publication.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from mercato.text import fold

EARLIEST = date(1995, 1, 1)

# Month names by language, folded. Used when the language pack has no ``time.months`` yet.
_FALLBACK_MONTHS: dict[str, dict[str, int]] = {
    "en": {
        "january": 1,
        "february": 2,
        "march": 3,
        "april": 4,
        "may": 5,
        "june": 6,
        "july": 7,
        "august": 8,
        "september": 9,
        "october": 10,
        "november": 11,
        "december": 12,
        "jan": 1,
        "feb": 2,
        "mar": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    },
    "it": {
        "gennaio": 1,
        "febbraio": 2,
        "marzo": 3,
        "aprile": 4,
        "maggio": 5,
        "giugno": 6,
        "luglio": 7,
        "agosto": 8,
        "settembre": 9,
        "ottobre": 10,
        "novembre": 11,
        "dicembre": 12,
    },
    "fr": {
        "janvier": 1,
        "fevrier": 2,
        "mars": 3,
        "avril": 4,
        "mai": 5,
        "juin": 6,
        "juillet": 7,
        "aout": 8,
        "septembre": 9,
        "octobre": 10,
        "novembre": 11,
        "decembre": 12,
        "janv": 1,
        "fevr": 2,
        "juil": 7,
        "sept": 9,
        "oct": 10,
        "nov": 11,
        "dec": 12,
    },
    "es": {
        "enero": 1,
        "febrero": 2,
        "marzo": 3,
        "abril": 4,
        "mayo": 5,
        "junio": 6,
        "julio": 7,
        "agosto": 8,
        "septiembre": 9,
        "setiembre": 9,
        "octubre": 10,
        "noviembre": 11,
        "diciembre": 12,
    },
    "pt": {
        "janeiro": 1,
        "fevereiro": 2,
        "marco": 3,
        "abril": 4,
        "maio": 5,
        "junho": 6,
        "julho": 7,
        "agosto": 8,
        "setembro": 9,
        "outubro": 10,
        "novembro": 11,
        "dezembro": 12,
    },
    "de": {
        "januar": 1,
        "jaenner": 1,
        "janner": 1,
        "februar": 2,
        "marz": 3,
        "maerz": 3,
        "april": 4,
        "mai": 5,
        "juni": 6,
        "juli": 7,
        "august": 8,
        "september": 9,
        "oktober": 10,
        "november": 11,
        "dezember": 12,
        "jan": 1,
        "feb": 2,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "okt": 10,
        "nov": 11,
        "dez": 12,
    },
    "nl": {
        "januari": 1,
        "februari": 2,
        "maart": 3,
        "april": 4,
        "mei": 5,
        "juni": 6,
        "juli": 7,
        "augustus": 8,
        "september": 9,
        "oktober": 10,
        "november": 11,
        "december": 12,
        "jan": 1,
        "feb": 2,
        "mrt": 3,
        "apr": 4,
        "jun": 6,
        "jul": 7,
        "aug": 8,
        "sep": 9,
        "okt": 10,
        "nov": 11,
        "dec": 12,
    },
}

# Meta tags whose content is a machine date, by priority (property or name, lower case).
_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "cxenseparse:recs:publishtime",
    "originalpublicationdate",
)
_META_RANK = {k: i for i, k in enumerate(_META_KEYS)}
_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "blogposting",
    "analysisnewsarticle",
    "sportsarticle",
    "webpage",
    "liveblogposting",
    "report",
}

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]|$)")
_ISO_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})(?:T|\b)")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|[-_]|\b)")
_NUMERIC = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d{2})\b")
_BYLINE_HINT = re.compile(r"date|time|publi|byline|meta|posted|article-info|dateline|fecha|data|datum", re.IGNORECASE)


def to_date(value: Any) -> date | None:
    """An ISO-ish date string (or datetime) as a date; None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    m = _ISO.match(value) or _ISO_COMPACT.match(value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def is_sane(day: date | None, fetched: date) -> bool:
    return day is not None and EARLIEST <= day <= fetched


def fetch_day(fetched: str | datetime | date | None) -> date:
    """The day a page was fetched (today when unknown): no publication date may be later."""
    if fetched is None:
        return datetime.now(UTC).date()
    if isinstance(fetched, str):
        day = to_date(fetched)
        return day or datetime.now(UTC).date()
    return to_date(fetched) or datetime.now(UTC).date()


@lru_cache(maxsize=16)
def month_names(language: str | None) -> dict[str, int]:
    """Folded month names of one language: the language pack's when present, else the built-in list."""
    names: dict[str, int] = {}
    if language:
        try:
            from mercato.lang import load_pack

            raw = load_pack(language).time.get("months", {})
            if isinstance(raw, dict):
                names = {fold(k): int(v) for k, v in raw.items() if isinstance(v, int) and 1 <= v <= 12}
        except Exception:  # a language pack in progress must not break ingestion
            names = {}
        for k, v in _FALLBACK_MONTHS.get(language, {}).items():
            names.setdefault(k, v)
    else:
        # No language known: only names that mean the same month in every language that has them.
        seen: dict[str, set[int]] = {}
        for table in _FALLBACK_MONTHS.values():
            for k, v in table.items():
                seen.setdefault(k, set()).add(v)
        names = {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}
    return names


@lru_cache(maxsize=16)
def _month_regex(language: str | None) -> tuple[re.Pattern[str], re.Pattern[str]]:
    alternatives = "|".join(sorted((re.escape(k) for k in month_names(language)), key=len, reverse=True))
    # "12 luglio 2024", "12. Juli 2024", "12 de julio de 2024", "1er mai 2024"
    day_first = re.compile(
        rf"\b(\d{{1,2}})(?:er|st|nd|rd|th|º|o)?\.?\s+(?:de\s+)?({alternatives})\.?,?\s+(?:de\s+)?((?:19|20)\d{{2}})\b"
    )
    # "July 12, 2024"
    month_first = re.compile(rf"\b({alternatives})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})\b")
    return day_first, month_first


def parse_text_date(text: str, language: str | None, fetched: date) -> date | None:
    """The first sane date written in ``text``, read with the month names of ``language`` only."""
    folded = fold(text) if text else ""
    if not folded:
        return None
    names = month_names(language)
    day_first, month_first = _month_regex(language)
    found: list[tuple[int, date]] = []
    for m in day_first.finditer(folded):
        found.extend(_make(m.start(), m.group(3), names.get(m.group(2)), m.group(1)))
    if language in (None, "en"):
        for m in month_first.finditer(folded):
            found.extend(_make(m.start(), m.group(3), names.get(m.group(1)), m.group(2)))
    # Digits: folding turned "12.07.2024" into "12 07 2024"; read the original text.
    for m in _NUMERIC.finditer(text):
        a, b, year = int(m.group(1)), int(m.group(2)), m.group(3)
        # Day first in every supported language; month first only as a rescue for US-style English.
        orders = [(b, a)] if language != "en" else [(b, a), (a, b)]
        for month, day in orders:
            made = _make(m.start(), year, month, str(day))
            if made:
                found.extend(made)
                break
    for _, day in sorted(found, key=lambda pair: pair[0]):
        if is_sane(day, fetched):
            return day
    return None


def _make(pos: int, year: str, month: int | None, day: str) -> list[tuple[int, date]]:
    if not month:
        return []
    try:
        return [(pos, date(int(year), month, int(day)))]
    except ValueError:
        return []


def _jsonld_objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _jsonld_objects(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if key in data:
                yield from _jsonld_objects(data[key])


def jsonld_objects(tree: Any) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page (graphs flattened); broken blocks are skipped."""
    out: list[dict[str, Any]] = []
    for node in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (node.get("type") or "").lower():
            continue
        raw = (node.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            # Some sites leave trailing commas or raw newlines in strings; one lenient retry.
            try:
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", raw), strict=False)
            except ValueError:
                continue
        out.extend(_jsonld_objects(data))
    return out


def is_article_object(obj: dict[str, Any]) -> bool:
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds)


def iso_candidates(tree: Any, ld: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Machine-readable publication dates in order of trust."""
    for obj in ld:
        if is_article_object(obj):
            for key in ("datePublished", "dateCreated", "uploadDate"):
                value = obj.get(key)
                if isinstance(value, str):
                    yield value
    metas: list[tuple[int, str]] = []
    for node in tree.iterfind(".//meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip().lower()
        if key in _META_RANK and node.get("content"):
            metas.append((_META_RANK[key], node.get("content")))
    for _, value in sorted(metas, key=lambda pair: pair[0]):
        yield value
    for node in tree.iterfind(".//*[@itemprop]"):
        if (node.get("itemprop") or "").lower() == "datepublished":
            value = node.get("datetime") or node.get("content")
            if value:
                yield value
    for node in tree.iterfind(".//time[@datetime]"):
        yield node.get("datetime")


def find_published(
    tree: Any,
    ld: list[dict[str, Any]],
    language: str | None,
    fetched: date,
    url: str | None = None,
) -> str | None:
    """Publication date of a parsed page as ISO ``YYYY-MM-DD``; None when nothing sane is found."""
    for value in iso_candidates(tree, ld):
        day = to_date(value)
        if is_sane(day, fetched):
            return day.isoformat() if day else None
    for node in tree.iter():
        if not isinstance(node.tag, str) or node.tag in ("script", "style", "html", "body"):
            continue
        hint = f"{node.get('class') or ''} {node.get('id') or ''} {node.tag}"
        if node.tag != "time" and not _BYLINE_HINT.search(hint):
            continue
        text = node.text_content() if hasattr(node, "text_content") else (node.text or "")
        if not text or len(text) > 300:  # a container of the whole page is no byline
            continue
        day = parse_text_date(text, language, fetched)
        if day:
            return day.isoformat()
    if url:
        m = _URL_DATE.search(url)
        if m:
            try:
                day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                day = None
            if is_sane(day, fetched):
                return day.isoformat() if day else None
    return None
