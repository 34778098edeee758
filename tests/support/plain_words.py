"""What a person should never read: footcoach's own working words, ISO dates, wrong plurals.

`visible_text` strips a page to the words shown (no tags, attributes, scripts or styles), and
`project_words` lists each pattern found with a little of the text around it.
"""

from __future__ import annotations

import html
import re

PATTERNS: dict[str, str] = {
    "a seed article named as such": r"\bseeds?\b",
    "a vendor article": r"\bvendor",
    "a source's file number": r"(?<![\d.,/:-])0\d\d(?![\d.,/:-])",
    "an ISO date": r"\b\d{4}-\d\d-\d\d\b",
    "a plural after one": r"\b1 (?:of 1 )?(?!(?:this|is|was|has|as|its|plus|less)\b)[a-z-]+s\b",
    "the abbreviation MID": r"\bMID\b",
    "a snake_case key": r"\b[a-z]+_[a-z_]+\b",
    "an environment variable's placeholder": r"env var",
    "a draft's note": r"not yet checked",
    "the pain monitor's raw action": r"Pain monitor: (?:progress|repeat|regress|pause)\b",
    "JSON read as valid": r"; valid JSON",
    "a Python dict": r"\{'[a-z_]+': ",
}
"""Each pattern, named for the failure message. The plural rule skips words that merely end in
s ('Week 1 this week')."""


def visible_text(markup: str) -> str:
    """The words a page shows: scripts, styles, comments, tags and their attributes removed."""
    markup = re.sub(r"<(script|style|template)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    markup = re.sub(r"<!--.*?-->", " ", markup, flags=re.S)
    markup = re.sub(r"<[^>]*>", " ", markup)
    return re.sub(r"\s+", " ", html.unescape(markup))


def project_words(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Every match of a pattern, named and with its surroundings; `allowed` names patterns to
    skip (a command's arguments are snake_case on purpose)."""
    found = []
    for name, pattern in PATTERNS.items():
        if name in allowed:
            continue
        for m in re.finditer(pattern, text):
            around = text[max(0, m.start() - 50) : m.end() + 50]
            found.append(f"{name}: ...{around}...")
    return found
