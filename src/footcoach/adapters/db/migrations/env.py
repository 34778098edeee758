"""Alembic environment: runs on the connection footcoach hands it (see adapters.db.migrate)."""

from __future__ import annotations

from alembic import context

from footcoach.adapters.db.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
