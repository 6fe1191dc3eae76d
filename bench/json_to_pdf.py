"""The conversion benchmark: `make bench` (python -m bench.json_to_pdf). Figures go to
docs/BENCHMARKS.md.

In one run, for examples/phieu-01.json:
1. the old path: a new `soffice --headless --convert-to pdf` process per form;
2. the service's path, JSON → PDF through the Flask app with the warm engine, one request at a
   time, and each stage alone (validation, docxtpl rendering, conversion);
3. throughput: `--clients` threads posting forms with distinct names through the app at once,
   and the CPU time each PDF of it cost in this process (the service: HTTP, validation,
   rendering, marking, cutting batches) and in the LibreOffice workers (soffice and helpers);
4. issuing into the archive (render with the code and QR, PDF/A, three files fsynced, the record
   committed; SQLite in the run's temporary directory), one request at a time;
5. memory: resident size of the service and of each LibreOffice worker afterwards;
6. the pagination rules' cost (documents/pagination.py): each of a few forms converted with the
   rules and without them (one layout, the PDF as LibreOffice makes it, as before the rules),
   alternately, so that both medians come from the same minutes.
Medians in milliseconds. Nothing here asserts a time; it prints what it measured.
"""

import argparse
import contextlib
import copy
import itertools
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench import warm_app
from documents import pagination
from documents.render import render_docx
from forms import FORMS
from office.engine import export_options
from schemas.phieu_01 import Phieu01Schema

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "phieu-01.json"


def timed(function, runs, warmup=2):
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


@contextlib.contextmanager
def rules_off():
    """The conversion as before the pagination rules: one layout, nothing marked."""
    mark, unmark = pagination.mark, pagination.unmark
    pagination.mark = lambda docx: pagination.Plan(docx, [])
    pagination.unmark = lambda pdf: pdf
    try:
        yield
    finally:
        pagination.mark, pagination.unmark = mark, unmark


def layouts(converter, docx):
    """How many layouts the rules needed for `docx`."""
    count = [1]
    rows_to_move = pagination.rows_to_move

    def counted(*args):
        moves = rows_to_move(*args)
        count[0] += bool(moves)
        return moves

    pagination.rows_to_move = counted
    try:
        converter.convert(docx)
    finally:
        pagination.rows_to_move = rows_to_move
    return count[0]


def pagination_cost(converter, documents, runs):
    """{name: (layouts, median with the rules, median without)}, samples taken alternately."""
    results = {}
    for name, docx in documents.items():
        with_rules, without = [], []
        for _ in range(runs + 2):
            with_rules += timed(lambda docx=docx: converter.convert(docx), 1, warmup=0)
            with rules_off():
                without += timed(lambda docx=docx: converter.convert(docx), 1, warmup=0)
        results[name] = (layouts(converter, docx), median(with_rules[2:]), median(without[2:]))
    return results


def median(samples):
    return statistics.median(samples)


def soffice_per_form(docx, runs, work):
    """The old path: one soffice process per form (its profile kept between runs)."""
    source = Path(work) / "phieu.docx"
    source.write_bytes(docx)
    profile = Path(work, "old-profile").as_uri()
    filter_options = "pdf:writer_pdf_Export:" + json.dumps(
        {name: {"type": "boolean" if isinstance(v, bool) else "long", "value": str(v).lower()}
         for name, v in export_options().items()})

    def run():
        subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile}",
                        "--convert-to", filter_options, "--outdir", work, str(source)],
                       check=True, capture_output=True)
    return timed(run, runs, warmup=1)


