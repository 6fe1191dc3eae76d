"""`flask --app app templates …`: the forms' Word templates, for the secretariat's administrator:
export the current one to edit in Word, check an edited one, install it (district-wide or for one
unit), list the versions, roll back; and make an archived record again with its own template.
docs/TEMPLATES.md tells how."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from archive import templates
from archive.models import Document
from archive.service import ArchiveError
from archive.template_check import TemplateRefused, check
from documents.template import version_label
from forms import FORMS
from office.engine import ConversionError

group = AppGroup("templates", help="Mẫu phiếu Word: xuất, kiểm tra, cài, liệt kê, quay lại.")
FORM = click.Choice(list(FORMS))


def _session():
    return current_app.extensions["database"].sessions()


def _refused(error):
    return click.ClickException("Mẫu chưa dùng được:\n" + "\n".join(f"  - {p}"
                                                                     for p in error.problems))


@group.command("export")
@click.argument("form", type=FORM)
@click.argument("target", type=click.Path(dir_okay=False, writable=True), required=False)
@click.option("--unit", "unit_code", help="Mẫu đang dùng cho đơn vị này (mặc định: toàn đảng bộ).")
def export(form, target, unit_code):
    """Ghi mẫu FORM đang dùng ra tệp .docx TARGET, để mở bằng Word hoặc LibreOffice."""
    with _session() as db:
        try:
            template, content = templates.for_editing(db, current_app.extensions["store"], form,
                                                      unit_code)
        except ArchiveError as error:
            raise click.ClickException(error.message) from None
    target = target or f"{form}.docx"
    Path(target).write_bytes(content)
    click.echo(f"Đã ghi {target}: {FORMS[form].TITLE}, {template.label} "
               f"(mã băm {template.sha256[:12]}).")


@group.command("check")
@click.argument("file", type=click.File("rb"))
@click.option("--form", type=FORM, help="Loại phiếu; mặc định: đoán theo vòng lặp trong mẫu.")
@click.option("--preview", type=click.Path(file_okay=False),
              help="Thư mục ghi các tệp PDF xem trước khi mẫu đạt.")
def check_command(file, form, preview):
    """Kiểm tra tệp mẫu FILE (.docx) như khi cài, không cài: báo từng lỗi kèm vị trí."""
    content, settings = file.read(), current_app.config
    form = form or templates.guess_form(content, settings)
    if form is None:
        raise click.ClickException("Không đoán được mẫu này của loại phiếu nào; hãy ghi "
                                   f"--form ({' hoặc '.join(FORMS)}).")
    try:
        checked = check(form, content, settings, current_app.extensions["converter"])
    except TemplateRefused as error:
        raise _refused(error) from None
    except ConversionError as error:
        raise click.ClickException(error.message) from None
    _write_previews(checked, preview)
    click.echo(f"Mẫu đạt: dùng được cho {FORMS[form].TITLE}.")


@group.command("install")
@click.argument("form", type=FORM)
@click.argument("file", type=click.File("rb"))
@click.option("--unit", "unit_code", help="Chỉ cho đơn vị này (mặc định: toàn đảng bộ).")
@click.option("--preview", type=click.Path(file_okay=False),
              help="Thư mục ghi các tệp PDF xem trước.")
def install(form, file, unit_code, preview):
    """Kiểm tra rồi cài tệp FILE làm mẫu FORM (bản mới, các bản cũ vẫn giữ)."""
    with _session() as db:
        try:
            row, checked = templates.install(
                db, current_app.extensions["store"], current_app.extensions["converter"],
                current_app.config, form, file.read(), unit_code=unit_code,
                filename=Path(file.name).name)
        except TemplateRefused as error:
            raise _refused(error) from None
        except (ArchiveError, ConversionError) as error:
            raise click.ClickException(error.message) from None
        _write_previews(checked, preview)
        click.echo(f"Đã cài {FORMS[form].TITLE} bản {row.version}"
                   f"{_for(row.unit)}; từ nay phiếu mới dùng mẫu này.")


@group.command("list")
def list_command():
    """Liệt kê các bản mẫu đã cài, bản đang dùng có dấu *."""
    with _session() as db:
        rows = templates.listing(db)
        if not rows:
            click.echo("Chưa cài mẫu nào: mọi phiếu dùng mẫu gốc.")
        for row in rows:
            who = row.installed_by.username if row.installed_by else "dòng lệnh"
            click.echo(f"{'*' if row.active else ' '} {row.form}\tbản {row.version}\t"
                       f"{row.unit.code if row.unit else 'toàn đảng bộ'}\t"
                       f"{row.installed_at:%Y-%m-%d %H:%M} UTC\t{who}\t{row.sha256[:12]}\t"
                       f"{row.filename}")


@group.command("rollback")
@click.argument("form", type=FORM)
@click.argument("version", type=click.IntRange(min=0))
@click.option("--unit", "unit_code", help="Đơn vị (với bản 0: bỏ mẫu riêng của đơn vị).")
def rollback(form, version, unit_code):
    """Dùng lại bản VERSION của mẫu FORM; bản 0: bỏ mẫu đã cài, dùng mẫu gốc (hoặc, với --unit,
    mẫu chung của đảng bộ)."""
    with _session() as db:
        try:
            row = templates.rollback(db, form, version, unit_code=unit_code)
        except ArchiveError as error:
            raise click.ClickException(error.message) from None
        if row is None:
            click.echo(f"Đã bỏ mẫu đã cài của {FORMS[form].TITLE}"
                       f"{' cho đơn vị ' + unit_code if unit_code else ''}.")
        else:
            click.echo(f"Đang dùng {FORMS[form].TITLE} bản {row.version}{_for(row.unit)}.")


@group.command("refill")
@click.argument("code")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def refill(code, target):
    """Làm lại phiếu đã lưu mã CODE từ dữ liệu đã lưu, đúng bản mẫu nó đã dùng (không đổi kho),
    ghi PDF ra TARGET: để đối chiếu sau khi mẫu đã đổi."""
    with _session() as db:
        document = db.scalar(select(Document).where(Document.code == code.strip().upper()))
        if document is None:
            raise click.ClickException(f"Không có phiếu mã lưu trữ «{code}».")
        try:
            pdf = templates.refill(current_app.extensions["store"], current_app.config,
                                   current_app.extensions["converter"], document)
        except (ArchiveError, ConversionError) as error:
            raise click.ClickException(error.message) from None
    Path(target).write_bytes(pdf)
    label = ("mẫu không ghi (mẫu gốc)" if document.template_version is None
             else version_label(document.template_version))
    click.echo(f"Đã ghi {target}: phiếu {document.code}, bản phát hành {document.version}, "
               f"{label}.")


def _for(unit):
    return f" cho đơn vị {unit.code}" if unit else " cho toàn đảng bộ"


def _write_previews(checked, directory):
    if not directory:
        return
    Path(directory).mkdir(parents=True, exist_ok=True)
    for name, pdf in checked.previews.items():
        path = Path(directory) / f"{name}.pdf"
        path.write_bytes(pdf)
        click.echo(f"Xem trước: {path}")
