"""A Word template made by a person, checked before it fills any form: the file (bounded, no
macros, no links out, no XML entities), its tags (Jinja that compiles, only the form's variables,
every variable the form requires, nothing but data: no calls, no assignments), the structure the
service relies on (the row loops in the table whose head repeats on every page, the head rows, the
footnotes, the footer's archive code and QR code, one section on A4 landscape with room for the
stamp, the signature table after the form's table), then the repo's examples filled with it,
converted by LibreOffice and read back page by page (docs/LAYOUT.md's rules) and composed into a
print packet.

Each problem is a Vietnamese sentence naming where it is (a paragraph, a table cell, the footer)
and the tag at fault, for a person who edits the template in Word (docs/TEMPLATES.md).
"""

import difflib
import io
import json
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError, nodes
from lxml import etree
from pypdf import PdfReader

from documents.make import make_document
from documents.packet import Form, convert_forms
from documents.render import ENVIRONMENT, STAMP_KEY
from documents.template import built_in, from_bytes
from forms import FORMS
from forms.layout import ARCHIVE_QR_MM, PAGE_HEIGHT_MM, PAGE_WIDTH_MM
from forms.template_tags import ROW_LOOPS, TAGS
from forms.vocab import SECTIONS
from schemas import SCHEMAS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TWIPS_PER_MM = 1440 / 25.4
POINTS_PER_MM = 72 / 25.4
PAGE_SLACK_MM = 1  # A4 as Word or LibreOffice rounds it
MARGIN_MIN_MM, MARGIN_MAX_MM = 10, 50
TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
STRAY = re.compile(r"\{\{|\{%|\{#|\}\}|%\}|#\}")
DOCXTPL_PREFIX = re.compile(r"^(\{[{%])-?\s*(p|tr|tc|r)\s")  # {%tr for …%}, {{r value }}
FILTERS = {"upper", "lower", "title", "capitalize", "trim", "default", "d", "e", "escape",
           "replace", "truncate", "length"}
TESTS = {"defined", "undefined", "none", "string", "number"}
LOOP = {key: None for key in ("index", "index0", "revindex", "revindex0", "first", "last",
                              "length")}
# Word fields that fetch a file or an address, or ask another program, when the document is laid
# out: LibreOffice would follow them while converting.
OUTSIDE_FIELD = re.compile(rb'(?:w:instr="|<w:instrText[^>]*>)\s*(INCLUDEPICTURE|INCLUDETEXT|'
                           rb'DDEAUTO|DDE|LINK|IMPORT|INCLUDE)\b', re.IGNORECASE)
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          load_dtd=False)


class TemplateRefused(Exception):
    """The template may not be used: `problems`, Vietnamese sentences."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Checked:
    """A template that passed: its bytes as the service fills it (`prepared`), and the PDFs it
    made from the repo's examples, by Vietnamese name."""

    content: bytes
    previews: dict = field(default_factory=dict)


def _w(tag):
    return f"{{{W}}}{tag}"


# The file ---------------------------------------------------------------------------------------


