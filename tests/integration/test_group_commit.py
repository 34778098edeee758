"""Item saves and check-in corrections that arrive together share one SQLite transaction; none
is answered before it is committed, corrections apply in turn, and one bad item fails alone."""

from __future__ import annotations

import asyncio
import itertools
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event, func, select

from footcoach.adapters.db.group_commit import GroupCommit
from footcoach.adapters.db.tables import ItemRow
from footcoach.adapters.db.unit_of_work import Database
from footcoach.domain.diary import ItemRecord
from footcoach.domain.intake import CheckIn
from footcoach.domain.profile import Profile
from tests.factories import intake
from tests.support.loops import run_async

DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def database(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'fc.db'}")
    with db.unit_of_work() as uow:
        uow.profiles.save(Profile("anna", intake(), "footcoach", DAY, 12), NOW)
        profile_id = uow.profiles.id_of("anna")
        uow.diary.add_checkin(profile_id, CheckIn(DAY, 3), NOW)
        sessions = [uow.diary.start_session(profile_id, DAY, "daytime", NOW) for _ in range(4)]
        uow.commit()
    db.sessions = sessions  # type: ignore[attr-defined]
    yield db
    db.dispose()


def item(position: int) -> ItemRecord:
    return ItemRecord(position, "towel-curl", 2, 10, 60, False, NOW)


def stored(db: Database) -> int:
    with db.unit_of_work() as uow:
        return uow.session.scalar(select(func.count()).select_from(ItemRow))


def test_saves_from_many_threads_all_land_in_fewer_transactions(database):
    commits: list[int] = []
    event.listen(database.engine, "commit", lambda conn: commits.append(1))
    saves = [(s, p) for s in database.sessions for p in range(12)]  # 48 saves
    answers: list[bool] = []
    gate = threading.Barrier(len(saves))

    def save(session_id: int, position: int) -> None:
        gate.wait()
        answers.append(database.save_item(session_id, item(position)))

    threads = [threading.Thread(target=save, args=pair) for pair in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [True] * len(saves)
    assert stored(database) == len(saves)
    assert len(commits) < len(saves)  # they were grouped


def test_a_position_saved_before_is_answered_false_and_written_once(database):
    session_id = database.sessions[0]
    assert database.save_item(session_id, item(0)) is True
    assert database.save_item(session_id, item(0)) is False
    assert stored(database) == 1


def test_one_bad_item_in_a_batch_fails_alone(database):
    writer = GroupCommit(database.unit_of_work)
    good = [(database.sessions[0], item(p)) for p in range(3)]
    bad = (999_999, item(0))  # no such session: the foreign key refuses it
    answers = writer._commit([good[0], bad, good[1], good[2]])
    assert answers[0] is True and answers[2:] == [True, True]
    assert isinstance(answers[1], Exception)
    assert stored(database) == 3


def test_closing_lets_queued_saves_finish(database):
    writer = GroupCommit(database.unit_of_work)
    assert writer.save(database.sessions[1], item(5)) is True
    writer.close()
    assert stored(database) == 1
    assert writer.save(database.sessions[1], item(6)) is True  # starts again when needed
    writer.close()


def test_two_processes_writers_take_turns_through_the_lock_file(database, tmp_path):
    other = Database(database.url)  # a second app process's view of the same file
    try:
        saves = [
            (db, s, p)
            for db in (database, other)
            for s in database.sessions[:2]
            for p in (range(0, 12) if db is database else range(12, 24))
        ]
        answers: list[bool] = []
        gate = threading.Barrier(len(saves))

        def save(db: Database, session_id: int, position: int) -> None:
            gate.wait()
            answers.append(db.save_item(session_id, item(position)))

        threads = [threading.Thread(target=save, args=s) for s in saves]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [True] * len(saves)
        assert stored(database) == len(saves)
        assert (tmp_path / "fc.db.writer-lock").exists()
    finally:
        other.dispose()


def test_a_batch_holding_one_position_twice_writes_it_once(database):
    writer = GroupCommit(database.unit_of_work)
    session_id = database.sessions[2]
    answers = writer._commit([(session_id, item(p)) for p in (3, 3, 4)])
    assert answers == [True, False, True]
    assert stored(database) == 2


def test_a_save_awaited_on_an_event_loop_is_committed_before_it_is_answered(database):
    session_id = database.sessions[3]

    async def save_three() -> list[bool]:
        saves = (database.save_item_async(session_id, item(p)) for p in (0, 1, 1))
        answers = await asyncio.gather(*saves)
        assert stored(database) == 2  # on disk before anyone is answered
        return answers

    assert run_async(save_three) == [True, True, False]


# check-in corrections share the writer ----------------------------------------------------------


def profile_id(db: Database) -> int:
    with db.unit_of_work() as uow:
        return uow.profiles.id_of("anna")


def trail(db: Database) -> list[tuple[int, int]]:
    with db.unit_of_work() as uow:
        return [(c.was, c.now) for c in uow.diary.corrections(profile_id(db))]


def test_corrections_from_many_threads_land_in_order_in_fewer_transactions(database):
    commits: list[int] = []
    event.listen(database.engine, "commit", lambda conn: commits.append(1))
    revision_before = database.revision("anna")[1]
    pains = [n % 11 for n in range(30)]
    answers: list[int | None] = []
    gate = threading.Barrier(len(pains) + 8)
    pid = profile_id(database)

    def correct(pain: int) -> None:
        gate.wait()
        answers.append(database.correct_checkin(pid, DAY, pain, "anna", NOW))

    def save(position: int) -> None:
        gate.wait()
        database.save_item(database.sessions[0], item(position))

    threads = [threading.Thread(target=correct, args=(p,)) for p in pains]
    threads += [threading.Thread(target=save, args=(p,)) for p in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    steps = trail(database)
    assert len(steps) == len(pains)  # every correction acknowledged is in the audit trail
    assert steps[0][0] == 3  # the first replaced the stored check-in...
    assert all(b[0] == a[1] for a, b in itertools.pairwise(steps))  # ...each the one before
    assert sorted(now for _, now in steps) == sorted(pains)
    assert sorted(answers) == sorted(was for was, _ in steps)
    with database.unit_of_work() as uow:
        (stored_checkin,) = uow.diary.diary(pid, with_items=False).checkins
    assert stored_checkin.first_step_pain == steps[-1][1]
    assert database.revision("anna")[1] > revision_before  # raised once per batch at least
    assert stored(database) == 8
    assert len(commits) < len(pains) + 8  # they were grouped


def test_a_correction_of_a_day_without_a_check_in_writes_nothing(database):
    before = database.revision("anna")
    assert (
        database.correct_checkin(profile_id(database), date(2026, 11, 24), 4, "anna", NOW) is None
    )
    assert trail(database) == []
    assert database.revision("anna") == before


def test_a_correction_awaited_on_an_event_loop_is_committed_before_it_is_answered(database):
    pid = profile_id(database)

    async def correct_twice() -> list[int | None]:
        answers = await asyncio.gather(
            database.correct_checkin_async(pid, DAY, 6, "anna", NOW),
            database.correct_checkin_async(pid, DAY, 2, "anna", NOW),
        )
        assert len(trail(database)) == 2  # on disk before anyone is answered
        return answers

    assert sorted(run_async(correct_twice)) == [3, 6]
    assert [now for _, now in trail(database)] == [6, 2]
