"""The Chỉ thị 24 section of a periodic report (II.8: quý I, 6 tháng, quý III, năm): the
printable report's template context and metadata. The data comes from archive/reports.py
`periodic`."""

from forms.common import date_line, month_text
from forms.layout import DOTS_SHORT

TITLE = "Báo cáo định kỳ"
TEMPLATE = "bao_cao_dinh_ky.docx"
PERIOD_LINES = {
    "quy_1": "Quý I năm {year}",
    "sau_thang": "6 tháng đầu năm {year}",
    "quy_3": "Quý III năm {year}",
    "nam": "Năm {year}",
}


def _dmy(day):
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def period_line(result):
    period = result["period"]
    return (f"{PERIOD_LINES[result['report']].format(year=result['year'])} (tháng "
            f"{month_text(period['from_month'])} – {month_text(period['to_month'])}/"
            f"{result['year']})")


def _note(counts, month, year):
    """A month's row counts people; a total counts person-months ("lượt người")."""
    people = "người" if month else "lượt người"
    notes = []
    if counts["khong_co_phieu"]:
        notes.append(f"{counts['khong_co_phieu']} {people} không có Phiếu số 01 (II.3.1: tháng "
                     "không hoàn thành nhiệm vụ)")
    if counts["chua_den_han"]:
        deadline = (f"trước ngày 25/{month:02d}/{year}" if month else
                    "trước ngày 25 hằng tháng")
        notes.append(f"{counts['chua_den_han']} {people} chưa đến hạn tự đánh giá ({deadline})")
    return "; ".join(notes)


def _count_cells(counts):
    return {key: counts[key] for key in ("people", "tot", "trung_binh", "kem", "chua_danh_gia")}


def _sign_text(sign):
    lines = [f"{sign['ref']}. {sign['content']}" if sign["content"] else sign["ref"]]
    if sign["identification"]:
        lines.append(f"Nhận diện: {sign['identification']}")
    if sign["shortcoming"]:
        lines.append(f"Tồn tại: {sign['shortcoming']}")
    return "\n".join(lines)


def _remedy_text(sign):
    return "\n".join(part for part in (sign["remedy"], f"({sign['remedy_status_label']})") if part)


def _kem_row(row, all_units):
    signs = row["signs"]
    name = row["full_name"] + (f"\n({row['unit']['name']})" if all_units else "")
    if not signs:
        content = "Phiếu không ghi mục nào có biểu hiện"
        remedy = ""
    else:
        content = "\n".join(_sign_text(sign) for sign in signs)
        remedy = "\n".join(f"{sign['ref']}: {_remedy_text(sign)}" if len(signs) > 1
                           else _remedy_text(sign) for sign in signs)
    return {"full_name": name, "month": f"{month_text(row['month'])}/{row['month_year']}",
            "content": content, "remedy": remedy}


def context(result, settings):
    year = result["year"]
    units = result["units"]
    single = None if result["all_units"] else units[0]
    due = f"trước ngày {_dmy(result['before'])}"
    replaces = f"; thay báo cáo {result['replaces']}" if result["replaces"] else ""
    kem_number = 3 if result["all_units"] else 2
    return {
        "issuer_parent": (single["parent"] if single else "").upper(),
        "issuer_unit": single["name"].upper() if single else "ĐƠN VỊ" + DOTS_SHORT,
        "date_line": date_line(settings["PLACE_NAME"], result["as_of"]),
        "report_label": result["label"].upper(),
        "period_line": period_line(result),
        "scope": (f"Đơn vị: {single['name']}" if single else
                  f"Các đơn vị: {len(units)} đơn vị"),
        "due_line": (f"(Mục riêng về thực hiện Chỉ thị số 24-CT/TU trong báo cáo định kỳ, mục "
                     f"II.8 của Hướng dẫn; hạn gửi {due}{replaces})"),
        "months": [{"label": f"Tháng {month_text(row['month'])}/{year}", **_count_cells(row),
                    "note": _note(row, row["month"], year)} for row in result["months"]],
        "totals": {**_count_cells(result["totals"]), "note": _note(result["totals"], None, year)},
        "by_unit": bool(result["all_units"]),
        "units": [{"label": unit["name"], **_count_cells(unit["totals"]),
                   "note": _note(unit["totals"], None, year)} for unit in units],
        "kem_heading": f"{kem_number}. Cá nhân có kết quả đánh giá, nhận diện biểu hiện ở mức Kém",
        "kem": [_kem_row({**row, "month_year": year}, result["all_units"])
                for row in result["kem"]],
        "no_kem": "Trong kỳ báo cáo không có cá nhân nào ở mức Kém.",
    }


def metadata(result):
    scope = "các đơn vị" if result["all_units"] else result["units"][0]["name"]
    label = f"{result['label']} năm {result['year']}"
    return {
        "title": f"{label} - Chỉ thị 24-CT/TU - {scope}",
        "subject": f"{label}, mục thực hiện Chỉ thị 24-CT/TU",
        "author": "" if result["all_units"] else scope,
        "stem": f"{label} - Chỉ thị 24 - {scope}",
    }


def blank_context(settings):  # make_document's contract; a report is never blank
    raise ValueError("a periodic report needs its data")
