"""DOCX → PDF with warm LibreOffice workers. The rest of the service sees `Converter.convert`,
`Converter.status`, `Converter.capacity`, `start` and `close`. It knows nothing of forms.

N long-lived workers (office/worker.py), each one soffice with its own profile, take
requests from a bounded queue:
- more than `queue_size` requests waiting: 503 at once (ConverterBusy);
- waiting past `queue_timeout`: 503 (QueueTimeout), without touching running conversions;
- converting past `timeout`: that worker is killed and restarted, the request gets 503;
- a worker that crashes (soffice killed from outside) is replaced, and the request it was
  serving is retried once on another worker, since it had produced nothing;
- a worker is renewed after `max_conversions`, or when its soffice grows past `max_memory_mb`,
  once its current request has its PDF.
"""

import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from pathlib import Path

from office.worker import START_TIMEOUT, OfficeWorker, WorkerCrashed, WorkerRefused, WorkerTimeout

log = logging.getLogger(__name__)

# Every PDF export option (LibreOffice's writer_pdf_Export filter data), in one place.
# LibreOffice embeds the fonts it uses as subsets; EmbedStandardFonts extends that to the 14
# PDF base fonts, so no reader substitutes any.
PDF_EXPORT_OPTIONS = {"EmbedStandardFonts": True, "ExportNotes": False, "UseTaggedPDF": True}
PDFA_2B = {"SelectPdfVersion": 2}
# A composed document (documents/compose.py) is a print packet: its Word bookmarks become named
# destinations, which is how its PDF says where each form starts; and it is not tagged (the
# structure a screen reader follows), which costs LibreOffice about a fifth of its time on a
# packet (docs/BENCHMARKS.md). Every form issued into the archive stays tagged.
COMPOSED = {"ExportBookmarksToPDFDestination": True, "UseTaggedPDF": False}


def export_options(pdfa=False, composed=False):
    return {**PDF_EXPORT_OPTIONS, **(PDFA_2B if pdfa else {}), **(COMPOSED if composed else {})}


class ConversionError(Exception):
    """No PDF this time; the caller gets 503 and may retry after `retry_after` seconds."""

    retry_after = 5

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ConverterMissing(ConversionError):
    retry_after = 300


class ConverterBusy(ConversionError):
    retry_after = 2


class QueueTimeout(ConversionError):
    retry_after = 5


class ConversionTimeout(ConversionError):
    pass


