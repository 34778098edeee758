"""Who is asking, in multi-user mode: sessions, API tokens, roles, links and CSRF tokens.

The contract the rest of the web layer uses:

- ``current_user(request)``: the logged-in user, or None (always None in local mode). Resolved
  once per request, from the session cookie, or for /api/ routes from an
  ``Authorization: Bearer fct_...`` personal API token, and kept in ``request.state``.
- ``UserDep``: a logged-in user. Anonymous: pages answer 303 to /login?next=<path>, the API
  401 problem+json.
- ``ClinicianDep``: a clinician or an admin; anyone else gets 403 (problem+json for the API, a
  plain page for people).
- ``linked_person(user_id, request)`` (and ``LinkedPersonDep``): the person behind
  /clinic/people/{user_id} when linked to the current clinician (admins see everyone); 404
  otherwise, the same answer as for an id nobody has, so guessing ids tells nothing.
- ``csrf_token(request)`` and ``csrf_input(request)`` (a Jinja global ``csrf_input()``), and
  ``verify_csrf``, which ``guard`` runs on every unsafe request.

``guard`` is installed as a dependency of every route of the app (see ``install``): in
multi-user mode it resolves the user, sends anonymous requests to the login page except on the
few PUBLIC_PATHS, and checks the CSRF token of every POST, PUT, PATCH and DELETE made with the
session cookie. Requests authenticated by an API token carry no ambient authority (a browser
never adds the header by itself), so they need none. In local mode there are no accounts and no
tokens: unsafe requests that the browser marks as cross-site (Sec-Fetch-Site) are refused, in
both modes, which is what a page on another site could send to a footcoach on 127.0.0.1.

Nothing is stored for CSRF: the token is HMAC-SHA256(secret key, the session token), so any
process with the secret checks it. The session cookie holds the session token and its HMAC, so
a forged or altered cookie is refused before the database is asked.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from footcoach.domain.accounts import Role, User
from footcoach.domain.errors import UnknownIdError
from footcoach.services.accounts import NotAllowedError
from footcoach.web.ids import PersonId
from footcoach.web.problems import problem, wants_json

SESSION_COOKIE = "footcoach_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PUBLIC_PATHS = frozenset(
    {"/login", "/register", "/sw.js", "/manifest.webmanifest", "/calendar/{token}.ics"}
)
"""Route templates open to anonymous visitors in multi-user mode (the static files, mounted
at /static, and /openapi.json are open too: they are no routes of the API). A calendar feed's
secret link is its own key: a phone's calendar app has no login."""
CLINIC_HOME = "/clinic"
LOGIN_PATH = "/login"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who made this request, and how."""

    user: User | None = None
    session_token: str | None = None
    """The token of the live web session whose cookie came with the request."""
    via: str = ""
    """'cookie', 'token' (a personal API token), or '' for nobody."""


ANONYMOUS = Identity()


class LoginRequired(Exception):
    """Nobody is logged in: the login page for people, 401 for the API."""


class Forbidden(Exception):
    """Logged in, but this is not for them: 403."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class CsrfRejected(Forbidden):
    """An unsafe request without the right CSRF token: 403."""


class GoTo(Exception):
    """Answer a redirect (303) instead, e.g. a clinician sent from a person's page to /clinic."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


# settings and signatures -------------------------------------------------------------------


def multi_user(request: Request) -> bool:
    return bool(request.app.state.settings.multi_user)


def _secret(request: Request) -> bytes:
    key: str = request.app.state.settings.secret_key
    return key.encode("utf-8")


def _mac(secret: bytes, purpose: str, token: str) -> str:
    digest = hmac.new(secret, f"{purpose}:{token}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def sign_session(secret: bytes, token: str) -> str:
    """The cookie value for a session token: the token and its HMAC."""
    return f"{token}.{_mac(secret, 'session', token)}"


def unsign_session(secret: bytes, value: str) -> str | None:
    """The session token of a cookie value, or None when it was not signed with this secret."""
    token, dot, mac = value.rpartition(".")
    if not dot or not token or not secret:
        return None
    if not hmac.compare_digest(mac.encode(), _mac(secret, "session", token).encode()):
        return None
    return token


def csrf_for(secret: bytes, session_token: str) -> str:
    return _mac(secret, "csrf", session_token)


# who is asking -----------------------------------------------------------------------------


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


def _resolve(request: Request) -> Identity:
    if not multi_user(request):
        return ANONYMOUS
    accounts = request.app.state.services.accounts
    if request.url.path.startswith("/api/"):
        secret = _bearer(request)
        if secret is not None:
            user = accounts.resolve_api_token(secret)
            return Identity(user, None, "token") if user is not None else ANONYMOUS
    value = request.cookies.get(SESSION_COOKIE)
    if not value:
        return ANONYMOUS
    token = unsign_session(_secret(request), value)
    if token is None:
        return ANONYMOUS
    user = accounts.resolve_session(token)
    return Identity(user, token, "cookie") if user is not None else ANONYMOUS


def identity(request: Request) -> Identity:
    """This request's identity, resolved at most once (one database read)."""
    found = getattr(request.state, "identity", None)
    if isinstance(found, Identity):
        return found
    resolved = _resolve(request)
    request.state.identity = resolved
    return resolved


