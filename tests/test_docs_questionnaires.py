"""docs/cli-scores.md lists the questionnaire items in the order footcoach asks and stores them."""

import re
from pathlib import Path

import pytest

from footcoach.domain.questionnaires import FAAM, FFI

DOC = (Path(__file__).resolve().parents[1] / "docs" / "cli-scores.md").read_text()
ROW = re.compile(r"^\| `(\w+)\[(\d+)\]` \| `([a-z0-9-]+)` \| (.+) \|$", re.MULTILINE)


@pytest.mark.parametrize("questionnaire", [FFI, FAAM], ids=["ffi", "faam"])
def test_the_items_table_matches_the_questionnaire(questionnaire):
    prefix = questionnaire.instrument.value
    rows = [
        (item_id, label) for _, _, item_id, label in ROW.findall(DOC) if item_id.startswith(prefix)
    ]
    assert rows == [(item.id, item.label) for item in questionnaire.items]


def test_the_ffi_rows_are_numbered_by_position():
    positions = [int(n) for field, n, item_id, _ in ROW.findall(DOC) if field == "items"]
    assert positions == list(range(len(FFI.items)))
