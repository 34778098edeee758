"""The web face of footcoach: server-rendered pages with htmx, and a JSON API under /api/v1."""
