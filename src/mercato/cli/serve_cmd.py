"""``mercato serve``: the web UI and the JSON API over a store, served by uvicorn."""

from __future__ import annotations

import json
import os
from typing import Annotated, Any

import typer

from mercato.cli import UserError

SETTINGS_ENV = "MERCATO_SERVE_SETTINGS"
DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="MERCATO_DB", help="SQLite file or postgresql:// URL (default: user data dir)"),
]


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback by default)")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on")] = 8000,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="Let this origin call the API from a browser (repeatable; off by default)"),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", envvar="MERCATO_ALLOW_HOSTS", help="Private host URL ingest may fetch from"),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, max=64, help="Server processes (each opens the store)"),
    ] = 1,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level")] = "info",
) -> None:
    """Serve the web UI and the JSON API (/api/v1). POST /api/v1/articles needs $MERCATO_API_TOKEN."""
    import uvicorn

    from mercato.api.app import create_app
    from mercato.store import StoreError

    try:
        app = create_app(db, cors_origins=cors_origin or (), allow_hosts=allow_host or ())
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"mercato: serving {app.state.store!r} on http://{shown}:{port}/ (API: /api/v1, Ctrl-C to stop)")
    if not app.state.token:
        typer.echo("mercato: read-only API (set MERCATO_API_TOKEN to enable POST /api/v1/articles)")
    # proxy_headers off: behind no proxy by default, a client must not choose its own address.
    opts = {"host": host, "port": port, "log_level": log_level, "proxy_headers": False, "server_header": False}
    if workers == 1:
        uvicorn.run(app, **opts)  # type: ignore[arg-type]
        return
    # Several processes need an import string: each worker rebuilds the app from these settings.
    app.state.store.close()
    os.environ[SETTINGS_ENV] = json.dumps(
        {"db": app.state.store.url, "cors_origins": list(cors_origin or ()), "allow_hosts": list(allow_host or ())}
    )
    uvicorn.run("mercato.cli.serve_cmd:app_from_env", factory=True, workers=workers, **opts)  # type: ignore[arg-type]


def app_from_env() -> Any:
    """The app of one worker process (``--workers``), from the settings the parent left in the
    environment."""
    from mercato.api.app import create_app

    settings = json.loads(os.environ[SETTINGS_ENV])
    return create_app(settings["db"], cors_origins=settings["cors_origins"], allow_hosts=settings["allow_hosts"])
