"""What the archive's audit log learns from a request: the account signed in (auth.access's
principal) and where the request comes from. The archive knows nothing of requests; init_app
tells its log to ask here (archive.audit.describe_surroundings)."""

from flask import g, has_request_context, request


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
