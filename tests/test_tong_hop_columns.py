"""The tổng hợp's column table (forms/tong_hop_columns.py) is what every part of the form reads:
a column there is printed, filled, validated, read from a spreadsheet and typed on the web page."""

import io

import docx
from docx.shared import Mm
from openpyxl import load_workbook

from forms import tong_hop
from forms.tong_hop_columns import COLUMNS, HEAD, MARKS, RATING, RATING_TITLE, TEXTS
from schemas.fields import fold
from schemas.tong_hop import RowSchema
from sheets import tong_hop as tong_hop_sheet
from templates_docx.ooxml import reproducible_bytes
from templates_docx.tong_hop import build

SETTINGS = {"PLACE_NAME": "Nam Từ Liêm"}


def distinct_texts(row):
    """The texts of a table row's cells, a merged cell once."""
    cells = []
    for cell in row.cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return [cell.text for cell in cells]


def test_the_template_prints_every_column_in_order_at_its_width():
    table = docx.Document(io.BytesIO(reproducible_bytes(build()))).tables[1]
    assert [col.w.twips for col in table._tbl.tblGrid.gridCol_lst] == [
        Mm(column.width_mm).twips for column in COLUMNS]
    upper, lower, _for, data, _endfor, total = table.rows
    assert distinct_texts(upper) == [title for title, _columns in HEAD]
    marks = [COLUMNS.index(mark) for mark in MARKS]
    assert [lower.cells[col].text for col in marks] == [mark.title for mark in MARKS]
    assert [cell.text for cell in data.cells] == [
        "{{ loop.index }}" if column.kind == "index"
        else f"{{{{ row.marks.{column.key} }}}}" if column.kind == "mark"
        else f"{{{{ row.{column.key} }}}}" for column in COLUMNS]
    assert [total.cells[col].text for col in marks] == [
        f"{{{{ totals.{mark.key} }}}}" for mark in MARKS]


def test_the_context_fills_every_column():
    row = {column.key: f"ô {column.key}" for column in TEXTS} | {RATING: MARKS[-1].key}
    cells = tong_hop.context({"rows": [row]}, SETTINGS)["rows"][0]
    assert {column.key: cells[column.key] for column in TEXTS} == {
        column.key: f"ô {column.key}" for column in TEXTS}
    assert cells["marks"] == {mark.key: "X" if mark is MARKS[-1] else "" for mark in MARKS}


def test_the_schema_takes_every_text_column_and_the_rating():
    fields = RowSchema().fields
    assert list(fields) == [*(column.key for column in TEXTS), RATING]
    for column in TEXTS:
        field = fields[column.key]
        assert field.metadata["description"] == column.title
        assert (field.max_length, field.multiline, field.required) == (
            column.max_length, column.multiline, column.required)
    assert fields[RATING].metadata["description"].startswith(RATING_TITLE)


def test_the_spreadsheet_has_every_column_under_its_title_or_an_alias():
    sheet = load_workbook(io.BytesIO(tong_hop_sheet.template_xlsx())).active
    assert [cell.value for cell in sheet[1]] == [column.title for column in COLUMNS]
    for column in COLUMNS:
        for name in (column.title, *column.aliases):
            assert tong_hop_sheet.KEY_OF[fold(name)] == column.key


def test_the_web_page_has_a_control_for_every_text_column(client):
    page = client.get("/tong-hop").get_data(as_text=True)
    for column in TEXTS:
        assert (f'data-field="{column.key}" data-label="{column.title}"' in page
                and f'maxlength="{column.max_length}"' in page)
    for mark in MARKS:
        assert f'data-field="{RATING}" value="{mark.key}"> {mark.title}' in page
