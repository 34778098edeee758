"""Files the commands write (--out, --fhir): checked before anything is made, and written whole
or not at all."""

from __future__ import annotations

from pathlib import Path

from footcoach.domain.errors import InvalidInputError, Problem


def out_file_problems(target: Path, suffix: str, field: str = "--out") -> list[Problem]:
    """What is wrong with a file to write before anything is made: its name, or its folder."""
    if target.suffix.lower() != suffix:
        return [Problem(field, str(target), f"a file name ending in {suffix}")]
    if target.is_dir():
        return [Problem(field, str(target), "a file name, not a folder")]
    if not target.parent.is_dir():
        return [Problem(field, str(target), "a file in a folder that exists")]
    return []


def write_whole(target: Path, content: str | bytes, field: str) -> None:
    """Write a file whole (text as UTF-8) by way of a temporary one renamed into place, or not
    at all; a place that cannot be written is exit 2 naming it."""
    if target.is_dir():
        raise InvalidInputError([Problem(field, str(target), "a file name, not a folder")])
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        reason = exc.strerror or type(exc).__name__
        raise InvalidInputError(
            [Problem(field, str(target), f"a file footcoach can write ({reason})")]
        ) from None