def read_package(content, settings):
    """The template's parts, name → bytes, within the settings' bounds; or TemplateRefused."""
    limit = settings["TEMPLATE_MAX_BYTES"]
    if len(content) > limit:
        raise TemplateRefused([f"Tệp mẫu nặng {len(content) // 1024} KB, quá giới hạn "
                               f"{limit // 1024} KB (TEMPLATE_MAX_BYTES)."])
    not_word = ("Tệp này không phải tệp Word (.docx). Hãy lưu mẫu trong Word hoặc LibreOffice "
                "bằng «Lưu thành» (Save As), kiểu «Word Document (.docx)».")
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        infos = package.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise TemplateRefused([not_word]) from None
    if len(infos) > settings["TEMPLATE_MAX_PARTS"]:
        raise TemplateRefused([f"Tệp mẫu có {len(infos)} phần bên trong, quá giới hạn "
                               f"{settings['TEMPLATE_MAX_PARTS']} (TEMPLATE_MAX_PARTS)."])
    unpacked = sum(info.file_size for info in infos)
    if unpacked > settings["TEMPLATE_MAX_UNPACKED_BYTES"]:
        raise TemplateRefused([f"Tệp mẫu khi giải nén nặng {unpacked // 1024} KB, quá giới hạn "
                               f"{settings['TEMPLATE_MAX_UNPACKED_BYTES'] // 1024} KB "
                               "(TEMPLATE_MAX_UNPACKED_BYTES): có thể là tệp nén bất thường."])
    names = {info.filename for info in infos}
    if not {"[Content_Types].xml", "word/document.xml"} <= names:
        raise TemplateRefused([not_word])
    for name in names:
        if "vbaProject" in name or name.startswith(("word/embeddings/", "word/activeX/")):
            raise TemplateRefused(["Tệp mẫu chứa macro hoặc đối tượng nhúng (" + name + "); "
                                   "hãy lưu lại thành .docx thường, không macro, không nhúng tệp."])
    try:
        # zipfile reads no more than a part's declared size (bounded above) and checks its CRC.
        parts = {info.filename: package.read(info) for info in infos
                 if info.filename.endswith((".xml", ".rels"))}
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError):
        raise TemplateRefused([not_word]) from None
    for name, data in parts.items():
        field = OUTSIDE_FIELD.search(data)
        if field:
            raise TemplateRefused([f"Tệp mẫu có trường {field.group(1).decode()} lấy nội dung từ "
                                   "tệp hay chương trình bên ngoài; hãy xóa trường này."])
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise TemplateRefused([f"Tệp mẫu có khai báo DOCTYPE/ENTITY trong {name}; Word không "
                                   "tạo ra những khai báo này. Hãy lưu lại mẫu từ Word."])
        if name.endswith(".rels"):
            for rel in _parse(data, name).iter():
                if rel.get("TargetMode") == "External" and rel.get("Type") != HYPERLINK:
                    raise TemplateRefused([
                        "Tệp mẫu liên kết tới tệp hoặc địa chỉ bên ngoài ("
                        f"{rel.get('Target', '')[:80]}); hãy chèn hình vào mẫu thay vì liên kết."])
    return parts


def _parse(data, name):
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        raise TemplateRefused([f"Phần {name} của tệp mẫu hỏng (XML không đọc được); hãy mở "
                               "mẫu trong Word rồi lưu lại."]) from None


# The rows' keep-whole flag ----------------------------------------------------------------------

ROW_TAG = re.compile(r"\{%-?\s*tr\s")
ROW_LOOP = re.compile(r"\{%-?\s*tr\s+for\s+(\w+)\s+in\s+[\w.]+\s*-?%\}")
ENDFOR = re.compile(r"\{%-?\s*(?:tr\s+)?endfor\b")
ROW_LOOP_END = re.compile(r"\{%-?\s*tr\s+endfor\s*-?%\}")


def editable(content):
    """The template as people edit it. A row loop's data row holds a tag in a row property
    (w:cantSplit w:val="{{ row.whole }}": whether a very tall row may split over pages), which
    Word reports as unreadable and LibreOffice drops on saving; here it is a plain "keep the row
    whole", and `prepared` puts the tag back."""
    def plain(root):
        for flag in root.iter(_w("cantSplit")):
            if "{" in flag.get(_w("val"), ""):
                del flag.attrib[_w("val")]
    return _rewritten(content, plain)


def prepared(content, settings):
    """The template as the service fills it: each row loop's data rows with their keep-whole
    tag (see `editable`), whatever Word or LibreOffice made of it. Refuses what read_package
    refuses."""
    read_package(content, settings)

    def flagged(root):
        for table in root.iter(_w("tbl")):
            name, inside = None, []
            for row in table.iterchildren(_w("tr")):
                text = "".join(t.text or "" for t in row.iter(_w("t")))
                if ROW_LOOP.search(text):
                    name, inside = ROW_LOOP.search(text).group(1), []
                elif name and ENDFOR.search(text):  # the rows between, if the loop is closed
                    for data_row in inside:
                        _flag(data_row, f"{{{{ {name}.whole }}}}")
                    name = None
                elif name:
                    inside.append(row)
    return _rewritten(content, flagged)


