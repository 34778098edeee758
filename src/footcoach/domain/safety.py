"""Hard safety rules that hold for every program, whatever the protocol data says."""

from __future__ import annotations

NEVER_PRESCRIBED: dict[str, str] = {
    "heel-drop": "footcoach never prescribes heel drops: letting the heels sink below a step's "
    "edge loads the heel and calf past their normal range under full body weight. The high-load "
    "heel raise loads the heel on a step with control instead.",
}
"""Exercises footcoach never schedules, each with the reason shown to people."""

CALM_PAIN = 4
"""First-step pain (0-10) at or above which the calm, non-weight-bearing phase is used."""

SESSION_PAIN_OK = 3
"""Pain during a session at or below this lets the load progress (R3)."""

SESSION_PAIN_LIMIT = 5
"""Pain during a session above this means too much: regress (R3, Silbernagel)."""

FLARE_RISE = 2
"""Morning pain this far above baseline on FLARE_DAYS days running pauses loading (R3)."""

FLARE_DAYS = 3

MEANINGFUL_PAIN_CHANGE = 2
"""The minimal important change in first-step pain on a 0-10 scale (Landorf 2010, converted)."""

NON_RESPONSE_WEEKS = 6
"""After this many adherent weeks, too little change prompts a clinician visit (R2)."""

LONG_STANDING_WEEKS = 26
"""Symptoms for longer than this (about 6 months) always prompt a clinician visit (R2)."""
