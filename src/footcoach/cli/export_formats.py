"""`footcoach export --csv DIR` and `--fhir FILE`: the diary for a spreadsheet or a health
record (the JSON backup itself stays in diary_commands)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from footcoach.cli.files import write_whole
from footcoach.domain.errors import InvalidInputError, Problem

if TYPE_CHECKING:
    from footcoach.bootstrap import Services


def one_format(json_path: str | None, csv_folder: str | None, fhir_path: str | None) -> str:
    """Which export was asked for: exactly one of --json, --csv and --fhir."""
    given = [
        name
        for name, value in zip(
            ("json", "csv", "fhir"), (json_path, csv_folder, fhir_path), strict=True
        )
        if value is not None
    ]
    if len(given) != 1:
        shown = ", ".join(f"--{g}" for g in given) or "none"
        raise InvalidInputError(
            [Problem("format", shown, "exactly one of --json FILE, --csv FOLDER or --fhir FILE")]
        )
    return given[0]


def export_other(
    services: Services, name: str, csv_folder: str | None, fhir_path: str | None
) -> None:
    if csv_folder is not None:
        export_csv(services, name, csv_folder)
    elif fhir_path is not None:
        export_fhir(services, name, fhir_path)


def export_csv(services: Services, name: str, folder: str) -> None:
    from footcoach.adapters.csv_tables import all_tables, names_from, write_folder

    backup = services.tracking.backup(name)
    tables = all_tables(backup, names_from(services.library.catalog))
    written = write_folder(Path(folder), tables, "--csv")
    rows = ", ".join(f"{t.name}.csv {_rows(len(t.rows))}" for t in tables)
    sys.stderr.write(f"footcoach: wrote {len(written)} tables to {folder} ({rows})\n")


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def export_fhir(services: Services, name: str, path: str) -> None:
    import json

    from footcoach.adapters.fhir_bundle import fhir_bundle

    snapshot = services.tracking.snapshot(name)
    clock = services.clock
    bundle = fhir_bundle(snapshot, services.library.catalog, clock.today(), clock.now())
    text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    if path == "-":
        sys.stdout.write(text)
        return
    write_whole(Path(path), text, "--fhir")
    sys.stderr.write(f"footcoach: wrote {path} ({len(bundle['entry'])} resources)\n")
