"""Main text and metadata of an HTML page: trafilatura for the text, the page's own markup for the rest.

The page is parsed once with lxml. Metadata comes from what publishers write for machines first
(JSON-LD, OpenGraph, ``<link rel=canonical>``, ``<html lang>``), because it is exact; trafilatura's
heuristics fill the gaps. Dates follow ``pubdate.find_published`` (ISO first, then text read in the
page's language, never after the fetch time).
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from mercato.ingest.pubdate import (
    fetch_day,
    find_published,
    is_article_object,
    is_sane,
    jsonld_objects,
    to_date,
)
from mercato.model import LANGUAGES, Article

# trafilatura and htmldate log extraction troubles at WARNING; mercato reports failures itself.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.ERROR)

# Shorter "articles" are menus, cookie banners or error pages; the shortest news flash is longer.
MIN_TEXT_CHARS = 60
FAST_RETRY_CHARS = 300  # below this, the fast extractor may have missed the body: try the full one
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_LANG_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")
# Labels browsers treat as windows-1252 (WHATWG encoding standard): the bytes 0x80-0x9F are curly
# quotes and euro signs on real pages that declare latin-1.
_CP1252_ALIASES = {
    "iso-8859-1",
    "iso8859-1",
    "latin-1",
    "latin1",
    "l1",
    "us-ascii",
    "ascii",
    "cp819",
    "ibm819",
    "iso-8859-15",
    "windows-1252",
    "cp1252",
}


def sniff_charset(data: bytes) -> str | None:
    """The charset declared in the first bytes of an HTML document (``<meta charset>``), if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace").lower() if m else None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes sensibly: a BOM, then the declared charset if the bytes really are in it,
    then UTF-8, then windows-1252 (what mislabelled Western European pages nearly always are).

    A page that declares UTF-8 but holds cp1252 bytes fails strict UTF-8 decoding and is read as
    cp1252 instead of being filled with replacement characters.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    candidates: list[str] = []
    for label in (declared, sniff_charset(data)):
        if not label:
            continue
        label = label.strip().strip("\"'").lower()
        candidates.append("cp1252" if label in _CP1252_ALIASES else label)
    candidates += ["utf-8", "cp1252"]
    for name in candidates:
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"  # every byte is a latin-1 character: never fails


def _lang(value: str | None) -> str | None:
    if not value:
        return None
    m = _LANG_CODE.match(value.strip())
    return m.group(1).lower() if m else None


def _meta(tree: Any) -> dict[str, str]:
    """``<meta>`` values by lower-case property/name/http-equiv; the first of each wins."""
    out: dict[str, str] = {}
    for node in tree.iterfind(".//meta"):
        key = (node.get("property") or node.get("name") or node.get("http-equiv") or "").strip().lower()
        content = (node.get("content") or "").strip()
        if key and content and key not in out:
            out[key] = content
    return out


def _names(value: Any) -> list[str]:
    """Person or organisation names from a JSON-LD value (string, object or list of them)."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, dict):
        name = value.get("name")
        return [name.strip()] if isinstance(name, str) and name.strip() else []
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


def _absolute_http(base: str | None, link: str | None) -> str | None:
    if not link:
        return None
    full = urljoin(base or "", link.strip())
    return full if urlsplit(full).scheme in ("http", "https") and urlsplit(full).netloc else None


def page_metadata(tree: Any, url: str | None) -> dict[str, Any]:
    """Metadata publishers state for machines: title, author, site name, language, canonical URL."""
    meta = _meta(tree)
    ld = jsonld_objects(tree)
    article_ld = next((o for o in ld if is_article_object(o)), {})
    publisher = _names(article_ld.get("publisher")) or [
        n for o in ld if o.get("@type") in ("Organization", "NewsMediaOrganization") for n in _names(o)
    ]
    canonical = None
    for node in tree.iterfind(".//link[@rel]"):
        if "canonical" in (node.get("rel") or "").lower().split():
            canonical = _absolute_http(url, node.get("href"))
            if canonical:
                break
    canonical = canonical or _absolute_http(url, meta.get("og:url"))
    root = tree.getroottree().getroot() if hasattr(tree, "getroottree") else tree
    language = (
        _lang(article_ld.get("inLanguage") if isinstance(article_ld.get("inLanguage"), str) else None)
        or _lang(root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
        or _lang(meta.get("content-language"))
        or _lang(meta.get("og:locale"))
        or _lang(meta.get("language"))
    )
    headline = article_ld.get("headline") if isinstance(article_ld.get("headline"), str) else None
    authors = _names(article_ld.get("author")) or _names(meta.get("author")) or _names(meta.get("article:author"))
    authors = [a for a in authors if not a.startswith("http")]  # article:author is often a profile URL
    return {
        "ld": ld,
        "title": (headline or meta.get("og:title") or "").strip() or None,
        "author": ", ".join(dict.fromkeys(authors)) or None,
        "site": (meta.get("og:site_name") or (publisher[0] if publisher else "")).strip() or None,
        "language": language,
        "canonical": canonical,
    }


def _outlet_for(url: str | None) -> str | None:
    """The knowledge base's name for the outlet at this domain, so every page of one outlet agrees."""
    host = urlsplit(url).hostname if url else None
    if not host:
        return None
    try:
        from mercato.kb import load_kb

        entry = load_kb().outlet_for_domain(host)
    except Exception:  # a broken user KB file must not stop ingestion; analysis will report it
        return None
    return entry.name if entry else None


