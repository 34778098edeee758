"""Maintainers' tools run with `python -m footcoach.tools.<name>`; never imported by the app."""
