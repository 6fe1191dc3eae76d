"""The worst input at the bounds, from 8 clients at once: `python -m bench.attack`
(docs/SECURITY.md, «Tải nặng có chủ ý»).

The real server as the README runs it (gunicorn, one process, 32 threads, the warm LibreOffice
engine, anonymous rendering on as `make run` has it). For `--seconds`, half the `--clients` post
the worst spreadsheet the tổng hợp import still reads (every row of SHEET_MAX_ROWS with a cell in
the last column read) and half the worst Phiếu 01 the schema still takes (MAX_LINE_BREAKS line
breaks, as a PDF), all without an account from one address. Meanwhile one probe asks /healthz
every quarter second and another, a unit's account (its API key), fills the repository's example
Phiếu 01 every second, as a user would. It prints what each saw: statuses
and latencies (p50, p95, max). Nothing is asserted: tests/test_attacks.py holds the cases, this
is the load no test can afford.
"""

import argparse
import copy
import http.cookiejar
import io
import json
import re
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections import Counter
from pathlib import Path

from bench.load import Server, example, make_account, request
from schemas.common import MAX_LINE_BREAKS
from schemas.fields import CELL_MAX_LINE_BREAKS
from sheets.table import SHEET_MAX_COLUMNS, SHEET_MAX_ROWS

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# ------------------------------------------------------------------------- the worst input


def raw_xlsx(rows_xml):
    """An .xlsx of one sheet whose <sheetData> is `rows_xml`, written by hand: what openpyxl
    would take minutes to write (a cell in a far column of ten thousand rows)."""
    parts = {
        "[Content_Types].xml":
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{RELS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<workbook {NS} xmlns:r="{RELS}"><sheets><sheet name="Bảng" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="rId1" Type="{RELS}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml":
            f"<worksheet {NS}><sheetData>{rows_xml}</sheetData></worksheet>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, text in parts.items():
            package.writestr(name, text)
    return out.getvalue()


def text_cell(reference, text):
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row():
    return '<row r="1">' + text_cell("A1", "Họ tên") + "</row>"


def far_cells(rows, column="XFD"):
    """A header, then `rows` rows of one cell each in `column`."""
    return header_row() + "".join(f'<row r="{n}">{text_cell(f"{column}{n}", "x")}</row>'
                                  for n in range(2, rows + 2))


def column_name(number):
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def worst_sheet():
    """Every row the reader reads, each with a cell in the last column it reads."""
    return raw_xlsx(far_cells(SHEET_MAX_ROWS - 1, column_name(SHEET_MAX_COLUMNS)))


def worst_form():
    """The example Phiếu 01 with as many line breaks as a form may hold, as many in each cell
    as a cell may hold."""
    body = example("phieu-01")
    per_item = CELL_MAX_LINE_BREAKS
    item = dict(body["sections"]["tasks"][0], content="đ\n" * per_item + "đ")
    body["sections"]["tasks"] = [copy.deepcopy(item)
                                 for _ in range(MAX_LINE_BREAKS // per_item)]
    return body


# ------------------------------------------------------------------------------- the clients


def post_sheet(base, sheet):
    """The tổng hợp page's import, as a browser sends it (its CSRF token, its cookie)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/tong-hop", timeout=120).read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"bang.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + sheet + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{base}/tong-hop/nhap-bang", body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRFToken": token})
    return _status(lambda: opener.open(request, timeout=300))


def timed(method, url, **kwargs):
    """bench.load.request's status, and the seconds it took."""
    started = time.monotonic()
    status, _ = request(method, url, **kwargs)
    return status, time.monotonic() - started


def _status(call):
    started = time.monotonic()
    try:
        with call() as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        status = None
    return status, time.monotonic() - started


class Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.seen = {}

    def add(self, what, status, seconds):
        with self.lock:
            self.seen.setdefault(what, []).append((status, seconds))

    def report(self):
        for what, seen in self.seen.items():
            times = sorted(seconds * 1000 for _, seconds in seen)
            statuses = Counter(str(status) for status, _ in seen)
            print(f"  {what}: {len(seen)} requests, statuses {dict(statuses)}; ms p50 "
                  f"{_pick(times, .5):.0f}, p95 {_pick(times, .95):.0f}, max {times[-1]:.0f}")


def _pick(values, share):
    return values[min(len(values) - 1, int(share * len(values)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    sheet, form = worst_sheet(), worst_form()
    with tempfile.TemporaryDirectory(prefix="attack-") as work:
        work = Path(work)
        server = Server(work, f"sqlite:///{work}/archive.sqlite3", work / "files")
        server.env |= {"PHIEU_ALLOW_ANONYMOUS_RENDER": "true", "PHIEU_RENDER_CONCURRENCY": "1"}
        server.start()
        key = make_account(server)
        try:
            log, stop = Log(), threading.Event()
            base = server.base

            def attacker(number):
                while not stop.is_set():
                    if number % 2:
                        log.add("worst sheet, tổng hợp import", *post_sheet(base, sheet))
                    else:
                        log.add("worst Phiếu 01, PDF", *timed(
                            "POST", f"{base}/api/v1/phieu-01?format=pdf", body=form, timeout=300))

            def probe(what, call, every):
                while not stop.is_set():
                    log.add(what, *call())
                    stop.wait(every)

            threads = [threading.Thread(target=attacker, args=(n,)) for n in range(args.clients)]
            threads += [
                threading.Thread(target=probe, args=(
                    "/healthz", lambda: timed("GET", f"{base}/healthz", timeout=30), 0.25)),
                threading.Thread(target=probe, args=("example Phiếu 01, PDF", lambda: timed(
                    "POST", f"{base}/api/v1/phieu-01?format=pdf", body=example("phieu-01"),
                    key=key, timeout=120), 1.0))]
            for thread in threads:
                thread.start()
            time.sleep(args.seconds)
            stop.set()
            for thread in threads:
                thread.join()
            print(f"Worst input at the bounds, {args.clients} clients for {args.seconds:g} s "
                  f"(sheet {len(sheet) // 1024} KB: {SHEET_MAX_ROWS} rows to column "
                  f"{column_name(SHEET_MAX_COLUMNS)}; form {len(json.dumps(form)) // 1024} KB: "
                  f"{MAX_LINE_BREAKS} line breaks)")
            log.report()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
