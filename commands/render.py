"""`flask --app app render SOURCE TARGET`: a form filled from a JSON file, without a server."""

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from marshmallow import ValidationError

from documents.make import MIMETYPES, make_document
from forms import FORMS
from office.engine import ConversionError
from schemas import SCHEMAS
from schemas.common import flatten


@click.command("render")
@with_appcontext
@click.argument("source", type=click.File("rb"))
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
@click.option("--form", "form_slug", type=click.Choice(list(FORMS)),
              help="Loại phiếu; mặc định: phiếu tổng hợp nếu dữ liệu có «rows», ngược lại "
                   "Phiếu 01.")
@click.option("--format", "fmt", type=click.Choice(list(MIMETYPES)),
              help="pdf hoặc docx; mặc định theo đuôi tệp đích.")
def render_command(source, target, form_slug, fmt):
    """Điền phiếu từ tệp JSON SOURCE ra tệp TARGET (PDF hoặc Word), không cần chạy máy chủ."""
    try:
        raw = json.load(source)
    except (ValueError, UnicodeDecodeError) as error:
        raise click.ClickException(f"Tệp không phải JSON hợp lệ: {error}") from None
    slug = form_slug or ("tong-hop" if isinstance(raw, dict) and "rows" in raw else "phieu-01")
    fmt = fmt or ("docx" if target.lower().endswith(".docx") else "pdf")
    try:
        data = SCHEMAS[slug]().load(raw)
    except ValidationError as error:
        lines = [f"  {path}: {'; '.join(msgs)}" for path, msgs in flatten(error.messages).items()]
        raise click.ClickException("Dữ liệu không hợp lệ:\n" + "\n".join(lines)) from None
    try:
        document = make_document(FORMS[slug], data, fmt, settings=current_app.config,
                                 converter=current_app.extensions["converter"])
    except ConversionError as error:
        raise click.ClickException(error.message) from None
    Path(target).write_bytes(document.content)
    click.echo(f"Đã ghi {target} ({len(document.content)} byte, {FORMS[slug].TITLE}).",
               file=sys.stderr)

