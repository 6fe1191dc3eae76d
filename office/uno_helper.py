"""One LibreOffice worker's helper: `python3 office/uno_helper.py --profile DIR [--soffice PATH]
[--nice N]`.

It runs under the Python that has LibreOffice's `uno` module (Debian's python3-uno), so the
service's own Python needs none. It starts one soffice.bin with its own user profile, connects to
it over a private pipe through the UNO bridge, and converts DOCX to PDF for the service that
started it, in memory (no file is written):

    service → helper, on stdin:  one JSON line {"size": n, "filter_data": {...}, "composed": bool,
                                 "layout": pattern}, then n bytes of DOCX (n may be 0)
    helper → service, on stdout: one JSON line {"ok": true, "size": n}, then n bytes of PDF;
                                 or {"ok": true, "places": {bookmark: [page, y]}};
                                 or {"ok": false, "kind": "failed" | "crashed", "error": "…"}

A request with a document loads it (closing the one kept from before). With "layout", the
helper answers where the bookmarks matching the pattern fell (office/layout_probe.py, inside
soffice) and keeps the document open; without, it exports the document, loaded now or kept, as
PDF and closes it. So a document whose layout is checked is exported from that same layout.

After starting it writes {"ready": true, "soffice_pid": pid}. When soffice dies it answers
"crashed" and exits, so that the service starts a new worker. It stops with stdin's end.
This file imports nothing from the service: it is a program of its own.
"""

import argparse
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
import uuid

import layout_probe  # beside this file (a script's own folder is on its path)
import uno
import unohelper
from com.sun.star.beans import NamedValue, PropertyValue
from com.sun.star.io import XOutputStream

OFFICE_START_TIMEOUT = 60  # a first start creates the profile: a few seconds
DOCX_FILTER = "MS Word 2007 XML"
MACROS_NEVER = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE


class BytesOutput(unohelper.Base, XOutputStream):
    def __init__(self):
        self.chunks = []

    def writeBytes(self, data):
        self.chunks.append(data.value)

    def flush(self):
        pass

    def closeOutput(self):
        pass


def properties(**values):
    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


RESTART_REQUESTED = 81  # soffice.bin's exit code after creating a new profile
PR_SET_PDEATHSIG = 1


def _die_with_parent():
    """Runs in soffice's child before exec: the kernel kills soffice when this helper dies,
    however it dies, so no soffice outlives its helper."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def start_office(soffice, profile):
    pipe = f"phieu-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    command = [soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
               "--nolockcheck", f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
               f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + OFFICE_START_TIMEOUT
    process = None
    while True:
        if process is None or process.poll() == RESTART_REQUESTED:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       preexec_fn=_die_with_parent)
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except Exception:  # NoConnectException until soffice listens
            code = process.poll()
            if (code is not None and code != RESTART_REQUESTED) or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(f"soffice did not start (exit code {code})")
            time.sleep(0.05)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context)
    return process, context, desktop


def start_probe(context):
    """office/layout_probe.py, running inside soffice (its Python loader, part of python3-uno)."""
    loader = context.ServiceManager.createInstanceWithContext("com.sun.star.loader.Python",
                                                              context)
    factory = loader.activate(layout_probe.IMPLEMENTATION, "",
                              uno.systemPathToFileUrl(os.path.abspath(layout_probe.__file__)), None)
    return factory.createInstanceWithContext(context)


def places(probe, document, pattern):
    return json.loads(probe.execute((NamedValue("Document", document),
                                     NamedValue("Pattern", pattern))))


def filter_data(options):
    values = tuple(PropertyValue(Name=name, Value=value) for name, value in options.items())
    return uno.Any("[]com.sun.star.beans.PropertyValue", values)


def load(context, desktop, docx):
    source = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.io.SequenceInputStream", context)
    source.initialize((uno.ByteSequence(docx),))
    document = desktop.loadComponentFromURL("private:stream", "_blank", 0, properties(
        InputStream=source, FilterName=DOCX_FILTER, Hidden=True, ReadOnly=True,
        MacroExecutionMode=MACROS_NEVER, UpdateDocMode=NO_UPDATE))
    if document is None:
        raise ValueError("LibreOffice could not read the document")
    return document


def start_forms_on_their_pages(document):
    """Each form of a composed document (documents/compose.py) on its own page style.

    Every form is a section of its own, which LibreOffice imports as a page style of its own
    (first-page header, page numbers from 1), set on the form's first paragraph, a bookmark
    "form-NNNNN". After loading, LibreOffice's layout does not always switch to it where the
    previous form ended on an odd page: that form's pages then run on under the previous style,
    numbered on, a number on its first page. Setting each form's page style again (the first
    form's too) makes the layout honour every one."""
    bookmarks = document.getBookmarks()
    anchors = [bookmarks.getByName(name).getAnchor()
               for name in sorted(bookmarks.getElementNames()) if name.startswith("form-")]
    document.lockControllers()  # laid out once, after the last change
    try:
        for anchor in anchors:
            anchor.setPropertyValue("PageDescName", anchor.getPropertyValue("PageDescName")
                                    or anchor.getPropertyValue("PageStyleName"))
    finally:
        document.unlockControllers()
    # Unmodified, as loaded: the PDF's XMP dates stay the document's own, as for a lone form.
    document.setModified(False)


