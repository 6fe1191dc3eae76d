"""`flask --app app render`: a JSON file to a PDF or Word file, without the server."""

import json

import docx

from conftest import EXAMPLES, pdf_pages


def test_render_phieu_01_to_pdf(app, tmp_path):
    target = tmp_path / "phieu.pdf"
    result = app.test_cli_runner().invoke(args=["render", str(EXAMPLES / "phieu-01.json"),
                                                str(target)])
    assert result.exit_code == 0, result.output
    assert "Nguyễn Thị Ngọc Ánh" in "\n".join(pdf_pages(target.read_bytes()))


def test_render_tong_hop_to_word_by_the_target_suffix(app, tmp_path):
    target = tmp_path / "tong-hop.docx"
    result = app.test_cli_runner().invoke(args=["render", str(EXAMPLES / "tong-hop.json"),
                                                str(target)])
    assert result.exit_code == 0, result.output
    cells = [c.text for t in docx.Document(target).tables for r in t.rows for c in r.cells]
    assert "Lê Minh Đức" in cells


def test_invalid_data_names_the_field_and_writes_nothing(app, tmp_path):
    source = tmp_path / "bad.json"
    source.write_text(json.dumps({"unit": {"name": "Phòng Nội vụ"},
                                  "period": {"month": 13, "year": 2026}}), "utf-8")
    target = tmp_path / "out.pdf"
    result = app.test_cli_runner().invoke(args=["render", str(source), str(target)])
    assert result.exit_code == 1
    assert "period.month: Tháng: phải từ 1 đến 12" in result.output
    assert "person: Họ và tên: không được để trống" in result.output
    assert not target.exists()


def test_a_file_that_is_not_json_is_refused(app, tmp_path):
    source = tmp_path / "bad.json"
    source.write_text("không phải JSON", "utf-8")
    result = app.test_cli_runner().invoke(args=["render", str(source), str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "không phải JSON" in result.output
