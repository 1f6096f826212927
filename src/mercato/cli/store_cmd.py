"""Store commands: ``ingest``, ``db``, ``entity``, ``kb import`` and ``export``.

Every command takes ``--db`` (a SQLite path or a ``postgresql://`` URL; default ``$MERCATO_DB`` or
the SQLite file in the user's data directory). Database problems end as one clear line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mercato.cli import UserError

if TYPE_CHECKING:
    from mercato.store import Store

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="MERCATO_DB", help="SQLite file or postgresql:// URL (default: user data dir)"
    ),
]

db_app = typer.Typer(help="The database: migrations and counts.", no_args_is_help=True)
entity_app = typer.Typer(
    help="Entities across articles: show, search, merge, split, aliases.", no_args_is_help=True
)
alias_app = typer.Typer(help="Manual aliases of an entity.", no_args_is_help=True)
kb_app = typer.Typer(help="The knowledge base: import open data sets.", no_args_is_help=True)
entity_app.add_typer(alias_app, name="alias")


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"
    parquet = "parquet"


class KBSource(StrEnum):
    openfootball = "openfootball"
    reep = "reep"
    transfermarkt = "transfermarkt"
    tmtransfers = "tmtransfers"


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("export")(export)
    app.add_typer(db_app, name="db")
    app.add_typer(entity_app, name="entity")
    app.add_typer(kb_app, name="kb")


@contextmanager
def open_store(db: str | None) -> Iterator[Store]:
    from mercato.store import Store, StoreError

    try:
        store = Store.open(db)
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    try:
        yield store
    except StoreError as exc:
        raise UserError(str(exc)) from exc
    finally:
        store.close()


# -- ingest -------------------------------------------------------------------------------------
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt/.md (+ .meta.json), .json, .jsonl, .html")
    ],
    db: DbOption = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Language of every article (it nl fr es de pt en)")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary line")] = False,
) -> None:
    """Analyse articles and remember them: one transaction per article, duplicates skipped."""
    from mercato.ingest.files import iter_articles
    from mercato.model import LANGUAGES, Article
    from mercato.service.ingest import ItemResult, ingest_items
    from mercato.store import StoreError

    if lang is not None and lang not in LANGUAGES:
        raise UserError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    try:
        from mercato.service.ingest import default_analyzer

        analyzer = default_analyzer()
    except ImportError as exc:
        raise UserError(f"the analysis engine is not available ({exc})") from exc

    def items() -> Iterator[object]:
        for item in iter_articles(paths):
            if lang and isinstance(item, Article):
                item.language = lang
            yield item

    tty = sys.stderr.isatty()
    seen = 0

    def progress(result: ItemResult) -> None:
        nonlocal seen
        seen += 1
        if result.status == "failed":
            if tty:
                sys.stderr.write("\r\033[K")
            typer.echo(f"mercato: failed {result.origin}: {result.reason}", err=True)
        elif not quiet and tty:
            sys.stderr.write(f"\r\033[K{seen} read, last {result.status}: {result.origin}"[:160])
            sys.stderr.flush()
        elif not quiet and seen % 100 == 0:
            typer.echo(f"mercato: {seen} read", err=True)

    with open_store(db) as store:
        try:
            summary = ingest_items(items(), store, analyze=analyzer, on_result=progress)  # type: ignore[arg-type]
        except StoreError as exc:
            if tty:
                sys.stderr.write("\r\033[K")
            typer.echo(f"mercato: stopped after {seen} items; every article before was stored", err=True)
            raise UserError(str(exc)) from exc
    if tty and not quiet:
        sys.stderr.write("\r\033[K")
    typer.echo(f"mercato: {summary.line()}", err=True)
    if summary.failed:
        raise typer.Exit(1)


# -- db -----------------------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or apply pending migrations (and write missing player summaries)."""
    from mercato.store.db import current_revision, display_url

    with open_store(db) as store:
        filled = store.fill_summaries()
        typer.echo(f"{display_url(store.url)}: schema at revision {current_revision(store.engine)}")
        if filled:
            typer.echo(f"player summaries written: {filled}")


@db_app.command("info")
def db_info(db: DbOption = None) -> None:
    """Where the database is and how much it holds."""
    from mercato.store.db import current_revision, display_url

    with open_store(db) as store:
        typer.echo(f"database: {display_url(store.url)} (revision {current_revision(store.engine)})")
        for name, n in store.counts().items():
            typer.echo(f"{name:>12}: {n}")


@db_app.command("reanalyze")
def db_reanalyze(db: DbOption = None) -> None:
    """Analyse every stored article again (after an analyzer upgrade); corrections are replayed."""
    from mercato.service.ingest import default_analyzer
    from mercato.store import AddResult

    def report(origin: str, result: AddResult | Exception) -> None:
        if isinstance(result, Exception):
            typer.echo(f"mercato: failed {origin}: {type(result).__name__}: {result}", err=True)

    with open_store(db) as store:
        done, failed = store.reanalyze(default_analyzer(), on_result=report)
    typer.echo(f"mercato: reanalyzed {done}, failed {failed}", err=True)
    if failed:
        raise typer.Exit(1)


