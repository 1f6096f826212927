"""The ``mercato`` command. Each command group lives in its own module and registers itself here.

Errors a user can cause end as one clear line and a non-zero exit, never a traceback
(set ``MERCATO_DEBUG=1`` to see one).
"""

from __future__ import annotations

import os
import sys

import typer

app = typer.Typer(
    name="mercato",
    help="Read football transfer news in seven languages; keep every claim with its evidence.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class UserError(Exception):
    """An error caused by input or configuration; its message is shown as is."""


def _register() -> None:
    # Imported here so that `mercato --help` stays fast and one broken adapter cannot hide the others.
    from mercato.cli import analyze_cmd

    analyze_cmd.register(app)
    for name in ("store_cmd", "fetch_cmd", "serve_cmd", "knowledge_cmd"):
        try:
            module = __import__(f"mercato.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"mercato.cli.{name}":
                raise
            continue
        module.register(app)


def main() -> None:
    _register()
    try:
        app()
    except UserError as exc:
        typer.echo(f"mercato: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("mercato: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # last resort: a clear line instead of a traceback
        if os.environ.get("MERCATO_DEBUG"):
            raise
        typer.echo(f"mercato: unexpected error: {type(exc).__name__}: {exc} (MERCATO_DEBUG=1 for details)", err=True)
        sys.exit(1)