async def identity_async(request: Request) -> Identity:
    """identity(), awaited: an API token is resolved without blocking the event loop (on
    PostgreSQL its read is batched with the other requests waiting, on the loop's own
    connection), and its last use is written later, off the request's path."""
    found = getattr(request.state, "identity", None)
    if isinstance(found, Identity):
        return found
    if multi_user(request) and request.url.path.startswith("/api/"):
        secret = _bearer(request)
        if secret is not None:
            accounts = request.app.state.services.accounts
            user = await accounts.resolve_api_token_async(secret)
            resolved = Identity(user, None, "token") if user is not None else ANONYMOUS
            request.state.identity = resolved
            return resolved
    return identity(request)


async def current_user(request: Request) -> User | None:
    """The logged-in user of this request; None if anonymous, and always in local mode."""
    return identity(request).user


async def require_user(request: Request) -> User:
    """A logged-in user; anonymous: LoginRequired. Local mode has no accounts: 404."""
    if not multi_user(request):
        raise UnknownIdError("page", request.url.path)
    user = identity(request).user
    if user is None:
        raise LoginRequired()
    return user


async def require_clinician(request: Request) -> User:
    user = await require_user(request)
    if user.role not in (Role.CLINICIAN, Role.ADMIN):
        raise Forbidden("Only a clinician's account can open this.")
    return user


async def linked_person(user_id: PersonId, request: Request) -> User:
    """The person with this id, when the current clinician is linked to them (an admin: any
    person); otherwise 404, exactly as for an id that nobody has."""
    clinician = await require_clinician(request)
    accounts = request.app.state.services.accounts
    if clinician.role is not Role.ADMIN and not accounts.linked(clinician.id, user_id):
        raise UnknownIdError("person", str(user_id))
    person: User | None = accounts.user(user_id)
    if person is None or person.role is not Role.PERSON:
        raise UnknownIdError("person", str(user_id))
    return person


async def person_profile(request: Request) -> str:
    """Multi-user mode: the logged-in person's profile name. Clinicians and admins have none:
    a page they open is sent on to /clinic, anything else is 403."""
    user = await require_user(request)
    if user.profile is None:
        if request.method == "GET" and not wants_json(request):
            raise GoTo(CLINIC_HOME)
        raise Forbidden("This is for a person's own program; a clinician's account has none.")
    return user.profile


def profile_name(request: Request) -> str | None:
    """The profile this request is about, without raising: local mode's one profile, or the
    logged-in person's (None for clinicians, admins and anonymous visitors)."""
    if not multi_user(request):
        name: str = request.app.state.profile
        return name
    user = identity(request).user
    return user.profile if user is not None else None


# CSRF --------------------------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The CSRF token of this request's web session; '' without one (local mode, anonymous)."""
    token = identity(request).session_token
    if not token or not multi_user(request):
        return ""
    return csrf_for(_secret(request), token)


def csrf_input(request: Request) -> Markup:
    """The hidden form field carrying the CSRF token (nothing when there is no session)."""
    token = csrf_token(request)
    if not token:
        return Markup("")
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, token)


def _cross_site(request: Request) -> bool:
    return request.headers.get("sec-fetch-site", "").lower() == "cross-site"


async def verify_csrf(request: Request) -> None:
    """Refuse an unsafe request that did not prove it comes from footcoach's own pages (403).

    Cookie-authenticated requests must send the token, in the X-CSRF-Token header (htmx and
    scripts) or the csrf_token form field; API-token requests are exempt; anonymous requests
    have no session to forge (the login and register forms), and local mode no sessions at all.
    """
    if request.method not in UNSAFE_METHODS or getattr(request.state, "csrf_checked", False):
        return
    if _cross_site(request):
        raise CsrfRejected("footcoach does not accept forms sent from other sites.")
    found = identity(request)
    if not multi_user(request) or found.via == "token" or found.session_token is None:
        request.state.csrf_checked = True
        return
    presented = request.headers.get(CSRF_HEADER, "")
    if not presented:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            presented = str(form.get(CSRF_FIELD, ""))
    expected = csrf_for(_secret(request), found.session_token)
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise CsrfRejected(
            "This form is out of date or did not come from footcoach. Go back, reload the page "
            "and send it again."
        )
    request.state.csrf_checked = True


async def guard(request: Request) -> None:
    """Run before every route: resolve the user, require a login, check CSRF."""
    if multi_user(request):
        route = request.scope.get("route")
        path = getattr(route, "path", request.url.path)
        if path not in PUBLIC_PATHS and (await identity_async(request)).user is None:
            raise LoginRequired()
    await verify_csrf(request)


