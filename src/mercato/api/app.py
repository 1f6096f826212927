"""The mercato web server: the JSON API (``/api/v1``) and the HTML pages, one FastAPI app.

Both adapters call the same service functions (``mercato.service.dossier``, ``.browse``,
``.submit``) and never the store directly, datasette-style: a page shows exactly what the API
returns. ``create_app`` opens the store once; ``mercato serve`` runs it under uvicorn.

Safety defaults: every response carries a strict Content-Security-Policy (no inline script);
templates autoescape; request bodies are capped; the one write endpoint needs a token (and is
disabled without one); CORS is off unless origins are given.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from mercato.api.http import BodyLimit, HeadAsGet, SecurityHeaders
from mercato.service.dossier import Ambiguous, NotFound
from mercato.store import Store, StoreError

TOKEN_ENV = "MERCATO_API_TOKEN"
DEFAULT_MAX_BODY = 2 * 1024 * 1024  # an article with its HTML fits; anything bigger is not an article
STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"


def configured_token() -> str | None:
    """The API token: ``$MERCATO_API_TOKEN``, else ``[api] token`` in
    ``<user_config_dir>/mercato/config.toml``."""
    token = os.environ.get(TOKEN_ENV)
    if token:
        return token.strip() or None
    try:
        from platformdirs import user_config_dir

        path = Path(user_config_dir("mercato", appauthor=False)) / "config.toml"
        if path.is_file():
            value = tomllib.loads(path.read_text(encoding="utf-8")).get("api", {}).get("token")
            return str(value).strip() or None if value else None
    except (OSError, tomllib.TOMLDecodeError):
        return None
    return None


def create_app(
    db_url: str | None = None,
    *,
    store: Store | None = None,
    token: str | None = None,
    cors_origins: Sequence[str] = (),
    max_body: int = DEFAULT_MAX_BODY,
    allow_hosts: Sequence[str] = (),
    analyzer: Any = None,
) -> FastAPI:
    """The app over the store at ``db_url`` (None: ``$MERCATO_DB`` or the default SQLite file), or
    over an already open ``store``. ``token`` (default: :func:`configured_token`) enables
    ``POST /api/v1/articles``. ``allow_hosts`` lets URL ingest reach private hosts (tests)."""
    own_store = store is None
    opened = store if store is not None else Store.open(db_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if own_store:
            opened.close()

    app = FastAPI(
        title="mercato",
        version="1",
        summary="Football transfer news in seven languages: entities, claims, dossiers, stories.",
        openapi_url="/api/v1/openapi.json",
        # The interactive docs pages load scripts from a CDN and inline; the CSP forbids both.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = opened
    app.state.token = token if token is not None else configured_token()
    app.state.allow_hosts = tuple(allow_hosts)
    if analyzer is None:
        from mercato.service.ingest import default_analyzer

        analyzer = _lazy(default_analyzer)
    app.state.analyzer = analyzer

    from mercato.api.routes import make_router
    from mercato.web.pages import make_router as make_pages

    app.include_router(make_router())
    app.include_router(make_pages())
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _error_handlers(app)

    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors_origins), allow_methods=["GET"], max_age=600)
    app.add_middleware(BodyLimit, max_bytes=max_body)
    app.add_middleware(HeadAsGet)
    app.add_middleware(SecurityHeaders)
    return app


def _lazy(factory: Any) -> Any:
    """Build the analyzer (knowledge base, language packs) on the first POST, not at start-up:
    a read-only server never pays for it."""
    built: list[Any] = []

    def analyze(article: Any) -> Any:
        if not built:
            built.append(factory())
        return built[0](article)

    return analyze


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def _error_handlers(app: FastAPI) -> None:
    from mercato.web.pages import error_page

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        if _wants_html(request):
            return error_page(request, 404, str(exc), exc.suggestions)
        sugg = [{"name": n, "key": k} for n, k in exc.suggestions]
        return JSONResponse({"error": "not_found", "message": str(exc), "suggestions": sugg}, status_code=404)

    @app.exception_handler(Ambiguous)
    async def ambiguous(request: Request, exc: Ambiguous) -> Response:
        if _wants_html(request):
            return error_page(request, 409, str(exc), exc.candidates)
        cands = [{"name": n, "key": k} for n, k in exc.candidates]
        return JSONResponse({"error": "ambiguous", "message": str(exc), "candidates": cands}, status_code=409)

    @app.exception_handler(ValueError)
    async def bad_value(request: Request, exc: ValueError) -> Response:
        if _wants_html(request):
            return error_page(request, 400, str(exc), [])
        return JSONResponse({"error": "bad_request", "message": str(exc)}, status_code=400)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        if _wants_html(request):
            return error_page(request, 503, str(exc), [])
        return JSONResponse({"error": "store", "message": str(exc)}, status_code=503)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if _wants_html(request) and exc.status_code in (404, 405):
            return error_page(request, exc.status_code, str(exc.detail), [])
        return JSONResponse(
            {"error": "http", "message": str(exc.detail), "detail": exc.detail},
            status_code=exc.status_code,
            headers=exc.headers,
        )
