"""Every footcoach command the README shows runs and succeeds, so the README cannot drift."""

import re
import shlex
import shutil
from pathlib import Path

from typer.testing import CliRunner

from footcoach.cli.app import app

README = Path(__file__).resolve().parents[1] / "README.md"


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(), flags=re.S)
    commands = []
    for block in blocks:
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words[:1] == ["footcoach"]:
                commands.append(shlex.join(words))
    return commands


def test_the_readme_shows_the_two_setup_commands_first():
    text = README.read_text()
    first_block = re.search(r"```sh\n(.*?)```", text, flags=re.S).group(1)
    assert "make run" in first_block and "make test" in first_block


def test_the_readme_shows_commands():
    assert len(readme_commands()) >= 5


def test_every_readme_command_runs_in_order(tmp_path, monkeypatch):
    """The tour, as a newcomer would type it, in a scratch folder with its own database."""
    shutil.copytree(README.parent / "docs" / "examples", tmp_path / "docs" / "examples")
    monkeypatch.chdir(tmp_path)
    env = {
        "FOOTCOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'readme.db'}",
        "FOOTCOACH_SPEED": "1000",
        "FOOTCOACH_PROFILE": "default",
    }
    runner = CliRunner()
    for command in readme_commands():
        result = runner.invoke(app, shlex.split(command)[1:], env=env, catch_exceptions=False)
        assert result.exit_code == 0, f"{command}: {result.stderr}"
        assert (result.stdout + result.stderr).strip(), command


def clinic_commands() -> list[list[str]]:
    """The footcoach commands of the README's "Run it for a clinic" block (not run: they need a
    PostgreSQL server, a password typed twice and a server that keeps running)."""
    section = README.read_text().split("## Run it for a clinic", 1)[1]
    block = re.search(r"```console\n(.*?)```", section, flags=re.S).group(1)
    lines = (shlex.split(line, comments=True) for line in block.splitlines())
    return [words for words in lines if words[:1] == ["footcoach"]]


def test_the_clinic_section_names_real_commands_and_options():
    import click
    from typer.main import get_command

    commands = clinic_commands()
    assert {" ".join(w[1:3]) for w in commands} >= {"users create", "db upgrade"}
    for words in commands:
        command = get_command(app)
        ctx = click.Context(command)
        rest = words[1:]
        while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
            command = command.get_command(ctx, rest.pop(0))
            assert command is not None, words
        known = {opt for param in command.params for opt in getattr(param, "opts", [])}
        for word in rest:
            if word.startswith("--"):
                assert word.split("=")[0] in known, f"{shlex.join(words)}: {word}"