def _site_name(name: str | None, url: str | None) -> str | None:
    """trafilatura's site name, unless it is only the host name it fell back to."""
    if not name:
        return None
    netloc = urlsplit(url).netloc.lower() if url else ""
    return None if name.lower() in (netloc, netloc.split(":")[0]) else name


def _trafilatura(
    tree: Any, url: str | None, fetched_on: date, with_metadata: bool, fast: bool
) -> dict[str, Any] | None:
    import trafilatura

    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        with_metadata=with_metadata,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        # Our date search is exact and reads bylines in the page language; htmldate only adds its quick
        # checks (its "extensive" scan of all text costs 30 ms a page and picks match dates), bounded.
        date_extraction_params={"original_date": True, "extensive_search": False, "max_date": fetched_on.isoformat()},
    )
    if doc is None:
        return None
    return doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)


def article_id_for(url: str | None, text: str) -> str:
    """A stable id: from the canonical URL when known, else from the text."""
    from mercato.ingest.dedup import canonical_url

    basis = canonical_url(url) if url else text
    return "w" + hashlib.blake2b(basis.encode("utf-8"), digest_size=8).hexdigest()


def extract_html(
    html: str | bytes,
    url: str | None = None,
    *,
    fetched: str | datetime | date | None = None,
    language: str | None = None,
) -> Article | None:
    """Extract an article from HTML; None when the page holds no article text.

    ``url`` is where the page was found (the canonical URL stated by the page replaces it when
    present); ``fetched`` bounds the publication date; ``language`` is a hint (e.g. from a feed
    list) used when the page does not state its own.
    """
    import trafilatura
    from lxml import etree

    if isinstance(html, bytes):
        html = decode_html(html)[0]
    if not html or not html.strip():
        return None
    try:
        tree = trafilatura.load_html(html)
    except (ValueError, etree.ParserError):
        return None
    if tree is None:
        return None
    info = page_metadata(tree, url)
    lang = info["language"] if info["language"] in LANGUAGES else (language or info["language"])
    fetched_on = fetch_day(fetched)
    page_url = info["canonical"] or url
    published = find_published(tree, info["ld"], lang, fetched_on, page_url)

    # trafilatura's own metadata pass (and its htmldate search) costs a third of the time; most news
    # pages state title, author and date for machines, so it runs only when something is missing.
    need_metadata = published is None or not info["title"] or not info["author"]
    data = _trafilatura(tree, url, fetched_on, need_metadata, fast=True)
    if data is not None and len((data.get("text") or "").strip()) < FAST_RETRY_CHARS:
        # Little text from the fast extractor: let the fallback extractors (readability, jusText) try.
        slow = _trafilatura(trafilatura.load_html(html), url, fetched_on, need_metadata, fast=False)
        if slow is not None and len(slow.get("text") or "") > len(data.get("text") or ""):
            data = slow
    if data is None:
        return None
    text = (data.get("text") or "").strip()
    if len(text) < MIN_TEXT_CHARS:
        return None
    if published is None:
        day = to_date(data.get("date"))
        published = day.isoformat() if day and is_sane(day, fetched_on) else None
    title = info["title"] or (data.get("title") or "").strip() or None
    body = f"{title}\n\n{text}" if title and not text.startswith(title) else text
    fetched_str = fetched.isoformat() if isinstance(fetched, date | datetime) else fetched
    return Article(
        id=article_id_for(page_url, body),
        text=body,
        title=title,
        url=page_url,
        published=published,
        author=info["author"] or data.get("author"),
        outlet=_outlet_for(page_url) or info["site"] or _site_name(data.get("sitename"), page_url),
        language=lang,
        fetched=fetched_str,
        origin=url,
    )
