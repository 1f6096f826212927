"""Knowledge views: ``player``, ``club`` and ``source`` dossiers, rendered in seven languages.

Thin adapter over ``mercato.service.dossier``: look up, compute, render. An unknown name ends with
suggestions, a database problem with one clear line; never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any

import typer

from mercato.cli import UserError

DbOption = Annotated[
    str | None,
    typer.Option("--db", envvar="MERCATO_DB", help="SQLite file or postgresql:// URL (default: user data dir)"),
]
AtOption = Annotated[
    str | None,
    typer.Option("--at", help="As known on this date (YYYY-MM-DD, YYYY-MM or YYYY): later reports are ignored"),
]
LangOption = Annotated[str, typer.Option("--lang", help="Language of the text: it nl fr es de pt en")]


class Format(StrEnum):
    text = "text"
    json = "json"
    md = "md"


FormatOption = Annotated[Format, typer.Option("--format", help="text, json (the structured dossier) or md")]


def register(app: typer.Typer) -> None:
    app.command("player")(player)
    app.command("club")(club)
    app.command("source")(source)


def _show(
    view: Callable[..., dict[str, Any]], name: str, db: str | None, at: str | None, lang: str, fmt: Format
) -> None:
    from mercato.knowledge.render import render
    from mercato.model import LANGUAGES
    from mercato.service.dossier import Ambiguous, NotFound
    from mercato.store import Store, StoreError

    if lang not in LANGUAGES:
        raise UserError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    try:
        store = Store.open(db)
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    try:
        dossier = view(store, name, at=at)
    except (NotFound, Ambiguous, StoreError, ValueError) as exc:
        raise UserError(str(exc)) from exc
    finally:
        store.close()
    if fmt is Format.json:
        typer.echo(json.dumps(dossier, ensure_ascii=False, indent=2))
    else:
        typer.echo(render(dossier, lang, fmt.value), nl=False)


def player(
    name: Annotated[str, typer.Argument(help="Player name (typos tolerated), alias or key person:...")],
    db: DbOption = None,
    at: AtOption = None,
    lang: LangOption = "en",
    fmt: FormatOption = Format.text,
) -> None:
    """A player's dossier: identity, club, contract, injuries, career, links and the chronicle."""
    from mercato.service.dossier import player_dossier

    _show(player_dossier, name, db, at, lang, fmt)


def club(
    name: Annotated[str, typer.Argument(help="Club name, alias or key club:...")],
    db: DbOption = None,
    at: AtOption = None,
    lang: LangOption = "en",
    fmt: FormatOption = Format.text,
) -> None:
    """A club: known squad, incoming and outgoing links with their stages."""
    from mercato.service.dossier import club_dossier

    _show(club_dossier, name, db, at, lang, fmt)


def source(
    name: Annotated[str, typer.Argument(help="Journalist, outlet (as articles name it) or key")],
    db: DbOption = None,
    at: AtOption = None,
    lang: LangOption = "en",
    fmt: FormatOption = Format.text,
) -> None:
    """A journalist's or outlet's claims, and how many came true once outcomes are known."""
    from mercato.service.dossier import source_dossier

    _show(source_dossier, name, db, at, lang, fmt)
