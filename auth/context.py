"""What a request works with that the archive takes as arguments: its database session (one per
request, closed when the request ends) and, for the audit log, the account signed in (auth.access's
principal) and where the request comes from. The archive knows nothing of requests: init_app
closes the session and tells the archive's log to ask here (archive.audit.describe_surroundings).
"""

import logging

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy.exc import SQLAlchemyError

from archive.db import release

log = logging.getLogger(__name__)


def db():
    """This request's database session, closed when the request ends."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["database"].sessions()
    return g.db_session


def release_db():
    """Frees this request's database connection, if its transaction has only read
    (archive.db.release): the converter calls it before a request waits for LibreOffice."""
    if has_app_context() and "db_session" in g:
        release(g.db_session)


def close_db(_error=None):
    """teardown_appcontext: closes the request's session, if it opened one."""
    db_session = g.pop("db_session", None)
    if db_session is None:
        return
    try:
        db_session.close()
    except SQLAlchemyError as error:
        # The server dropped the connection under the session (stopped, restarted): its rollback
        # fails, the pool discards the connection, and the answer already given stands.
        log.warning("database session closed on a lost connection: %s", type(error).__name__)


def surroundings():
    """{"user_id", "username", "method", "path", "remote_addr"} of this request (no account
    when none signed in); {} outside a request (a background job names its own account)."""
    if not has_request_context():
        return {}
    found = {"method": request.method, "path": request.path[:500],
             "remote_addr": (request.remote_addr or "")[:64]}
    principal = g.get("principal")
    if principal is not None:
        found.update(user_id=principal.user_id, username=principal.username)
    return found
