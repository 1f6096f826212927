"""Main text and metadata of an HTML page, with trafilatura."""

from __future__ import annotations

import logging

from mercato.model import Article

# trafilatura logs extraction troubles at WARNING; mercato reports failures itself.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


def extract_html(html: str, url: str | None = None) -> Article | None:
    """Extract an article from HTML; None when the page holds no article text."""
    import trafilatura

    if not html or not html.strip():
        return None
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
    )
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (data.get("text") or "").strip()
    if not text:
        return None
    title = (data.get("title") or "").strip() or None
    body = f"{title}\n\n{text}" if title and not text.startswith(title) else text
    return Article(
        id=data.get("fingerprint") or "",
        text=body,
        title=title,
        url=data.get("url") or url,
        published=data.get("date"),
        author=data.get("author"),
        outlet=data.get("sitename"),
        language=data.get("language"),
    )
