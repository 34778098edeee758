"""The printable handout as a PDF: the person's own at /handout.pdf, and a linked person's for
their clinician at /clinic/people/{id}/handout.pdf.

Laying out a PDF takes about half a second of a CPU, so each request holds a heavy slot (429
with Retry-After when none is free), and the query is checked before the program is read.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from footcoach.bootstrap import Services
from footcoach.domain.errors import UnknownIdError
from footcoach.services.tracking import NoProfileError
from footcoach.web.auth import LinkedPersonDep
from footcoach.web.deps import ProfileDep, ServicesDep
from footcoach.web.heavy import HeavyDep
from footcoach.web.ids import PersonId

router = APIRouter(include_in_schema=False)

PDF_TYPE = "application/pdf"


def _pdf(
    services: Services, profile: str, weeks: str | None, large_print: bool, paper: str | None
) -> Response:
    from footcoach.adapters.handout_pdf import handout_pdf
    from footcoach.services.handout import check_options, handout

    chosen_weeks, chosen_paper = check_options(weeks, paper)
    made = handout(
        services.tracking, services.catalog, profile, chosen_weeks, large_print, chosen_paper
    )
    return Response(
        handout_pdf(made),
        media_type=PDF_TYPE,
        headers={
            "Content-Disposition": 'inline; filename="handout.pdf"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/handout.pdf")
def my_handout(
    services: ServicesDep,
    profile: ProfileDep,
    _: HeavyDep,
    weeks: str | None = None,
    large_print: bool = False,
    paper: str | None = None,
) -> Response:
    """Your program on paper: weeks of log 1 to 12 (default 4), large_print, paper a4 or
    letter (default a4)."""
    return _pdf(services, profile, weeks, large_print, paper)


@router.get("/clinic/people/{user_id}/handout.pdf")
def person_handout(
    user_id: PersonId,
    services: ServicesDep,
    person: LinkedPersonDep,
    _: HeavyDep,
    weeks: str | None = None,
    large_print: bool = False,
    paper: str | None = None,
) -> Response:
    """As /handout.pdf, for a person linked to this clinician (admins: anyone); 404 for anyone
    else, as for an id nobody has."""
    missing = UnknownIdError("program", f"of person {person.id} (no intake answered yet)")
    if person.profile is None:
        raise missing
    try:
        return _pdf(services, person.profile, weeks, large_print, paper)
    except NoProfileError:
        raise missing from None
