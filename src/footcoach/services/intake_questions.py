"""The intake's questions in plain words, shared by every face that asks them.

The terminal (cli/intake_prompt.py) and the web form must ask the same safety questions in the
same words; they live here, below both faces, so either may import them.
"""

from __future__ import annotations

from footcoach.domain import wording
from footcoach.domain.catalog import Equipment
from footcoach.domain.intake import RedFlag

RED_FLAG_QUESTIONS: dict[RedFlag, str] = {
    RedFlag.TRAUMA: "Did the pain start with an injury, such as a fall, a twist or a blow?",
    RedFlag.CANNOT_BEAR_WEIGHT: "Are you unable to put weight on the foot?",
    RedFlag.SUDDEN_POP: "Did you feel a sudden pop or snap when it started?",
    RedFlag.FEVER: "Do you have a fever?",
    RedFlag.RED_HOT_SWOLLEN: "Is the foot red, hot and swollen?",
    RedFlag.WOUND_OR_ULCER: "Is there a wound or an ulcer on the foot?",
    RedFlag.NUMBNESS_TINGLING: "Do you have numbness, tingling or burning in the foot?",
    RedFlag.NIGHT_OR_REST_PAIN: "Does it hurt while you are lying or sitting still, such as at "
    "night, and not only when you first stand up?",
    RedFlag.WORSENING_AFTER_LOAD_INCREASE: "Has it kept getting worse since you started doing "
    "more, or moved to a harder surface?",
    RedFlag.DIABETES_NEUROPATHY: "Do you have diabetes with reduced feeling in your feet?",
    RedFlag.INFLAMMATORY_ARTHRITIS: "Do you have an inflammatory arthritis (such as rheumatoid "
    "arthritis or psoriatic arthritis)?",
    RedFlag.CANCER_HISTORY: "Have you ever had cancer?",
    RedFlag.UNEXPLAINED_WEIGHT_LOSS: "Have you lost weight without trying?",
    RedFlag.BOTH_HEELS_WITH_BACK_STIFFNESS: "Do both heels hurt, and is your back stiff in the "
    "mornings?",
    RedFlag.CALF_SWOLLEN_WARM_OR_TENDER: "Is one of your calves swollen, warm or sore to touch, "
    "above all after a long journey, an operation or days in bed?",
    RedFlag.PSORIASIS_BOWEL_OR_EYE_INFLAMMATION: "Do you have psoriasis, an inflammatory bowel "
    "disease (such as Crohn's disease or ulcerative colitis), or have you had an inflamed eye "
    "(uveitis)?",
    RedFlag.CALF_PAIN_WALKING_EASES_AT_REST: "Does your calf cramp when you walk and ease when "
    "you stop, or is your foot often cold and pale?",
}

MAIN_SITE_QUESTION = "Which of these places hurts most?"
PREGNANT_QUESTION = "Are you pregnant?"
INJECTION_QUESTION = "Have you had a steroid (cortisone) injection in your heel?"
INJECTION_WEEKS_QUESTION = "How many weeks ago was it? Type 0 if it was less than a week ago."

EQUIPMENT_WORDS: dict[Equipment, str] = {
    item: words for item, words in wording.EQUIPMENT_WORDS.items() if item is not Equipment.NONE
}
"""The equipment a person can tick, in the words the planner's notes use too."""