def export_pdf(document, options):
    output = BytesOutput()
    args = properties(FilterName="writer_pdf_Export", OutputStream=output)
    args += (PropertyValue(Name="FilterData", Value=filter_data(options)),)
    uno.invoke(document, "storeToURL", ("private:stream", args))
    return b"".join(output.chunks)


def close(document):
    if document is None:
        return
    try:
        document.close(True)
    except Exception:  # soffice gone meanwhile: the service is already replacing this worker
        pass


# soffice killed during a call: the bridge may report any exception before the process is reaped.
EXIT_NOTICE_SECONDS = 0.5


def _exited(process):
    try:
        process.wait(timeout=EXIT_NOTICE_SECONDS)
    except subprocess.TimeoutExpired:
        return False
    return True


def answer(out, header, payload=b""):
    out.write(json.dumps(header).encode() + b"\n" + payload)
    out.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", required=True)
    parser.add_argument("--soffice", default="/usr/lib/libreoffice/program/soffice.bin")
    parser.add_argument("--nice", type=int, default=0,
                        help="this helper's and its soffice's CPU priority below the service's")
    args = parser.parse_args()
    if args.nice:
        os.nice(args.nice)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but the protocol goes to the service

    process, context, desktop = start_office(args.soffice, args.profile)
    kept = None  # the document whose layout was asked for, until it is exported
    try:
        probe = start_probe(context)
        answer(stdout, {"ready": True, "soffice_pid": process.pid})
        for line in stdin:
            request = json.loads(line)
            docx = stdin.read(request["size"])
            finished = True  # closed after this request, unless kept for another
            try:
                if docx:
                    close(kept)
                    kept = None
                    kept = load(context, desktop, docx)
                    if request.get("composed"):
                        start_forms_on_their_pages(kept)
                if request.get("layout"):
                    answer(stdout, {"ok": True,
                                    "places": places(probe, kept, request["layout"])})
                    finished = False
                    continue
                pdf = export_pdf(kept, request["filter_data"])
            except Exception as error:
                crashed = "DisposedException" in type(error).__name__ or _exited(process)
                answer(stdout, {"ok": False, "kind": "crashed" if crashed else "failed",
                                "error": f"{type(error).__name__}: {error}"[:500]})
                if crashed:
                    return
                continue
            else:
                # Answer first: closing the document (a few ms) overlaps the service's work.
                answer(stdout, {"ok": True, "size": len(pdf)}, pdf)
            finally:
                if finished:
                    close(kept)
                    kept = None
    finally:
        if process.poll() is None:
            try:
                desktop.terminate()
            except Exception:
                pass
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


if __name__ == "__main__":
    main()
