"""Micro-batching with the real LibreOffice: single-form requests waiting together are converted
as one document and each is answered with the PDF it would have had alone (the same pages, text,
fonts, properties, XMP and structure tags); a worker killed during a batch gives every request of
it its own PDF or a 503, never another's pages."""

import io
import os
import signal

import pikepdf
import pytest
from test_convert import engine, in_thread, long_docx, ready, wait_for  # noqa: F401 (fixtures)

from conftest import example, pdf_pages
from documents import pagination
from documents.make import make_document
from forms import FORMS
from office.engine import Batchable, ConversionError
from schemas.phieu_01 import Phieu01Schema
from schemas.tong_hop import TongHopSchema

# RESULT_CACHE_MB 0: every form converted, none answered from memory (documents/cache.py)
SETTINGS = {"PLACE_NAME": "Nam Từ Liêm", "RESULT_CACHE_MB": 0}
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em",
         "Vũ Thị Giang"]


def phieu(name, political=1):
    body = example("phieu-01")
    body["person"]["full_name"] = name
    body["sections"]["political"] = body["sections"]["political"] * political
    return Phieu01Schema().load(body)


def make_pdf(converter, data, pdfa=False, slug="phieu-01"):
    return make_document(FORMS[slug], data, "pdf", settings=SETTINGS, converter=converter,
                         pdfa=pdfa).content


def while_busy(converter, long_docx, requests):  # noqa: F811 (the fixture's value)
    """Runs `requests` (functions) in threads while the only worker converts a long document,
    so that they wait together and the worker takes them as one batch; their results."""
    blocker, blocked = in_thread(converter.convert, long_docx)
    wait_for(lambda: converter.workers[0].state == "busy")
    threads = [in_thread(request) for request in requests]
    wait_for(lambda: converter.status()["queue"]["waiting"] == len(requests))
    for thread, _ in [*threads, (blocker, blocked)]:
        thread.join(timeout=300)
    assert "value" in blocked, blocked
    return [result for _, result in threads]


def description(content):
    """What a user sees of a PDF, its creation aside: each page's text and size, the fonts
    (embedded), the document properties and XMP, the tags and the pages they are on."""
    pdf = pikepdf.open(io.BytesIO(content))
    pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}

    def tags(element, out):
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            page = element.get("/Pg")
            out.append((str(element.S), pages[page.objgen] if page is not None else None))
            children = element.get("/K")
            for child in children if isinstance(children, pikepdf.Array) else [children]:
                tags(child, out)
        return out

    fonts = set()
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            descriptor = font.get("/FontDescriptor", {})
            fonts.add((str(font.BaseFont), "/FontFile2" in descriptor or "/FontFile" in descriptor))
    root = pdf.Root.StructTreeRoot
    structure = []
    for element in root.K if isinstance(root.K, pikepdf.Array) else [root.K]:
        tags(element, structure)
    with pdf.open_metadata() as xmp:
        metadata = dict(xmp)
    return {
        "text": pdf_pages(content),
        "sizes": [tuple(float(x) for x in page.mediabox) for page in pdf.pages],
        "fonts": fonts,
        "info": {str(key): str(value) for key, value in pdf.docinfo.items()},
        "xmp": metadata,
        "tagged": bool(pdf.Root.MarkInfo.Marked),
        "language": str(pdf.Root.Lang),
        "structure": structure,
        "parents": [page.get("/StructParents") for page in pdf.pages],
        "destinations": sorted(pdf.Root.get("/Dests", {}).keys()),
        "opens_at": pages[pdf.Root.OpenAction[0].objgen],
    }


def tong_hop(unit, rows):
    body = example("tong-hop")
    body["unit"]["name"] = unit
    body["rows"] = body["rows"] * rows
    return TongHopSchema().load(body)


# Three forms of one template each, of different lengths: the batch's forms start on odd and
# even pages.
CASES = {
    "phieu-01": ("phieu-01", False, lambda: [phieu(NAMES[0]), phieu(NAMES[1], political=6),
                                             phieu(NAMES[2])]),
    "phieu-01 PDF/A": ("phieu-01", True, lambda: [phieu(NAMES[0]), phieu(NAMES[1], political=6),
                                                  phieu(NAMES[2])]),
    "tong-hop": ("tong-hop", False, lambda: [tong_hop("Phòng Nội vụ", 1),
                                             tong_hop("Phòng Tài chính", 5),
                                             tong_hop("Phòng Y tế", 9)]),
}


@pytest.mark.parametrize("case", CASES)
def test_forms_converted_together_are_the_pdfs_each_would_be_alone(engine, long_docx, case):  # noqa: F811
    slug, pdfa, forms = CASES[case]
    forms = forms()
    converter = engine(workers=1, layout=pagination, batch_max=8)
    ready(converter)
    alone = [make_pdf(converter, data, pdfa, slug) for data in forms]
    assert converter.status()["batched_conversions"] == 0  # one at a time: nothing to share

    results = while_busy(converter, long_docx, [
        lambda data=data: make_pdf(converter, data, pdfa, slug) for data in forms])
    status = converter.status()
    assert status["batched_conversions"] == 1 and status["batched_requests"] == 3, status
    for lone, result in zip(alone, results, strict=True):
        assert "value" in result, result
        assert description(result["value"]) == description(lone)
    pages = [len(description(lone)["text"]) for lone in alone]
    assert len(set(pages)) > 1, pages  # forms of different lengths
    if pdfa:
        assert description(results[0]["value"])["xmp"]["{http://www.aiim.org/pdfa/ns/id/}part"] \
            == "2"