class Converter:
    def __init__(self, *, python="/usr/bin/python3",
                 soffice="/usr/lib/libreoffice/program/soffice.bin", work_dir, workers=2,
                 queue_size=100, queue_timeout=30, timeout=60, max_conversions=1000,
                 max_memory_mb=600, warmup=None, layout=None):
        self.python, self.soffice = python, soffice
        self.queue_size, self.queue_timeout, self.timeout = queue_size, queue_timeout, timeout
        self.max_conversions, self.max_memory_mb = max_conversions, max_memory_mb
        # A document each new worker converts before its first request: LibreOffice's first
        # conversion loads filters and fonts and costs several times a warm one.
        self.warmup = warmup
        Path(work_dir).mkdir(parents=True, exist_ok=True)
        # Directories of this converter's own: two services given one work_dir never share a
        # LibreOffice profile. Removed, and the workers stopped, when the converter goes.
        self.home = Path(tempfile.mkdtemp(prefix="converter-", dir=work_dir))
        # The rules a layout must keep, checked and mended after each layout: an object with
        # EXPORT_OPTIONS, mark, rows_to_move, start_pages and unmark (the service gives
        # documents/pagination.py). None: LibreOffice's layout as it is.
        self.workers = [OfficeWorker(i, python=python, soffice=soffice, home=self.home,
                                     layout=layout) for i in range(workers)]
        self._idle = queue.Queue()
        self._lock = threading.Lock()
        self._waiting = 0
        self._started = False
        self._uno = None
        self._closed = threading.Event()
        self._counts = {"conversions": 0, "failures": 0, "timeouts": 0, "crashes": 0,
                        "retries": 0, "busy_refusals": 0, "queue_timeouts": 0}
        self._finalizer = weakref.finalize(self, _stop, self.workers, self.home, self._closed)

    # ------------------------------------------------------------------ life cycle

    def missing(self):
        """Why no worker can start here, in Vietnamese, or None."""
        if not os.access(self.soffice, os.X_OK):
            return f"Máy chủ chưa cài LibreOffice (không thấy {self.soffice})."
        if not self._has_uno():
            return (f"Máy chủ thiếu gói python3-uno: {self.python} không có mô-đun uno của "
                    "LibreOffice.")
        return None

    def _has_uno(self):
        if self._uno is None:  # asked once: a Python does not gain or lose a module while we run
            try:
                self._uno = subprocess.run([self.python, "-c", "import uno"], capture_output=True,
                                           timeout=30).returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                self._uno = False
        return self._uno

    def start(self):
        """Starts every worker in the background; requests wait in the queue meanwhile."""
        with self._lock:
            if self._started or self.missing():
                return
            self._started = True
        for worker in self.workers:
            threading.Thread(target=self._bring_up, args=(worker, None), daemon=True).start()
        threading.Thread(target=self._watch, daemon=True).start()

    @property
    def capacity(self):
        """How many documents it converts at once."""
        return len(self.workers)

    def close(self):
        self._finalizer()

    def _bring_up(self, worker, restart_reason):
        """(Re)starts a worker and puts it in the idle queue; retries while the service runs."""
        delay = 1
        while not self._closed.is_set():
            try:
                if restart_reason:
                    worker.restart(restart_reason)
                else:
                    worker.start()
                if self.warmup:
                    # Part of starting, so the start's time limit, not a request's.
                    worker.convert(self.warmup, export_options(), START_TIMEOUT, counted=False)
            except (WorkerCrashed, WorkerTimeout, WorkerRefused):
                worker.kill()
                restart_reason = None
                self._closed.wait(delay)
                delay = min(delay * 2, 30)
                continue
            if self._closed.is_set():  # closed while this worker was starting
                worker.kill()
                return
            self._idle.put(worker)
            return

    def _renew_later(self, worker, reason):
        worker.state = "restarting"
        threading.Thread(target=self._bring_up, args=(worker, reason), daemon=True).start()

    def _watch(self):
        """Notices a worker whose soffice died while idle, and replaces it."""
        while not self._closed.wait(1):
            for worker in self.workers:
                if worker.state == "idle" and not worker.alive():
                    log.warning("LibreOffice worker %d died while idle", worker.index)
                    self._count("crashes")
                    self._take_specific(worker)

    def _take_specific(self, worker):
        """Takes a dead worker out of the idle queue, in place, and restarts it."""
        with self._idle.mutex:  # the queue's own lock: no request can take it meanwhile
            try:
                self._idle.queue.remove(worker)
            except ValueError:  # a request took it first; _acquire renews it
                return
        self._renew_later(worker, "soffice đã dừng")

    # ------------------------------------------------------------------ conversion

    def convert(self, docx, *, pdfa=False, composed=False):
        """The PDF of `docx`; `composed` for several forms made one by documents/compose.py."""
        reason = self.missing()
        if reason:
            raise ConverterMissing(reason + " Chưa tạo được PDF; bản Word (?format=docx) vẫn "
                                            "dùng được.")
        self.start()
        options = export_options(pdfa, composed)
        for attempt in (1, 2):
            worker = self._acquire()
            try:
                pdf = worker.convert(docx, options, self.timeout, composed=composed)
            except WorkerCrashed as error:
                self._count("crashes")
                self._renew_later(worker, f"soffice dừng giữa chừng ({error})")
                if attempt == 1:
                    self._count("retries")
                    continue
                raise ConversionError("LibreOffice dừng đột ngột khi chuyển phiếu sang PDF; "
                                      "hãy thử lại.") from None
            except WorkerTimeout:
                self._count("timeouts")
                log.warning("LibreOffice worker %d passed %s s; killed", worker.index,
                            self.timeout)
                self._renew_later(worker, f"quá {self.timeout} giây")
                raise ConversionTimeout(
                    f"Chuyển sang PDF quá {self.timeout:g} giây nên đã dừng; hãy thử lại."
                ) from None
            except WorkerRefused as error:
                self._count("failures")
                log.error("LibreOffice could not convert a document: %s", error)
                self._release(worker)
                raise ConversionError("LibreOffice không chuyển được phiếu sang PDF.") from None
            self._count("conversions")
            self._release(worker)
            return pdf

    def _acquire(self):
        with self._lock:
            if self._waiting >= self.queue_size:
                self._counts["busy_refusals"] += 1
                raise ConverterBusy("Máy chủ đang bận chuyển đổi nhiều phiếu; hãy thử lại sau "
                                    "ít giây.")
            self._waiting += 1
        deadline = time.monotonic() + self.queue_timeout
        try:
            while True:
                try:
                    worker = self._idle.get(timeout=max(0, deadline - time.monotonic()))
                except queue.Empty:
                    self._count("queue_timeouts")
                    raise QueueTimeout(
                        f"Đã chờ {self.queue_timeout:g} giây mà chưa đến lượt chuyển sang PDF "
                        "(máy chủ đang nhiều việc); hãy thử lại sau.") from None
                if worker.alive():
                    worker.state = "busy"
                    return worker
                self._count("crashes")
                self._renew_later(worker, "soffice đã dừng")
        finally:
            with self._lock:
                self._waiting -= 1

    def _release(self, worker):
        if worker.conversions >= self.max_conversions:
            self._renew_later(worker, f"đã chuyển {worker.conversions} phiếu")
        elif worker.rss_mb() > self.max_memory_mb:
            self._renew_later(worker, f"bộ nhớ {worker.rss_mb()} MB > {self.max_memory_mb} MB")
        else:
            worker.state = "idle"
            self._idle.put(worker)

    def _count(self, key):
        with self._lock:
            self._counts[key] += 1

    # ------------------------------------------------------------------ reporting

    def status(self):
        with self._lock:
            counts, waiting = dict(self._counts), self._waiting
        workers = [{"index": w.index, "state": w.state, "soffice_pid": w.soffice_pid,
                    "conversions": w.total_conversions, "restarts": w.restarts,
                    "rss_mb": w.rss_mb() if w.soffice_pid else 0,
                    **({"last_error": w.last_error} if w.last_error else {})}
                   for w in self.workers]
        return {
            "ready": any(w["state"] in ("idle", "busy") for w in workers),
            "missing": self.missing(),
            "workers": workers,
            "queue": {"waiting": waiting, "size": self.queue_size},
            **counts,
        }


def _stop(workers, home, closed):
    closed.set()
    for worker in workers:
        worker.kill()
    shutil.rmtree(home, ignore_errors=True)
