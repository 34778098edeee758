"""The safety screen (R1): red flags send a person to a clinician instead of a plan."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from footcoach.domain.intake import Feet, Goal, Intake, PainSite, RedFlag


class Urgency(StrEnum):
    URGENT = "urgent"
    SOON = "soon"


@dataclass(frozen=True, slots=True)
class Reason:
    flag: str
    explanation: str


@dataclass(frozen=True, slots=True)
class Referral:
    urgency: Urgency
    reasons: tuple[Reason, ...]
    advice: str


URGENT_FLAGS: dict[RedFlag, str] = {
    RedFlag.TRAUMA: "The pain started with an injury, such as a fall, a twist or a blow. A "
    "fracture or a torn tendon needs ruling out before any exercise.",
    RedFlag.CANNOT_BEAR_WEIGHT: "You cannot put weight on the foot. That is more than plantar "
    "heel pain usually causes and needs an examination, and often an X-ray.",
    RedFlag.SUDDEN_POP: "You felt a sudden pop or snap and then pain. That can mean a torn "
    "plantar fascia or Achilles tendon.",
    RedFlag.FEVER: "You have a fever with the foot pain. Together they can mean an infection.",
    RedFlag.RED_HOT_SWOLLEN: "The foot is red, hot and swollen. That points to infection, gout "
    "or inflammation, not to a strain.",
    RedFlag.WOUND_OR_ULCER: "There is a wound or ulcer on the foot. It needs care and must not "
    "be loaded or rubbed by exercises.",
    RedFlag.CALF_SWOLLEN_WARM_OR_TENDER: "One calf is swollen, warm or tender. That can be a "
    "blood clot in a deep vein, above all after a long journey, an operation or time in bed, and "
    "it needs checking the same day.",
}

SOON_FLAGS: dict[RedFlag, str] = {
    RedFlag.NUMBNESS_TINGLING: "Numbness, tingling or burning suggest an irritated or trapped "
    "nerve (such as tarsal tunnel syndrome), which exercises for the fascia do not treat.",
    RedFlag.NIGHT_OR_REST_PAIN: "Pain at night or at rest is not the usual pattern of plantar "
    "heel pain, which is worst on the first steps and eases as you move.",
    RedFlag.WORSENING_AFTER_LOAD_INCREASE: "Pain that keeps getting worse after you started "
    "doing more, or moved to a harder surface, can be a stress fracture of the heel bone.",
    RedFlag.DIABETES_NEUROPATHY: "With diabetes and reduced feeling in the feet, injuries can go "
    "unnoticed; foot care and exercise should be guided by a clinician.",
    RedFlag.INFLAMMATORY_ARTHRITIS: "With an inflammatory arthritis, heel pain may come from the "
    "condition itself and is treated differently.",
    RedFlag.CANCER_HISTORY: "With a history of cancer, new bone pain should be checked before "
    "it is treated as a strain.",
    RedFlag.UNEXPLAINED_WEIGHT_LOSS: "Weight loss you cannot explain, together with pain, needs "
    "a doctor's assessment.",
    RedFlag.BOTH_HEELS_WITH_BACK_STIFFNESS: "Pain in both heels with morning back stiffness can "
    "be a sign of an inflammatory condition of the spine and tendons (spondyloarthritis).",
    RedFlag.PSORIASIS_BOWEL_OR_EYE_INFLAMMATION: "With psoriasis, an inflammatory bowel disease "
    "or inflammation of the eye, heel pain can come from inflammation where tendons meet the bone, "
    "which a doctor treats differently.",
    RedFlag.CALF_PAIN_WALKING_EASES_AT_REST: "Cramping calf pain when you walk that stops when "
    "you rest, or a cold, pale foot, can mean the blood flow to the leg is poor.",
}

BOTH_HEELS_NOTE = " Pain in both heels makes this more likely."
"""Added to the inflammation reason when both heels hurt."""

AGE_LIMIT = 16
"""Children's heel pain is usually something else (Sever disease) and needs a clinician."""

_URGENT_ADVICE = (
    "Do not start the exercises. See a doctor today: your GP for an urgent appointment, an urgent "
    "care centre, or an emergency department if you cannot walk or have a fever."
)
_SOON_ADVICE = (
    "Do not start a self-managed program yet. Book an appointment in the next week or two with "
    "your GP, a physiotherapist or a podiatrist, and show them these reasons. footcoach informs; "
    "it does not diagnose."
)


def _flag_reason(flag: RedFlag, table: dict[RedFlag, str], intake: Intake) -> Reason:
    text = table[flag]
    if flag is RedFlag.PSORIASIS_BOWEL_OR_EYE_INFLAMMATION and intake.feet is Feet.BOTH:
        text += BOTH_HEELS_NOTE
    return Reason(flag.value, text)


def _site_reasons(intake: Intake) -> list[Reason]:
    sites = set(intake.pain_site)
    main = intake.main_pain_site
    reasons: list[Reason] = []
    if PainSite.BACK_OF_HEEL in sites:
        reasons.append(
            Reason(
                "pain_site:back_of_heel",
                "Pain at the back of the heel usually comes from the Achilles tendon or the "
                "bone behind it, not the plantar fascia, and is managed differently.",
            )
        )
    elif intake.goal is Goal.HEEL_PAIN and PainSite.PLANTAR_HEEL not in sites:
        reasons.append(
            Reason(
                "pain_site",
                "footcoach's heel-pain program is for pain under the heel. Pain elsewhere "
                "should be assessed before you follow it.",
            )
        )
    elif intake.goal is Goal.HEEL_PAIN and main is not None and main is not PainSite.PLANTAR_HEEL:
        reasons.append(
            Reason(
                f"main_pain_site:{main.value}",
                "footcoach's heel-pain program is for pain under the heel, and you said your "
                "main pain is somewhere else. It should be assessed before you follow it.",
            )
        )
    return reasons


def screen(intake: Intake) -> Referral | None:
    """A referral when any R1 rule fires, or None when self-management is reasonable."""
    urgent = [_flag_reason(f, URGENT_FLAGS, intake) for f in intake.red_flags if f in URGENT_FLAGS]
    soon = [_flag_reason(f, SOON_FLAGS, intake) for f in intake.red_flags if f in SOON_FLAGS]
    if intake.age < AGE_LIMIT:
        soon.append(
            Reason(
                "age",
                f"You are under {AGE_LIMIT}. Heel pain in growing children usually comes from "
                "the growth plate of the heel bone (Sever disease) and needs a clinician.",
            )
        )
    soon += _site_reasons(intake)
    if urgent:
        return Referral(Urgency.URGENT, tuple(urgent + soon), _URGENT_ADVICE)
    if soon:
        return Referral(Urgency.SOON, tuple(soon), _SOON_ADVICE)
    return None
