from alembic.config import Config
from alembic.script import ScriptDirectory

from footcoach.adapters.db.migrate import HEAD, MIGRATIONS, upgrade
from footcoach.adapters.db.tables import Base
from footcoach.adapters.db.unit_of_work import Database


def test_head_constant_matches_the_migration_scripts():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_the_migrated_schema_matches_the_tables(database_url):
    from sqlalchemy import inspect

    db = Database(database_url)
    inspector = inspect(db.engine)
    for table in Base.metadata.sorted_tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert columns == {c.name for c in table.columns}, table.name
    assert upgrade(db.engine) is False  # already at head: nothing runs
    db.dispose()
