"""Alembic migrations, shipped in the package and run on start or by `footcoach db upgrade`."""
