"""The print packet benchmark: `make bench` (python -m bench.packet). Figures go to
docs/BENCHMARKS.md.

A unit of `--people` (200): its Phiếu tổng hợp (one row each) and a Phiếu 01 each
(examples/phieu-01.json, names varied), from JSON to one merged PDF, through the Flask app with
the warm engine:
1. POST /api/v1/packet: forms composed into documents of `--chunk` forms, each converted once
   and cut back into forms (documents/packet.py), merged with a bookmark per form;
2. the same job one form at a time through the single-form API (POST /api/v1/phieu-01 and
   /api/v1/tong-hop), requests one after the other, then with as many concurrent clients as there
   are LibreOffice workers; the PDFs merged with pypdf the same way, so both give the same packet.
Medians of `--runs` runs, in seconds, with the ratios measured in the same run. Nothing here
asserts a time; it prints what it measured.
"""

import argparse
import copy
import io
import json
import os
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pypdf import PdfReader

from bench import warm_app
from documents.packet import CHUNK, merge, stored_part

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def unit_month(people):
    phieu = json.loads((EXAMPLES / "phieu-01.json").read_text("utf-8"))
    tong_hop = json.loads((EXAMPLES / "tong-hop.json").read_text("utf-8"))
    forms = []
    for number in range(people):
        form = copy.deepcopy(phieu)
        form["person"]["full_name"] = f"Nguyễn Văn Số {number + 1:03d}"
        forms.append(form)
    row = tong_hop["rows"][0]
    tong_hop["rows"] = [{**row, "full_name": form["person"]["full_name"]} for form in forms]
    return tong_hop, forms


def packet_at_once(client, tong_hop, forms):
    response = client.post("/api/v1/packet", json={"tong_hop": tong_hop, "phieu_01": forms})
    assert response.status_code == 200, response.get_json()
    return response.data


def one_form_at_a_time(client, tong_hop, forms, clients):
    requests = [("/api/v1/tong-hop", tong_hop, "Phiếu tổng hợp")] + [
        ("/api/v1/phieu-01", form, f"{number}. {form['person']['full_name']}")
        for number, form in enumerate(forms, start=1)]

    def post(request):
        url, body, title = request
        response = client.post(url, json=body)
        assert response.status_code == 200, response.get_json()
        return stored_part(title, "", response.data)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        parts = list(pool.map(post, requests))
    return merge(parts)


def timed(function, runs):
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), samples, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=CHUNK)
    parser.add_argument("--workers", type=int, default=os.cpu_count(),
                        help="LibreOffice workers (the service's default: the number of cores)")
    args = parser.parse_args()

    tong_hop, forms = unit_month(args.people)
    with tempfile.TemporaryDirectory() as work:
        # Nothing from memory (documents/cache.py): every run sends the same forms, which the
        # one-at-a-time runs after the first would otherwise get back without converting.
        app = warm_app(work, args.workers, PACKET_CHUNK=args.chunk, RESULT_CACHE_MB=0)
        converter = app.extensions["converter"]
        client = app.test_client()
        packet_at_once(client, tong_hop, forms[:4])  # warm: templates parsed, fonts loaded

        composed, composed_runs, pdf = timed(lambda: packet_at_once(client, tong_hop, forms),
                                             args.runs)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        serial, serial_runs, _ = timed(lambda: one_form_at_a_time(client, tong_hop, forms, 1),
                                       args.runs)
        parallel, parallel_runs, single_pdf = timed(
            lambda: one_form_at_a_time(client, tong_hop, forms, args.workers), args.runs)
        single_pages = len(PdfReader(io.BytesIO(single_pdf)).pages)
        converter.close()

    count = args.people + 1
    print(f"Print packet: {args.people} Phiếu 01 + tổng hợp ({args.people} rows), JSON → one "
          f"merged PDF, {os.cpu_count()} cores, {args.workers} LibreOffice workers, "
          f"{args.runs} runs each")
    print(f"  POST /api/v1/packet, {args.chunk} forms per LibreOffice load: median "
          f"{composed:.2f} s ({composed * 1000 / count:.0f} ms a form; runs "
          f"{', '.join(f'{s:.2f}' for s in composed_runs)}); {pages} pages")
    print(f"  one form at a time through the single-form API, one request after another: median "
          f"{serial:.2f} s ({serial * 1000 / count:.0f} ms a form; runs "
          f"{', '.join(f'{s:.2f}' for s in serial_runs)})")
    print(f"  one form at a time, {args.workers} concurrent clients: median {parallel:.2f} s "
          f"({parallel * 1000 / count:.0f} ms a form; runs "
          f"{', '.join(f'{s:.2f}' for s in parallel_runs)}); {single_pages} pages")
    print(f"  one at a time ÷ packet: {serial / composed:.1f}× (sequential), "
          f"{parallel / composed:.1f}× ({args.workers} clients)")


if __name__ == "__main__":
    main()