def test_pdfa_and_plain_pdf_batch_apart(engine, long_docx):  # noqa: F811
    converter = engine(workers=1, layout=pagination, batch_max=8)
    ready(converter)
    requests = [lambda name=name, pdfa=pdfa: make_pdf(converter, phieu(name), pdfa)
                for name, pdfa in zip(NAMES, [False, True, False, True], strict=False)]
    results = while_busy(converter, long_docx, requests)
    status = converter.status()
    assert status["batched_conversions"] == 2 and status["batched_requests"] == 4, status
    for number, result in enumerate(results):
        assert (b"pdfaid" in result["value"]) == bool(number % 2)
        assert NAMES[number] in "\n".join(pdf_pages(result["value"]))


def test_a_batch_takes_at_most_batch_max_requests(engine, long_docx):  # noqa: F811
    converter = engine(workers=1, layout=pagination, batch_max=2)
    ready(converter)
    results = while_busy(converter, long_docx,
                         [lambda name=name: make_pdf(converter, phieu(name)) for name in NAMES[:5]])
    status = converter.status()
    assert status["batched_requests"] == 4 and status["batched_conversions"] == 2, status
    for name, result in zip(NAMES, results, strict=False):
        assert name in "\n".join(pdf_pages(result["value"]))


def _own_pdf_or_503(results):
    """Each result is its own form's PDF, no other's pages, or a ConversionError (503)."""
    served = 0
    for name, result in zip(NAMES, results, strict=False):
        if "error" in result:
            assert isinstance(result["error"], ConversionError), result
            continue
        text = "\n".join(pdf_pages(result["value"]))
        assert name in text
        assert not any(other in text for other in NAMES if other != name)
        assert len(pdf_pages(result["value"])) == 3
        served += 1
    return served


def _kill_during_batch(converter, restarts):
    worker = converter.workers[0]
    wait_for(lambda: worker.state == "busy" and worker.batch > 1 and worker.restarts == restarts,
             timeout=120)
    os.kill(worker.soffice_pid, signal.SIGKILL)


def test_a_worker_killed_during_a_batch_retries_it_and_each_gets_its_own_pdf(
        engine, long_docx):  # noqa: F811
    converter = engine(workers=1, layout=pagination, batch_max=8)
    ready(converter)
    killer, _ = in_thread(_kill_during_batch, converter, 0)
    results = while_busy(converter, long_docx,
                         [lambda name=name: make_pdf(converter, phieu(name)) for name in NAMES])
    killer.join()
    assert _own_pdf_or_503(results) == len(NAMES)
    status = converter.status()
    assert status["crashes"] == 1 and status["retries"] == 1, status
    assert status["batched_conversions"] == 1 and status["batched_requests"] == len(NAMES)


def test_a_batch_whose_retry_dies_too_answers_each_request_503(engine, long_docx):  # noqa: F811
    converter = engine(workers=1, layout=pagination, batch_max=8)
    ready(converter)

    def kill_twice():
        _kill_during_batch(converter, 0)
        _kill_during_batch(converter, 1)

    killer, _ = in_thread(kill_twice)
    results = while_busy(converter, long_docx,
                         [lambda name=name: make_pdf(converter, phieu(name)) for name in NAMES])
    killer.join()
    assert _own_pdf_or_503(results) == 0
    assert all("LibreOffice" in result["error"].message for result in results)
    assert converter.status()["crashes"] == 2
    wait_for(lambda: converter.workers[0].state == "idle")
    assert NAMES[0] in "\n".join(pdf_pages(make_pdf(converter, phieu(NAMES[0]))))


def test_readyz_counts_batched_conversions(client):
    converter = client.get("/readyz").json["converter"]
    assert converter["batch"] == {"max": 4, "policy": "all"}
    assert isinstance(converter["batched_conversions"], int)
    assert converter["batched_requests"] >= 2 * converter["batched_conversions"]


def _cannot_compose(docxs, items):
    raise ValueError("a document that cannot be composed")


def _cannot_cut(docxs, items):
    def cut(pdf):
        raise ValueError("a PDF that cannot be cut")
    return docxs[0], cut


@pytest.mark.parametrize("combine", [_cannot_compose, _cannot_cut], ids=["compose", "cut"])
def test_a_batch_that_fails_to_compose_or_cut_answers_each_503_and_the_worker_serves_on(
        engine, long_docx, combine):  # noqa: F811
    converter = engine(workers=1, batch_max=8)
    ready(converter)
    docx = make_document(FORMS["phieu-01"], phieu(NAMES[0]), "docx", settings=SETTINGS,
                         converter=None).content
    job = Batchable(key="broken", combine=combine)
    results = while_busy(converter, long_docx,
                         [lambda: converter.convert(docx, batchable=job) for _ in range(3)])
    assert all(isinstance(result.get("error"), ConversionError) for result in results), results
    wait_for(lambda: converter.workers[0].state == "idle")
    assert NAMES[0] in "\n".join(pdf_pages(converter.convert(docx)))
