"""`footcoach today` in a few milliseconds when nothing has changed since it last ran.

The full command imports SQLAlchemy, Typer and Rich and rebuilds the program: most of a second.
Yet a person runs `today` many times a day and the answer only changes when they record
something, or at midnight. So the full command keeps what it printed in the cache folder with
a key of everything the answer depends on, and this module, which imports the standard library
only, answers again from it when the key still holds:

- the command line (`today`, `--json`, `--profile`, `--db`; anything else goes the full way);
- the SQLite database file and the profile's (id, revision), read with the standard library's
  sqlite3, read-only; every write a view depends on raises the revision (see the profiles
  table), and the schema must be at the version this footcoach expects;
- the day (the answer names it, and check-ins are daily);
- footcoach's version and the catalog data files (path, size, change time), as the catalog
  cache does;
- for the table: the terminal's width and whether it is one, and the environment variables
  that steer colour (NO_COLOR, FORCE_COLOR, TERM, COLORTERM, ...).

Anything missing or different (another database, PostgreSQL, an unreadable cache, a new day)
means the full command runs, which stores a fresh answer. The cache file holds the same as the
screen shows and is readable by its owner only.
"""

from __future__ import annotations

import io
import os
import sqlite3
import sys
import zlib
from datetime import date

from footcoach import __version__

TYPE_CHECKING = False  # not typing's: importing typing alone costs the quick path 2 ms
if TYPE_CHECKING:  # kept out of the quick path's imports, as json and hashlib are
    from collections.abc import Iterator, Mapping
    from contextlib import AbstractContextManager
    from typing import TextIO

SCHEMA_HEAD = "0009"
"""The schema revision this footcoach writes; a test keeps it equal to the migrations' head."""
OPTIONS_WITH_VALUES = ("--profile", "--db")
STYLE_ENV = (
    "NO_COLOR",
    "FORCE_COLOR",
    "TERM",
    "COLORTERM",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "COLUMNS",
    "LINES",
)


def parse(argv: list[str]) -> dict[str, str] | None:
    """The options of a `today` command line this module can answer, or None."""
    if not argv or argv[0] != "today":
        return None
    found: dict[str, str] = {}
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--json":
            found["json"] = "1"
            continue
        name, has_value, value = arg.partition("=")
        if name not in OPTIONS_WITH_VALUES:
            return None  # --date, --help, a typo: the full command deals with it
        if not has_value:
            value = next(rest, "")
        if not value or name[2:] in found:
            return None
        found[name[2:]] = value
    return found


def _setting(environ: Mapping[str, str], name: str) -> str:
    return environ.get(name, "")


def database_file(option: str | None, environ: Mapping[str, str]) -> str | None:
    """The SQLite file a command would use, or None when it is not a plain SQLite file."""
    url = option or _setting(environ, "FOOTCOACH_DATABASE_URL")
    if not url:
        from platformdirs import user_data_dir

        return os.path.join(user_data_dir("footcoach"), "footcoach.db")
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url or url == prefix + ":memory:":
        return None
    return os.path.expanduser(url[len(prefix) :])


def cache_folder(environ: Mapping[str, str]) -> str | None:
    value = _setting(environ, "FOOTCOACH_CACHE_DIR")
    if value == "off":
        return None
    if value:
        return value
    from platformdirs import user_cache_dir

    return user_cache_dir("footcoach")


