"""The database: one engine per app, its sessions, the schema kept by Alembic. (A request's own
session, closed when the request ends, is auth.context.db.)"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class Database:
    def __init__(self, url):
        self.url = url
        if url.startswith("sqlite"):
            # Request threads share the pool; WAL lets readers run while one writer commits.
            self.engine = create_engine(url, connect_args={"check_same_thread": False,
                                                           "timeout": 30})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def alembic_config(self):
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["engine"] = self.engine
        return config

    def upgrade(self):
        command.upgrade(self.alembic_config(), "head")

    def status(self):
        """For /readyz: {"ok": reachable with the current schema, "backend": "sqlite" | …}."""
        try:
            current = self.is_current()
        except SQLAlchemyError:
            return {"ok": False, "backend": self.engine.dialect.name, "schema_current": None}
        return {"ok": current, "backend": self.engine.dialect.name, "schema_current": current}

    def is_current(self):
        head = ScriptDirectory.from_config(self.alembic_config()).get_current_head()
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision() == head


def _sqlite_pragmas(connection, _record):
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a committed record survives a power cut
    cursor.close()
