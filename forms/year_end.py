"""The year-end results of a unit's people (II.7): the printable report's template context and
metadata (its spreadsheet: sheets/year_end.py). The data comes from archive/reports.py
`year_end`."""

from forms.common import date_line

TITLE = "Kết quả đánh giá, nhận diện năm"
TEMPLATE = "ket_qua_nam.docx"
# What a month's cell of the printed table shows; the legend under the table explains them.
MARKS = {"tot": "Tốt", "trung_binh": "TB", "kem": "Kém"}
STATUS_MARKS = {"missing": "—", "not_rated": "?", "excused": "V", "upcoming": "",
                "not_member": "", "not_listed": "", "before_guidance": ""}


def mark(cell, marks, statuses):
    if cell["status"] == "assessed":
        return marks[cell["identification_rating"]]
    return statuses[cell["status"]]


def months_text(months):
    return ", ".join(str(month) for month in months)


def _consequence(person):
    text = person["consequence_label"]
    if person["missing_months"]:
        text += (f".\nKhông có Phiếu số 01: tháng {months_text(person['missing_months'])} "
                 "(tính như tháng Kém)")
    if person["excused_months"]:
        text += f".\nVắng có lý do: tháng {months_text(person['excused_months'])} (không tính)"
    return text


def context(result, settings):
    unit = result["unit"]
    people = result["people"]
    summary = result["summary"]
    return {
        "issuer_parent": unit["parent"].upper(),
        "issuer_unit": unit["name"].upper(),
        "date_line": date_line(settings["PLACE_NAME"], result["as_of"]),
        "year": result["year"],
        "unit_name": unit["name"],
        "scope": f"Cá nhân: {result['person']}" if result["person"] else
                 f"Số người: {summary['people']}",
        "rows": [{
            "name": "\n".join(part for part in (person["full_name"], person["position"]) if part),
            "months": [mark(cell, MARKS, STATUS_MARKS) for cell in person["months"]],
            "kem": person["kem_months"],
            "trung_binh": person["trung_binh_months"],
            "consequence": _consequence(person),
        } for person in people],
        "summary": (
            f"Tổng số {summary['people']} người; {summary['fail']} người xếp loại năm ở mức "
            f"Không hoàn thành nhiệm vụ; {summary['cap']} người xếp loại năm không vượt quá mức "
            f"Hoàn thành nhiệm vụ; {summary['with_missing_months']} người có tháng không có "
            "Phiếu số 01."),
    }


def metadata(result):
    unit, year = result["unit"]["name"], result["year"]
    who = f" - {result['person']}" if result["person"] else ""
    return {
        "title": f"Kết quả đánh giá, nhận diện năm {year} - {unit}{who}",
        "subject": f"Kết quả đánh giá, nhận diện năm {year}",
        "author": unit,
        "stem": f"Kết quả nhận diện năm {year} - {unit}{who}",
    }


def blank_context(settings):  # make_document's contract; a year-end report is never blank
    raise ValueError("a year-end report needs its data")

