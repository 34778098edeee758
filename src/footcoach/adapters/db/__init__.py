"""Storage on SQLAlchemy 2: SQLite by default, PostgreSQL when many share one footcoach."""