def _flag(row, tag):
    properties = row.find(_w("trPr"))
    if properties is None:
        properties = etree.SubElement(row, _w("trPr"))
        row.insert(1 if row[0].tag == _w("tblPrEx") else 0, properties)
    flag = properties.find(_w("cantSplit"))
    if flag is None:
        flag = etree.SubElement(properties, _w("cantSplit"))
    flag.set(_w("val"), tag)


def _rewritten(content, change):
    """The package with `change(root)` made to word/document.xml; the other parts as they were."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                root = _parse(data, info.filename)
                change(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            target.writestr(info, data)
    return out.getvalue()


# Where the tags are -----------------------------------------------------------------------------


@dataclass
class Spot:
    """One paragraph (or one table row's properties) holding tags."""

    place: str  # Vietnamese: where a person finds it in Word
    tags: list
    part: str  # "body", "footer:<type>", "header", "footnotes"
    table: int | None = None  # the body table it is in (from 1)
    row: int | None = None  # its row (from 1)


def _spots(parts):
    """The body's, headers', footers' and footnotes' paragraphs holding tags, in order, and any
    paragraph whose braces are unbalanced (a tag not closed), as problems."""
    spots, problems = [], []
    body = _parse(parts["word/document.xml"], "word/document.xml").find(_w("body"))
    if body is None:
        raise TemplateRefused(["Tệp mẫu không có nội dung (word/document.xml không có w:body)."])
    tables = [t for t in body if t.tag == _w("tbl")]
    numbered = 0
    for element in body.iter(_w("p"), _w("trPr")):  # in order: a row's properties, its cells
        if element.tag == _w("trPr"):
            row = element.getparent()
            t, r = _row_place(body, tables, row)
            text = " ".join(v for e in element.iter() for v in e.attrib.values())
            _add(Spot(f"{_table_place(t, r)} (thuộc tính của hàng)", [], "body", t, r), text,
                 spots, problems)
            continue
        cell = next(element.iterancestors(_w("tc")), None)
        text = _text(element)
        if cell is None:
            numbered += 1
            spot = Spot(f"đoạn {numbered} «{_preview(text)}»", [], "body")
        else:
            row = cell.getparent()
            t, r = _row_place(body, tables, row)
            cells = list(row.iterchildren(_w("tc")))
            c = cells.index(cell) + 1 if cell in cells else "?"
            spot = Spot(f"{_table_place(t, r)}, ô {c}", [], "body", t, r)
        _add(spot, text, spots, problems)
    for name, kind in _referenced_parts(parts, body).items():
        for p in _parse(parts[name], name).iter(_w("p")):
            _add(Spot(_PART_PLACES[kind.split(":")[0]].format(*kind.split(":")[1:]), [], kind),
                 _text(p), spots, problems)
    return body, tables, spots, problems


def _table_place(table, row):
    return "một bảng trong khung văn bản" if table is None else f"bảng {table}, hàng {row}"


def _row_place(body, tables, row):
    """(table, row), from 1, of a row of a body table (a nested table's row: its outer row);
    (None, None) for a table elsewhere (in a text box)."""
    table = next((t for t in row.iterancestors(_w("tbl")) if t.getparent() is body), None)
    if table is None:
        return None, None
    outer = next((r for r in (row, *row.iterancestors(_w("tr"))) if r.getparent() is table),
                 None)
    rows = list(table.iterchildren(_w("tr")))
    return tables.index(table) + 1, rows.index(outer) + 1 if outer in rows else None


_PART_PLACES = {"footer": "chân trang ({})", "header": "đầu trang ({})",
                "footnotes": "chú thích cuối trang"}
_KINDS = {"first": "trang đầu", "default": "các trang", "even": "trang chẵn"}


def _referenced_parts(parts, body):
    """The headers', footers' and footnotes' part names → "footer:<type>" etc."""
    rels = _parse(parts.get("word/_rels/document.xml.rels", b"<Relationships/>"), "rels")
    targets = {rel.get("Id"): "word/" + rel.get("Target", "").lstrip("/").removeprefix("word/")
               for rel in rels}
    found = {}
    for reference in body.iter(_w("headerReference"), _w("footerReference")):
        kind = "footer" if reference.tag == _w("footerReference") else "header"
        name = targets.get(reference.get(f"{{{R}}}id"))
        if name in parts:
            found[name] = f"{kind}:{_KINDS.get(reference.get(_w('type')), 'các trang')}"
    if "word/footnotes.xml" in parts:
        found["word/footnotes.xml"] = "footnotes"
    return found


def _text(p):
    return "".join(t.text or "" for t in p.xpath("./w:r/w:t | ./*/w:r/w:t", namespaces={"w": W}))


def _preview(text, length=40):
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


def _add(spot, text, spots, problems):
    spot.tags = TAG.findall(text)
    if STRAY.search(TAG.sub("", text)):
        problems.append(f"Thẻ chưa đóng hoặc thiếu dấu ngoặc ở {spot.place}: «{_preview(text, 80)}»"
                        ". Mỗi thẻ mở bằng {{ và đóng bằng }}, hoặc mở bằng {% và đóng bằng %}.")
    if spot.tags:
        spots.append(spot)


# The tags ---------------------------------------------------------------------------------------


def _source(spots):
    """One Jinja line per spot, docxtpl's prefixes ({%tr, {{r…) dropped: a syntax error's line
    number is the spot at fault."""
    return "\n".join(" ".join(DOCXTPL_PREFIX.sub(r"\1 ", tag.replace("\n", " "))
                              for tag in spot.tags) for spot in spots)


def _shape(value):
    """What a context value offers to tags: a dict of names, [element shape], or None (a leaf)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0]) if value else None]
    return None


class _Walker:
    """Walks the tags' syntax tree: every name must be the form's, no call, assignment or
    import; records each path used and where each row loop is."""

    def __init__(self, spots, shape, title):
        self.spots, self.shape, self.title = spots, shape, title
        self.used, self.loops, self.problems = {}, {}, []
        self.parts = {}  # path → the parts (body, footers…) using it

    def place(self, node):
        return self.spots[node.lineno - 1]

    def refuse(self, node, what):
        spot = self.place(node)
        self.problems.append(f"{what} ({spot.place}: «{_preview(' '.join(spot.tags), 80)}»).")

    def walk(self, node, scope):
        if isinstance(node, nodes.For):
            if not isinstance(node.target, nodes.Name) or node.recursive or node.test:
                return self.refuse(node, "Vòng lặp chỉ được có dạng {% for tên in danh_sách %}")
            shape, path = self.resolve(node.iter, scope)
            if path is None:
                return
            if not isinstance(shape, list):
                return self.refuse(node, f"«{path}» không phải danh sách để lặp")
            # Each row loop once, none inside another: the form's size stays its data's size,
            # which the pages' bound (MAX_FORM_PAGES) was estimated from.
            if "loop" in scope or path in self.loops:
                return self.refuse(node, "Mỗi vòng lặp các dòng chỉ được có một lần, không lồng "
                                         "trong vòng lặp khác")
            self.loops[path] = node
            inner = {**scope, node.target.name: (shape[0], path + "[]"), "loop": (LOOP, None)}
            for child in node.body:
                self.walk(child, inner)
            for child in node.else_:
                self.walk(child, scope)
            return None
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.resolve(node, scope)
            return None
        if isinstance(node, nodes.Filter) and node.name not in FILTERS:
            return self.refuse(node, f"Bộ lọc «{node.name}» không được dùng trong mẫu")
        if isinstance(node, nodes.Test) and node.name not in TESTS:
            return self.refuse(node, f"Phép thử «{node.name}» không được dùng trong mẫu")
        if not isinstance(node, _ALLOWED):
            return self.refuse(node, "Mẫu chỉ được in dữ liệu của phiếu, lặp và điều kiện; "
                                     "không được gọi hàm, gán biến, nhập hay kế thừa mẫu khác")
        for child in node.iter_child_nodes():
            self.walk(child, scope)
        return None

    def resolve(self, node, scope):
        """(shape, path) of a name or attribute chain; (None, None) after refusing it."""
        chain = []
        while isinstance(node, (nodes.Getattr, nodes.Getitem)):
            if isinstance(node, nodes.Getattr):
                chain.append(node.attr)
            elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int)):
                chain.append(node.arg.value)
            else:
                self.refuse(node, "Chỉ số trong ngoặc vuông phải là một số hay một tên cố định")
                return None, None
            node = node.node
        if not isinstance(node, nodes.Name):
            self.refuse(node, "Mẫu chỉ được in dữ liệu của phiếu")
            return None, None
        written = ".".join([node.name, *map(str, reversed(chain))])
        if node.name in scope:
            shape, path = scope[node.name]
        elif node.name in self.shape:
            shape, path = self.shape[node.name], node.name
        else:
            self.unknown(node, written, list(self.shape) + list(scope))
            return None, None
        for key in reversed(chain):
            if isinstance(shape, list) and isinstance(key, int):
                shape, path = shape[0], f"{path}[]"
            elif isinstance(shape, dict) and key in shape:
                shape, path = shape[key], f"{path}.{key}" if path else None
            else:
                self.unknown(node, written, list(shape) if isinstance(shape, dict) else [],
                             key=str(key))
                return None, None
        if path is not None:
            self.used.setdefault(path, node)
            self.parts.setdefault(path, set()).add(self.place(node).part)
        return shape, path

    def unknown(self, node, written, names, key=None):
        close = difflib.get_close_matches(key or written.split(".")[0], names, n=1)
        hint = f"; có phải «{close[0]}»?" if close else ""
        self.refuse(node, f"Biến «{written}» không có trong {self.title}{hint}")


_ALLOWED = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Const, nodes.If,
            nodes.Compare, nodes.Operand, nodes.Not, nodes.And, nodes.Or, nodes.CondExpr,
            nodes.Filter, nodes.Test, nodes.Concat, nodes.List, nodes.Tuple)


# The structure ----------------------------------------------------------------------------------


def _head_rows(table):
    return [row for row in table.iterchildren(_w("tr"))
            if row.find(f"{_w('trPr')}/{_w('tblHeader')}") is not None
            and row.find(f"{_w('trPr')}/{_w('tblHeader')}").get(_w("val"), "1")
            not in ("0", "false", "off")]


def _structure(slug, body, tables, spots, walker, reference):
    """The places the service relies on: `reference` is the same reading of the built-in
    template."""
    problems = []
    first = next(iter(body), None)
    if first is None or first.tag != _w("p"):
        problems.append("Mẫu phải mở đầu bằng một đoạn văn (có thể trống) trước bảng đầu trang; "
                        "đừng xóa đoạn trống ở đầu mẫu.")
    if body.find(_w("sectPr")) is None or any(True for _ in body.iter(_w("pPr"))
                                              if _.find(_w("sectPr")) is not None):
        problems.append("Mẫu chỉ được có một phần (section): hãy xóa các dấu ngắt phần (Section "
                        "Break) đã thêm.")
    problems += _page(body.find(_w("sectPr")))
    loop_tables = set()
    for path in ROW_LOOPS[slug]:
        node = walker.loops.get(path)
        if node is None:
            continue  # a missing required tag, said already
        spot = walker.place(node)
        tag = next((t for t in spot.tags if "for" in t), spot.tags[0])
        if spot.table is None or not ROW_TAG.match(tag):
            problems.append(f"Vòng lặp «{tag}» phải nằm một mình trong một hàng của bảng, viết "
                            f"«{{%tr for …%}}» ({spot.place}).")
            continue
        loop_tables.add(spot.table)
        table = tables[spot.table - 1]
        head = _head_rows(table)
        want = reference.get("head", 0)
        rows = list(table.iterchildren(_w("tr")))
        data = rows[spot.row] if spot.row is not None and spot.row < len(rows) else None
        first_cell = None if data is None else data.find(_w("tc"))
        if first_cell is not None and "loop.index" not in "".join(
                t.text or "" for t in first_cell.iter(_w("t"))):
            problems.append(f"Ô đầu của hàng dữ liệu (bảng {spot.table}, hàng {spot.row + 1}) "
                            "phải là số thứ tự {{ loop.index }}: một dòng dài sang trang in lại "
                            "số thứ tự, kèm «(tiếp)», ở ô này.")
        if len(head) < want or rows[:len(head)] != head:
            problems.append(f"Bảng {spot.table} phải giữ {want} hàng tiêu đề ở đầu bảng, đánh "
                            "dấu «Lặp lại hàng tiêu đề ở đầu mỗi trang» (Repeat as header row); "
                            f"hiện còn {len(head)}. Đừng xóa hay tách các hàng tiêu đề.")
    tags = [tag for spot in spots for tag in spot.tags]
    opened = sum(1 for tag in tags if ROW_LOOP.match(tag))
    closed = sum(1 for tag in tags if ROW_LOOP_END.match(tag))
    if opened != closed:
        problems.append(f"Mẫu có {opened} thẻ «{{%tr for …%}}» nhưng {closed} thẻ "
                        "«{%tr endfor %}»: mỗi vòng lặp các dòng kết thúc bằng một hàng riêng chỉ "
                        "có «{%tr endfor %}», trong cùng bảng.")
    for table in sorted(loop_tables):
        after = tables[table:]
        if not after or _head_rows(after[0]):
            problems.append(f"Sau bảng {table} phải còn bảng chữ ký (bảng không viền, không có "
                            "hàng tiêu đề lặp lại); đừng xóa nó.")
    footers = {spot.part for spot in spots if spot.part.startswith("footer")}
    for kind in reference["footers"]:
        if not {kind} <= walker.parts.get(f"{STAMP_KEY}.code", set()) \
                & walker.parts.get(f"{STAMP_KEY}.qr", set()):
            where = kind.split(":")[1]
            problems.append(f"Chân trang ({where}) phải giữ nguyên dòng «{{% if {STAMP_KEY} %}}"
                            f"Mã lưu trữ: {{{{ {STAMP_KEY}.code }}}} {{{{ {STAMP_KEY}.qr }}}}"
                            "{% endif %}»: phiếu lưu trữ in mã và mã QR ở đó."
                            + ("" if kind in footers else " Chân trang này đã bị xóa."))
    notes = sum(1 for _ in body.iter(_w("footnoteReference")))
    if notes < reference["notes"]:
        problems.append(f"Mẫu phải giữ {reference['notes']} chú thích cuối trang của mẫu gốc; "
                        f"hiện còn {notes}.")
    return problems


def _page(section):
    if section is None:
        return []
    size, margins = section.find(_w("pgSz")), section.find(_w("pgMar"))
    if size is None or margins is None:
        return ["Mẫu thiếu khổ giấy hoặc lề trang; hãy đặt lại khổ A4 nằm ngang."]
    mm = {key: int(value) / TWIPS_PER_MM for key, value in
          [*((k, size.get(_w(k), "0")) for k in ("w", "h")),
           *((k, margins.get(_w(k), "0")) for k in ("top", "bottom", "left", "right", "footer"))]}
    problems = []
    if abs(mm["w"] - PAGE_WIDTH_MM) > PAGE_SLACK_MM or abs(mm["h"] - PAGE_HEIGHT_MM) > \
            PAGE_SLACK_MM:
        problems.append(f"Khổ giấy phải là A4 nằm ngang ({PAGE_WIDTH_MM} × {PAGE_HEIGHT_MM} mm); "
                        f"mẫu đang là {mm['w']:.0f} × {mm['h']:.0f} mm.")
    for key, label in (("top", "trên"), ("bottom", "dưới"), ("left", "trái"), ("right", "phải")):
        if not MARGIN_MIN_MM <= mm[key] <= MARGIN_MAX_MM:
            problems.append(f"Lề {label} {mm[key]:.0f} mm nằm ngoài khoảng cho phép "
                            f"{MARGIN_MIN_MM}–{MARGIN_MAX_MM} mm.")
    room = mm["footer"] + ARCHIVE_QR_MM + 1
    if mm["bottom"] < room:
        problems.append(f"Lề dưới {mm['bottom']:.0f} mm không đủ chỗ cho mã lưu trữ và mã QR "
                        f"(chân trang cách mép {mm['footer']:.0f} mm, mã QR cao {ARCHIVE_QR_MM} "
                        f"mm): cần ít nhất {room:.0f} mm.")
    return problems


# The whole check --------------------------------------------------------------------------------


def _read(slug, content, settings):
    """Problems found without LibreOffice; the reading's facts for the built-in comparison."""
    form = FORMS[slug]
    parts = read_package(content, settings)
    body, tables, spots, problems = _spots(parts)
    if problems:
        return problems, None
    source = _source(spots)
    try:
        tree = ENVIRONMENT.parse(source)
    except TemplateError as error:
        return [_syntax(error, spots, source)], None
    shape = {**_shape(form.context(example(slug), settings)),
             STAMP_KEY: {"code": None, "qr": None}}
    walker = _Walker(spots, shape, form.TITLE)
    walker.walk(tree, {})
    facts = {"head": max((len(_head_rows(t)) for t in tables), default=0),
             "footers": sorted({s.part for s in spots if s.part.startswith("footer")}),
             "notes": sum(1 for _ in body.iter(_w("footnoteReference")))}
    return walker.problems, (parts, body, tables, spots, walker, facts)


def _syntax(error, spots, source):
    lines = source.split("\n")
    line = min(max(getattr(error, "lineno", 1) or 1, 1), len(lines))
    message = str(error.message or "")
    if "Unexpected end of template" in message:
        return ("Thiếu thẻ đóng: một {% for %} chưa có {% endfor %}, hoặc một {% if %} chưa có "
                "{% endif %} (kiểm tra các thẻ {%tr for …%} … {%tr endfor %} trong bảng).")
    spot = spots[line - 1]
    why = ("thẻ đóng không khớp với thẻ mở nào" if "unknown tag" in message
           else "cú pháp của thẻ không đúng")
    return f"Thẻ sai ở {spot.place}: «{_preview(' '.join(spot.tags), 80)}» — {why}."


_REFERENCE = {}


def _reference(slug, settings):
    """The built-in template's facts (its head rows, footers, notes), read once."""
    if slug not in _REFERENCE:
        _problems, reading = _read(slug, built_in(FORMS[slug].TEMPLATE).content, settings)
        _REFERENCE[slug] = reading[-1]
    return _REFERENCE[slug]


# What reading a malformed package may raise beyond our own refusals: it is the file's fault.
MALFORMED = (ValueError, IndexError, KeyError, StopIteration, AttributeError, TypeError,
             RecursionError, etree.LxmlError, UnicodeError)
MALFORMED_MESSAGE = ("Không đọc được cấu trúc của tệp mẫu ({}); hãy mở mẫu trong Word hoặc "
                     "LibreOffice rồi lưu lại thành .docx, hoặc bắt đầu lại từ mẫu đang dùng.")


def inspect(slug, content, settings):
    """What is wrong with `content` as the template of form `slug`, found without LibreOffice:
    a list of Vietnamese sentences, empty if nothing."""
    try:
        return _inspect(slug, content, settings)
    except MALFORMED as error:
        return [MALFORMED_MESSAGE.format(type(error).__name__)]


def _inspect(slug, content, settings):
    problems, reading = _read(slug, content, settings)
    if reading is None or problems:
        return problems
    _parts, body, tables, spots, walker, _facts = reading
    title = FORMS[slug].TITLE
    problems += [f"Mẫu thiếu thẻ «{tag.written}» ({tag.meaning}) mà {title} cần; hãy đặt lại thẻ "
                 "này như trong mẫu gốc." for tag in TAGS[slug]
                 if tag.required and tag.path not in walker.used and tag.path not in walker.loops]
    problems += _structure(slug, body, tables, spots, walker, _reference(slug, settings))
    return problems


def tags(content, settings):
    """Every tag of the template's body, headers, footers and notes, in order."""
    _body, _tables, spots, _problems = _spots(read_package(content, settings))
    return [tag for spot in spots for tag in spot.tags]


def example(slug):
    """examples/<slug>.json, validated as the API would."""
    return SCHEMAS[slug]().load(json.loads((EXAMPLES / f"{slug}.json").read_text("utf-8")))


PREVIEWS = {"example": "Phiếu điền theo dữ liệu mẫu", "blank": "Phiếu trống"}


def check(slug, content, settings, converter):
    """Checks `content` as the template of form `slug`: `prepared`, `inspect`, then the repo's
    example and the blank form filled with it and converted, read against the print rules, and
    the example composed twice into a print packet. Returns Checked (the bytes to install, the
    PDFs to preview); raises TemplateRefused, or office.engine.ConversionError (LibreOffice busy
    or failing)."""
    content = prepared(content, settings)
    problems = inspect(slug, content, settings)
    if problems:
        raise TemplateRefused(problems)
    form, data, template = FORMS[slug], example(slug), from_bytes(content)
    try:
        pdfs = {"example": make_document(form, data, "pdf", settings=settings,
                                         converter=converter, template=template).content,
                "blank": make_document(form, None, "pdf", settings=settings,
                                       converter=converter, template=template).content}
    except (TemplateError, *MALFORMED) as error:
        raise TemplateRefused([f"Không điền được mẫu bằng dữ liệu mẫu ({type(error).__name__}); "
                               "hãy so lại các thẻ với mẫu gốc."]) from None
    problems = _print_rules(slug, data, pdfs["example"], "phiếu điền theo dữ liệu mẫu")
    problems += _print_rules(slug, None, pdfs["blank"], "phiếu trống")
    if not problems:
        problems = _packet_rule(form, data, template, pdfs["example"], settings, converter)
    if problems:
        raise TemplateRefused(problems)
    return Checked(content, {PREVIEWS[key]: pdf for key, pdf in pdfs.items()})


def page_texts(pdf):
    """Each page's text, NFC, without whitespace (a value wrapped over lines still matches)."""
    return [re.sub(r"\s+", "", unicodedata.normalize("NFC", page.extract_text() or ""))
            for page in PdfReader(io.BytesIO(pdf)).pages]


def _squash(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _rows(slug, data):
    """Each table row's first text, in order: a person's name; a section's title, an item's
    content."""
    if slug == "tong-hop":
        return [_squash(row["full_name"]) for row in data["rows"]]
    sections = data.get("sections") or {}
    return [_squash(text)[:30] for key, (_number, title) in SECTIONS.items()
            for text in [title, *(item.get("content") or "" for item in sections.get(key) or [])]
            if text]


def _print_rules(slug, data, pdf, what):
    """docs/LAYOUT.md's rules that a template's changes could break, on one PDF."""
    problems = []
    reader = PdfReader(io.BytesIO(pdf))
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if max(abs(width - PAGE_WIDTH_MM * POINTS_PER_MM),
               abs(height - PAGE_HEIGHT_MM * POINTS_PER_MM)) > PAGE_SLACK_MM * POINTS_PER_MM:
            problems.append(f"Trang {number} của {what} không phải khổ A4 nằm ngang.")
    if data is None:
        return problems
    pages = page_texts(pdf)
    rows = _rows(slug, data)
    if rows and rows[0] not in pages[0]:
        problems.append(f"Trang 1 của {what} không có dòng đầu tiên của bảng: phần đầu mẫu cao "
                        "quá một trang, hoặc bảng đã bị tách khỏi phần đầu.")
    last, head = pages[-1], _squash(data.get("head_name") or "")
    if head and head not in last:
        problems.append(f"Trang cuối của {what} không có tên người ký «{data['head_name']}».")
    if rows and rows[-1] not in last and len(pages) > 1 and rows[-1] not in pages[-2]:
        problems.append(f"Chữ ký ở trang cuối của {what} tách khỏi dòng cuối của bảng.")
    for number, text in enumerate(pages[1:], start=2):
        if not any(row[:12] in text for row in rows):
            problems.append(f"Trang {number} của {what} không có dòng nào của bảng (chỉ có phần "
                            "đầu bảng hoặc chữ ký).")
    return problems


def _packet_rule(form, data, template, alone, settings, converter):
    """The example twice in one print packet: each prints the same pages as alone."""
    forms = [Form(form, data, str(number), template) for number in (1, 2)]
    parts = list(convert_forms(forms, settings=settings, converter=converter, chunk=2))
    pages = page_texts(alone)
    for part in parts:
        if len(part.pages) != len(pages):
            return [f"Trong hồ sơ in (nhiều phiếu gộp một tệp), phiếu theo mẫu này in "
                    f"{len(part.pages)} trang thay vì {len(pages)} như khi in riêng."]
    return []
