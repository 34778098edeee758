"""The own-words check: no run of RUN consecutive words from a seed article may appear in our text.

The seeds are not in this repository (their sentences are not ours to copy), so the test compares
against hashes of every RUN-word run of the seeds, kept in tests/data/seed-runs.txt. Run
`python -m tests.support.own_words refresh` beside ../shared/seeds to rebuild that file, and
`python -m tests.support.own_words check` to list any copied run in the package data.
"""

from __future__ import annotations

import hashlib
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path

RUN = 8
ROOT = Path(__file__).resolve().parents[2]
HASHES = ROOT / "tests" / "data" / "seed-runs.txt"
SEEDS = ROOT.parent / "shared" / "seeds"
DATA = ROOT / "src" / "footcoach" / "data"
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """Lower-case words with punctuation and apostrophes dropped ("don't" -> "dont")."""
    return _WORD.findall(text.lower().replace("\u2019", "").replace("'", ""))


def runs(text: str, size: int = RUN) -> Iterator[tuple[str, ...]]:
    w = words(text)
    for i in range(len(w) - size + 1):
        yield tuple(w[i : i + size])


def digest(run: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]


def seed_digests(seed_dir: Path = SEEDS) -> set[str]:
    return {digest(r) for p in sorted(seed_dir.glob("*.txt")) for r in runs(p.read_text())}


def stored_digests() -> set[str]:
    return set(HASHES.read_text().split())


def strings_in(value: object) -> Iterator[str]:
    """Every string inside a parsed TOML document, one by one."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings_in(v)


def data_texts(data_dir: Path = DATA) -> Iterator[tuple[str, str]]:
    """(file name, text) for every string in the package's TOML data."""
    for path in sorted(data_dir.rglob("*.toml")):
        doc = tomllib.loads(path.read_text())
        for text in strings_in(doc):
            yield path.relative_to(data_dir).as_posix(), text


def copied_runs(texts: Iterable[tuple[str, str]], digests: set[str]) -> list[tuple[str, str]]:
    """(where, run) for every RUN-word run of our text that also stands in a seed."""
    hits = []
    for where, text in texts:
        for r in runs(text):
            if digest(r) in digests:
                hits.append((where, " ".join(r)))
    return hits


def main(argv: list[str]) -> int:
    if argv[:1] == ["refresh"]:
        HASHES.write_text("\n".join(sorted(seed_digests())) + "\n")
        print(f"wrote {HASHES}")
        return 0
    digests = seed_digests() if SEEDS.is_dir() else stored_digests()
    hits = copied_runs(data_texts(), digests)
    for where, run in hits:
        print(f"{where}: {run}")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
