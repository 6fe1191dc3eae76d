"""The HTTP API: flask-smorest's Api and Blueprint, with Vietnamese errors."""

import flask_smorest
from flask import g, request
from webargs import core
from webargs.flaskparser import FlaskParser, abort
from werkzeug.routing import BaseConverter, IntegerConverter

from api import errors
from archive.service import ArchiveError
from archive.store import StoreError
from schemas.common import flatten


class DatabaseInteger(IntegerConverter):
    """`<int:…>` in a path: at most what the database's integer columns hold (PostgreSQL's
    `integer`, 2³¹ − 1); a larger number matches no route, a 404, instead of failing in the
    database (SQLite cannot bind past 2⁶³ − 1; PostgreSQL refuses past 2³¹ − 1)."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


class PrintableText(BaseConverter):
    """A `<…>` text in a path without control characters: one with a NUL (which PostgreSQL
    cannot compare) or another control character matches no route, a 404."""

    regex = "[^/\\x00-\\x1f\\x7f]+"


TOO_DEEP = "Nội dung gửi lên không phải JSON hợp lệ: các mảng, đối tượng lồng nhau quá sâu."


def json_body():
    """The request's JSON as `request.get_json(silent=True)` gives it (None when not JSON),
    except that one nested deeper than the parser goes is a 400, not a RecursionError."""
    try:
        return request.get_json(silent=True)
    except RecursionError:
        abort(400, message=TOO_DEEP)


class Parser(FlaskParser):
    def load_json(self, req, schema):
        if not core.is_json(req.mimetype):
            abort(415)
        return super().load_json(req, schema)

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError as error:  # nested deeper than the parser goes
            self._handle_invalid_json_error(error, req)

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, exc=error, message="Nội dung gửi lên không phải JSON hợp lệ.",
              messages={"json": {"_schema": ["Nội dung gửi lên không phải JSON hợp lệ "
                                             "(hoặc không phải UTF-8)."]}})


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()


class Api(flask_smorest.Api):
    """flask-smorest's Api with the error body's own schema, and every error status documented
    on each operation (errors.ErrorResponses) instead of a catch-all "default" response.

    What the archive refuses (ArchiveError) or cannot store (StoreError) and a view does not
    catch is answered here, in the same error shape (errors.refusal)."""

    ERROR_SCHEMA = errors.ErrorSchema
    DEFAULT_ERROR_RESPONSE_NAME = None

    def __init__(self, app=None, *, spec_kwargs=None, **kwargs):
        spec_kwargs = dict(spec_kwargs or {})
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()),
                                        errors.ErrorResponses()]
        super().__init__(app, spec_kwargs=spec_kwargs, **kwargs)

    def init_app(self, app, **kwargs):
        super().init_app(app, **kwargs)
        app.register_error_handler(ArchiveError, self.handle_archive_error)
        app.register_error_handler(StoreError, self.handle_archive_error)

    def handle_archive_error(self, error):
        return self.handle_http_exception(errors.refusal(error))

    def handle_http_exception(self, error):
        payload, code, headers = super().handle_http_exception(error)
        if isinstance(getattr(error, "data", None), dict) and "current" in error.data:
            payload["current"] = error.data["current"]
        if "errors" in payload:
            payload["errors"] = {location: flatten(value) if isinstance(value, dict) else value
                                 for location, value in payload["errors"].items()}
        if code == 422:
            payload["message"] = errors.summary(payload.get("errors", {}))
        elif code in errors.MESSAGES and "message" not in payload:
            payload["message"] = errors.MESSAGES[code].format(
                method=request.method, limit=request.max_content_length)
        payload.setdefault("message", error.description)
        if code == 500 and g.get("error_reference"):  # Service.log_exception's line names it
            payload["message"] += f" Mã lỗi: {g.error_reference}."
        return payload, code, headers

