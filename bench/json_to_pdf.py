"""Time from JSON to PDF for examples/phieu-01.json: `make bench` (python -m bench.json_to_pdf).

Runs the whole request through the Flask app (validation, context, docxtpl, LibreOffice) `--runs`
times, one at a time, after one warm-up run that creates the LibreOffice profile; then times each
stage alone. Prints medians in milliseconds.
"""

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from app import create_app
from forms.documents import FORMS
from forms.render import render_docx
from schemas.phieu_01 import Phieu01Schema

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "phieu-01.json"


def timed(function, runs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs

    body = json.loads(EXAMPLE.read_text("utf-8"))
    with tempfile.TemporaryDirectory() as work_dir:
        app = create_app({"WORK_DIR": work_dir, "CONVERT_SLOTS": 1})
        client = app.test_client()
        converter = app.extensions["converter"]

        def request():
            response = client.post("/api/v1/phieu-01", json=body)
            assert response.status_code == 200, response.get_data(as_text=True)

        request()  # warm-up: LibreOffice creates its user profile once
        total = timed(request, runs)

        form = FORMS["phieu-01"]
        data = Phieu01Schema().load(body)
        context, meta = form.context(data, app.config), form.metadata(data)
        docx = render_docx(form.TEMPLATE, context, meta)
        stages = {
            "validate (marshmallow)": timed(lambda: Phieu01Schema().load(body), runs),
            "render (docxtpl)": timed(lambda: render_docx(form.TEMPLATE, context, meta), runs),
            "convert (soffice per form)": timed(lambda: converter.convert(docx), runs),
        }

    print(f"Phiếu 01, JSON → PDF, {runs} runs, one at a time (ms):")
    print(f"  total, through the API: median {statistics.median(total):.0f}, "
          f"min {min(total):.0f}, max {max(total):.0f}")
    for name, samples in stages.items():
        print(f"  {name}: median {statistics.median(samples):.1f}")


if __name__ == "__main__":
    main()
