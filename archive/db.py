"""The database: one engine per app, a session per request, the schema kept by Alembic."""

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)


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


def session():
    """This request's session, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["database"].sessions()
    return g.db_session


def close_session(_error=None):
    db_session = g.pop("db_session", None)
    if db_session is None:
        return
    try:
        db_session.close()
    except SQLAlchemyError as error:
        # The server dropped the connection under the session (stopped, restarted): its rollback
        # fails, the pool discards the connection, and the answer already given stands.
        log.warning("database session closed on a lost connection: %s", type(error).__name__)
