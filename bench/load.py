"""The load run and the fault runs: `python -m bench.load [--fault …]` (docs/RELIABILITY.md).

The real server as the README runs it (gunicorn, one process, 32 threads, the warm LibreOffice
engine) on 127.0.0.1, its archive in a temporary directory (SQLite, or PostgreSQL with
`--database-url`). `--clients` threads for `--seconds` mix what users do: fill a Phiếu 01 and a
tổng hợp (stateless PDFs), issue a Phiếu 01 into the archive (a new person each time), list the
archive, download an issued PDF. Afterwards the archive is counted against what the clients were
told: every 201 is one record, every record has its three files and they hash to its digests
(`flask check-files`), no record was issued twice, no temporary file is left.

Faults, each during a load run (`--fault`):
- `soffice`: a LibreOffice process killed (SIGKILL) every 10 s;
- `database`: the PostgreSQL cluster given with `--pg-cluster` (e.g. "15 load": a cluster of its
  own, not the tests') stopped for 15 s, then started;
- `disk-full`, `read-only`: the data directory is a small tmpfs (needs root) that fills up, or is
  remounted read-only for 15 s, then writable again;
- `service`: not under load; a batch of `--batch` forms is sent as a job, the server is killed
  (SIGKILL, its whole process group) once some are issued, and started again: the job must
  resume and issue every form exactly once.
It prints what the callers saw (counts of each status, latencies p50/p95/p99 by operation,
throughput) and what was left after. Nothing here asserts; it exits 1 if the archive does not
match what the clients were told.
"""

import argparse
import copy
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

THREADS = 32  # gunicorn's threads, as `make run` (its THREADS) and deploy/phieu.service
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
OPERATIONS = {  # name: weight
    "fill phieu-01": 3, "fill tong-hop": 1, "issue": 2, "list": 2, "download": 2,
}


def example(name):
    return json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))


# ----------------------------------------------------------------------------- the server


class Server:
    def __init__(self, work, database_url, data_dir, threads=THREADS):
        self.threads = threads
        self.port = _free_port()
        self.engine_dir = work / "engine"
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "PHIEU_DATABASE_URL": database_url,
                    "PHIEU_DATA_DIR": str(data_dir), "PHIEU_WORK_DIR": str(self.engine_dir),
                    "PHIEU_SECRET_KEY": "load-run", "PHIEU_RENDER_RATE_LIMIT": "1000000 per minute",
                    "PHIEU_RENDER_CONCURRENCY": "0",
                    "PHIEU_LOG_LEVEL": "INFO"}
        self.log = (work / "server.log").open("ab")
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [GUNICORN, "--bind", f"127.0.0.1:{self.port}", "--threads", str(self.threads),
             "--timeout", "300",
             "wsgi:app"], cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log,
            start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            status, _ = request("GET", f"{self.base}/readyz")
            if status == 200:
                return
            time.sleep(0.25)
        raise SystemExit("the server did not become ready (see server.log)")

    def kill(self):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()

    def flask(self, *args):
        return subprocess.run([PYTHON, "-m", "flask", "--app", "app", *args], cwd=ROOT,
                              env={**self.env, "PHIEU_CONVERT_WARM_START": "false"},
                              capture_output=True, text=True)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(method, url, body=None, key=None, timeout=120):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers, method=method),
                                    timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None, b""


def make_account(server):
    server.flask("create-unit", "noi-vu", "Phòng Nội vụ", "--parent",
                 "Ủy ban nhân dân quận Nam Từ Liêm")
    server.flask("create-user", "tai", "--role", "unit", "--unit", "noi-vu", "--no-password")
    made = server.flask("create-api-key", "tai")
    keys = [word for word in made.stdout.split() if word.startswith("phk_")]
    if not keys:
        raise SystemExit(f"no API key: {made.stdout} {made.stderr}")
    return keys[0]


# ----------------------------------------------------------------------------- the load


