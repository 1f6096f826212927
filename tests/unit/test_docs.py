"""The docs are checked: every `mercato COMMAND` the README shows exists and answers --help, and
every doc the README lists is in the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mercato.cli import _register, app

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
CODE = "\n".join(re.findall(r"```(?:bash)?\n(.*?)```", README, flags=re.DOTALL))
COMMANDS = sorted(set(re.findall(r"^(?:[A-Z_]+=\S+ )?mercato ([a-z]+)", CODE, flags=re.MULTILINE)))


def test_readme_shows_commands() -> None:
    assert {"analyze", "ingest", "player", "serve", "eval"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_exists(command: str) -> None:
    _register()
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("doc", sorted(set(re.findall(r"`(docs/[\w.-]+\.md)`", README))))
def test_listed_docs_exist(doc: str) -> None:
    assert (REPO / doc).is_file()


def test_readme_opens_with_the_two_commands() -> None:
    block = README.split("```bash", 1)[1].split("```", 1)[0]
    assert "scripts/run" in block and "scripts/test" in block
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "scripts/test" in ci
