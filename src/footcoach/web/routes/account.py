"""Accounts in multi-user mode: log in, register, log out, and the account settings page
(password, personal API tokens, and for a person their clinicians and invite codes).

In local mode there are no accounts: every route here answers 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from footcoach.domain.accounts import Limit, Role, User
from footcoach.domain.errors import InvalidInputError, UnknownIdError
from footcoach.services.accounts import (
    HashingBusyError,
    LockedOutError,
    LoginFailedError,
    RegistrationRefusedError,
    WebSession,
)
from footcoach.web import auth
from footcoach.web.auth import UserDep
from footcoach.web.deps import ServicesDep, TemplatesDep
from footcoach.web.ids import ClinicianId, TokenId

router = APIRouter(include_in_schema=False)

ACCOUNT_PAGE = "/settings/account"
SAVED = {
    "password": (
        "Your password is changed. You stay logged in here; elsewhere, log in again. Your API "
        "tokens are revoked: make new ones for your scripts."
    ),
    "revoked": "The token is revoked: scripts using it are refused from now on.",
    "linked": "You are now linked to your clinician, who can see your diary and your program.",
    "unlinked": "You are no longer linked to that clinician, who cannot see your data any more.",
}
NO_STORE = {"Cache-Control": "no-store"}
"""Account pages hold secrets or personal data: never kept by a browser or proxy cache."""
CLEAR_CACHE = {"Clear-Site-Data": '"cache"'}
"""Sent on logging out: the browser drops its cached pages (the service worker's copies too)."""


def _local_only_404(request: Request) -> None:
    if not auth.multi_user(request):
        raise UnknownIdError("page", request.url.path)


def home_of(user: User) -> str:
    """Where a user lands after logging in: a person's today, a clinician's dashboard."""
    return "/" if user.role is Role.PERSON else auth.CLINIC_HOME


def _address(request: Request) -> str:
    """The client's address, as uvicorn gives it (it applies X-Forwarded-For only from trusted
    proxies, --forwarded-allow-ips); the login limits count failures per address."""
    return request.client.host if request.client else "unknown"


def _logged_in(request: Request, session: WebSession, target: str) -> Response:
    response = RedirectResponse(target, status_code=303)
    auth.set_session_cookie(request, response, session.token, session.expires_at)
    return response


def _wait_text(seconds: int) -> str:
    """'30 seconds', '1 minute', '15 minutes': how long to wait, rounded up."""
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = (seconds + 59) // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


PAUSED = {
    Limit.ACCOUNT: "Too many wrong passwords for this account from here.",
    Limit.ADDRESS: "Too many wrong passwords from here.",
    Limit.SLOWED: "This account had many wrong passwords lately, so it takes one try at a time.",
    Limit.REGISTRATION: "Too many accounts were made or tried from here.",
}


def _paused(exc: LockedOutError | HashingBusyError) -> str:
    """The sentence for a form refused by a limit, saying how long to wait."""
    wait = _wait_text(exc.retry_after)
    if isinstance(exc, HashingBusyError):
        return f"footcoach is checking many passwords at the moment: try again in {wait}."
    return f"{PAUSED[exc.scope]} For your safety, this is paused: try again in {wait}."


def _field_errors(exc: InvalidInputError, known: tuple[str, ...], fallback: str) -> dict[str, str]:
    """One message per form field, naming everything its value needs."""
    needs: dict[str, list[str]] = {}
    for p in exc.problems:
        needs.setdefault(p.field if p.field in known else fallback, []).append(p.allowed.strip())
    return {field: f"Use {'; and '.join(allowed)}." for field, allowed in needs.items()}


# logging in and registering --------------------------------------------------------------------


def _login_page(
    request: Request,
    templates: TemplatesDep,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    context = {
        "nav": "login",
        "values": values,
        "errors": errors or {},
        "out": request.query_params.get("out", ""),
    }
    return templates.TemplateResponse(
        request,
        "account/login.html",
        context,
        status_code=status_code,
        headers={**NO_STORE, **(headers or {})},
    )


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, templates: TemplatesDep, next: str = "") -> Response:
    _local_only_404(request)
    user = await auth.current_user(request)
    if user is not None:
        return RedirectResponse(auth.safe_next(next, home_of(user)), status_code=303)
    return _login_page(request, templates, {"email": "", "next": auth.safe_next(next, "")})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    _local_only_404(request)
    values = {"email": email.strip(), "next": auth.safe_next(next, "")}
    errors: dict[str, str] = {}
    if not email.strip():
        errors["email"] = "Type the e-mail address of your account."
    if not password:
        errors["password"] = "Type your password."
    if errors:
        return _login_page(request, templates, values, errors, 422)
    try:
        session = services.accounts.login(email, password, _address(request))
    except (LockedOutError, HashingBusyError) as exc:
        return _login_page(
            request,
            templates,
            values,
            {"form": _paused(exc)},
            429,
            {"Retry-After": str(exc.retry_after)},
        )
    except LoginFailedError:
        message = "The e-mail address or the password is wrong. Check both and try again."
        return _login_page(request, templates, values, {"password": message}, 422)
    target = auth.safe_next(values["next"], home_of(session.user))
    return _logged_in(request, session, target)


def _register_page(
    request: Request,
    templates: TemplatesDep,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    context = {"nav": "register", "values": values, "errors": errors or {}}
    return templates.TemplateResponse(
        request,
        "account/register.html",
        context,
        status_code=status_code,
        headers={**NO_STORE, **(headers or {})},
    )


REFUSED = (
    "footcoach could not make an account with these details. If you already have one, log "
    "in; if you have forgotten its password, ask whoever runs this footcoach to set a new one."
)


@router.get("/register", response_class=HTMLResponse)
async def register_page(request: Request, templates: TemplatesDep) -> Response:
    _local_only_404(request)
    user = await auth.current_user(request)
    if user is not None:
        return RedirectResponse(home_of(user), status_code=303)
    return _register_page(request, templates, {"email": ""})


@router.post("/register", response_class=HTMLResponse)
def register(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    """A person's account (clinicians and admins are made with `footcoach users create`).

    An address that has an account gets the same general refusal as any other registration
    that cannot be made, never 'this address is taken' (see docs/multi-user.md)."""
    _local_only_404(request)
    values = {"email": email.strip()}
    try:
        user = services.accounts.register_person(email, password, _address(request))
    except InvalidInputError as exc:
        errors = _field_errors(exc, ("email", "password"), "email")
        return _register_page(request, templates, values, errors, 422)
    except RegistrationRefusedError:
        errors = {"form": REFUSED}
        return _register_page(request, templates, values, errors, 422)
    except (LockedOutError, HashingBusyError) as exc:
        errors = {"form": _paused(exc)}
        headers = {"Retry-After": str(exc.retry_after)}
        return _register_page(request, templates, values, errors, 429, headers)
    return _logged_in(request, services.accounts.start_session(user.id), "/welcome")


# logging out -----------------------------------------------------------------------------------


def _logged_out(request: Request, which: str) -> Response:
    response = RedirectResponse(f"/login?out={which}", status_code=303)
    auth.clear_session_cookie(request, response)
    response.headers.update(CLEAR_CACHE)
    return response


@router.post("/logout")
def logout(request: Request, services: ServicesDep, user: UserDep) -> Response:
    token = auth.identity(request).session_token
    if token:
        services.accounts.logout(token)
    return _logged_out(request, "1")


@router.post("/logout-everywhere")
def logout_everywhere(request: Request, services: ServicesDep, user: UserDep) -> Response:
    services.accounts.logout_everywhere(user.id)
    return _logged_out(request, "all")


# the account page ------------------------------------------------------------------------------


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%d %B %Y").lstrip("0")


def _moment(moment: datetime | None) -> dict[str, str] | None:
    """A token's last use for the page: its text (to the minute, in UTC) and ISO form."""
    if moment is None:
        return None
    utc = moment.astimezone(UTC)
    return {"text": f"{_day(utc)}, {utc:%H:%M} UTC", "iso": utc.isoformat(timespec="minutes")}


def _account_page(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    user: User,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    new_token: Any = None,
    status_code: int = 200,
) -> Response:
    accounts = services.accounts
    tokens = [
        {"token": t, "made": _day(t.created_at), "used": _moment(t.last_used_at)}
        for t in accounts.api_tokens(user.id)
    ]
    context = {
        "nav": "settings",
        "user": user,
        "errors": errors or {},
        "values": values or {},
        "saved": SAVED.get(request.query_params.get("saved", "")),
        "tokens": tokens,
        "new_token": new_token,
        "clinicians": accounts.clinicians_of(user.id) if user.role is Role.PERSON else [],
    }
    return templates.TemplateResponse(
        request, "account/settings.html", context, status_code=status_code, headers=NO_STORE
    )


@router.get(ACCOUNT_PAGE, response_class=HTMLResponse)
def account_page(
    request: Request, services: ServicesDep, templates: TemplatesDep, user: UserDep
) -> Response:
    return _account_page(request, services, templates, user)


@router.post(f"{ACCOUNT_PAGE}/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    user: UserDep,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
) -> Response:
    errors: dict[str, str] = {}
    if not current_password:
        errors["current_password"] = "Type your current password."
    if not new_password:
        errors["new_password"] = "Type the new password."
    status_code = 422
    if not errors:
        try:
            services.accounts.change_password(user.id, current_password, new_password)
        except InvalidInputError as exc:
            errors = _field_errors(exc, ("current_password",), "new_password")
            if "current_password" in errors:
                errors["current_password"] = "That is not your current password."
        except HashingBusyError as exc:
            errors, status_code = {"new_password": _paused(exc)}, 429
    if errors:
        return _account_page(request, services, templates, user, errors, status_code=status_code)
    # every web session ended with the old password; this browser goes on with a new one
    session = services.accounts.start_session(user.id)
    return _logged_in(request, session, f"{ACCOUNT_PAGE}?saved=password#password-title")


@router.post(f"{ACCOUNT_PAGE}/tokens", response_class=HTMLResponse)
def create_token(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    user: UserDep,
    name: Annotated[str, Form()] = "",
) -> Response:
    """The new token's secret is on this answer only (not a redirect: never in a URL)."""
    try:
        created = services.accounts.create_api_token(user.id, name)
    except InvalidInputError as exc:
        errors = _field_errors(exc, ("name",), "name")
        values = {"name": name}
        return _account_page(request, services, templates, user, errors, values, status_code=422)
    return _account_page(request, services, templates, user, new_token=created)


@router.post(f"{ACCOUNT_PAGE}/tokens/{{token_id}}/revoke")
def revoke_token(services: ServicesDep, user: UserDep, token_id: TokenId) -> Response:
    if not services.accounts.revoke_api_token(user.id, token_id):
        raise UnknownIdError("API token", str(token_id))
    return RedirectResponse(f"{ACCOUNT_PAGE}?saved=revoked#tokens-title", status_code=303)


def _person(user: User) -> User:
    if user.role is not Role.PERSON:
        raise auth.Forbidden("Only a person's account is linked to clinicians.")
    return user


@router.post(f"{ACCOUNT_PAGE}/invite", response_class=HTMLResponse)
def redeem_invite(
    request: Request,
    services: ServicesDep,
    templates: TemplatesDep,
    user: UserDep,
    code: Annotated[str, Form()] = "",
) -> Response:
    _person(user)
    if not code.strip():
        errors = {"code": "Type the code your clinician gave you."}
        return _account_page(request, services, templates, user, errors, status_code=422)
    try:
        services.accounts.redeem_invite(user.id, code)
    except InvalidInputError as exc:
        errors = _field_errors(exc, ("code",), "code")
        values = {"code": code}
        return _account_page(request, services, templates, user, errors, values, status_code=422)
    return RedirectResponse(f"{ACCOUNT_PAGE}?saved=linked#clinicians-title", status_code=303)


@router.post(f"{ACCOUNT_PAGE}/clinicians/{{clinician_id}}/unlink")
def unlink(services: ServicesDep, user: UserDep, clinician_id: ClinicianId) -> Response:
    _person(user)
    if not services.accounts.unlink(user.id, clinician_id):
        raise UnknownIdError("clinician", str(clinician_id))
    return RedirectResponse(f"{ACCOUNT_PAGE}?saved=unlinked#clinicians-title", status_code=303)