# -- entity -------------------------------------------------------------------------------------
@entity_app.command("show")
def entity_show(
    name: Annotated[str, typer.Argument(help="Entity key (person:..., club:...) or name")],
    db: DbOption = None,
) -> None:
    """An entity: key, type, aliases, how many articles and claims."""
    with open_store(db) as store:
        info = store.entity_info(name)
    typer.echo(f"{info.name}  [{info.type}]  {info.key}" + (f"  (kb: {info.kb_id})" if info.kb_id else ""))
    for k, v in info.attributes.items():
        typer.echo(f"  {k}: {v}")
    if info.aliases:
        typer.echo(
            "  aliases: "
            + ", ".join(f"{a}" + ("" if o == "analysis" else f" ({o})") for a, o in info.aliases)
        )
    typer.echo(f"  articles: {info.articles}, claims: {info.claims}")


@entity_app.command("search")
def entity_search(
    name: Annotated[str, typer.Argument(help="A name, typos allowed")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n")] = 10,
    type_: Annotated[str | None, typer.Option("--type", help="player, club, coach, ...")] = None,
) -> None:
    """Entities whose name or alias is close to NAME."""
    with open_store(db) as store:
        hits = store.search_entities(name, limit=limit, etype=type_)
    if not hits:
        typer.echo(f"mercato: no entity close to {name!r}", err=True)
        raise typer.Exit(1)
    for key, ename, score in hits:
        typer.echo(f"{score:5.1f}  {ename}  ({key})")


@entity_app.command("merge")
def entity_merge(
    keep: Annotated[str, typer.Argument(help="The entity that stays")],
    drop: Annotated[str, typer.Argument(help="The entity folded into it")],
    db: DbOption = None,
    note: Annotated[str | None, typer.Option("--note", help="Why (kept with the correction)")] = None,
) -> None:
    """Say two entities are one: DROP's mentions and claims move to KEEP, permanently."""
    with open_store(db) as store:
        k, d = store.merge(keep, drop, note=note)
    typer.echo(f"merged {d} into {k}")


@entity_app.command("split")
def entity_split(
    entity: Annotated[str, typer.Argument(help="The entity that wrongly holds two people")],
    alias: Annotated[list[str], typer.Option("--alias", "-a", help="A name of the other one (repeatable)")],
    name: Annotated[str | None, typer.Option("--name", help="Canonical name of the new entity")] = None,
    db: DbOption = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
) -> None:
    """Split off the mentions written as --alias into a new entity, permanently."""
    with open_store(db) as store:
        key = store.split(entity, alias, name=name, note=note)
    typer.echo(f"split {key} off {entity}")


@alias_app.command("add")
def entity_alias_add(
    entity: Annotated[str, typer.Argument()],
    alias: Annotated[str, typer.Argument(help="The other name, as written in articles")],
    db: DbOption = None,
) -> None:
    """From now on, a mention written ALIAS is ENTITY."""
    with open_store(db) as store:
        key = store.add_alias(entity, alias)
    typer.echo(f"{alias!r} now names {key}")


@entity_app.command("corrections")
def entity_corrections(db: DbOption = None) -> None:
    """Every recorded correction, oldest first."""
    import json

    with open_store(db) as store:
        for cid, kind, payload in store.corrections():
            typer.echo(f"{cid:>5}  {kind:<6} {json.dumps(payload, ensure_ascii=False)}")


# -- kb import ------------------------------------------------------------------------------------
@kb_app.command("import")
def kb_import(
    source: Annotated[KBSource, typer.Argument(help="Data set format")],
    path: Annotated[Path, typer.Argument(help="Folder (or file) of the data set")],
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for the KB TOML files (default: user KB)")
    ] = None,
    db: DbOption = None,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="tmtransfers: write KB files only, no transfer facts")
    ] = False,
) -> None:
    """Convert an open data set to knowledge-base TOML (clubs, competitions, people).
    tmtransfers also stores historic transfers as facts in the database."""
    from mercato.kb import KBError, user_kb_dir
    from mercato.service.kb_import import ImportError_, run_import

    if not path.exists():
        raise UserError(f"no such file or directory: {path}")
    target = out or user_kb_dir()
    try:
        if source is KBSource.tmtransfers and not no_store:
            with open_store(db) as store:
                report = run_import(source.value, path, target, store=store)
        else:
            report = run_import(source.value, path, target)
    except (ImportError_, KBError, OSError) as exc:
        raise UserError(str(exc)) from exc
    for line in report.lines():
        typer.echo(line)


# -- export ---------------------------------------------------------------------------------------
def export(
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="json, csv or parquet")
    ] = ExportFormat.json,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="JSON: a file (default stdout); csv/parquet: a folder")
    ] = None,
    db: DbOption = None,
) -> None:
    """Export articles, entities and claims."""
    from mercato.service.export import export as do_export

    with open_store(db) as store:
        counts = do_export(store, format.value, out)
    where = out or ("standard output" if format is ExportFormat.json else Path("mercato-export"))
    typer.echo(
        "mercato: exported " + ", ".join(f"{n} {t}" for t, n in counts.items()) + f" to {where}",
        err=True,
    )
