"""The audit log: every issue, download, upload, login and refusal, readable by the administrator.

Each event is written in a session of its own and committed at once, so a refusal is kept even
when the request it belongs to fails or rolls back.
"""

import logging

from flask import current_app, g, has_request_context, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from archive.models import AuditEvent
from schemas.fields import quoted

log = logging.getLogger(__name__)


def record(action, outcome="ok", *, detail="", document_id=None, user=None, username=None):
    """Stores one event. The account is `user`, else this request's principal; `username` alone
    names an account that did not sign in (a failed login's name)."""
    principal = g.get("principal") if has_request_context() else None
    user_id = user.id if user else principal.user_id if principal else None
    username = user.username if user else principal.username if principal else username
    event = AuditEvent(action=action, outcome=outcome, detail=quoted(detail, 2000),
                       document_id=document_id, user_id=user_id,
                       username=quoted(username, 80) if username else None)
    if has_request_context():
        event.method, event.path = request.method, request.path[:500]
        event.remote_addr = (request.remote_addr or "")[:64]
    try:
        with current_app.extensions["database"].sessions() as db:
            db.add(event)
            db.commit()
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
