"""FFI answers put in the published form's item order.

footcoach first asked the Foot Function Index's pain items with first-step pain before worst
pain, and each situation (without shoes, in shoes, with insoles or orthoses) standing before
walking. The published form asks worst pain first, first-step pain second, and walking before
standing. Answers are stored by position, so this moves each stored FFI answer to its item's new
position. Only pain items move, and only among themselves: every subscale is a sum over its
items, so no score changes. FAAM answers are not touched. The downgrade moves them back.

The order is written out here rather than read from footcoach.domain.questionnaires, so this
step keeps doing the same thing whatever the domain says later.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

FROM_FIRST_ORDER = (1, 0, 3, 2, 5, 4, 7, 6, 8, *range(9, 23))
"""Position i of the new order holds the answer stored at FROM_FIRST_ORDER[i] in the first."""

_questionnaires = sa.table(
    "questionnaires",
    sa.column("id", sa.Integer),
    sa.column("instrument", sa.String),
    sa.column("answers", sa.JSON),
)


def _moved(answers: Sequence[int | None], source: Sequence[int]) -> list[int | None]:
    return [answers[i] for i in source]


def _reorder(source: Sequence[int]) -> None:
    """Every stored FFI answer list, each of its answers taken from position source[i]."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_questionnaires.c.id, _questionnaires.c.answers).where(
            _questionnaires.c.instrument == "ffi"
        )
    ).all()
    changed = [
        {"row_id": row_id, "new_answers": _moved(answers, source)}
        for row_id, answers in rows
        # a list of any other length was never a valid FFI response: left as it is
        if isinstance(answers, list) and len(answers) == len(source)
    ]
    if changed:
        conn.execute(
            _questionnaires.update()
            .where(_questionnaires.c.id == sa.bindparam("row_id"))
            .values(answers=sa.bindparam("new_answers", type_=sa.JSON)),
            changed,
        )


def upgrade() -> None:
    _reorder(FROM_FIRST_ORDER)


def downgrade() -> None:
    back = [0] * len(FROM_FIRST_ORDER)
    for new, old in enumerate(FROM_FIRST_ORDER):
        back[old] = new
    _reorder(back)
