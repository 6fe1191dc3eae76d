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
        event.listen(self.sessions, "after_flush", _wrote)
        event.listen(self.sessions, "do_orm_execute", _executed)
        event.listen(self.sessions, "after_transaction_end", _ended)

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


def release(session):
    """Ends `session`'s transaction if it has only read, so that its connection goes back to the
    pool while the caller waits for something slow (LibreOffice); its next query begins another
    transaction. The pool holds fewer connections than the server has threads: a request that
    kept its connection while waiting for a conversion made every other request wait for one,
    even to sign in. A transaction that has written is left whole."""
    if (session.in_transaction() and not session.info.get("wrote")
            and not (session.new or session.dirty or session.deleted)):
        session.commit()


def _wrote(session, _context):
    session.info["wrote"] = True


def _executed(state):
    if not state.is_select:  # an UPDATE or DELETE through session.execute flushes nothing
        state.session.info["wrote"] = True


def _ended(session, transaction):
    if transaction.parent is None:
        session.info.pop("wrote", None)


def _sqlite_pragmas(connection, _record):
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # a committed record survives a power cut
    cursor.close()