def page_variant(request: Request) -> str:
    """What a cached page must also be keyed by: the session (its CSRF token is in the page)."""
    token = identity(request).session_token
    return hashlib.sha256(token.encode()).hexdigest()[:32] if token else ""


# cookies -----------------------------------------------------------------------------------


def is_https(request: Request) -> bool:
    """Whether the browser reached us over HTTPS. Behind a reverse proxy, uvicorn already sets
    the scheme from X-Forwarded-Proto when the proxy is trusted (--forwarded-allow-ips, by
    default 127.0.0.1); footcoach does not read forwarded headers itself."""
    return request.url.scheme == "https"


def set_session_cookie(
    request: Request, response: Response, token: str, expires_at: datetime
) -> None:
    now = request.app.state.services.clock.now()
    max_age = max(0, int((expires_at - now).total_seconds()))
    response.set_cookie(
        SESSION_COOKIE,
        sign_session(_secret(request), token),
        max_age=max_age,
        path="/",
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", secure=is_https(request), httponly=True, samesite="lax"
    )


def login_url(request: Request) -> str:
    """/login, with next= the page asked for (GET pages only: a form cannot be replayed)."""
    if request.method != "GET":
        return LOGIN_PATH
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{LOGIN_PATH}?next={quote(target, safe='/')}"


def safe_next(target: str, fallback: str = "/") -> str:
    """A local path to go to after logging in; anything else (another site) gives fallback."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


# wiring ------------------------------------------------------------------------------------


def _forbidden_page(request: Request, detail: str) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"title": "Not allowed", "detail": detail}, status_code=403
    )


def _context(request: Request) -> dict[str, Any]:
    found = getattr(request.state, "identity", None)
    user = found.user if isinstance(found, Identity) else None
    return {
        "multi_user": bool(request.app.state.settings.multi_user),
        "account": user,
        "csrf_input": lambda: csrf_input(request),
        "csrf_token": lambda: csrf_token(request),
        "outbox_owner": outbox_owner(request.app.state.settings.multi_user, user),
    }


def outbox_owner(multi: bool, user: User | None) -> str:
    """Whose saves a page may send from this browser's outbox (static/pwa.js): the logged-in
    account's, local mode's one person's, or nobody's (a page seen logged out)."""
    if not multi:
        return "local"
    return "" if user is None else f"user-{user.id}"


class PrivateAnswers:
    """Multi-user mode: answers about a person are marked `Cache-Control: private`, so that no
    shared cache (a clinic's proxy, a CDN) keeps one person's page for another. Routes that set
    their own Cache-Control keep it; static files and the web app's own files are left alone."""

    OPEN = ("/static/", "/sw.js", "/manifest.webmanifest", "/openapi.json")

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith(self.OPEN):
            await self.app(scope, receive, send)
            return

        async def marked(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"private"))
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, marked)


def install(app: FastAPI, templates: Jinja2Templates) -> None:
    """Answers for the exceptions above, and the templates' csrf_input() and account."""
    if app.state.settings.multi_user:
        app.add_middleware(PrivateAnswers)
    if _context not in templates.context_processors:
        templates.context_processors.append(_context)
    # for templates rendered without a request (no context processor): no session, no token
    templates.env.globals.setdefault("csrf_input", lambda: Markup(""))
    templates.env.globals.setdefault("csrf_token", lambda: "")
    templates.env.globals.setdefault("outbox_owner", "")

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if wants_json(request):
            response = problem(
                401,
                "Log in first",
                "Send the session cookie of a login, or a personal API token as "
                "'Authorization: Bearer fct_...'.",
                "unauthenticated",
            )
            response.headers["WWW-Authenticate"] = 'Bearer realm="footcoach"'
            return response
        if request.headers.get("HX-Request") == "true":  # htmx: the whole page goes to log in
            return Response(status_code=401, headers={"HX-Redirect": LOGIN_PATH})
        return RedirectResponse(login_url(request), status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        kind = "csrf" if isinstance(exc, CsrfRejected) else "forbidden"
        if wants_json(request):
            return problem(403, "Not allowed", exc.detail, kind)
        return _forbidden_page(request, exc.detail)

    @app.exception_handler(NotAllowedError)
    async def not_allowed(request: Request, exc: NotAllowedError) -> Response:
        """The accounts service refused for the user's role (e.g. an admin making invites)."""
        return await forbidden(request, Forbidden(str(exc)))

    @app.exception_handler(GoTo)
    async def go_to(request: Request, exc: GoTo) -> Response:
        return RedirectResponse(exc.location, status_code=303)


UserDep = Annotated[User, Depends(require_user)]
ClinicianDep = Annotated[User, Depends(require_clinician)]
LinkedPersonDep = Annotated[User, Depends(linked_person)]
