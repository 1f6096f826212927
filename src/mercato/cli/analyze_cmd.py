"""``mercato analyze`` and ``mercato eval``: the analysis core, from files, without a store."""

from __future__ import annotations

import json
import sys
import tomllib
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from mercato.cli import UserError


class OutputFormat(StrEnum):
    text = "text"
    jsonl = "jsonl"


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
    app.command("eval")(evaluate)


def analyze(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .txt/.md (+ .meta.json), .json, .jsonl, .html")
    ],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format")] = OutputFormat.text,
    lang: Annotated[str | None, typer.Option("--lang", help="Language of every article (it nl fr es de pt en)")] = None,
    published: Annotated[
        str | None, typer.Option("--published", help="Publication date (YYYY-MM-DD, YYYY-MM) when none is known")
    ] = None,
) -> None:
    """Analyze articles: entities, claims, dates, status and sources. Writes to standard output."""
    from mercato.analysis.pipeline import AnalysisError, analyze_article
    from mercato.analysis.report import render_text
    from mercato.ingest.files import LoadFailure, iter_articles
    from mercato.model import LANGUAGES

    if lang is not None and lang not in LANGUAGES:
        raise UserError(f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}")
    failures = 0
    done = 0
    for item in iter_articles(paths):
        if isinstance(item, LoadFailure):
            failures += 1
            typer.echo(f"mercato: skipped {item}", err=True)
            continue
        if lang:
            item.language = lang
        if published and not item.published:
            item.published = published
        try:
            result = analyze_article(item)
        except AnalysisError as exc:
            failures += 1
            typer.echo(f"mercato: skipped {item.origin or item.id}: {exc}", err=True)
            continue
        except Exception as exc:  # one article must not stop the batch
            failures += 1
            typer.echo(
                f"mercato: skipped {item.origin or item.id}: internal error {type(exc).__name__}: {exc}", err=True
            )
            continue
        done += 1
        if format is OutputFormat.jsonl:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
        else:
            sys.stdout.write(render_text(result) + "\n")
    if failures:
        typer.echo(f"mercato: {done} analyzed, {failures} failed", err=True)
        raise typer.Exit(1)


def evaluate(
    corpus: Annotated[Path, typer.Option("--corpus", help="Folder of articles (any form `analyze` reads)")],
    gold: Annotated[Path, typer.Option("--gold", help="Folder of <id>.gold.json files")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON")] = False,
    floors: Annotated[
        Path | None, typer.Option("--floors", help="TOML of minimum scores; exit 1 when any is missed")
    ] = None,
    details: Annotated[bool, typer.Option("--details/--no-details", help="List missed and spurious items")] = True,
) -> None:
    """Score the analysis of a corpus against gold annotations (SCHEMA.md rules)."""
    from mercato.evaluation import check_floors, evaluate_corpus, render_report

    for path, what in ((corpus, "corpus"), (gold, "gold")):
        if not path.is_dir():
            raise UserError(f"{what} folder not found: {path}")
    if floors is not None:  # before the long evaluation, not after it
        try:
            tomllib.loads(floors.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UserError(f"cannot read the floors file {floors}: {exc}") from None
    report = evaluate_corpus(corpus, gold)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(render_report(report, details=details))
    if floors is not None:
        missed = check_floors(report, floors)
        for line in missed:
            typer.echo(f"below floor: {line}", err=True)
        if missed:
            raise typer.Exit(1)
