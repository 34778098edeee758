"""footcoach handout: a PDF written whole, and bad options or places refused with exit code 2
naming the option, with nothing written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
INTAKE = EXAMPLES / "intake.json"


@pytest.fixture
def db(tmp_path, monkeypatch, run):
    (tmp_path / "data").mkdir()
    url = f"sqlite:///{tmp_path / 'data' / 'fc.db'}"
    monkeypatch.setenv("FOOTCOACH_DATABASE_URL", url)
    monkeypatch.delenv("FOOTCOACH_PROFILE", raising=False)
    assert run(f"init --intake {INTAKE} --start 2026-11-23").exit_code == 0
    return url


def _left_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "data")


def test_writes_a_letter_pdf_with_the_weeks_asked(run, db, tmp_path):
    target = tmp_path / "fridge.pdf"
    result = run(f"handout --out {target} --weeks 2 --paper LETTER")
    assert result.exit_code == 0, result.stderr
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    assert f"wrote {target} ({len(reader.pages)} pages, letter)" in result.stderr
    assert round(float(reader.pages[0].mediabox.width)) == 612
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Week 2:" in text and "Week 3:" not in text
    assert _left_in(tmp_path) == ["fridge.pdf"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ("--weeks 0", "--weeks: got 0; a whole number from 1 to 12"),
        ("--weeks 13", "--weeks: got 13; a whole number from 1 to 12"),
        ("--paper a5", "--paper: got 'a5'; one of a4, letter"),
    ],
)
def test_bad_options_exit_2_naming_them(run, db, tmp_path, options, message):
    result = run(f"handout --out {tmp_path / 'h.pdf'} {options}")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"footcoach: {message}"
    assert _left_in(tmp_path) == []


def test_every_bad_option_is_named_at_once(run, db, tmp_path):
    result = run(f"handout --out {tmp_path / 'h.txt'} --weeks 99 --paper tabloid")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[1].strip() for line in lines] == ["--weeks", "--paper", "--out"]


@pytest.mark.parametrize(
    ("where", "allowed"),
    [
        ("h.txt", "a file name ending in .pdf"),
        ("no/such/h.pdf", "a file in a folder that exists"),
        ("folder.pdf", "a file name, not a folder"),
    ],
)
def test_a_place_that_cannot_be_written_exits_2_and_leaves_nothing(
    run, db, tmp_path, where, allowed
):
    (tmp_path / "folder.pdf").mkdir()
    result = run(f"handout --out {tmp_path / where}")
    assert result.exit_code == 2
    assert f"--out: got '{tmp_path / where}'; {allowed}" in result.stderr
    assert "Traceback" not in result.stderr
    assert _left_in(tmp_path) == ["folder.pdf"] and not any((tmp_path / "folder.pdf").iterdir())


def test_a_write_that_fails_half_way_leaves_nothing(run, db, tmp_path, monkeypatch):
    target = tmp_path / "h.pdf"
    target.write_bytes(b"an older handout")

    def full_disk(self, data):
        with open(self, "wb") as f:
            f.write(data[:100])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    result = run(f"handout --out {target}")
    assert result.exit_code == 2
    assert "a file footcoach can write (No space left on device)" in result.stderr
    assert _left_in(tmp_path) == ["h.pdf"]
    assert target.read_bytes() == b"an older handout"  # the old file is left as it was


def test_no_profile_yet_is_one_line_and_creates_no_database(run, tmp_path, monkeypatch):
    monkeypatch.setenv("FOOTCOACH_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    result = run(f"handout --out {tmp_path / 'h.pdf'}")
    assert result.exit_code == 2
    assert "there is no profile 'default' yet" in result.stderr
    assert list(tmp_path.iterdir()) == []