def data_fingerprint(environ: Mapping[str, str]) -> str:
    """footcoach's version and every catalog data file's path, size and change time."""
    root = _setting(environ, "FOOTCOACH_DATA_DIR") or os.path.join(
        os.path.dirname(os.path.abspath(__file__)), os.pardir, "data"
    )
    parts = [__version__]
    for folder, _dirs, files in sorted(os.walk(os.path.normpath(root))):
        for name in sorted(files):
            if name.endswith(".toml"):
                stat = os.stat(os.path.join(folder, name))
                parts.append(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return ";".join(parts)


def revision(path: str, profile: str) -> tuple[int, int] | None:
    """(id, revision) of a profile, read-only; None when the file, schema or profile is not
    as expected."""
    if not os.path.isfile(path):
        return None
    try:
        uri = "file:" + os.path.abspath(path) + "?mode=ro"
        with sqlite3.connect(uri, uri=True, timeout=5) as conn:
            head = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if head is None or head[0] != SCHEMA_HEAD:
                return None
            row = conn.execute(
                "SELECT id, revision FROM profiles WHERE name = ?", (profile,)
            ).fetchone()
        conn.close()
    except sqlite3.Error:
        return None
    return None if row is None else (int(row[0]), int(row[1]))


def terminal(stream: TextIO, environ: Mapping[str, str]) -> str:
    """What a Rich table's look depends on: the width, a terminal or not, the colour settings."""
    try:
        is_tty = stream.isatty()
    except (AttributeError, ValueError):
        is_tty = False
    width = 0
    for descriptor in (0, 1, 2):  # as Rich looks for a width: stdin, stdout, then stderr
        try:
            width = os.get_terminal_size(descriptor).columns
            break
        except (ValueError, OSError):
            continue
    styles = "|".join(f"{name}={environ.get(name, '')}" for name in STYLE_ENV)
    return f"tty={is_tty}|width={width}|{styles}"


class Key:
    """Where an answer is kept, and everything it was computed from."""

    def __init__(self, folder: str, name: str, value: str) -> None:
        self.path = os.path.join(folder, f"today-{name}.txt")
        self.value = value.replace("\n", "\t")
        """The key on one line (no part of it holds a tab or a line break)."""


def key(
    options: Mapping[str, str], environ: Mapping[str, str], stream: TextIO, today: date
) -> Key | None:
    """The key of a `today` answer as things stand, or None when it cannot be cached."""
    folder = cache_folder(environ)
    path = database_file(options.get("db"), environ)
    if folder is None or path is None:
        return None
    profile = options.get("profile") or _setting(environ, "FOOTCOACH_PROFILE") or "default"
    found = revision(path, profile)
    if found is None:
        return None
    kind = "json" if options.get("json") else terminal(stream, environ)
    where = f"{os.path.abspath(path)}\n{profile}\n{'json' if options.get('json') else 'text'}"
    value = "\n".join(
        (where, repr(found), today.isoformat(), kind, data_fingerprint(environ), __version__)
    )
    name = f"{zlib.crc32(where.encode()):08x}"  # only names the file: the whole key is compared
    return Key(folder, name, value)


def lookup(found: Key) -> str | None:
    """The answer kept under this very key: the file's first line is the key, the rest the
    answer."""
    try:
        with open(found.path, encoding="utf-8", newline="") as fh:
            stored = fh.read()
    except (OSError, ValueError):
        return None
    line, newline, output = stored.partition("\n")
    return output if newline and line == found.value else None


def store(found: Key, output: str) -> None:
    """Keep an answer (owner-only, replaced atomically); a cache that cannot be written only
    costs speed."""
    try:
        os.makedirs(os.path.dirname(found.path), exist_ok=True)
        temporary = f"{found.path}.{os.getpid()}.tmp"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as fh:
            fh.write(f"{found.value}\n{output}")
        os.replace(temporary, found.path)
    except OSError:
        pass


def answer(argv: list[str], environ: Mapping[str, str], stream: TextIO) -> bool:
    """Print the kept answer to `footcoach today ...` when it still holds; True when printed."""
    options = parse(argv)
    if options is None:
        return False
    found = key(options, environ, stream, date.today())
    output = None if found is None else lookup(found)
    if output is None:
        return False
    stream.write(output)
    stream.flush()
    return True


class _Tee(io.TextIOBase):
    """Writes through to a stream and keeps a copy; looks like that stream to Rich."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", "utf-8")


def recording(
    options: Mapping[str, str], environ: Mapping[str, str]
) -> AbstractContextManager[None]:
    """Around the full `today` command: keep what it prints, under the key read before it ran
    (so the answer is as new as its key, or newer)."""
    from contextlib import contextmanager

    return contextmanager(_recording)(options, environ)


def _recording(options: Mapping[str, str], environ: Mapping[str, str]) -> Iterator[None]:
    stream = sys.stdout
    found = key(options, environ, stream, date.today())
    if found is None:
        yield
        return
    tee = _Tee(stream)
    sys.stdout = tee
    try:
        yield
    finally:
        sys.stdout = stream
    store(found, tee.copy.getvalue())


def main() -> None:
    """The `footcoach` command: an unchanged `today` answered at once, anything else in full."""
    if answer(sys.argv[1:], os.environ, sys.stdout):
        return
    from footcoach.cli.app import main as full

    full()
