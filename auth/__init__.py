"""Who is asking, and what they may do: the principal of each request (an API key or the login
cookie), the CSRF check, the rate limits (auth/access.py); and what a request works with: its
database session and the audit log's view of it (auth/context.py).

`init_app` wires them into the app, in this order: the large-upload allowance (it must come
before anything reads the body), then the principal, then the rate limits (which count per
account); the request's session is closed when it ends.
"""

from archive import audit
from auth import access, context


def init_app(app):
    app.before_request(access.allow_large_uploads)
    app.before_request(access.load_principal)
    access.limiter.init_app(app)
    app.teardown_appcontext(context.close_db)
    audit.describe_surroundings(context.surroundings)
