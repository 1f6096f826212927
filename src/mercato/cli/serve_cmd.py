"""``mercato serve``: the web UI and the JSON API over a store, served by uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from mercato.cli import UserError

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
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False)
