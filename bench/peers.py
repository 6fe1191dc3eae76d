"""The service against its peers, in one run: `make bench-peers` (python -m bench.peers).
Figures go to docs/BENCHMARKS.md.

All three convert the service's own DOCX of examples/phieu-01.json with the machine's LibreOffice,
each with as many LibreOffice processes as the service has workers (`--workers`, the number of
cores):
- the service as `make run` serves it (gunicorn, 32 threads, bench/load.py's Server): JSON → PDF
  over HTTP, validation, docxtpl and conversion, each request a different person (so that no
  answer comes from memory, documents/cache.py);
- unoserver (`UNOSERVER_VERSION`, pip, in a virtual environment of its own under .bench-peers/,
  seeing the system's `uno`): its servers timed by bench/peers_unoserver.py, conversion only;
- Carbone (`CARBONE_VERSION`, npm, in .bench-peers/carbone): `carbone.convert` timed by
  bench/peers_carbone.js, conversion only.
Each one request at a time (median of `--runs`), then `--clients` concurrent clients sending
`--requests` in all (PDFs/s, latency p50 and p95). A peer missing is installed first; one that
cannot be is reported and left out. Nothing here asserts a time.
"""

import argparse
import copy
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.load import ROOT, Server, _free_port, example, request

PEERS = ROOT / ".bench-peers"
UNOSERVER_VERSION = "3.7"
CARBONE_VERSION = "3.8.2"
UNO_PYTHON = "/usr/bin/python3"  # the Python that has LibreOffice's `uno` (python3-uno)
SERVER_START_TIMEOUT = 120


# ----------------------------------------------------------------------------- installs


def install_unoserver():
    venv = PEERS / "unoserver"
    if not (venv / "bin" / "unoserver").exists():
        subprocess.run([UNO_PYTHON, "-m", "venv", "--system-site-packages", str(venv)],
                       check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q",
                        f"unoserver=={UNOSERVER_VERSION}"], check=True)
    return venv


def install_carbone():
    folder = PEERS / "carbone"
    if not (folder / "node_modules" / "carbone").exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text('{"private": true}\n')
        subprocess.run(["npm", "install", "--no-audit", "--no-fund",
                        f"carbone@{CARBONE_VERSION}"], cwd=folder, check=True,
                       stdout=subprocess.DEVNULL)
    return folder


# ----------------------------------------------------------------------------- each one


def the_docx(work):
    """The service's own DOCX of the example, as the service renders it."""
    from documents.render import render_docx
    from forms import FORMS
    from schemas.phieu_01 import Phieu01Schema
    form = FORMS["phieu-01"]
    data = Phieu01Schema().load(example("phieu-01"))
    settings = {"PLACE_NAME": "Nam Từ Liêm"}
    path = Path(work) / "phieu-01.docx"
    path.write_bytes(render_docx(form.TEMPLATE, form.context(data, settings),
                                 form.metadata(data)))
    return path


def time_service(work, args):
    server = Server(Path(work), f"sqlite:///{work}/archive.sqlite3", Path(work) / "files")
    server.env.update(PHIEU_ALLOW_ANONYMOUS_RENDER="true",
                      PHIEU_CONVERT_WORKERS=str(args.workers))
    server.start()
    try:
        body, url = example("phieu-01"), f"{server.base}/api/v1/phieu-01"
        names = iter(range(10 ** 9))

        def one():
            payload = copy.deepcopy(body)
            payload["person"]["full_name"] = f"Người thứ {next(names)}"
            started = time.perf_counter()
            status, _ = request("POST", url, payload)
            if status != 200:
                raise SystemExit(f"the service answered {status}")
            return (time.perf_counter() - started) * 1000

        for _ in range(2 * args.workers):
            one()
        alone = [one() for _ in range(args.runs)]
        latencies, wall = concurrently(one, args.clients, args.requests)
        return {"alone": alone, "latencies": latencies, "wall": wall}
    finally:
        server.stop()


def concurrently(function, clients, requests):
    latencies, lock, left = [], threading.Lock(), [requests]

    def client():
        while True:
            with lock:
                if not left[0]:
                    return
                left[0] -= 1
            elapsed = function()
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started


def time_unoserver(work, docx, args):
    venv = install_unoserver()
    servers, ports = [], []
    try:
        for number in range(args.workers):
            port = _free_port()
            profile = Path(work) / f"unoserver-profile-{number}"
            servers.append(subprocess.Popen(
                [str(venv / "bin" / "unoserver"), "--port", str(port),
                 "--uno-port", str(_free_port()), "--user-installation", str(profile),
                 "--executable", args.soffice, "--quiet"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
            ports.append(str(port))
        for port in ports:
            _wait_for_port(int(port))
        return _run_json([str(venv / "bin" / "python"), str(ROOT / "bench" / "peers_unoserver.py"),
                          str(docx), str(args.runs), str(args.clients), str(args.requests),
                          *ports])
    finally:
        for server in servers:
            os.killpg(server.pid, 9)
            server.wait()


def time_carbone(docx, args):
    folder = install_carbone()
    node = shutil.which("node") or "node"
    # Carbone looks for soffice.bin, then python3, on the PATH: LibreOffice's program folder
    # and the system's Python (which has `uno`), not this virtual environment's.
    path = f"{Path(args.soffice).resolve().parent}:{Path(UNO_PYTHON).parent}:/bin"
    return _run_json([node, str(ROOT / "bench" / "peers_carbone.js"), str(docx),
                      str(args.runs), str(args.clients), str(args.requests), str(args.workers)],
                     env={**os.environ, "NODE_PATH": str(folder / "node_modules"), "PATH": path})


def _wait_for_port(port):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"no server on port {port}")


def _run_json(command, env=None):
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode:
        raise RuntimeError(done.stderr.strip()[-500:])
    return json.loads(done.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- report


def summary(result, requests):
    quantiles = statistics.quantiles(result["latencies"], n=20)
    return {"median": statistics.median(result["alone"]), "rate": requests / result["wall"],
            "p50": quantiles[9], "p95": quantiles[18]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--soffice", default="/usr/lib/libreoffice/program/soffice")
    args = parser.parse_args()

    results = {}
    with tempfile.TemporaryDirectory() as work:
        docx = the_docx(work)
        results["service, JSON → PDF over HTTP"] = time_service(work, args)
        for name, run in [(f"unoserver {UNOSERVER_VERSION}, conversion only",
                           lambda: time_unoserver(work, docx, args)),
                          (f"Carbone {CARBONE_VERSION}, conversion only",
                           lambda: time_carbone(docx, args))]:
            try:
                results[name] = run()
            except (RuntimeError, subprocess.CalledProcessError, OSError) as error:
                print(f"  {name}: not measured ({error})")

    print(f"Phiếu 01 (examples/phieu-01.json), the service's DOCX, {os.cpu_count()} cores, "
          f"{args.workers} LibreOffice processes each")
    figures = {name: summary(result, args.requests) for name, result in results.items()}
    for name, figure in figures.items():
        print(f"  {name}: one at a time median {figure['median']:.0f} ms "
              f"({args.runs} runs); {args.clients} clients, {args.requests} requests: "
              f"{figure['rate']:.1f} PDFs/s, latency p50 {figure['p50']:.0f} ms, "
              f"p95 {figure['p95']:.0f} ms")
    service = figures.pop("service, JSON → PDF over HTTP")
    for name, figure in figures.items():
        print(f"  service ÷ {name.split(',')[0]}: one at a time "
              f"{service['median'] / figure['median']:.2f}×, throughput "
              f"{service['rate'] / figure['rate']:.2f}×")


if __name__ == "__main__":
    main()
