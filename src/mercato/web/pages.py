"""HTML pages: the same service calls as the JSON API, rendered with Jinja2 templates.

Pages work without JavaScript (forms and links); ``static/app.js`` only adds search suggestions
and submits the language switch on change. The language of the dossier wording is chosen with
``?lang=xx`` and remembered in a cookie.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from mercato.api.http import cached_response, page_links
from mercato.model import LANGUAGES, ClaimType, Status
from mercato.service import browse
from mercato.service import dossier as ds
from mercato.store import Store
from mercato.web.highlight import highlight
from mercato.web.i18n import LANG_NAMES, Words

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANG_COOKIE = "mercato_lang"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@lru_cache(maxsize=1)
def env() -> jinja2.Environment:
    # Autoescape everything: titles, bylines, handles and evidence come from untrusted articles.
    e = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
    )
    e.filters["url_key"] = lambda v: quote(str(v or ""), safe=":")
    e.filters["pct"] = lambda v: f"{round((v or 0) * 100):d}"
    e.globals["LANGS"] = [(c, LANG_NAMES[c]) for c in LANGUAGES]
    return e


def lang_of(request: Request) -> tuple[str, bool]:
    """The page language (query, then cookie, then English) and whether the query chose it."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked, True
    cookie = request.cookies.get(LANG_COOKIE)
    return (cookie if cookie in LANGUAGES else "en"), False


def render(request: Request, template: str, status: int = 200, **ctx: Any) -> Response:
    lang, chosen = lang_of(request)
    words = Words(lang)
    html = (
        env()
        .get_template(template)
        .render(request=request, w=words, lang=lang, path=request.url.path, query=_query_without_lang(request), **ctx)
    )
    if status != 200:
        resp: Response = Response(html, status_code=status, media_type="text/html; charset=utf-8")
    else:
        resp = cached_response(request, html.encode(), "text/html; charset=utf-8")
    if chosen:
        resp.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return resp


def _query_without_lang(request: Request) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]


def error_page(request: Request, status: int, message: str, suggestions: Sequence[tuple[str, str]]) -> Response:
    return render(request, "error.html", status=status, status_code=status, message=message, suggestions=suggestions)


