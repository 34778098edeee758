"""Every CLI command, option and setting is documented in docs/cli*.md; a test fails on drift."""

from pathlib import Path

import click
import pytest
import typer.main

from footcoach.cli.app import app
from footcoach.config import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"
CLI_DOC = "\n".join(p.read_text() for p in sorted(DOCS.glob("cli*.md")))


def _walk(group, prefix=""):
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from _walk(command, f"{full} ")
        else:
            yield full, command


def commands():
    return sorted(_walk(typer.main.get_command(app)))


@pytest.mark.parametrize(("name", "command"), commands())
def test_command_and_its_options_are_documented(name, command):
    assert f"### `footcoach {name}" in CLI_DOC, f"docs/cli.md lacks a section for {name}"
    section = CLI_DOC.split(f"### `footcoach {name}", 1)[1].split("\n### ", 1)[0]
    for param in command.params:
        for opt in param.opts:
            if opt.startswith("--") and opt != "--help":
                assert f"`{opt}" in section, f"{name}: option {opt} is not documented"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env)
def test_setting_is_documented(setting):
    assert f"`{setting.env}`" in CLI_DOC


def test_no_documented_command_is_missing_from_the_cli():
    import re

    documented = set(re.findall(r"### `footcoach ([a-z-]+(?: [a-z-]+)?)", CLI_DOC))
    assert documented <= {name for name, _ in commands()}


def test_every_schema_name_is_documented():
    from footcoach.schemas import SUBJECTS

    section = CLI_DOC.split("### `footcoach schema NAME`", 1)[1].split("\n### ", 1)[0]
    for subject in SUBJECTS:
        assert f"`{subject}`" in section, subject
