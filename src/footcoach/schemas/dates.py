"""Dates in documents: written as YYYY-MM-DD text, as the schemas say.

Pydantic, in its default lax mode, also takes a number for a date or a time (seconds since
1970), which the JSON Schema of a `format: date` (or `date-time`) string does not allow; `Day`
and `Moment` refuse it, so a document that the schema refuses is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BeforeValidator


def _text_only(value: object) -> object:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("ISO 8601 text, not a number")
    return value


Day = Annotated[dt.date, BeforeValidator(_text_only)]
"""A date, given as YYYY-MM-DD text (or a date, from Python)."""
Moment = Annotated[dt.datetime, BeforeValidator(_text_only)]
"""A date and time, given as ISO 8601 text (or a datetime, from Python)."""
