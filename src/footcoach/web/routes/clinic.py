"""The clinician's pages: the dashboard of linked people, invite codes, and one person's program
with its audit trail and the forms that change it.

A change form carries the program version it was made on. When someone saved a change in between,
nothing is written: the page comes back (409) saying so, with the changes made since and the
form as it was filled in, now based on the current version, to look at and save again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from footcoach.bootstrap import Services
from footcoach.domain.accounts import InviteState, NewInvite, Role, User
from footcoach.domain.changes import DOSE_RANGES, ChangeKind, ConflictError, describe
from footcoach.domain.errors import InvalidInputError, Problem, UnknownIdError
from footcoach.schemas.changes import parse_change, trail_document
from footcoach.services.clinic import DOSE_LABELS, change_choices, person_row
from footcoach.services.clinic_summary import FILTER_WORDS, DashboardPage, DashboardQuery, Filter
from footcoach.services.program_view import program_view
from footcoach.services.tracking import NoProfileError
from footcoach.web.auth import ClinicianDep, LinkedPersonDep, current_user
from footcoach.web.deps import ServicesDep, TemplatesDep
from footcoach.web.ids import InviteId

router = APIRouter(include_in_schema=False)

FIELD_LABELS = {
    "why": "Reason",
    "to": "Swap to",
    "exercise": "Exercise",
    "note": "Note",
    "kind": "Kind of change",
    "dose": "Dose",
    "based_on_version": "Program version",
    "starts_on": "Starting on",
    **{f"dose.{k}": v for k, v in DOSE_LABELS.items()},
}
"""How the form names each field of footcoach.program-change/1 in its messages."""
TEXT_FIELDS = ("kind", "exercise", "to", "note", "why")


async def _read_form(request: Request) -> AsyncIterator[FormData]:
    form = await request.form()
    try:
        yield form
    finally:
        await form.close()


FormDep = Annotated[FormData, Depends(_read_form)]
CurrentUserDep = Annotated[User | None, Depends(current_user)]


# reading a change form (shared with the person's own program page) -------------------------
@dataclass(frozen=True, slots=True)
class Submitted:
    """A change form as it was filled in: kept to show again, with any errors by field."""

    values: dict[str, str]
    errors: dict[str, str]

    @property
    def form_key(self) -> str:
        """Which form on the page it was: 'note', or kind-exercise ('dose-heel-raise')."""
        kind = self.values.get("kind", "")
        return kind if kind == ChangeKind.NOTE else f"{kind}-{self.values.get('exercise', '')}"


def form_values(form: FormData) -> dict[str, str]:
    names = (*TEXT_FIELDS, *DOSE_RANGES, "based_on_version")
    return {name: str(form.get(name, "")).strip() for name in names}


def change_document(values: Mapping[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    """A footcoach.program-change/1 document from form values (blank fields left out), and the
    faults only a form can have (a number that is not a number)."""
    problems: list[Problem] = []
    doc: dict[str, Any] = {k: values[k] for k in TEXT_FIELDS if values.get(k)}
    doc.setdefault("why", "")
    dose: dict[str, int] = {}
    for name, (low, high) in DOSE_RANGES.items():
        text = values.get(name, "")
        if not text:
            continue
        try:
            dose[name] = int(text)
        except ValueError:
            problems.append(Problem(f"dose.{name}", text, f"a whole number from {low} to {high}"))
    if dose or doc.get("kind") == ChangeKind.DOSE:
        doc["dose"] = dose
    version = values.get("based_on_version", "")
    try:
        doc["based_on_version"] = int(version)
    except ValueError:
        problems.append(Problem("based_on_version", version, "the version the page showed"))
    return doc, problems


def messages(problems: list[Problem]) -> dict[str, str]:
    """One message per field, naming it: 'Sets: a whole number from 1 to 10'."""
    out: dict[str, str] = {}
    for p in problems:
        field = p.field if p.field in FIELD_LABELS else p.field.partition(".")[0]
        label = FIELD_LABELS.get(field, field)
        text = f"{label}: {p.allowed}"
        out[field] = f"{out[field]}; {p.allowed}" if field in out else text
    return out


def save_change(
    services: Services, profile: str, values: Mapping[str, str], who: str, role: str
) -> int:
    """Check and save the change a form describes; returns the program's new version.

    Raises InvalidInputError naming every wrong field (form, shape and program checks together
    where they can be), ConflictError when the program changed since the form's version.
    """
    doc, problems = change_document(values)
    try:
        change, based_on = parse_change(
            doc, who, role, services.clock.now(), services.clock.today()
        )
    except InvalidInputError as exc:
        raise InvalidInputError([*problems, *exc.problems]) from None
    if problems:
        raise InvalidInputError(problems)
    return services.prescriptions.change(profile, change, based_on)


def conflict_context(
    services: Services, exc: ConflictError, values: Mapping[str, str]
) -> dict[str, Any]:
    """What the page shows after a conflict: the changes since, and the change tried (it was
    well formed: only a well-formed change gets as far as the version check)."""
    doc, _ = change_document(values)
    clock = services.clock
    try:
        change, _ = parse_change(doc, "you", "person", clock.now(), clock.today())
        tried = f"{describe(change)} (reason: {change.why})"
    except InvalidInputError:
        tried = ""
    return {
        "since": trail_document(exc.since, exc.based_on),
        "based_on": exc.based_on,
        "current": exc.current,
        "tried": tried,
    }


# the dashboard ----------------------------------------------------------------------------
def dashboard_page(services: Services, clinician: User, query: DashboardQuery) -> DashboardPage:
    """One page of the clinician's people (an administrator's: every person), from summaries."""
    clinician_id = None if clinician.role is Role.ADMIN else clinician.id
    return services.clinic.dashboard(clinician_id, query)


def concern_of(text: str) -> Filter | None:
    """The concern a dashboard is narrowed to ('' for everyone); anything else is refused."""
    if not text:
        return None
    try:
        return Filter(text)
    except ValueError:
        allowed = ", ".join(f.value for f in Filter)
        raise InvalidInputError([Problem("concern", text, f"one of {allowed}")]) from None


def page_link(path: str, page: DashboardPage, number: int, per_page: bool = False) -> str:
    """The path of another page of the same search and concern."""
    query: dict[str, str | int] = {}
    if page.query.search:
        query["q"] = page.query.search
    if page.query.concern is not None:
        query["concern"] = page.query.concern.value
    if per_page:
        query["per_page"] = page.query.per_page
    query["page"] = number
    return f"{path}?{urlencode(query)}"


SearchDep = Annotated[str, Query(max_length=254, description="part of an e-mail address")]
PageDep = Annotated[int, Query(ge=1, le=100_000, description="the page, from 1")]


def _dashboard(
    request: Request,
    services: Services,
    templates: TemplatesDep,
    clinician: User,
    new_invite: NewInvite | None = None,
    status_code: int = 200,
    withdrawn: bool = False,
    query: DashboardQuery | None = None,
) -> Response:
    now = services.clock.now()
    page = dashboard_page(services, clinician, query or DashboardQuery())
    invites = [
        i for i in services.accounts.invites(clinician.id) if i.state(now) is InviteState.OPEN
    ]
    links = {
        "previous": page_link("/clinic", page, page.page - 1) if page.has_previous else None,
        "next": page_link("/clinic", page, page.page + 1) if page.has_next else None,
    }
    response = templates.TemplateResponse(
        request,
        "clinic/dashboard.html",
        {
            "nav": "clinic",
            "clinician": clinician,
            "rows": page.rows,
            "page": page,
            "links": links,
            "filters": FILTER_WORDS,
            "invites": invites,
            "new_invite": new_invite,
            "withdrawn": withdrawn,
            "can_invite": clinician.role is Role.CLINICIAN,
            "today": services.clock.today(),
        },
        status_code=status_code,
    )
    response.headers["Cache-Control"] = "no-store"  # a new invite's code is shown only once
    return response


@router.get("/clinic", response_class=HTMLResponse)
def clinic(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    clinician: ClinicianDep,
    withdrawn: bool = False,
    q: SearchDep = "",
    concern: str = "",
    page: PageDep = 1,
) -> Response:
    """Who needs attention first, 50 to a page; `q` finds people by address, `concern` shows
    only those with one concern (or on_track: none)."""
    query = DashboardQuery(q, concern_of(concern), page)
    return _dashboard(request, services, templates, clinician, withdrawn=withdrawn, query=query)


@router.post("/clinic/invites", response_class=HTMLResponse)
def create_invite(
    request: Request, services: ServicesDep, templates: TemplatesDep, clinician: ClinicianDep
) -> Response:
    """The code is in this answer and nowhere else: no redirect could carry it safely."""
    new = services.accounts.create_invite(clinician.id)
    return _dashboard(request, services, templates, clinician, new_invite=new, status_code=201)


@router.post("/clinic/invites/{invite_id}/withdraw")
def withdraw_invite(
    invite_id: InviteId, services: ServicesDep, clinician: ClinicianDep
) -> Response:
    if not services.accounts.withdraw_invite(clinician.id, invite_id):
        raise UnknownIdError("invite", str(invite_id))
    return RedirectResponse("/clinic?withdrawn=true", status_code=303)


# one person ------------------------------------------------------------------------------
def person_page(
    request: Request,
    services: Services,
    templates: TemplatesDep,
    person: User,
    submitted: Submitted | None = None,
    conflict: dict[str, Any] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    today = services.clock.today()
    context: dict[str, Any] = {
        "nav": "clinic",
        "person": person,
        "submitted": submitted,
        "conflict": conflict,
        "saved": saved,
        "today": today,
        "dose_ranges": DOSE_RANGES,
        "dose_labels": DOSE_LABELS,
    }
    context["row"] = person_row(services.tracking, person, today)
    if person.profile is not None and context["row"].signals.intake_done:
        # the trail first: the program read after it is as new or newer, so a form based on
        # this version can only be refused (and shown the difference), never overwrite
        trail = services.prescriptions.changes(person.profile)
        view = program_view(services.tracking, services.catalog, person.profile)
        context.update(
            view=view,
            weeks=[w for w in view.weeks if w.last_day >= today],
            choices=change_choices(view.program, services.planning.library.catalog, today),
            trail=trail_document(trail),
            version=len(trail),
            corrections=list(reversed(services.tracking.corrections(person.profile))),
        )
    return templates.TemplateResponse(
        request, "clinic/person.html", context, status_code=status_code
    )


@router.get("/clinic/people/{user_id}", response_class=HTMLResponse)
def person(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    person: LinkedPersonDep,
    saved: bool = False,
) -> Response:
    return person_page(request, services, templates, person, saved=saved)


@router.post("/clinic/people/{user_id}/changes", response_class=HTMLResponse)
def change_program(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    person: LinkedPersonDep,
    clinician: ClinicianDep,
    form: FormDep,
) -> Response:
    values = form_values(form)
    try:
        if person.profile is None:
            raise NoProfileError(str(person.id))
        save_change(services, person.profile, values, clinician.email, clinician.role.value)
    except NoProfileError:
        raise UnknownIdError("program", f"of person {person.id}") from None
    except InvalidInputError as exc:
        submitted = Submitted(values, messages(list(exc.problems)))
        return person_page(request, services, templates, person, submitted, status_code=422)
    except ConflictError as exc:
        submitted = Submitted(values, {})
        context = conflict_context(services, exc, values)
        return person_page(
            request, services, templates, person, submitted, context, status_code=409
        )
    return RedirectResponse(f"/clinic/people/{person.id}?saved=true#trail", status_code=303)
