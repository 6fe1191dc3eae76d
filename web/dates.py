"""Dates typed on the pages' server-side forms as ngày/tháng/năm (24/11/2026), made the ISO
dates the schemas take; the same reading and wording as static/dates.js."""

import re
from datetime import date

DMY = re.compile(r"(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})")
EXAMPLE = "ví dụ 24/11/2026"


class DateError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def iso(text, label):
    """'24/11/2026' → '2026-11-24'; an ISO date as it is; '' for nothing typed. DateError (its
    message labelled) for anything else."""
    text = (text or "").strip()
    if not text:
        return ""
    found = DMY.fullmatch(text)
    if found is None:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return text  # the schema checks it
        raise DateError(f"{label}: «{text[:20]}» chưa đúng dạng ngày/tháng/năm; hãy gõ đủ ngày, "
                        f"tháng và năm 4 chữ số, {EXAMPLE}")
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise DateError(f"{label}: {day:02d}/{month:02d}/{year} không phải ngày có thật") from None
