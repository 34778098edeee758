"""The one bound on every whole-number id in a URL path, as the database stores ids.

Ids are 32-bit INTEGER columns on PostgreSQL: a larger number in a query fails inside the
driver (a 500), where SQLite just finds nothing. Every id path parameter is declared with
`id_path(...)`, so an id outside 1 to 2^31 - 1 is invalid input (422 problem+json for the API,
the error page for people) before any route or dependency asks the database about it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path

LARGEST_ID = 2**31 - 1
"""The largest id a row can have (PostgreSQL's INTEGER)."""


def id_path(description: str) -> Any:
    """An int path parameter that only takes ids a row can have."""
    return Annotated[int, Path(ge=1, le=LARGEST_ID, description=description)]


SessionId = id_path("the id POST /api/v1/sessions answered")
PersonId = id_path("the person's account id, as the clinic's list gives it")
ClinicianId = id_path("the clinician's account id, as the account page lists them")
TokenId = id_path("the API token's id, as the account page lists them")
InviteId = id_path("the invite's id, as the clinic page lists them")