def store_of(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


# -- views computed from a dossier for display ----------------------------------------------------
def conflicts_of(d: dict[str, Any]) -> list[dict[str, Any]]:
    """Reports that contradict each other, grouped into columns to be shown side by side: contract
    end dates that differ, and move links that were both reported and denied."""
    out: list[dict[str, Any]] = []
    con = d.get("contract")
    if con and con.get("conflict"):
        cols: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for st in con["statements"]:
            cols[str(st["value"])].append(st)
        out.append(
            {
                "kind": "contract",
                "title_key": "contract",
                "preferred": con["until"],
                "reason": con["reason"],
                "columns": [{"label": v, "items": items} for v, items in cols.items()],
            }
        )
    for link in d.get("future", {}).get("links", []):
        pro = [s for s in link["sources"] if s["status"] != "denied"]
        con_ = [s for s in link["sources"] if s["status"] == "denied"]
        if pro and con_:
            out.append(
                {
                    "kind": "link",
                    "club": link["club"],
                    "club_key": link["club_key"],
                    "stage": link["stage"],
                    "columns": [{"label": "for", "items": pro}, {"label": "against", "items": con_}],
                }
            )
    for key in ("injuries", "exclusions", "conflicts"):
        for ev in d.get(key) or []:
            if ev.get("alternatives"):
                out.append(
                    {
                        "kind": "event",
                        "type": ev["type"],
                        "columns": [
                            {"label": ev.get("date") or "?", "items": [ev]},
                            *({"label": a.get("value") or "?", "items": [a]} for a in ev["alternatives"]),
                        ],
                    }
                )
    return out


def sources_of(d: dict[str, Any]) -> list[dict[str, Any]]:
    """Who said what about him: each named source and outlet, with counts and languages."""
    seen: dict[tuple[str, str], dict[str, Any]] = {}
    for ev in d.get("chronicle", []):
        for kind, name, key in (("source", ev.get("source"), ev.get("source_key")), ("outlet", ev.get("outlet"), None)):
            if not name:
                continue
            row = seen.setdefault(
                (kind, name), {"kind": kind, "name": name, "key": key, "reports": 0, "languages": set(), "last": None}
            )
            row["reports"] += 1
            if ev.get("language"):
                row["languages"].add(ev["language"])
            row["last"] = max(filter(None, [row["last"], ev.get("published")]), default=None)
    rows = sorted(seen.values(), key=lambda r: (r["kind"] != "source", -r["reports"], r["name"]))
    for r in rows:
        r["languages"] = sorted(r["languages"])
    return rows


# -- routes ---------------------------------------------------------------------------------------
def make_router() -> APIRouter:
    r = APIRouter(include_in_schema=False)

    @r.get("/")
    def home(request: Request) -> Response:
        store = store_of(request)
        over = browse.overview(store)
        stories = browse.list_stories(store, limit=6).items
        return render(request, "home.html", overview=over, stories=stories, health=browse.health(store))

    @r.get("/search")
    def search(request: Request, q: Annotated[str, Query(max_length=200)] = "") -> Response:
        hits = browse.search(store_of(request), q, limit=20) if q.strip() else []
        # One obvious answer: go straight to its page (the form works without JavaScript).
        if request.query_params.get("go") == "1" and _obvious(hits):
            return RedirectResponse(f"/{hits[0]['page']}/{quote(hits[0]['key'], safe=':')}", status_code=303)
        return render(request, "search.html", q=q, hits=hits)

    @r.get("/players/{ref}")
    def player(request: Request, ref: str, at: Annotated[str | None, Query(pattern=DATE_PATTERN)] = None) -> Response:
        from mercato.knowledge.render import render as render_text

        d = ds.player_dossier(store_of(request), ref, at=at)
        if ref != d["identity"]["key"]:
            return _canonical(request, "players", d["identity"]["key"])
        lang, _ = lang_of(request)
        return render(
            request,
            "player.html",
            d=d,
            conflicts=conflicts_of(d),
            sources=sources_of(d),
            summary=render_text(d, lang, "text"),
            chronicle=list(reversed(d["chronicle"])) if request.query_params.get("order") == "desc" else d["chronicle"],
        )

    @r.get("/clubs/{ref}")
    def club(request: Request, ref: str, at: Annotated[str | None, Query(pattern=DATE_PATTERN)] = None) -> Response:
        from mercato.knowledge.render import render as render_text

        store = store_of(request)
        d = ds.club_dossier(store, ref, at=at)
        if ref != d["identity"]["key"]:
            return _canonical(request, "clubs", d["identity"]["key"])
        lang, _ = lang_of(request)
        stories = browse.list_stories(store, club=d["identity"]["key"], limit=10).items
        return render(request, "club.html", d=d, stories=stories, summary=render_text(d, lang, "text"))

    @r.get("/sources/{ref}")
    def source(request: Request, ref: str, at: Annotated[str | None, Query(pattern=DATE_PATTERN)] = None) -> Response:
        from mercato.knowledge.render import render as render_text

        d = ds.source_dossier(store_of(request), ref, at=at)
        key = d["identity"].get("key")
        if key and ref != key:
            return _canonical(request, "sources", key)
        lang, _ = lang_of(request)
        return render(request, "source.html", d=d, summary=render_text(d, lang, "text"))

    @r.get("/stories")
    def stories(
        request: Request,
        player: Annotated[str | None, Query(max_length=300)] = None,
        club: Annotated[str | None, Query(max_length=300)] = None,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> Response:
        page = browse.list_stories(store_of(request), player or None, club or None, limit=20, offset=offset)
        return render(request, "stories.html", page=page, links=page_links(request, 20, offset, page.has_next))

    @r.get("/stories/{story_id}")
    def story(request: Request, story_id: str) -> Response:
        return render(request, "story.html", s=browse.story(store_of(request), story_id))

    @r.get("/articles")
    def articles(
        request: Request,
        language: Annotated[str | None, Query(max_length=8)] = None,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> Response:
        lang_filter = language if language in LANGUAGES else None
        page = browse.list_articles(store_of(request), 30, offset, lang_filter)
        return render(request, "articles.html", page=page, links=page_links(request, 30, offset, page.has_next))

    @r.get("/articles/{article_id}")
    def article(request: Request, article_id: int) -> Response:
        a = browse.article(store_of(request), article_id)
        return render(request, "article.html", a=a, body=highlight(a["text"], a["entities"], a["claims"]))

    @r.get("/claims")
    def claims(
        request: Request,
        type: Annotated[str | None, Query(max_length=32)] = None,
        status: Annotated[str | None, Query(max_length=16)] = None,
        date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
        date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
        language: Annotated[str | None, Query(max_length=8)] = None,
        club: Annotated[str | None, Query(max_length=300)] = None,
        source: Annotated[str | None, Query(max_length=300)] = None,
        player: Annotated[str | None, Query(max_length=300)] = None,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> Response:
        import re

        # Empty form fields arrive as "": a filter left blank means "any".
        flt = browse.ClaimFilter(
            types=[type] if type in {t.value for t in ClaimType} else [],
            statuses=[status] if status in {s.value for s in Status} else [],
            date_from=date_from if date_from and re.match(DATE_PATTERN, date_from) else None,
            date_to=date_to if date_to and re.match(DATE_PATTERN, date_to) else None,
            language=language if language in LANGUAGES else None,
            club=club or None,
            source=source or None,
            player=player or None,
        )
        page = browse.list_claims(store_of(request), flt, 50, offset)
        return render(
            request,
            "claims.html",
            page=page,
            flt=flt,
            links=page_links(request, 50, offset, page.has_next),
            claim_types=[t.value for t in ClaimType],
            statuses=[s.value for s in Status],
        )

    return r


def _obvious(hits: Sequence[dict[str, Any]]) -> bool:
    """The first hit is clearly what was meant: close enough, and the runner-up is either much
    further or a namesake nobody reports about (a player beats a same-name journalist)."""
    if not hits or not hits[0]["page"] or hits[0]["score"] < 85:
        return False
    if len(hits) == 1:
        return True
    first, second = hits[0], hits[1]
    return first["score"] >= second["score"] + 8 or (first["claims"] > 0 and second["claims"] == 0)


def _canonical(request: Request, kind: str, key: str) -> Response:
    """A page reached by name (``/players/Openda``) moves to its key, so links and caches agree."""
    query = str(request.url.query)
    return RedirectResponse(f"/{kind}/{quote(key, safe=':')}" + (f"?{query}" if query else ""), status_code=307)
