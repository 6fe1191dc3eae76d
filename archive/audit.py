"""The audit log: every issue, download, upload, login and refusal, readable by the administrator.

Each event is written in a session of its own and committed at once, so a refusal is kept even
when the request it belongs to fails or rolls back.

Who acted and from where: the caller says who (`user`, or a `username` alone), else the
surroundings do. The web layer tells the log, once, how to read its surroundings
(`describe_surroundings`: in a request, its signed-in account, method, path and address); a
background job has none, and names its account.
"""

import logging

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from archive.models import AuditEvent
from schemas.fields import quoted

log = logging.getLogger(__name__)


def _no_surroundings():
    return {}


_surroundings = _no_surroundings


def describe_surroundings(reader):
    """`reader()` gives the account and origin of an event recorded without a `user`: a dict of
    user_id, username, method, path, remote_addr (those it knows)."""
    global _surroundings
    _surroundings = reader


def record(db, action, outcome="ok", *, detail="", document_id=None, user=None, username=None):
    """Stores one event, on the database of the session `db` (not in its transaction). The
    account is `user`, else the surroundings'; `username` alone names an account that did not
    sign in (a failed login's name)."""
    around = _surroundings()
    user_id = user.id if user else around.get("user_id")
    username = user.username if user else around.get("username") or username
    event = AuditEvent(action=action, outcome=outcome, detail=quoted(detail, 2000),
                       document_id=document_id, user_id=user_id,
                       username=quoted(username, 80) if username else None,
                       method=around.get("method"), path=around.get("path"),
                       remote_addr=around.get("remote_addr"))
    try:
        with Session(db.get_bind()) as own:
            own.add(event)
            own.commit()
    except SQLAlchemyError as error:
        # The database may be the very fault being reported; the log line keeps the event.
        log.error("audit event not stored (%s): %s %s %s", type(error).__name__, action,
                  outcome, detail)


def events(action=None, outcome=None, username=None):
    """The events matching these filters, newest first (the API's and the page's query)."""
    filters = {"action": action, "outcome": outcome,
               "username": username.strip().lower() if username else None}
    return select(AuditEvent).filter_by(
        **{key: value for key, value in filters.items() if value}).order_by(AuditEvent.id.desc())
