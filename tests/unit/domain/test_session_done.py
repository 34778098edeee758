"""The one rule for a done session: finished as completed, or every planned item saved."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from footcoach.domain.diary import ItemRecord, SessionRecord, all_planned_saved

AT = datetime(2026, 11, 23, 7, tzinfo=UTC)


def _record(planned: int | None, positions: list[int], completed: bool = False) -> SessionRecord:
    items = tuple(ItemRecord(p, "toe-splay", 1, 5, 30, p % 2 == 0, AT) for p in positions)
    return SessionRecord(
        date(2026, 11, 23), "daytime", AT, items, completed=completed, planned_items=planned
    )


@given(
    planned=st.integers(min_value=1, max_value=12),
    positions=st.lists(st.integers(min_value=0, max_value=14), max_size=20),
    rated=st.booleans(),
)
def test_done_exactly_when_every_planned_position_is_saved(planned, positions, rated):
    record = _record(planned, positions)
    if rated:
        record = SessionRecord(
            record.day, record.slot, record.started_at, record.items, False, 3, 4, None, planned
        )
    assert record.done == set(range(planned)).issubset(positions)


@given(positions=st.lists(st.integers(min_value=0, max_value=14), max_size=20))
def test_without_a_planned_count_only_a_completed_finish_counts(positions):
    assert not _record(None, positions).done
    assert _record(None, positions, completed=True).done


def test_skipped_items_count_as_saved_and_positions_past_the_plan_do_not():
    assert all_planned_saved(2, [0, 1])
    assert not all_planned_saved(2, [1, 2, 3])
    assert not all_planned_saved(0, [])
