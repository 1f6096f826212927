"""Submit one article (a JSON object, or a URL to fetch) for analysis and storage.

Used by ``POST /api/v1/articles``. It goes through the same path as ``mercato ingest`` and
``mercato fetch`` (``ingest_items``; ``Fetcher`` with its address policy, robots.txt and size
limits), so an article sent to the server is stored exactly as one read from a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mercato.ingest.files import LoadFailure, article_from_mapping
from mercato.model import Article
from mercato.service.ingest import Analyzer, ItemResult, ingest_items
from mercato.store import Store


class SubmitError(Exception):
    """Nothing was stored; the message says why (for the client)."""


def _load(obj: dict[str, Any], allow_hosts: Sequence[str]) -> Article:
    if obj.get("text") or obj.get("html"):
        item = article_from_mapping(obj, origin="api", default_id=obj.get("url") or "api-article")
    elif obj.get("url"):
        from mercato.ingest.fetch import FetchConfig, Fetcher, fetch_page

        # The fetcher refuses private, loopback and link-local addresses (unless allowed by the
        # operator): a URL from a client must not make the server probe its own network.
        with Fetcher(FetchConfig(allow_hosts=tuple(allow_hosts))) as fetcher:
            hints = {k: obj[k] for k in ("language", "outlet", "published") if obj.get(k)}
            item = fetch_page(fetcher, obj["url"], **hints)
        if isinstance(item, Article):
            item.title = obj.get("title") or item.title
            item.author = obj.get("author") or item.author
    else:
        raise SubmitError("send 'text' (or 'html') with the article, or a 'url' to fetch")
    if isinstance(item, LoadFailure):
        raise SubmitError(item.reason)
    return item


def submit(
    store: Store, obj: dict[str, Any], analyzer: Analyzer | None = None, allow_hosts: Sequence[str] = ()
) -> dict[str, Any]:
    """Analyse and store one article. Returns status, article id and what was found."""
    article = _load(obj, allow_hosts)
    results: list[ItemResult] = []
    ingest_items([article], store, analyze=analyzer, on_result=results.append)
    res = results[0]
    if res.status == "failed" or res.result is None:
        raise SubmitError(res.reason or "could not store the article")
    from sqlalchemy import func, select

    from mercato.store.models import ClaimRow, MentionRow

    art_id = res.result.article_id
    with store.session() as s:
        claims = s.scalar(select(func.count()).select_from(ClaimRow).where(ClaimRow.article_id == art_id))
        distinct = func.count(func.distinct(MentionRow.entity_id))
        entities = s.scalar(select(distinct).where(MentionRow.article_id == art_id))
    return {
        "status": res.status,
        "article_id": res.result.article_id,
        "duplicate_of": res.result.duplicate_of,
        "claims": int(claims or 0),
        "entities": int(entities or 0),
    }
