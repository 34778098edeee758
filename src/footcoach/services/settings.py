"""Settings use cases: read and change a person's preferences and daily times, restore a backup.

They build on TrackingService; changing the times re-plans with the same intake, start date,
protocol and length, so the program carries on where it is and the diary is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import time

from footcoach.domain.backup import Backup
from footcoach.domain.errors import FootcoachError
from footcoach.domain.profile import Preferences, Profile
from footcoach.domain.program import Program, Status
from footcoach.services.tracking import NoProfileError, TrackingService


def current_profile(tracking: TrackingService, name: str) -> Profile | None:
    """The profile as stored, or None when this person has not done the intake yet."""
    with tracking.unit_of_work() as uow:
        return uow.profiles.get(name)


def preferences(tracking: TrackingService, name: str) -> Preferences:
    """The person's preferences, or the defaults when there is no profile yet: from the snapshot
    kept at the current revision when there is one (every page asks, most right after working
    out the person's view), else read."""
    try:
        kept = tracking.kept_profile(name)
    except NoProfileError:
        return Preferences()
    profile = kept if kept is not None else current_profile(tracking, name)
    return Preferences() if profile is None else profile.preferences


def change_preferences(
    tracking: TrackingService, name: str, voice: bool, large_text: bool
) -> Profile:
    return tracking.set_preferences(name, Preferences(voice=voice, large_text=large_text))


def change_times(tracking: TrackingService, name: str, wake: time, bed: time) -> Program:
    """Re-plan around new waking and bed times; everything else about the program stays.

    Raises InvalidInputError (field bed_time) when the two times are the same.
    """
    profile = current_profile(tracking, name)
    if profile is None:
        raise NoProfileError(name)
    intake = replace(profile.intake, wake_time=wake, bed_time=bed)  # checks the times again
    program = tracking.init(
        name,
        intake,
        protocol_id=profile.protocol,
        start=profile.start,
        weeks=profile.weeks,
        replace_existing=True,
    )
    if program.status is Status.REFER:  # the same intake passed the screen before
        raise FootcoachError("the program could not be planned again with these times")
    return program


def restore_backup(
    tracking: TrackingService,
    name: str,
    backup: Backup,
    checkpoint: Callable[[], None] = lambda: None,
) -> None:
    """Restore a backup under this person's profile name (the name inside the file is not used).

    Raises InvalidInputError (field profile) when the profile already has a diary; `checkpoint`
    is TrackingService.restore's (it may stop the restore before its commit).
    """
    tracking.restore(replace(backup.profile, name=name), backup.diary, backup.changes, checkpoint)
