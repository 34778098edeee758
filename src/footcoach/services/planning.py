"""Planning use cases: list protocols, screen an intake, build a program."""

from __future__ import annotations

from datetime import date

from footcoach.domain.errors import InvalidInputError, Problem
from footcoach.domain.intake import History, Intake
from footcoach.domain.library import Library
from footcoach.domain.planner import (
    Outlook,
    PlanMemo,
    PlannedDay,
    build_program,
    outlook,
    plan_day,
)
from footcoach.domain.program import Program
from footcoach.domain.protocol import Protocol, Protocols

DEFAULT_PROTOCOL = "footcoach"
MAX_WEEKS = 52


class PlanningService:
    def __init__(self, library: Library, protocols: Protocols) -> None:
        self.library = library
        self.protocols = protocols
        self.memo = PlanMemo()
        """Day templates kept between builds: a person's program is built again after every
        write, and only its days' order depends on the diary."""

    def list_protocols(self) -> list[Protocol]:
        return list(self.protocols)

    def protocol(self, protocol_id: str) -> Protocol:
        return self.protocols.get(protocol_id)

    def plan(
        self,
        intake: Intake,
        start: date,
        history: History | None = None,
        protocol_id: str | None = None,
        weeks: int | None = None,
    ) -> Program:
        """Screen, then build the program; bad options raise InvalidInputError or UnknownIdError."""
        protocol = self.protocols.get(protocol_id or DEFAULT_PROTOCOL)
        if weeks is not None and not 1 <= weeks <= MAX_WEEKS:
            raise InvalidInputError(
                [Problem("weeks", weeks, f"a whole number from 1 to {MAX_WEEKS}")]
            )
        return build_program(
            intake,
            self.library,
            protocol,
            start=start,
            weeks=self.weeks_of(protocol.id, weeks),
            history=history,
            memo=self.memo,
        )

    def weeks_of(self, protocol_id: str | None, weeks: int | None) -> int:
        """How many weeks plan() plans for these options."""
        return weeks or self.protocols.get(protocol_id or DEFAULT_PROTOCOL).default_weeks

    def outlook(self, intake: Intake, start: date, history: History | None = None) -> Outlook:
        """plan()'s referral, adjustment and clinician prompt, without planning a day."""
        return outlook(intake, start, history)

    def plan_day(
        self,
        intake: Intake,
        start: date,
        history: History | None,
        protocol_id: str,
        weeks: int,
        day: date,
        said: Outlook | None = None,
    ) -> PlannedDay | None:
        """The day `day` of plan() with the same arguments, planned without the days after it;
        None when the program has no such day. `said`: outlook() of the same arguments."""
        return plan_day(
            intake,
            self.library,
            self.protocols.get(protocol_id),
            start,
            weeks,
            history,
            day,
            memo=self.memo,
            said=said,
        )
