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

Micro-batching: a request may say how it can share LibreOffice's load with others (`Batchable`:
a key, and a `combine` callback that makes several DOCX one and cuts the PDF back; the service
gives documents/batch.py). A worker that comes free takes the oldest waiting request and, with it,
up to `batch_max` - 1 other waiting requests of the same key and PDF/A flag, converts them as one
document and answers each with its own PDF. Only requests already waiting are taken: a request
alone goes to a free worker at once, no timer waits for company. A worker killed during a batch
costs the batch one retry on another worker, as a lone request; then each request of it gets 503.
"""

import logging
import math
import os
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
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


# Tagged like a lone form, with the form-start bookmarks as named destinations (where the PDF is
# cut): what a batch of single-form requests is converted with.
BATCHED = {"ExportBookmarksToPDFDestination": True}
# How many of the waiting requests of one key a free worker takes: "all" (up to batch_max), or
# "share" (its share: the waiting ones divided by the workers, so that each worker gets some).
BATCH_POLICIES = ("all", "share")


@dataclass(frozen=True)
class Batchable:
    """How a request may be converted together with others of the same `key`.

    `combine(docxs, items)` returns one DOCX made of them, in order, and a function that cuts
    that DOCX's PDF (converted with `composed=True` and tagged) back into one PDF per DOCX; `item`
    is this request's own data for it."""

    key: Hashable
    combine: Callable
    item: object = None


class _Ticket:
    """One request for a PDF, waiting for a worker, or served within another's batch."""

    def __init__(self, docx, pdfa, composed, batchable):
        self.docx, self.pdfa, self.composed, self.batchable = docx, pdfa, composed, batchable
        self.key = None if batchable is None or composed else (batchable.key, pdfa)
        self.state = "waiting"  # then "leading" (a worker is its) or "riding" (in a batch)
        self.worker = None
        self.group = None  # a leading ticket's batch, itself first
        self.done = threading.Event()
        self.pdf = None
        self.error = None


