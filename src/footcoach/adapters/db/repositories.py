"""Explicit translation between rows and domain objects; the domain never sees SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from footcoach.adapters.db.tables import (
    CheckInCorrectionRow,
    CheckInRow,
    ItemRow,
    ProfileRow,
    QuestionnaireRow,
    SessionRow,
)
from footcoach.domain.diary import (
    CheckInCorrection,
    Diary,
    Instrument,
    ItemRecord,
    QuestionnaireResponse,
    SessionRecord,
    all_planned_saved,
)
from footcoach.domain.intake import CheckIn
from footcoach.domain.profile import Preferences, Profile
from footcoach.services.documents import intake_document, intake_from_document

VERSIONS = {Instrument.FFI: "ffi-nrs-23", Instrument.FAAM: "faam-29"}
RESTORE_BATCH = 2000
"""Rows one INSERT of a restore carries (a checkpoint between each): SQLAlchemy splits them
further into statements within each driver's parameter limit."""


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything footcoach stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _profile(row: ProfileRow) -> Profile:
    return Profile(
        name=row.name,
        intake=intake_from_document(row.intake),
        protocol=row.protocol,
        start=row.start,
        weeks=row.weeks,
        preferences=Preferences(voice=row.voice, large_text=row.large_text),
    )


def upsert_insert(session: Session) -> Any:
    """The INSERT of the session's database that has ON CONFLICT DO NOTHING (both dialects)."""
    return postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def touch(session: Session, profile_id: int) -> None:
    """Raise a profile's revision, in the writer's transaction, so cached views of it expire."""
    session.execute(
        update(ProfileRow)
        .where(ProfileRow.id == profile_id)
        .values(revision=ProfileRow.revision + 1)
    )


SESSION_COLUMNS = (
    SessionRow.day,
    SessionRow.slot,
    SessionRow.started_at,
    SessionRow.completed,
    SessionRow.pain_during,
    SessionRow.effort,
    SessionRow.finished_at,
    SessionRow.planned_items,
)
"""A session record's columns, in the order _session_record takes them."""
ITEM_COLUMNS = (
    ItemRow.position,
    ItemRow.exercise,
    ItemRow.sets_done,
    ItemRow.reps_done,
    ItemRow.seconds_done,
    ItemRow.skipped,
    ItemRow.finished_at,
)
"""An item record's columns, in the order _item_record takes them."""


def _item_record(row: Sequence[Any]) -> ItemRecord:
    position, exercise, sets, reps, seconds, skipped, at = row
    return ItemRecord(position, exercise, sets, reps, seconds, skipped, aware(at))


def _session_record(row: Sequence[Any], items: tuple[ItemRecord, ...]) -> SessionRecord:
    day, slot, started, completed, pain, effort, finished, planned = row
    return SessionRecord(
        day=day,
        slot=slot,
        started_at=aware(started),
        items=items,
        completed=completed,
        pain_during=pain,
        effort=effort,
        finished_at=None if finished is None else aware(finished),
        planned_items=planned,
    )


# A correction's statements, built once: building and checking a statement costs more than
# running it.
_CHECKIN_PAIN = (
    select(CheckInRow.first_step_pain)
    .where(CheckInRow.profile_id == bindparam("p"), CheckInRow.day == bindparam("d"))
    .with_for_update()  # on PostgreSQL; SQLite writes one transaction at a time anyway
)
_SET_PAIN = (
    update(CheckInRow)
    .where(CheckInRow.profile_id == bindparam("p"), CheckInRow.day == bindparam("d"))
    .values(first_step_pain=bindparam("pain"), recorded_at=bindparam("at"))
)
_ADD_CORRECTIONS = insert(CheckInCorrectionRow.__table__)
_RAISE_REVISION = (
    update(ProfileRow)
    .where(ProfileRow.id == bindparam("p"))
    .values(revision=ProfileRow.revision + 1)
)


