"""Settings: daily times, voice and text size, and the person's data (export and import)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.datastructures import FormData, UploadFile

from footcoach.domain.errors import InvalidInputError, UnknownIdError
from footcoach.domain.profile import Profile
from footcoach.schemas.backup import parse_backup
from footcoach.schemas.intake import CLOCK
from footcoach.services import settings as use
from footcoach.services.documents import backup_document
from footcoach.services.restoring import CancelFlag, check_document
from footcoach.services.tracking import NoProfileError
from footcoach.web.deps import ProfileDep, ServicesDep, TemplatesDep
from footcoach.web.heavy import HeavyDep, off_the_loop
from footcoach.web.routes.calendar import calendar_section

router = APIRouter()

MAX_BACKUP_BYTES = 10 * 1024 * 1024
"""A year of daily use is well under 1 MB; anything far bigger is not a footcoach backup."""
SAVED = {
    "times": "Your times are saved. Your sessions now fit around them.",
    "display": "Saved.",
    "import": "Your backup is restored.",
}
TIME_MESSAGE = "Type a time on the 24-hour clock, such as 06:30."


async def _read_form(request: Request) -> AsyncIterator[FormData]:
    """The posted form; any uploaded file is closed once the response is done."""
    form = await request.form(max_files=1)
    try:
        yield form
    finally:
        await form.close()


FormDep = Annotated[FormData, Depends(_read_form)]


def _page(
    request: Request,
    templates: TemplatesDep,
    profile: Profile | None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    saved: str | None = None,
    status_code: int = 200,
) -> Response:
    times = {"wake_time": "", "bed_time": ""}
    if profile is not None:
        times = {
            "wake_time": profile.intake.wake_time.strftime("%H:%M"),
            "bed_time": profile.intake.bed_time.strftime("%H:%M"),
        }
    context: dict[str, Any] = {
        "nav": "settings",
        "profile": profile,
        "times": {**times, **(values or {})},
        "errors": errors or {},
        "saved": SAVED.get(saved or ""),
        "large_text": profile is not None and profile.preferences.large_text,
        "calendar": calendar_section(request, profile),
    }
    return templates.TemplateResponse(request, "settings.html", context, status_code=status_code)


@router.get("/settings", response_class=HTMLResponse, include_in_schema=False)
def settings_page(
    request: Request,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    saved: str = "",
) -> Response:
    return _page(request, templates, use.current_profile(services.tracking, profile), saved=saved)


@router.post("/settings/times", response_class=HTMLResponse, include_in_schema=False)
def change_times(
    request: Request,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    form: FormDep,
) -> Response:
    current = use.current_profile(services.tracking, profile)
    if current is None:
        raise NoProfileError(profile)
    values = {k: str(form.get(k, "")).strip() for k in ("wake_time", "bed_time")}
    errors = {k: TIME_MESSAGE for k, v in values.items() if not re.fullmatch(CLOCK, v)}
    if not errors:
        try:
            use.change_times(
                services.tracking,
                profile,
                time.fromisoformat(values["wake_time"]),
                time.fromisoformat(values["bed_time"]),
            )
        except InvalidInputError as exc:
            if any(p.field != "bed_time" for p in exc.problems):
                raise
            errors["bed_time"] = "Choose a bedtime that is different from the time you get up."
    if errors:
        return _page(request, templates, current, errors, values, status_code=422)
    return RedirectResponse("/settings?saved=times", status_code=303)


@router.post("/settings/preferences", response_class=HTMLResponse, include_in_schema=False)
def change_preferences(services: ServicesDep, profile: ProfileDep, form: FormDep) -> Response:
    """Checkboxes: a ticked box is sent, an unticked one is not."""
    use.change_preferences(
        services.tracking, profile, voice="voice" in form, large_text="large_text" in form
    )
    return RedirectResponse("/settings?saved=display", status_code=303)


@router.get("/settings/export", include_in_schema=False)
def export(services: ServicesDep, profile: ProfileDep, _: HeavyDep) -> Response:
    document = backup_document(services.tracking.backup(profile))
    day = services.clock.today().isoformat()
    return Response(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n",
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="footcoach-backup-{day}.json"',
            "Cache-Control": "no-store",
        },
    )


def _backup_problem(upload: object) -> tuple[str | None, Any]:
    """(error, parsed backup): read and check the uploaded file without writing anything."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return "Choose a backup file first.", None
    raw = upload.file.read(MAX_BACKUP_BYTES + 1)
    if len(raw) > MAX_BACKUP_BYTES:
        return "This file is too big to be a footcoach backup.", None
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return (
            "This file could not be read. Choose the .json file that footcoach made when you "
            "exported your data.",
            None,
        )
    try:
        check_document(data)
    except InvalidInputError as exc:
        return (
            "This backup holds more than footcoach takes in one import, so nothing was "
            f"imported: {exc.problems[0].field}: {exc.problems[0].allowed}.",
            None,
        )
    try:
        return None, parse_backup(data)
    except InvalidInputError as exc:
        first = exc.problems[0]
        more = len(exc.problems) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        return (
            "This file is not a complete footcoach backup, so nothing was imported. The first "
            f"problem: {first.field}: {first.allowed}{extra}.",
            None,
        )


@router.post("/settings/import", response_class=HTMLResponse, include_in_schema=False)
async def import_backup(
    request: Request,
    services: ServicesDep,
    profile: ProfileDep,
    templates: TemplatesDep,
    form: FormDep,
    _: HeavyDep,
) -> Response:
    """Read, check and restore the file in a pool thread; a browser that goes away stops it
    (nothing is written)."""

    def restore(flag: CancelFlag) -> str | None:
        error, backup = _backup_problem(form.get("backup"))
        if backup is not None:
            use.restore_backup(services.tracking, profile, backup, flag.checkpoint)
        return error

    try:
        error = await off_the_loop(request, restore)
    except InvalidInputError as exc:
        error = _restore_problem(exc)
    except UnknownIdError as exc:
        error = f"This backup uses something this footcoach does not know ({exc}). " + (
            "Nothing was changed."
        )
    if error is not None:
        current = use.current_profile(services.tracking, profile)
        return _page(request, templates, current, {"backup": error}, status_code=422)
    return RedirectResponse("/settings?saved=import", status_code=303)


def _restore_problem(exc: InvalidInputError) -> str:
    if any(p.field == "profile" for p in exc.problems):
        return (
            "footcoach already has a diary here, so it did not import the backup. "
            "A backup can only be restored into a footcoach with nothing recorded yet; "
            "nothing was changed."
        )
    return f"This backup could not be restored: {exc}. Nothing was changed."


class PreferencesOut(BaseModel):
    voice: bool
    """Read the steps aloud during a guided session."""
    large_text: bool


@router.get("/api/v1/preferences", response_model=PreferencesOut, tags=["settings"])
def api_preferences(services: ServicesDep, profile: ProfileDep) -> PreferencesOut:
    """The person's display and sound preferences (404 problem+json when there is no profile)."""
    current = use.current_profile(services.tracking, profile)
    if current is None:
        raise NoProfileError(profile)
    return PreferencesOut(
        voice=current.preferences.voice, large_text=current.preferences.large_text
    )
