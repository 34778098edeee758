"""Who is asking, in multi-user mode: sessions, API tokens, roles, links and CSRF tokens.

The contract other web code uses (being filled in; the names and signatures are stable):

- ``current_user(request)``: the logged-in user or None (always None in local mode).
- ``UserDep``: a logged-in user; anonymous pages redirect to /login, the API answers 401.
- ``ClinicianDep``: a clinician or an admin, else 403.
- ``linked_person(user_id, request)``: the person behind /clinic/people/{user_id}, when linked
  to the current clinician (admins see all); else 404.
- ``csrf_token(request)`` / ``csrf_input(request)``, and the ``verify_csrf`` dependency.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from markupsafe import Markup

from footcoach.domain.accounts import Role, User


async def current_user(request: Request) -> User | None:
    """The user of this request, resolved once and kept in request.state; None if anonymous."""
    found: User | None = getattr(request.state, "user", None)
    return found


async def require_user(request: Request) -> User:
    user = await current_user(request)
    if user is None:
        raise HTTPException(401, "log in first")
    return user


async def require_clinician(request: Request) -> User:
    user = await require_user(request)
    if user.role not in (Role.CLINICIAN, Role.ADMIN):
        raise HTTPException(403, "only clinicians may do this")
    return user


async def linked_person(user_id: int, request: Request) -> User:
    """The person with this id, when the current clinician may see them; else 404."""
    raise HTTPException(404, "no such person")


def csrf_token(request: Request) -> str:
    return ""


def csrf_input(request: Request) -> Markup:
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(csrf_token(request))


async def verify_csrf(request: Request) -> None:
    """Refuse unsafe requests without the right CSRF token (403)."""


UserDep = Annotated[User, Depends(require_user)]
ClinicianDep = Annotated[User, Depends(require_clinician)]
LinkedPersonDep = Annotated[User, Depends(linked_person)]
