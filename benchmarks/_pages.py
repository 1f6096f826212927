"""Realistic news pages for the ingest benchmarks, built from the demo articles in the repository.

Each page wraps one article in the weight of a real news site: head meta and JSON-LD, a large menu,
inline scripts, related-article lists, a comment teaser and a footer (about 60 KB of HTML around
3 KB of text), so extraction works as hard as on a page from the web.
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def demo_articles() -> list:
    from mercato.ingest.files import LoadFailure, iter_articles

    return [a for a in iter_articles([REPO / "src/mercato/demo"]) if not isinstance(a, LoadFailure)]


def _boilerplate(seed: int) -> tuple[str, str, str]:
    menu = "".join(f'<li class="menu-item"><a href="/section/{i}">Sezione {i} {seed}</a></li>' for i in range(120))
    related = "".join(
        f'<li><a href="/news/{seed}-{i}.html"><img src="/img/{i}.jpg" alt=""><span>Titolo correlato numero {i} '
        f"del giorno {seed}</span></a></li>"
        for i in range(60)
    )
    script = "<script>" + "window.dataLayer=window.dataLayer||[];" * 400 + "</script>"
    footer = "".join(f'<a href="/legal/{i}">Link legale {i}</a> ' for i in range(80))
    return (
        f"<header><nav><ul>{menu}</ul></nav></header>{script}",
        f"<aside><ul>{related}</ul></aside>",
        (f"<div class='comments'>Commenti (12)</div><footer>{footer}<p>© Editore {seed}</p></footer>"),
    )


def page_for(article, i: int) -> str:
    title, *paragraphs = [p for p in article.text.split("\n") if p.strip()]
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": f"{article.published}T09:00:00+02:00" if article.published else None,
        "author": {"@type": "Person", "name": article.author or "Redazione"},
        "publisher": {"@type": "Organization", "name": article.outlet or "Outlet"},
    }
    top, side, bottom = _boilerplate(i)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{article.language}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} | {html.escape(article.outlet or 'Outlet')}</title>"
        f'<link rel="canonical" href="https://www.example.org/news/{i}.html">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body>{top}'
        f'<main><article><h1>{html.escape(title)}</h1><div class="byline">di Redazione</div>{body}</article>'
        f"{side}</main>{bottom}</body></html>"
    )


def pages(n: int) -> list[str]:
    articles = demo_articles()
    return [page_for(articles[i % len(articles)], i) for i in range(n)]
