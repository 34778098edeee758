"""Backups record the order their answers are in; an older backup's FFI answers are put in the
published order on import, so each answer lands on the item it was given for."""

from __future__ import annotations

from datetime import date

import pytest

from footcoach.domain.backup import Backup
from footcoach.domain.diary import Diary, Instrument, QuestionnaireResponse
from footcoach.domain.errors import InvalidInputError
from footcoach.domain.profile import Profile
from footcoach.domain.questionnaires import FFI, FIRST_STEP_ITEM
from footcoach.schemas.backup import parse_backup
from footcoach.services.documents import backup_document
from tests.factories import intake

# In today's (the published) order: worst pain 9, first-step pain 7, then the rest.
TODAY = (9, 7, 6, 5, 4, 3, None, 2, 1, *([3] * 9), 0, 0, 1, None, 4)
# The same answers as an older footcoach stored them: first-step pain first, then worst pain,
# and each situation standing before walking.
FIRST = (7, 9, 5, 6, 3, 4, 2, None, 1, *([3] * 9), 0, 0, 1, None, 4)
ADL = tuple([4, 3] * 10 + [None])
SPORTS = (1, 2, 3, 4, None, 0, 1, 2)


def document() -> dict:
    profile = Profile("ana", intake(), "footcoach", date(2026, 10, 1), 12)
    diary = Diary(
        checkins=(),
        sessions=(),
        questionnaires=(
            QuestionnaireResponse(Instrument.FFI, date(2026, 10, 2), TODAY, ()),
            QuestionnaireResponse(Instrument.FAAM, date(2026, 10, 2), ADL, SPORTS),
        ),
    )
    return backup_document(Backup(profile, diary, ()))


def answers(doc: dict) -> list[tuple[int | None, ...]]:
    return [q.answers for q in parse_backup(doc).diary.questionnaires]


def test_a_backup_says_its_answers_are_in_the_published_order_and_reads_back_as_written():
    doc = document()
    assert [q["item_order"] for q in doc["questionnaires"]] == [2, 2]
    assert answers(doc) == [TODAY, ADL]


def test_an_older_backups_ffi_answers_move_to_their_items():
    doc = document()
    for q in doc["questionnaires"]:
        del q["item_order"]  # as every backup written before the correction
    doc["questionnaires"][0]["answers"] = list(FIRST)
    ffi, faam = answers(doc)
    assert ffi == TODAY
    assert ffi[[i.id for i in FFI.items].index(FIRST_STEP_ITEM)] == 7
    assert faam == ADL  # the FAAM's order never changed


def test_order_1_written_out_reads_as_an_older_backup():
    doc = document()
    doc["questionnaires"][0].update(answers=list(FIRST), item_order=1)
    assert answers(doc)[0] == TODAY


@pytest.mark.parametrize("order", [0, 3, "2", None])
def test_an_unknown_order_is_refused_naming_the_field(order):
    doc = document()
    doc["questionnaires"][0]["item_order"] = order
    with pytest.raises(InvalidInputError) as caught:
        parse_backup(doc)
    assert [p.field for p in caught.value.problems] == ["questionnaires.0.item_order"]