class SqlProfiles:
    def __init__(self, session: Session) -> None:
        self.session = session

    def revision(self, name: str) -> tuple[int, int] | None:
        """(id, revision) of a profile, in one indexed read: what a cached view is checked on."""
        row = self.session.execute(
            select(ProfileRow.id, ProfileRow.revision).where(ProfileRow.name == name)
        ).first()
        return None if row is None else (row[0], row[1])

    def _row(self, name: str) -> ProfileRow | None:
        return self.session.scalars(select(ProfileRow).where(ProfileRow.name == name)).one_or_none()

    def id_of(self, name: str) -> int | None:
        return self.session.scalars(
            select(ProfileRow.id).where(ProfileRow.name == name)
        ).one_or_none()

    def get(self, name: str) -> Profile | None:
        row = self._row(name)
        return None if row is None else _profile(row)

    def names(self) -> list[str]:
        return list(self.session.scalars(select(ProfileRow.name).order_by(ProfileRow.name)))

    def save(self, profile: Profile, now: datetime) -> None:
        """Create the profile, or replace its intake, plan and preferences."""
        row = self._row(profile.name)
        if row is None:
            row = ProfileRow(name=profile.name, created_at=now, revision=1)
            self.session.add(row)
        else:  # raised in SQL, so two writers at once both count
            row.revision = ProfileRow.revision + 1  # type: ignore[assignment]
        row.intake = intake_document(profile.intake)
        row.protocol = profile.protocol
        row.start = profile.start
        row.weeks = profile.weeks
        row.voice = profile.preferences.voice
        row.large_text = profile.preferences.large_text
        self.session.flush()


