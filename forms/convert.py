"""DOCX → PDF with LibreOffice. The rest of the service sees only `Converter.convert` and
`Converter.status`, so a warm worker pool can replace the inside without touching the callers.

This version starts `soffice --headless --convert-to` per document. At most `slots` run at once,
each with a user profile directory of its own (a second soffice on a profile in use hands its
work to the first and exits); a profile is kept for the next conversion on that slot, since
creating one costs about a second. A conversion past its time limit has its whole process group killed and its
profile thrown away.
"""

import json
import logging
import os
import queue
import shutil
import signal
import subprocess
import tempfile
import threading
import weakref
from pathlib import Path

log = logging.getLogger(__name__)

# Every PDF export option, in one place. LibreOffice embeds the fonts it uses as subsets;
# EmbedStandardFonts extends that to the 14 PDF base fonts, so no reader substitutes any.
PDF_EXPORT_OPTIONS = {
    "EmbedStandardFonts": {"type": "boolean", "value": "true"},
    "ExportNotes": {"type": "boolean", "value": "false"},
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
}
PDFA_2B = {"SelectPdfVersion": {"type": "long", "value": "2"}}


def export_filter(pdfa=False):
    options = {**PDF_EXPORT_OPTIONS, **(PDFA_2B if pdfa else {})}
    return "pdf:writer_pdf_Export:" + json.dumps(options, separators=(",", ":"))


class ConversionError(Exception):
    """LibreOffice could not make the PDF; the caller gets 503 and may retry."""

    retry_after = 10

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class ConverterMissing(ConversionError):
    retry_after = 300


class ConverterBusy(ConversionError):
    retry_after = 5


class ConversionTimeout(ConversionError):
    pass


class Converter:
    def __init__(self, *, binary="soffice", work_dir, slots=2, timeout=60, queue_timeout=30):
        self.binary = binary
        # A directory of this converter's own: two services (or test runs) given the same
        # work_dir must never share a LibreOffice profile. Removed when the converter goes.
        Path(work_dir).mkdir(parents=True, exist_ok=True)
        self.home = Path(tempfile.mkdtemp(prefix="converter-", dir=work_dir))
        weakref.finalize(self, shutil.rmtree, self.home, ignore_errors=True)
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self.slots = slots
        self._free = queue.Queue()
        for slot in range(slots):
            self._free.put(slot)
        self._lock = threading.Lock()
        self._counts = {"conversions": 0, "failures": 0, "timeouts": 0}

    def executable(self):
        return shutil.which(self.binary)

    def status(self):
        with self._lock:
            counts = dict(self._counts)
        return {
            "soffice": self.executable(),
            "slots": self.slots,
            "busy": self.slots - self._free.qsize(),
            **counts,
        }

    def convert(self, docx, *, pdfa=False):
        executable = self.executable()
        if executable is None:
            raise ConverterMissing(
                "Máy chủ chưa cài LibreOffice nên chưa tạo được PDF. Hãy tải bản Word "
                "(?format=docx) hoặc báo quản trị viên cài LibreOffice.")
        try:
            slot = self._free.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise ConverterBusy(
                "Máy chủ đang bận chuyển đổi nhiều phiếu; hãy thử lại sau ít giây.") from None
        try:
            return self._convert_in_slot(executable, slot, docx, pdfa)
        finally:
            self._free.put(slot)

    def _profile(self, slot):
        return self.home / "profiles" / f"slot-{slot}"

    def _count(self, key):
        with self._lock:
            self._counts[key] += 1

    def _convert_in_slot(self, executable, slot, docx, pdfa):
        jobs = self.home / "jobs"
        jobs.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=jobs) as job:
            source = Path(job) / "phieu.docx"
            source.write_bytes(docx)
            args = [
                executable, "--headless", "--norestore", "--nologo", "--nodefault",
                "--nolockcheck", f"-env:UserInstallation={self._profile(slot).as_uri()}",
                "--convert-to", export_filter(pdfa), "--outdir", job, str(source),
            ]
            process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       start_new_session=True)
            try:
                _, stderr = process.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                self._kill(process)
                shutil.rmtree(self._profile(slot), ignore_errors=True)
                self._count("timeouts")
                log.warning("LibreOffice quá %ss, đã dừng (slot %s)", self.timeout, slot)
                raise ConversionTimeout(
                    f"Chuyển sang PDF quá {self.timeout} giây nên đã dừng; hãy thử lại.") from None
            finally:
                self._kill(process)  # soffice may leave helpers behind in its group
            pdf = Path(job) / "phieu.pdf"
            if process.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
                self._count("failures")
                log.error("LibreOffice lỗi (mã %s): %s", process.returncode,
                          stderr.decode(errors="replace")[-500:])
                raise ConversionError("LibreOffice không chuyển được phiếu sang PDF; hãy thử lại.")
            self._count("conversions")
            return pdf.read_bytes()

    @staticmethod
    def _kill(process):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()