def cpu_seconds(pid):
    """CPU time (user and system) process `pid` has used so far; 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_pids(converter):
    """(the helpers' pids, the soffice processes' pids) of the engine's workers now."""
    return ([w.process.pid for w in converter.workers if w.process],
            [w["soffice_pid"] for w in converter.status()["workers"] if w["soffice_pid"]])


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def archive_issuer(app, body):
    """A function issuing `body` into the app's archive as a unit account (each call another
    person's form: the same content again would return the issued version, not a new one)."""
    from archive import accounts
    with app.extensions["database"].sessions() as db:
        accounts.create_unit(db, "bench", body["unit"]["name"])
        db.flush()
        user = accounts.create_user(db, "bench", "unit", unit_code="bench")
        key = accounts.create_api_key(db, user)[1]
        db.commit()
    client, headers = app.test_client(), {"Authorization": f"Bearer {key}"}

    numbers = itertools.count(1)

    def issue():
        payload = copy.deepcopy(body)
        payload["person"]["full_name"] = f"Người lưu số {next(numbers)}"
        response = client.post("/api/v1/documents/phieu-01", json=payload, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)
    return issue


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--old-runs", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count(),
                        help="LibreOffice workers (the service's default: the number of cores)")
    args = parser.parse_args()

    body = json.loads(EXAMPLE.read_text("utf-8"))
    form = FORMS["phieu-01"]
    with tempfile.TemporaryDirectory() as work:
        app = warm_app(work, args.workers)
        converter = app.extensions["converter"]
        client = app.test_client()

        data = Phieu01Schema().load(body)
        context, meta = form.context(data, app.config), form.metadata(data)
        docx = render_docx(form.TEMPLATE, context, meta)

        old = soffice_per_form(docx, args.old_runs, work)

        names = iter(range(10 ** 9))

        def request(same=False):
            """The example, each time another person's (a form asked again comes from memory,
            documents/cache.py), or the `same` again."""
            payload = copy.deepcopy(body)
            if not same:
                payload["person"]["full_name"] = f"Người số {next(names)}"
            response = client.post("/api/v1/phieu-01", json=payload)
            assert response.status_code == 200, response.get_data(as_text=True)

        total = timed(request, args.runs)
        again = timed(lambda: request(same=True), args.runs)
        stages = {
            "validate (marshmallow)": timed(lambda: Phieu01Schema().load(body), args.runs),
            "render (docxtpl)": timed(lambda: render_docx(form.TEMPLATE, context, meta), args.runs),
            "convert (warm worker)": timed(lambda: converter.convert(docx), args.runs),
            "convert to PDF/A-2b (warm worker)": timed(
                lambda: converter.convert(docx, pdfa=True), args.runs),
        }
        archived = timed(archive_issuer(app, body), args.runs)
        one_item = copy.deepcopy(data)
        one_item["sections"] = {key: items[:1] if key == "political" else []
                                for key, items in data["sections"].items()}
        cost = pagination_cost(converter, {
            "examples/phieu-01.json": docx,
            "the same, its first item only": render_docx(
                form.TEMPLATE, form.context(one_item, app.config), meta),
            "blank Phiếu 01": render_docx(form.TEMPLATE, form.blank_context(app.config),
                                          form.metadata({})),
        }, args.runs)

        latencies, failures = [], []
        counter = iter(range(args.requests))
        lock = threading.Lock()

        def client_loop():
            own = app.test_client()
            while True:
                with lock:
                    number = next(counter, None)
                if number is None:
                    return
                payload = copy.deepcopy(body)
                payload["person"]["full_name"] = f"Người thứ {number}"
                started = time.perf_counter()
                response = own.post("/api/v1/phieu-01", json=payload)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    (latencies if response.status_code == 200 else failures).append(elapsed)

        threads = [threading.Thread(target=client_loop) for _ in range(args.clients)]
        workers = sum(worker_pids(converter), [])  # a worker renewed meanwhile would be missed
        cpu_before = (time.process_time(), sum(cpu_seconds(pid) for pid in workers))
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        cpu = (time.process_time() - cpu_before[0],
               sum(cpu_seconds(pid) for pid in workers) - cpu_before[1])

        status = converter.status()
        helpers, offices = worker_pids(converter)
        memory = {"service": rss_mb(os.getpid()),
                  "helpers": sum(rss_mb(pid) for pid in helpers),
                  "soffice": [rss_mb(pid) for pid in offices]}
        converter.close()

    new = median(total)
    print(f"Phiếu 01 (examples/phieu-01.json), JSON → PDF, {os.cpu_count()} cores, "
          f"{args.workers} LibreOffice workers")
    print(f"  old path, new soffice per form (conversion only, {args.old_runs} runs): "
          f"median {median(old):.0f} ms")
    print(f"  service, warm engine, one request at a time ({args.runs} runs): "
          f"median {new:.0f} ms, min {min(total):.0f}, max {max(total):.0f}")
    for name, samples in stages.items():
        print(f"    {name}: median {median(samples):.1f} ms")
    print(f"  the same form asked again (from memory): median {median(again):.1f} ms")
    print(f"  old / new: {median(old) / new:.1f}×")
    print(f"  issue into the archive, one request at a time ({args.runs} runs): median "
          f"{median(archived):.0f} ms ({median(archived) / new:.2f}× the stateless request)")
    print("  pagination rules (conversion with them / without: one layout, as before them):")
    for name, (count, with_rules, without) in cost.items():
        print(f"    {name}: {count} layout{'s' if count > 1 else ''}, median {with_rules:.1f} / "
              f"{without:.1f} ms = {with_rules / without:.2f}×")
    quantiles = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else [0] * 19
    print(f"  throughput, {args.clients} concurrent clients, {args.requests} requests: "
          f"{len(latencies) / wall:.1f} PDFs/s; latency p50 {quantiles[9]:.0f} ms, "
          f"p95 {quantiles[18]:.0f} ms; {len(failures)} failed; {status['batched_requests']} "
          f"of them in {status['batched_conversions']} batches")
    done = max(len(latencies), 1)
    print(f"    CPU per PDF: service {cpu[0] * 1000 / done:.1f} ms, LibreOffice workers "
          f"{cpu[1] * 1000 / done:.1f} ms; {os.cpu_count()} cores × wall per PDF "
          f"{os.cpu_count() * wall * 1000 / done:.1f} ms")
    print(f"  memory (RSS, MiB): service {memory['service']:.0f}, helpers {memory['helpers']:.0f}, "
          f"soffice workers {' + '.join(f'{m:.0f}' for m in memory['soffice'])}; total "
          f"{memory['service'] + memory['helpers'] + sum(memory['soffice']):.0f}")


if __name__ == "__main__":
    main()