class SqlDiary:
    """Check-ins, sessions and questionnaires of profiles, by profile id."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def checkin_on(self, profile_id: int, day: date) -> CheckIn | None:
        row = self.session.scalars(
            select(CheckInRow).where(CheckInRow.profile_id == profile_id, CheckInRow.day == day)
        ).one_or_none()
        return None if row is None else CheckIn(row.day, row.first_step_pain)

    def add_checkin(self, profile_id: int, checkin: CheckIn, now: datetime) -> None:
        self.session.add(
            CheckInRow(
                profile_id=profile_id,
                day=checkin.day,
                first_step_pain=checkin.first_step_pain,
                recorded_at=now,
            )
        )
        self.session.flush()
        touch(self.session, profile_id)

    def correct_checkin(
        self, profile_id: int, day: date, pain: int, who: str, now: datetime
    ) -> int | None:
        return self.correct_checkins([(profile_id, day, pain, who, now)])[0]

    def correct_checkins(
        self, corrections: Sequence[tuple[int, date, int, str, datetime]]
    ) -> list[int | None]:
        """(profile id, day, pain, who, when) corrections, applied in order: for each, the pain
        it replaced (the one before it in the list, when both are of one check-in), or None
        when the day has no check-in (nothing written for it). A few statements whatever the
        number: each check-in read once (locked on PostgreSQL) and written once with its last
        value, every change added to the audit trail in one insert, and the revision of each
        profile raised once."""
        run = self.session.connection().execute  # Core statements: no ORM compile step
        keys = list(dict.fromkeys((profile_id, day) for profile_id, day, *_ in corrections))
        current: dict[tuple[int, date], int] = {}
        for profile_id, day in keys:
            stored = run(_CHECKIN_PAIN, {"p": profile_id, "d": day}).scalar_one_or_none()
            if stored is not None:
                current[(profile_id, day)] = stored
        answers: list[int | None] = []
        trail: list[dict[str, object]] = []
        last_at: dict[tuple[int, date], datetime] = {}
        for profile_id, day, pain, who, now in corrections:
            key = (profile_id, day)
            was = current.get(key)
            answers.append(was)
            if was is None:
                continue
            current[key] = pain
            last_at[key] = now
            trail.append(
                {
                    "profile_id": profile_id,
                    "day": day,
                    "was": was,
                    "now": pain,
                    "who": who,
                    "at": now,
                }
            )
        if not trail:
            return answers
        run(
            _SET_PAIN,
            [
                {"p": profile_id, "d": day, "pain": current[(profile_id, day)], "at": at}
                for (profile_id, day), at in last_at.items()
            ],
        )
        run(_ADD_CORRECTIONS, trail)
        run(_RAISE_REVISION, [{"p": p} for p in sorted({p for p, _ in last_at})])
        return answers

    def corrections(self, profile_id: int) -> list[CheckInCorrection]:
        rows = self.session.execute(
            select(
                CheckInCorrectionRow.day,
                CheckInCorrectionRow.was,
                CheckInCorrectionRow.now,
                CheckInCorrectionRow.who,
                CheckInCorrectionRow.at,
            )
            .where(CheckInCorrectionRow.profile_id == profile_id)
            .order_by(CheckInCorrectionRow.at, CheckInCorrectionRow.id)
        )
        return [CheckInCorrection(day, was, now, who, aware(at)) for day, was, now, who, at in rows]

    def start_session(
        self,
        profile_id: int,
        day: date,
        slot: str,
        now: datetime,
        planned_items: int | None = None,
    ) -> int:
        row = SessionRow(
            profile_id=profile_id,
            day=day,
            slot=slot,
            started_at=now,
            completed=False,
            planned_items=planned_items,
        )
        self.session.add(row)
        self.session.flush()
        touch(self.session, profile_id)
        return row.id

    def add_item(self, session_id: int, item: ItemRecord) -> bool:
        """Insert an item record; False (and nothing written) when its position is saved already.

        ON CONFLICT DO NOTHING makes two simultaneous saves of one position safe as well. The
        profile's revision stays: no cached view reads the items of a session.
        """
        insert = upsert_insert(self.session)
        statement = (
            insert(ItemRow)
            .values(
                session_id=session_id,
                position=item.position,
                exercise=item.exercise,
                sets_done=item.sets_done,
                reps_done=item.reps_done,
                seconds_done=item.seconds_done,
                skipped=item.skipped,
                finished_at=item.finished_at,
            )
            .on_conflict_do_nothing(index_elements=["session_id", "position"])
            .returning(ItemRow.id)
        )
        new = self.session.execute(statement).first() is not None
        if new:
            self._complete_when_all_saved({session_id})
        return new

    def add_items(self, saves: list[tuple[int, ItemRecord]]) -> list[bool]:
        """Insert many (session id, item) records in one statement; for each, True when it was
        new. A position saved before, or earlier in the same list, is not written again."""
        table = ItemRow.__table__
        insert = upsert_insert(self.session)
        statement = (
            insert(table)
            .on_conflict_do_nothing(index_elements=["session_id", "position"])
            .returning(table.c.session_id, table.c.position)
        )
        rows = [
            {
                "session_id": session_id,
                "position": item.position,
                "exercise": item.exercise,
                "sets_done": item.sets_done,
                "reps_done": item.reps_done,
                "seconds_done": item.seconds_done,
                "skipped": item.skipped,
                "finished_at": item.finished_at,
            }
            for session_id, item in saves
        ]
        written = set(self.session.connection().execute(statement, rows).tuples())
        self._complete_when_all_saved({session_id for session_id, _ in written})
        created = []
        for session_id, item in saves:
            key = (session_id, item.position)
            created.append(key in written)
            written.discard(key)  # the same position again later in the list: not new
        return created

    def _complete_when_all_saved(self, session_ids: set[int]) -> None:
        """Mark done, in the saving transaction, each of these sessions whose planned items are
        now all saved (domain rule all_planned_saved), and raise its profile's revision so
        every cached view counts it done at once. One read, and a write only when one is due."""
        if not session_ids:
            return
        rows = self.session.execute(
            select(SessionRow.id, SessionRow.profile_id, SessionRow.planned_items, ItemRow.position)
            .join(ItemRow, ItemRow.session_id == SessionRow.id)
            .where(
                SessionRow.id.in_(session_ids),
                SessionRow.completed.is_(False),
                SessionRow.planned_items.is_not(None),
            )
        )
        found: dict[int, tuple[int, int, list[int]]] = {}
        for session_id, profile_id, planned, position in rows:
            found.setdefault(session_id, (profile_id, planned, []))[2].append(position)
        due = {
            session_id: profile_id
            for session_id, (profile_id, planned, positions) in found.items()
            if all_planned_saved(planned, positions)
        }
        if not due:
            return
        self.session.execute(
            update(SessionRow).where(SessionRow.id.in_(due)).values(completed=True)
        )
        for profile_id in sorted(set(due.values())):
            touch(self.session, profile_id)

    def open_session(self, profile_id: int, day: date, slot: str) -> tuple[int, list[int]] | None:
        """The latest unfinished session of a slot that day, with the positions already saved."""
        session_id = self.session.scalars(
            select(SessionRow.id)
            .where(
                SessionRow.profile_id == profile_id,
                SessionRow.day == day,
                SessionRow.slot == slot,
                SessionRow.finished_at.is_(None),
            )
            .order_by(SessionRow.id.desc())
            .limit(1)
        ).first()
        if session_id is None:
            return None
        positions = self.session.scalars(
            select(ItemRow.position).where(ItemRow.session_id == session_id)
        )
        return session_id, sorted(positions)

    def session_record(self, session_id: int) -> SessionRecord | None:
        """One session with its items so far, by id (None when there is no such session)."""
        return self._session(session_id, None)

    def owned_session(self, profile_id: int, session_id: int) -> SessionRecord | None:
        """session_record, only when the session is this profile's: two plain selects."""
        return self._session(session_id, profile_id)

    def _session(self, session_id: int, profile_id: int | None) -> SessionRecord | None:
        query = select(*SESSION_COLUMNS).where(SessionRow.id == session_id)
        if profile_id is not None:
            query = query.where(SessionRow.profile_id == profile_id)
        row = self.session.execute(query).first()
        if row is None:
            return None
        items = self.session.execute(
            select(*ITEM_COLUMNS).where(ItemRow.session_id == session_id).order_by(ItemRow.position)
        )
        return _session_record(row, tuple(_item_record(i) for i in items))

    def add_session(self, profile_id: int, record: SessionRecord) -> int:
        """A whole recorded session with its items (used to restore a backup)."""
        row = SessionRow(
            profile_id=profile_id,
            day=record.day,
            slot=record.slot,
            started_at=record.started_at,
            finished_at=record.finished_at,
            completed=record.completed,
            pain_during=record.pain_during,
            effort=record.effort,
            planned_items=record.planned_items,
        )
        self.session.add(row)
        self.session.flush()
        for item in record.items:
            self.add_item(row.id, item)
        touch(self.session, profile_id)
        return row.id

    def restore(
        self,
        profile_id: int,
        diary: Diary,
        now: datetime,
        checkpoint: Callable[[], None] = lambda: None,
    ) -> None:
        """A whole diary into a profile, as multi-row inserts of RESTORE_BATCH rows each, in
        the caller's transaction; `checkpoint` is called before each batch (it raises to stop,
        and the caller rolls back). Items are numbered by the session ids the inserts return."""
        connection = self.session.connection()

        def batches(table: Any, rows: list[dict[str, Any]], returning: Any = None) -> list[Any]:
            ids: list[Any] = []
            for start in range(0, len(rows), RESTORE_BATCH):
                checkpoint()
                chunk = rows[start : start + RESTORE_BATCH]
                if returning is None:
                    connection.execute(insert(table), chunk)
                else:
                    statement = insert(table).returning(returning, sort_by_parameter_order=True)
                    ids.extend(connection.execute(statement, chunk).scalars())
            return ids

        checkins = CheckInRow.__table__
        batches(
            checkins,
            [
                {
                    "profile_id": profile_id,
                    "day": c.day,
                    "first_step_pain": c.first_step_pain,
                    "recorded_at": now,
                }
                for c in diary.checkins
            ],
        )
        sessions = SessionRow.__table__
        session_rows = [
            {
                "profile_id": profile_id,
                "day": s.day,
                "slot": s.slot,
                "started_at": s.started_at,
                "finished_at": s.finished_at,
                "completed": s.completed,
                "pain_during": s.pain_during,
                "effort": s.effort,
                "planned_items": s.planned_items,
            }
            for s in diary.sessions
        ]
        if connection.dialect.name == "sqlite":
            # SQLite cannot return the ids of a multi-row insert in order (SQLAlchemy would send
            # a statement a row), so the ids are given: this transaction wrote already, so it
            # holds the database's write lock and nobody else can take them meanwhile
            first = (connection.execute(select(func.max(sessions.c.id))).scalar() or 0) + 1
            session_ids = list(range(first, first + len(session_rows)))
            for row, session_id in zip(session_rows, session_ids, strict=True):
                row["id"] = session_id
            batches(sessions, session_rows)
        else:
            session_ids = batches(sessions, session_rows, sessions.c.id)
        batches(
            ItemRow.__table__,
            [
                {
                    "session_id": session_id,
                    "position": i.position,
                    "exercise": i.exercise,
                    "sets_done": i.sets_done,
                    "reps_done": i.reps_done,
                    "seconds_done": i.seconds_done,
                    "skipped": i.skipped,
                    "finished_at": i.finished_at,
                }
                for session_id, s in zip(session_ids, diary.sessions, strict=True)
                for i in s.items
            ],
        )
        batches(
            QuestionnaireRow.__table__,
            [
                {
                    "profile_id": profile_id,
                    "instrument": q.instrument.value,
                    "version": VERSIONS[q.instrument],
                    "taken_on": q.taken_on,
                    "answers": list(q.answers),
                    "sports": list(q.sports),
                    "recorded_at": now,
                }
                for q in diary.questionnaires
            ],
        )
        checkpoint()
        touch(self.session, profile_id)

    def finish_session(
        self,
        session_id: int,
        completed: bool,
        pain_during: int | None,
        effort: int | None,
        now: datetime,
    ) -> None:
        row = self.session.get(SessionRow, session_id)
        if row is None:
            raise LookupError(session_id)
        if not completed and row.planned_items is not None:
            positions = self.session.scalars(
                select(ItemRow.position).where(ItemRow.session_id == session_id)
            )
            completed = all_planned_saved(row.planned_items, positions)
        row.completed = completed or row.completed
        row.pain_during = pain_during
        row.effort = effort
        row.finished_at = now
        self.session.flush()
        touch(self.session, row.profile_id)

    def add_questionnaire(
        self, profile_id: int, response: QuestionnaireResponse, now: datetime
    ) -> None:
        self.session.add(
            QuestionnaireRow(
                profile_id=profile_id,
                instrument=response.instrument.value,
                version=VERSIONS[response.instrument],
                taken_on=response.taken_on,
                answers=list(response.answers),
                sports=list(response.sports),
                recorded_at=now,
            )
        )
        self.session.flush()
        touch(self.session, profile_id)

    def diary(self, profile_id: int, since: date | None = None, with_items: bool = True) -> Diary:
        """Everything recorded, oldest first, in four queries whatever its size (no N+1).

        Plain column selects, not ORM entities. Planning and progress need no item records, so
        they can leave them out (with_items=False), which halves the work on years of data.
        """
        run = self.session.execute
        checkins = select(CheckInRow.day, CheckInRow.first_step_pain).where(
            CheckInRow.profile_id == profile_id
        )
        sessions = select(SessionRow.id, *SESSION_COLUMNS).where(
            SessionRow.profile_id == profile_id
        )
        items = (
            select(ItemRow.session_id, *ITEM_COLUMNS)
            .join(SessionRow, ItemRow.session_id == SessionRow.id)
            .where(SessionRow.profile_id == profile_id)
        )
        if since is not None:
            checkins = checkins.where(CheckInRow.day >= since)
            sessions = sessions.where(SessionRow.day >= since)
            items = items.where(SessionRow.day >= since)
        by_session: dict[int, list[ItemRecord]] = {}
        item_rows = run(items.order_by(ItemRow.session_id, ItemRow.position)) if with_items else ()
        for row in item_rows:
            by_session.setdefault(row[0], []).append(_item_record(row[1:]))
        questionnaires = run(
            select(
                QuestionnaireRow.instrument,
                QuestionnaireRow.taken_on,
                QuestionnaireRow.answers,
                QuestionnaireRow.sports,
            )
            .where(QuestionnaireRow.profile_id == profile_id)
            .order_by(QuestionnaireRow.taken_on, QuestionnaireRow.id)
        )
        return Diary(
            checkins=tuple(
                CheckIn(day, pain) for day, pain in run(checkins.order_by(CheckInRow.day))
            ),
            sessions=tuple(
                _session_record(row[1:], tuple(by_session.get(row[0], ())))
                for row in run(sessions.order_by(SessionRow.day, SessionRow.id))
            ),
            questionnaires=tuple(
                QuestionnaireResponse(Instrument(kind), taken, tuple(answers), tuple(sports))
                for kind, taken, answers, sports in questionnaires
            ),
        )

    def is_empty(self, profile_id: int) -> bool:
        for table in (CheckInRow, SessionRow, QuestionnaireRow):
            if self.session.scalars(
                select(table.id).where(table.profile_id == profile_id).limit(1)
            ).first():
                return False
        return True
