"""The JSON API under ``/api/v1``: thin handlers over ``mercato.service`` (dossier, browse, submit).

Every GET answers with an ETag (``If-None-Match`` gives 304); lists are paged with ``limit`` and
``offset`` and carry ``links`` (and a ``Link`` header). The only write, ``POST /articles``, needs
the API token as ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hmac
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from mercato.api.http import cached_response, json_body, link_header, page_links
from mercato.model import LANGUAGES, ClaimType, Status
from mercato.service import browse
from mercato.service import dossier as ds
from mercato.store import Store

Lang = StrEnum("Lang", {code: code for code in LANGUAGES})  # type: ignore[misc]

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Invalid parameter (e.g. a malformed date)"},
    404: {"description": "Not found; `suggestions` lists close names"},
    409: {"description": "The name fits several entities; `candidates` lists their keys"},
    503: {"description": "The database cannot be read"},
}
DATE_PATTERN = r"^[12]\d{3}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
AtQuery = Annotated[
    str | None,
    Query(
        description="As known on this date (YYYY-MM-DD, YYYY-MM or YYYY; a day past the month's end is its last day)",
        pattern=DATE_PATTERN,
        max_length=10,
    ),
]


def day(value: str | None) -> str | None:
    """A schema-valid date the calendar lacks (2025-02-30) becomes the month's last day: the
    schema cannot express month lengths, and a client asking "as of Feb 30th" means its end."""
    if value is None or len(value) != 10:
        return value
    import calendar

    y, m, d = (int(x) for x in value.split("-"))
    last = calendar.monthrange(y, m)[1] if 1 <= y <= 9999 else 28
    return f"{y:04d}-{m:02d}-{min(d, last):02d}"


LangQuery = Annotated[Lang | None, Query(description="Add a summary rendered in this language")]
Limit = Annotated[int, Query(ge=1, le=browse.MAX_LIMIT, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="Items to skip")]
Ref = Annotated[str, Path(min_length=1, max_length=300, description="Entity key (person:...), KB id or name")]


def store_of(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


StoreDep = Annotated[Store, Depends(store_of)]


def ok(request: Request, data: Any) -> Response:
    return cached_response(request, json_body(data), "application/json")


def paged(request: Request, page: browse.Page, extra: dict[str, Any] | None = None) -> Response:
    links = page_links(request, page.limit, page.offset, page.has_next)
    data = {**(extra or {}), **page.to_dict(), "links": links}
    header = link_header(links)
    return cached_response(request, json_body(data), "application/json", {"Link": header} if header else None)


def _summary(dossier: dict[str, Any], lang: Lang | None) -> dict[str, Any]:
    if lang is None:
        return dossier
    from mercato.knowledge.render import render

    return {**dossier, "summary": {"lang": lang.value, "text": render(dossier, lang.value, "text")}}


class ArticleIn(BaseModel):
    """An article to analyse and store: its ``text`` (or ``html``) with metadata, or only a ``url``
    to fetch (public addresses only, robots.txt obeyed)."""

    text: str | None = Field(None, max_length=400_000)
    html: str | None = Field(None, max_length=900_000)
    url: str | None = Field(None, max_length=2048)
    title: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, max_length=32)
    author: str | None = Field(None, max_length=300)
    outlet: str | None = Field(None, max_length=300)
    language: Lang | None = None
    id: str | None = Field(None, max_length=500)


class IngestOut(BaseModel):
    status: str = Field(description="new, near_duplicate, updated or duplicate")
    article_id: int
    duplicate_of: int | None = None
    claims: int
    entities: int
    href: str


def make_router() -> APIRouter:
    r = APIRouter(prefix="/api/v1", responses=ERRORS)

    @r.get("/health", tags=["meta"], summary="Whether the store answers, and how much it holds")
    def health(request: Request, store: StoreDep) -> Response:
        return ok(request, browse.health(store))

    @r.get("/search", tags=["entities"], summary="Entities by name in any language and spelling (typo tolerant)")
    def search(
        request: Request,
        store: StoreDep,
        q: Annotated[str, Query(min_length=1, max_length=200, description="Name, alias or part of one")],
        type: Annotated[list[str] | None, Query(description="Entity types (player, club, journalist...)")] = None,
        limit: Annotated[int, Query(ge=1, le=50)] = 10,
    ) -> Response:
        return ok(request, {"q": q, "items": browse.search(store, q, limit=limit, types=type or ())})

    @r.get("/players/{ref}", tags=["dossiers"], summary="A player's dossier")
    def player(request: Request, store: StoreDep, ref: Ref, at: AtQuery = None, lang: LangQuery = None) -> Response:
        return ok(request, _summary(ds.player_dossier(store, ref, at=day(at)), lang))

    @r.get("/players/{ref}/timeline", tags=["dossiers"], summary="A player's chronicle, oldest report first")
    def timeline(
        request: Request, store: StoreDep, ref: Ref, at: AtQuery = None, limit: Limit = 100, offset: Offset = 0
    ) -> Response:
        d = ds.player_dossier(store, ref, at=day(at))
        events = d["chronicle"]
        page = browse.Page(events[offset : offset + limit], limit, offset, len(events) > offset + limit)
        return paged(request, page, {"player": d["identity"], "total": len(events)})

    @r.get("/clubs/{ref}", tags=["dossiers"], summary="A club: known squad, incoming and outgoing links")
    def club(request: Request, store: StoreDep, ref: Ref, at: AtQuery = None, lang: LangQuery = None) -> Response:
        return ok(request, _summary(ds.club_dossier(store, ref, at=day(at)), lang))

    @r.get("/sources/{ref}", tags=["dossiers"], summary="A journalist's or outlet's claims and their outcomes")
    def source(request: Request, store: StoreDep, ref: Ref, at: AtQuery = None, lang: LangQuery = None) -> Response:
        return ok(request, _summary(ds.source_dossier(store, ref, at=day(at)), lang))

    @r.get("/claims", tags=["claims"], summary="Claims, newest first, with filters")
    def claims(
        request: Request,
        store: StoreDep,
        type: Annotated[list[ClaimType] | None, Query(description="Claim types")] = None,
        status: Annotated[list[Status] | None, Query(description="Statuses")] = None,
        date_from: Annotated[str | None, Query(alias="from", pattern=DATE_PATTERN, max_length=10)] = None,
        date_to: Annotated[str | None, Query(alias="to", pattern=DATE_PATTERN, max_length=10)] = None,
        language: Annotated[Lang | None, Query(description="Article language")] = None,
        club: Annotated[str | None, Query(max_length=300, description="Club key or name (to or from)")] = None,
        source: Annotated[str | None, Query(max_length=300, description="Source key or name, or outlet")] = None,
        player: Annotated[str | None, Query(max_length=300, description="Player key or name")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        flt = browse.ClaimFilter(
            types=[t.value for t in type or ()],
            statuses=[s.value for s in status or ()],
            date_from=day(date_from),
            date_to=day(date_to),
            language=language.value if language else None,
            club=club,
            source=source,
            player=player,
        )
        return paged(request, browse.list_claims(store, flt, limit, offset))

    @r.get("/stories", tags=["stories"], summary="Deals and events told by several reports, latest first")
    def stories(
        request: Request,
        store: StoreDep,
        player: Annotated[str | None, Query(max_length=300)] = None,
        club: Annotated[str | None, Query(max_length=300)] = None,
        limit: Annotated[int, Query(ge=1, le=100)] = 20,
        offset: Offset = 0,
    ) -> Response:
        return paged(request, browse.list_stories(store, player, club, limit, offset))

    @r.get("/stories/{story_id}", tags=["stories"], summary="One story: every report of it, origin first")
    def story(
        request: Request, store: StoreDep, story_id: Annotated[str, Path(min_length=1, max_length=700)]
    ) -> Response:
        return ok(request, browse.story(store, story_id))

    @r.get("/articles", tags=["articles"], summary="Stored articles, newest first")
    def articles(
        request: Request,
        store: StoreDep,
        language: Lang | None = None,
        outlet: Annotated[str | None, Query(max_length=300)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Response:
        lang = language.value if language else None
        return paged(request, browse.list_articles(store, limit, offset, lang, outlet))

    @r.get("/articles/{article_id}", tags=["articles"], summary="An article: text, entities and claims with offsets")
    def article(request: Request, store: StoreDep, article_id: Annotated[int, Path(ge=1, le=2**62)]) -> Response:
        return ok(request, browse.article(store, article_id))

    @r.post(
        "/articles",
        tags=["articles"],
        status_code=201,
        response_model=IngestOut,
        summary="Analyse and store an article (JSON) or a URL; needs the API token",
        responses={
            200: {"description": "Already stored (duplicate)", "model": IngestOut},
            401: {"description": "Missing or wrong token"},
            403: {"description": "Writing is disabled: no API token configured"},
            413: {"description": "Request body too large"},
            422: {"description": "Nothing to store (no text, fetch refused, analysis failed)"},
        },
    )
    def ingest(
        request: Request,
        store: StoreDep,
        body: ArticleIn,
        authorization: Annotated[str | None, Header(description="Bearer <MERCATO_API_TOKEN>")] = None,
    ) -> Any:
        _check_token(request, authorization)
        from mercato.service.submit import SubmitError, submit

        try:
            res = submit(
                store,
                body.model_dump(exclude_none=True, mode="json"),
                analyzer=request.app.state.analyzer,
                allow_hosts=request.app.state.allow_hosts,
            )
        except SubmitError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        res["href"] = f"/api/v1/articles/{res['article_id']}"
        return JSONResponse(res, status_code=200 if res["status"] == "duplicate" else 201)

    return r


def _check_token(request: Request, authorization: str | None) -> None:
    token: str | None = request.app.state.token
    if not token:
        raise HTTPException(status_code=403, detail="writing is disabled: start the server with MERCATO_API_TOKEN set")
    given = ""
    if authorization and authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    # Constant-time comparison: the token must not leak one character at a time.
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise HTTPException(
            status_code=401, detail="missing or wrong API token", headers={"WWW-Authenticate": "Bearer"}
        )
