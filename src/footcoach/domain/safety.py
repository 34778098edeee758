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

SEVERE_PAIN = 8
"""Morning pain at or above this on SEVERE_DAYS mornings running pauses loading, whatever the
person's usual (the flare rule cannot fire when the usual is already 9 or 10)."""

SEVERE_DAYS = 3

USUAL_WINDOW_DAYS = 14
"""A person's usual morning pain is read from the mornings of the last this-many days..."""

USUAL_READINGS = 7
"""...at most this many of the latest of them, as their median."""

EARLY_WORSENING_RISE = 1
"""R2: the mean morning pain of weeks 2-4 must be this far above the start to prompt a visit."""

LOADING_GATE_MORNINGS = 3
"""Loading work waits while the mean of this many latest mornings is CALM_PAIN or more."""

MEANINGFUL_PAIN_CHANGE = 2
"""The minimal important change in first-step pain on a 0-10 scale (Landorf 2010, converted)."""

NON_RESPONSE_WEEKS = 6
"""After this many adherent weeks, too little change prompts a clinician visit (R2)."""

LONG_STANDING_WEEKS = 26
"""Symptoms for longer than this (about 6 months) always prompt a clinician visit (R2)."""

OLDER_AGE = 65
"""From this age, standing balance work is done holding on (falls)."""

LONG_PAIN_WEEKS = 52
"""With pain for longer than this, standing balance work is done holding on."""

INJECTION_REST_WEEKS = 2
"""Heavy heel raises wait until this many weeks after a steroid injection into the heel (a
fascia just injected is weaker and can tear under heavy load)."""