class Converter:
    def __init__(self, *, python="/usr/bin/python3",
                 soffice="/usr/lib/libreoffice/program/soffice.bin", work_dir, workers=2,
                 queue_size=100, queue_timeout=30, timeout=60, max_conversions=1000,
                 max_memory_mb=600, warmup=None, layout=None, batch_max=1, batch_policy="all",
                 nice=0, before_wait=None):
        if batch_policy not in BATCH_POLICIES:
            raise ValueError(f"batch_policy: one of {BATCH_POLICIES}")
        self.batch_max, self.batch_policy = max(1, batch_max), batch_policy
        # Called in the requesting thread before it waits: the service frees there what the
        # request holds that others need meanwhile (its database connection).
        self.before_wait = before_wait
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
        # MARKS, mark, words_to_read, rows_to_move, start_pages and unmark (the service gives
        # documents/pagination.py). None: LibreOffice's layout as it is.
        # `nice`: the workers' CPU priority below the service's (0: the same).
        self.workers = [OfficeWorker(i, python=python, soffice=soffice, home=self.home,
                                     layout=layout, nice=nice) for i in range(workers)]
        self._lock = threading.Lock()
        self._turn = threading.Condition(self._lock)  # a worker came free, or a ticket was served
        self._idle = deque()
        self._pending = deque()  # tickets waiting for a worker, oldest first
        self._waiting = 0
        self._started = False
        self._uno = None
        self._closed = threading.Event()
        self._counts = {"conversions": 0, "failures": 0, "timeouts": 0, "crashes": 0,
                        "retries": 0, "busy_refusals": 0, "queue_timeouts": 0,
                        "batched_conversions": 0, "batched_requests": 0}
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
            self._make_idle(worker)
            return

    def _renew_later(self, worker, reason):
        worker.state, worker.batch = "restarting", 0
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
        with self._lock:  # no request can take it meanwhile
            try:
                self._idle.remove(worker)
            except ValueError:  # a request took it first; _dispatch renews it
                return
        self._renew_later(worker, "soffice đã dừng")

    # ------------------------------------------------------------------ conversion

    def convert(self, docx, *, pdfa=False, composed=False, batchable=None):
        """The PDF of `docx`; `composed` for several forms made one by documents/compose.py;
        `batchable` (a Batchable) lets a worker convert it together with other waiting requests
        of the same key."""
        reason = self.missing()
        if reason:
            raise ConverterMissing(reason + " Chưa tạo được PDF; bản Word (?format=docx) vẫn "
                                            "dùng được.")
        self.start()
        if self.before_wait is not None:
            self.before_wait()
        ticket = _Ticket(docx, pdfa, composed, batchable)
        self._wait_turn(ticket, count=True)
        if ticket.state == "riding":
            # Another request's thread converts the batch; it answers this one in any case,
            # within its time limits (a retry included), bounded here again all the same.
            if not ticket.done.wait(2 * self.timeout + self.queue_timeout + START_TIMEOUT):
                raise ConversionTimeout(f"Chuyển sang PDF quá {self.timeout:g} giây nên đã "
                                        "dừng; hãy thử lại.")
            if ticket.error is not None:
                raise ticket.error
            return ticket.pdf
        try:
            pdfs = self._lead(ticket)
        except ConversionError as error:
            self._answer(ticket.group[1:], error=error)
            raise
        except BaseException:
            self._answer(ticket.group[1:], error=ConversionError(
                "Chưa chuyển được phiếu sang PDF; hãy thử lại."))
            raise
        self._answer(ticket.group[1:], pdfs=pdfs[1:])
        return pdfs[0]

    def _lead(self, ticket):
        """The PDFs of the ticket's batch, in order, converted by the worker it was given."""
        group = ticket.group
        if len(group) == 1:
            docx, composed, cut = ticket.docx, ticket.composed, None
            options = export_options(ticket.pdfa, composed)
        else:
            try:
                docx, cut = ticket.batchable.combine([t.docx for t in group],
                                                     [t.batchable.item for t in group])
            except Exception:
                log.exception("could not compose a batch of %d documents", len(group))
                self._release(ticket.worker)
                raise ConversionError("Chưa ghép được các phiếu để chuyển cùng nhau; hãy thử "
                                      "lại.") from None
            options, composed = {**export_options(ticket.pdfa), **BATCHED}, True
        for attempt in (1, 2):
            if attempt == 2:
                ticket.state = "waiting"
                self._wait_turn(ticket, count=False)
            worker = ticket.worker
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
            self._release(worker)
            break
        try:
            pdfs = [pdf] if cut is None else cut(pdf)
        except ConversionError:
            raise
        except Exception:
            log.exception("could not cut a batch's PDF into its %d documents", len(group))
            pdfs = []
        if len(pdfs) != len(group):
            raise ConversionError("Chưa tách được các phiếu chuyển cùng nhau; hãy thử lại.")
        with self._lock:
            self._counts["conversions"] += len(group)
            if len(group) > 1:
                self._counts["batched_conversions"] += 1
                self._counts["batched_requests"] += len(group)
        return pdfs

    def _answer(self, tickets, *, pdfs=None, error=None):
        for number, ticket in enumerate(tickets):
            ticket.pdf, ticket.error = (pdfs[number] if pdfs else None), error
            ticket.done.set()

    def _wait_turn(self, ticket, *, count):
        """Waits until a worker is the ticket's ("leading"), or another's batch took it
        ("riding"). A retry (`count` False) goes first in the queue, with the batch it leads."""
        with self._lock:
            if count and self._waiting >= self.queue_size:
                self._counts["busy_refusals"] += 1
                raise ConverterBusy("Máy chủ đang bận chuyển đổi nhiều phiếu; hãy thử lại sau "
                                    "ít giây.")
            self._waiting += 1
            (self._pending.append if count else self._pending.appendleft)(ticket)
            deadline = time.monotonic() + self.queue_timeout
            try:
                self._dispatch()
                while ticket.state == "waiting":
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self._pending.remove(ticket)
                        self._counts["queue_timeouts"] += 1
                        raise QueueTimeout(
                            f"Đã chờ {self.queue_timeout:g} giây mà chưa đến lượt chuyển sang PDF "
                            "(máy chủ đang nhiều việc); hãy thử lại sau.")
                    self._turn.wait(remaining)
            finally:
                self._waiting -= 1

    def _dispatch(self):
        """Gives the idle workers to the oldest waiting tickets, each with its batch. Holds the
        lock."""
        served = False
        while self._idle and self._pending:
            worker = self._idle.popleft()
            if not worker.alive():
                self._counts["crashes"] += 1
                self._renew_later(worker, "soffice đã dừng")
                continue
            leader = self._pending.popleft()
            if leader.group is None:  # a retry keeps the batch it had
                leader.group = [leader, *self._companions(leader)]
            for rider in leader.group[1:]:
                rider.state = "riding"
            worker.state = "busy"
            worker.batch = len(leader.group)
            leader.worker, leader.state = worker, "leading"
            served = True
        if served:
            self._turn.notify_all()

    def _companions(self, leader):
        """The waiting tickets converted with `leader`: of its key, oldest first, as many as
        the policy gives it."""
        if leader.key is None or self.batch_max == 1:
            return []
        same = [ticket for ticket in self._pending if ticket.key == leader.key]
        share = len(same) + 1
        if self.batch_policy == "share":
            share = math.ceil(share / len(self.workers))
        taken = same[:max(0, min(self.batch_max, share) - 1)]
        for ticket in taken:
            self._pending.remove(ticket)
        return taken

    def _make_idle(self, worker):
        with self._lock:
            worker.state = "idle"
            worker.batch = 0
            self._idle.append(worker)
            self._dispatch()

    def _release(self, worker):
        if worker.conversions >= self.max_conversions:
            self._renew_later(worker, f"đã chuyển {worker.conversions} phiếu")
        elif worker.rss_mb() > self.max_memory_mb:
            self._renew_later(worker, f"bộ nhớ {worker.rss_mb()} MB > {self.max_memory_mb} MB")
        else:
            self._make_idle(worker)

    def _count(self, key):
        with self._lock:
            self._counts[key] += 1

    # ------------------------------------------------------------------ reporting

    def status(self):
        with self._lock:
            counts, waiting = dict(self._counts), self._waiting
        workers = [{"index": w.index, "state": w.state, "soffice_pid": w.soffice_pid,
                    "batch": w.batch, "conversions": w.total_conversions, "restarts": w.restarts,
                    "rss_mb": w.rss_mb() if w.soffice_pid else 0,
                    **({"last_error": w.last_error} if w.last_error else {})}
                   for w in self.workers]
        return {
            "ready": any(w["state"] in ("idle", "busy") for w in workers),
            "missing": self.missing(),
            "workers": workers,
            "queue": {"waiting": waiting, "size": self.queue_size},
            "batch": {"max": self.batch_max, "policy": self.batch_policy},
            **counts,
        }


def _stop(workers, home, closed):
    closed.set()
    for worker in workers:
        worker.kill()
    shutil.rmtree(home, ignore_errors=True)
