"""Settings: one declarative registry, read from an injected environment mapping, on call."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "data_dir",
        "FOOTCOACH_DATA_DIR",
        "",
        "Folder holding the catalog data (exercises/, sources.toml, conflicts.toml, protocols/). "
        "Empty means the data shipped with footcoach.",
    ),
)


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path | None = None


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    values = {s.name: env.get(s.env, s.default) for s in SETTINGS}
    return Settings(data_dir=Path(values["data_dir"]) if values["data_dir"] else None)
