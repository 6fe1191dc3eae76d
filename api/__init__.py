"""The HTTP API: flask-smorest's Api and Blueprint, with Vietnamese errors."""

import flask_smorest
from flask import g, render_template, request
from webargs import core
from webargs.flaskparser import FlaskParser, abort

from api import errors


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
    def handle_http_exception(self, error):
        payload, code, headers = super().handle_http_exception(error)
        if "errors" in payload:
            payload["errors"] = {location: errors.flatten(value) if isinstance(value, dict) else value
                                 for location, value in payload["errors"].items()}
        if code == 422:
            payload["message"] = errors.summary(payload.get("errors", {}))
        elif code in errors.MESSAGES and "message" not in payload:
            payload["message"] = errors.MESSAGES[code].format(
                method=request.method, limit=request.max_content_length)
        payload.setdefault("message", error.description)
        if code == 500 and g.get("error_reference"):  # Service.log_exception's line names it
            payload["message"] += f" Mã lỗi: {g.error_reference}."
        if code == 500 and request.blueprint in ("web", "accounts"):
            return render_template("error.html", title="Lỗi máy chủ",
                                   message=payload["message"]), code, headers
        return payload, code, headers