class Load:
    def __init__(self, server, key):
        self.server, self.key = server, key
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.issued = {}  # document id → person, for every 201
        self.stop = threading.Event()
        self.phase = "trước sự cố"
        self.by_phase = defaultdict(Counter)  # phase → statuses of issues
        self.phieu, self.tong_hop = example("phieu-01"), example("tong-hop")

    def client(self, number):
        rng = random.Random(number)
        names, weights = zip(*OPERATIONS.items())
        sequence = 0
        while not self.stop.is_set():
            operation = rng.choices(names, weights)[0]
            sequence += 1
            method, path, body = self._request(operation, number, sequence, rng)
            if path is None:
                continue
            started = time.perf_counter()
            status, content = request(method, self.server.base + path, body, self.key)
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.statuses[operation][status] += 1
                if status in (200, 201):
                    self.latencies[operation].append(elapsed)
                if operation == "issue":
                    self.by_phase[self.phase][status] += 1
                if operation == "issue" and status == 201:
                    record = json.loads(content)
                    self.issued[record["id"]] = body["person"]["full_name"]

    def _request(self, operation, number, sequence, rng):
        # Each fill another person's or unit's: the same form asked again comes from memory
        # (documents/cache.py), which is not the load to measure.
        if operation == "fill phieu-01":
            body = copy.deepcopy(self.phieu)
            body["person"]["full_name"] = f"Người điền thử {number:02d}-{sequence:05d}"
            return "POST", "/api/v1/phieu-01", body
        if operation == "fill tong-hop":
            body = copy.deepcopy(self.tong_hop)
            body["unit"]["name"] = f"Đơn vị thử {number:02d}-{sequence:05d}"
            return "POST", "/api/v1/tong-hop", body
        if operation == "issue":
            body = copy.deepcopy(self.phieu)
            body["person"]["full_name"] = f"Người thử tải {number:02d}-{sequence:05d}"
            return "POST", "/api/v1/documents/phieu-01", body
        if operation == "list":
            return "GET", "/api/v1/documents?page_size=50", None
        with self.lock:
            ids = list(self.issued)
        if not ids:
            return None, None, None
        return "GET", f"/api/v1/documents/{rng.choice(ids)}/pdf", None

    def run(self, clients, seconds, fault=None):
        threads = [threading.Thread(target=self.client, args=(n,)) for n in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        if fault:
            fault(self)
        remaining = seconds - (time.perf_counter() - started)
        self.stop.wait(max(0, remaining))
        self.stop.set()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


# ----------------------------------------------------------------------------- faults


def kill_soffice_every(seconds):
    def fault(load):
        def killer():
            while not load.stop.wait(seconds):
                # This server's soffice processes: their profiles are in its work directory.
                pids = subprocess.run(["pgrep", "-f", f"soffice.bin.*{load.server.engine_dir}"],
                                      capture_output=True, text=True).stdout
                victims = pids.split()
                if victims:
                    victim = random.choice(victims)
                    os.kill(int(victim), signal.SIGKILL)
                    print(f"  killed soffice {victim} at {time.strftime('%X')}")
        threading.Thread(target=killer, daemon=True).start()
    return fault


def outage(start, stop, after=20, length=15):
    def fault(load):
        def run():
            if load.stop.wait(after):
                return
            print(f"  fault begins at {time.strftime('%X')}")
            load.phase = "trong sự cố"
            start()
            load.stop.wait(length)
            stop()
            load.phase = "sau sự cố"
            print(f"  fault ends at {time.strftime('%X')}")
        threading.Thread(target=run, daemon=True).start()
    return fault


def fresh_schema(url):
    """The PostgreSQL database at `url`, in a schema of this run's own: every run starts empty
    (the run counts records against what its clients were told)."""
    import sqlalchemy as sa
    schema = f"load_{os.getpid()}_{int(time.time())}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def pg_ctl(cluster, action):
    version, name = cluster.split()
    return lambda: subprocess.run(["pg_ctlcluster", version, name, action], check=True)


# ----------------------------------------------------------------------------- the report


def percentile(samples, fraction):
    if not samples:
        return 0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(load, duration):
    total_ok = sum(len(samples) for samples in load.latencies.values())
    everything = [value for samples in load.latencies.values() for value in samples]
    print(f"  {duration:.0f} s, {total_ok} requests answered 200/201: "
          f"{total_ok / duration:.1f} a second; all operations p50 "
          f"{percentile(everything, .5):.0f} ms, p95 {percentile(everything, .95):.0f} ms, "
          f"p99 {percentile(everything, .99):.0f} ms")
    unexpected = 0
    for operation in OPERATIONS:
        samples, statuses = load.latencies[operation], load.statuses[operation]
        unexpected += sum(count for status, count in statuses.items()
                          if status not in (200, 201, 503))
        print(f"  {operation:14} {dict(sorted(statuses.items(), key=str))}; p50 "
              f"{percentile(samples, .5):.0f} ms, p95 {percentile(samples, .95):.0f} ms, "
              f"p99 {percentile(samples, .99):.0f} ms")
    return unexpected


def check_archive(server, load, data_dir, expected=None, killed=False):
    """What is left: the records against the 201s, their files, leftovers. True if all holds.
    A server `killed` (SIGKILL) may leave a write's temporary file, never read, which check-files
    reports and removes after an hour; without a kill there must be none."""
    import sqlalchemy as sa
    engine = sa.create_engine(server.env["PHIEU_DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT id, person_name, version FROM documents WHERE form = 'phieu-01'")).all()
    engine.dispose()
    told = load.issued if expected is None else expected
    records = {row.id: row.person_name for row in rows}
    names = Counter(row.person_name for row in rows)
    twice = [name for name, count in names.items() if count > 1]
    missing = set(told) - set(records) if expected is None else set(told) - set(names)
    extra = set(records) - set(told) if expected is None else set(names) - set(told)
    checked = server.flask("check-files")
    leftovers = [path for path in Path(data_dir).rglob("*") if ".tmp" in path.name]
    print(f"  archive: {len(records)} records, {len(told)} issues acknowledged; "
          f"missing {len(missing)}, unacknowledged {len(extra)}, issued twice {len(twice)}; "
          f"check-files exit {checked.returncode} ({checked.stdout.strip().splitlines()[-1:]}); "
          f"temporary files left {len(leftovers)}")
    return (not missing and not twice and checked.returncode == 0
            and (killed or not leftovers))


# ----------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--fault", choices=["soffice", "database", "disk-full", "read-only",
                                            "service"])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--pg-cluster", default="15 load",
                        help="for --fault database: the cluster to stop, 'version name'")
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument("--threads", type=int, default=THREADS,
                        help="gunicorn's (make run's THREADS)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="phieu-load-"))
    data_dir = work / "files"
    data_dir.mkdir()
    mounted = args.fault in ("disk-full", "read-only")
    if mounted:
        size = "3m" if args.fault == "disk-full" else "200m"
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(data_dir)],
                       check=True)
    database_url = (fresh_schema(args.database_url) if args.database_url
                    else f"sqlite:///{work}/archive.sqlite3")
    server = Server(work, database_url, data_dir, args.threads)
    ok = True
    try:
        server.start()
        key = make_account(server)
        load = Load(server, key)
        print(f"Load: {args.clients} clients, {args.seconds} s, gunicorn 1 process × "
              f"{args.threads} threads, "
              f"{os.cpu_count()} cores, {'PostgreSQL' if args.database_url else 'SQLite'}"
              + (f", fault: {args.fault}" if args.fault else ""))
        if args.fault == "service":
            ok = service_fault(server, key, args.batch, data_dir)
            return
        fault = {
            None: None,
            "soffice": kill_soffice_every(10),
            "database": args.fault == "database" and outage(pg_ctl(args.pg_cluster, "stop"),
                                                           pg_ctl(args.pg_cluster, "start")),
            "disk-full": outage(lambda: None, lambda: subprocess.run(
                ["mount", "-o", "remount,size=200m", str(data_dir)], check=True), after=30),
            "read-only": outage(lambda: subprocess.run(
                ["mount", "-o", "remount,ro", str(data_dir)], check=True),
                lambda: subprocess.run(["mount", "-o", "remount,rw", str(data_dir)], check=True)),
        }[args.fault]
        duration = load.run(args.clients, args.seconds, fault)
        unexpected = report(load, duration)
        if len(load.by_phase) > 1:
            print("  issues by phase: " + "; ".join(
                f"{phase} {dict(statuses)}" for phase, statuses in load.by_phase.items()))
        after, _ = request("GET", f"{server.base}/api/v1/documents", key=key)
        print(f"  after the run: GET /api/v1/documents → {after}; unexpected statuses "
              f"(other than 200/201/503): {unexpected}")
        ok = check_archive(server, load, data_dir) and unexpected == 0 and after == 200
    finally:
        server.stop()
        if mounted:
            subprocess.run(["umount", str(data_dir)])
        if ok:
            shutil.rmtree(work, ignore_errors=True)
        print("  result:", "holds" if ok else f"DOES NOT HOLD (kept: {work}/server.log)")
    sys.exit(0 if ok else 1)


def service_fault(server, key, count, data_dir):
    forms = []
    for number in range(count):
        body = example("phieu-01")
        body["person"]["full_name"] = f"Người trong lô {number:03d}"
        forms.append(body)
    status, content = request("POST", f"{server.base}/api/v1/jobs/batch-issue",
                              {"forms": forms}, key)
    job = json.loads(content)
    location = f"{server.base}/api/v1/jobs/{job['id']}"
    while True:
        _, content = request("GET", location, key=key)
        done = json.loads(content)["done"]
        if done >= 5:
            break
        time.sleep(0.1)
    server.kill()
    print(f"  server killed (SIGKILL) with {done} of {count} forms issued")
    server.start()
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        answer, content = request("GET", location, key=key)
        status = json.loads(content) if answer == 200 else {}
        if status.get("status") == "done":
            break
        time.sleep(0.5)
    print(f"  after restart: job {status.get('status')}, done {status.get('done')}, failed "
          f"{status.get('failed')}, runs {status.get('runs')}")
    load = Load(server, key)
    names = [form["person"]["full_name"] for form in forms]
    return (check_archive(server, load, data_dir, expected=names, killed=True)
            and status.get("done") == count)


if __name__ == "__main__":
    main()
