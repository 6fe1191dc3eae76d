"""The service's handle on one LibreOffice worker: a helper process (office/uno_helper.py, under
the Python that has `uno`) driving one soffice.bin with a profile of its own.

The helper leads its own process group, which soffice.bin joins, so one kill ends both.
Every read from the helper has a deadline: a stuck LibreOffice cannot hold a request forever.
"""

import json
import logging
import os
import select
import signal
import subprocess
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

HELPER = Path(__file__).resolve().parent / "uno_helper.py"
START_TIMEOUT = 60  # a first start creates the profile
HELPER_EXIT_TIMEOUT = 3
# Layouts of one document at the most: the first, and one more each time rows had to move (in
# each body table, the rows LibreOffice split over pages all at once, else the first row a rule
# moves). Forms of usual length need one or two; 40 items of long texts need three.
PAGINATION_PASSES = 6


class WorkerCrashed(Exception):
    """The helper or its soffice died; nothing was produced."""


class WorkerTimeout(Exception):
    """The worker did not answer in time; it has been killed."""


class WorkerRefused(Exception):
    """LibreOffice is alive but could not convert this document."""


class OfficeWorker:
    def __init__(self, index, *, python, soffice, home, layout=None, nice=0):
        self.index = index
        self.layout = layout
        self.nice = nice
        self.python = python
        self.soffice = soffice
        self.profile = Path(home) / f"profile-{index}"
        self.process = None
        self.soffice_pid = None
        self.state = "stopped"
        self.batch = 0  # how many requests its current conversion serves
        self.conversions = 0  # since the last start
        self.total_conversions = 0
        self.restarts = 0
        self.last_error = None
        self._buffer = b""
        self._life = threading.RLock()  # start, restart and kill, one at a time

    # ----------------------------------------------------------------- life cycle

    def start(self):
        with self._life:
            self._start()

    def _start(self):
        self.state = "starting"
        started = time.monotonic()
        self._buffer = b""
        self.process = subprocess.Popen(
            [self.python, str(HELPER), "--profile", str(self.profile), "--soffice", self.soffice,
             "--nice", str(self.nice)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True)
        try:
            ready = json.loads(self._read_line(time.monotonic() + START_TIMEOUT))
        except (WorkerCrashed, WorkerTimeout, ValueError) as error:
            self._kill()
            self.state = "failed"
            self.last_error = f"không khởi động được ({error})"
            log.error("LibreOffice worker %d failed to start: %s", self.index, error)
            raise WorkerCrashed(self.last_error) from None
        self.soffice_pid = ready["soffice_pid"]
        self.conversions = 0
        self.state = "idle"
        log.info("LibreOffice worker %d started (soffice pid %d) in %.1f s", self.index,
                 self.soffice_pid, time.monotonic() - started)

    def restart(self, reason):
        log.warning("LibreOffice worker %d restarting: %s", self.index, reason)
        with self._life:
            self._kill()
            self.restarts += 1
            self._start()

    def kill(self):
        """Ends the worker at once and leaves no zombie: soffice is killed first so that the
        helper, its parent, reaps it on the way out; the helper's group goes if it lingers."""
        with self._life:
            self._kill()

    def _kill(self):
        if self.process is None:
            return
        if self.soffice_pid:
            try:
                os.kill(self.soffice_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.process.stdin.close()  # the helper's cue to stop
        except OSError:
            pass
        try:
            self.process.wait(timeout=HELPER_EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
        self.process.stdout.close()
        self.process = None
        self.soffice_pid = None
        self.state = "stopped"

    def alive(self):
        if self.process is None or self.process.poll() is not None:
            return False
        try:
            stat = Path(f"/proc/{self.soffice_pid}/stat").read_text()
        except OSError:
            return False
        return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")

    def rss_mb(self):
        """Resident memory of this worker's soffice, in MiB (0 when unknown)."""
        try:
            status = Path(f"/proc/{self.soffice_pid}/status").read_text()
        except OSError:
            return 0
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
        return 0

    # ----------------------------------------------------------------- one conversion

    def convert(self, docx, options, timeout, *, counted=True, composed=False):
        """The PDF of `docx`. With layout rules (the Converter's `layout`), LibreOffice's layout
        is checked before the export; where it breaks one, the document is mended and laid out
        again, up to PAGINATION_PASSES layouts in all, within `timeout`; the PDF is exported once,
        from the last layout."""
        deadline = time.monotonic() + timeout
        pagination = self.layout
        if pagination is None:
            pdf = self._ask(deadline, docx, filter_data=options, composed=composed)
            self._count(counted)
            return pdf
        for passes_left in range(PAGINATION_PASSES - 1, -1, -1):
            started = time.monotonic()
            plan = pagination.mark(docx)
            places = self._ask(deadline, plan.docx, composed=composed, layout=pagination.MARKS)
            # Another layout only with time left for it: 2.5 times what this one took.
            time_left = deadline - time.monotonic() > 2.5 * (time.monotonic() - started)
            if not (passes_left and time_left):
                break
            words = pagination.words_to_read(places, plan)
            if words:
                places.update(self._ask(deadline, layout=words))
            moves = pagination.rows_to_move(places, plan)
            if not moves:
                break
            docx = pagination.start_pages(docx, moves)
        pdf = self._ask(deadline, filter_data=options)  # the document laid out last
        self._count(counted)
        return pagination.unmark(pdf)

    def _count(self, counted):
        if counted:
            self.conversions += 1
            self.total_conversions += 1

    def _ask(self, deadline, docx=b"", **request):
        """One request to the helper (office/uno_helper.py): the PDF, or the bookmarks' places
        when the request has a `layout` pattern."""
        line = json.dumps({"size": len(docx), **request}).encode() + b"\n"
        try:
            self.process.stdin.write(line + docx)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, AttributeError, ValueError):  # ValueError: closed
            raise WorkerCrashed("tiến trình LibreOffice đã dừng") from None
        answer = json.loads(self._read_line(deadline))
        if not answer["ok"]:
            self.last_error = answer["error"]
            if answer["kind"] == "crashed":
                raise WorkerCrashed(answer["error"])
            raise WorkerRefused(answer["error"])
        if "places" in answer:
            return answer["places"]
        return self._read_exact(answer["size"], deadline)

    def _fill(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([self.process.stdout], [], [], remaining)[0]:
            raise WorkerTimeout()
        chunk = os.read(self.process.stdout.fileno(), 1 << 20)
        if not chunk:
            raise WorkerCrashed("tiến trình LibreOffice đã dừng")
        self._buffer += chunk

    def _read_line(self, deadline):
        while b"\n" not in self._buffer:
            self._fill(deadline)
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _read_exact(self, size, deadline):
        while len(self._buffer) < size:
            self._fill(deadline)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data
