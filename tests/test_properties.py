"""Property tests (hypothesis) of the whole pipeline: JSON → schema → DOCX → PDF.

1. Whatever the schema accepts renders to a DOCX that python-docx reads and that holds every value
   exactly, and to a PDF whose text holds every value (`printed_on` says precisely what that
   means). Strings mix Vietnamese (also sent decomposed, NFD), other scripts and symbols,
   punctuation, template syntax, XML specials, blanks and long unbroken words up to the field
   limits; enums are sent by slug or by label in any case, with or without accents.
2. Whatever the schema refuses gets a 422 through the API that names the broken field in
   `errors.json`, in Vietnamese.

Profiles: `ci` (default: few examples, derandomized, no example database, so a run is the same
every time) and `long` (HYPOTHESIS_PROFILE=long: 20 times the examples, random, for a local soak).
docs/RELIABILITY.md, "Property tests", gives the commands and what the runs found.
"""

import io
import itertools
import os
import re
import string
import subprocess
import unicodedata
from datetime import date

import docx
import pytest
from form_font import covered
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from conftest import pdf_pages
from forms.vocab import (
    IDENTIFICATION_LEVELS,
    IDENTIFICATION_RATINGS,
    MONTHLY_RATINGS,
    NO_SIGN,
    REMEDY_STATUSES,
    SECTIONS,
)
from schemas import SCHEMAS
from schemas.common import CELL_MAX, MAX_LINE_BREAKS, NAME_MAX, NOTE_MAX, UNIT_MAX
from schemas.fields import (
    BIDI_CONTROLS,
    CELL_MAX_LINE_BREAKS,
    MAX_YEAR,
    MIN_YEAR,
    Choice,
    Date,
    Integer,
    List,
    Nested,
    Text,
    fold,
)
from schemas.phieu_01 import IDENTIFICATION_ALIASES, LEVEL_ALIASES, RATING_ALIASES

# ------------------------------------------------------------------------------------ profiles

COMMON = dict(deadline=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
# CI does not shrink a failure: with a LibreOffice conversion per example, shrinking can take
# minutes; the failing example is printed (and its blob) to rerun under the long profile.
settings.register_profile("ci", derandomize=True, database=None,
                          phases=[Phase.explicit, Phase.reuse, Phase.generate], **COMMON)
settings.register_profile("long", **COMMON)
# Replays what a long run saved in .hypothesis/ (its failures), without generating or shrinking.
settings.register_profile("replay", phases=[Phase.explicit, Phase.reuse], **COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
SCALE = 20 if PROFILE == "long" else 1


def examples(count):
    return settings(max_examples=count * SCALE)


P01, TH = "phieu-01", "tong-hop"

# ---------------------------------------------------------------------------------- alphabets

LINE_BREAKS = "\r\u2028\u2029"
SOFT_HYPHEN = "\u00ad"
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt): characters that print
# nothing at all (soft hyphen, zero-width space and joiners, direction marks, variation
# selectors, U+FEFF…). The schema refuses the bidi ones among them; the rest are text.
DEFAULT_IGNORABLE = frozenset(
    [0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFEFF, 0xFFA0]
    + [*range(0x180B, 0x1810), *range(0x200B, 0x2010), *range(0x202A, 0x202F),
       *range(0x2060, 0x2070), *range(0xFE00, 0xFE10), *range(0xFFF0, 0xFFF9),
       *range(0x1BCA0, 0x1BCA4), *range(0x1D173, 0x1D17B), *range(0xE0000, 0xE1000)])


def accepted_char(char):
    """What the schema lets through inside a single-line value."""
    category = unicodedata.category(char)
    return not (category in ("Cc", "Cs") or char in BIDI_CONTROLS or char in LINE_BREAKS
                or char in "\ufffe\uffff")


# Characters of the forms' own typeface (Liberation Serif, every style): Vietnamese, Latin,
# Greek, Cyrillic, Hebrew, punctuation, many symbols.
# Combining marks come in the Vietnamese words (NFD) and, for the other property, anywhere.
# The soft hyphen is left out here and from all of Unicode below (the font has it): where a line
# breaks at it, it prints (rightly) as "-" (found by the long runs: "000\xad¼" printed "000-¼"
# at a line's end).
FONT_CHARS = sorted(c for c in map(chr, covered())
                    if accepted_char(c) and c != SOFT_HYPHEN
                    and not unicodedata.category(c).startswith("M"))
IGNORABLE_CHARS = sorted(c for c in map(chr, DEFAULT_IGNORABLE - {ord(SOFT_HYPHEN)})
                         if accepted_char(c))
VIETNAMESE = ["Nguyễn Thị Ngọc Ánh", "Đặng Thị Thuỷ Tiên", "Trần Văn Bình", "Phòng Nội vụ",
              "Ủy ban nhân dân quận Nam Từ Liêm", "Chấp hành giờ giấc làm việc",
              "Khắc phục hạn chế", "ươ ượ ưở ỹ Ỵ ặ ẩ ẫ ậ ố ồ ổ ỗ ộ", "Chậm 02 ngày; đạt yêu cầu."]
MARKUP = ["{{ 7*7 }}", "{%", "%}", "{% for x in y %}", "{% endfor %}", "{#", "#}", "{%tr endfor %}",
          "{{", "}}", "&", "<", ">", '"', "'", "&amp;", "&lt;b&gt;", "<w:p>", "</w:t><w:t>",
          "]]>", "<![CDATA[", "${x}", "%s", "{0}", "\\", "\\n"]
OTHER_SCRIPTS = ["中文 汉字", "日本語", "한국어", "العربية", "עברית", "हिन्दी कि", "ภาษาไทย",
                 "Ελληνικά", "Русский", "Ք ա", "😀", "👩‍👩‍👧", "🇻🇳", "✓ ✗ ☎", "①②", "∑∫√∞",
                 "ﬁ ﬂ", "e\u0301\u0323", "x\u0303"]

font_text_chars = st.sampled_from(FONT_CHARS)
any_text_chars = st.characters(codec="utf-8").filter(
    lambda char: accepted_char(char) and char != SOFT_HYPHEN)


def _nfd_sometimes(draw, text):
    return unicodedata.normalize("NFD", text) if draw(st.booleans()) else text


@st.composite
def texts(draw, max_length, *, multiline=False, required=False, chars=font_text_chars):
    """A value the schema accepts for a Text field of `max_length`: words of `chars`, Vietnamese
    (NFC or NFD), markup, blanks, newlines where allowed; sometimes one long unbroken word.
    Where `chars` is not the form's font, words of other scripts and emoji too."""
    word = st.one_of(
        st.text(chars, min_size=1, max_size=12),
        st.sampled_from(VIETNAMESE),
        st.sampled_from(MARKUP),
        st.text(st.sampled_from(IGNORABLE_CHARS), min_size=1, max_size=2),
        *([] if chars is font_text_chars else [st.sampled_from(OTHER_SCRIPTS)]),
    )
    separator = st.sampled_from([" ", "  ", "\t", " \u00a0", "\u3000"]
                                + (["\n", "\r\n", "\n\n", "\r", "\u2028"] if multiline else []))
    kind = draw(st.sampled_from(["words", "words", "words", "long word", "at the limit"]))
    if kind == "long word":
        unit = draw(st.text(chars, min_size=1, max_size=7))
        text = unit * (draw(st.integers(1, max_length)) // len(unit) + 1)
    else:
        parts = draw(st.lists(st.tuples(word, separator), min_size=1,
                              max_size=8 if kind == "words" else max_length))
        text = "".join(w + s for w, s in parts)
    text = unicodedata.normalize("NFC", text)[:max_length].strip()
    if multiline:  # a cell holds CELL_MAX_LINE_BREAKS at most
        text = within_line_breaks(text, [CELL_MAX_LINE_BREAKS])
    if required:  # a one-line value loses its invisible format characters (schemas.fields.Text)
        assume((text if multiline else "".join(
            c for c in text if unicodedata.category(c) != "Cf")).strip())
    padding = draw(st.sampled_from(["", " ", "\t", "  \n" if multiline else " "]))
    return padding + _nfd_sometimes(draw, text) + padding


def choice(vocabulary, aliases=None):
    """A value of a closed vocabulary as people write it: slug, label, any case, no accents."""
    names = [name for slug, label in vocabulary.items()
             for name in (slug, label, *(aliases or {}).get(slug, ()))]
    return st.tuples(st.sampled_from(names),
                     st.sampled_from([str, str.upper, str.lower, str.title, fold,
                                      lambda s: fold(s).replace("_", " "),
                                      lambda s: unicodedata.normalize("NFD", s)])).map(
        lambda pair: pair[1](pair[0]))


def optional(strategy):
    """Absent, null, or a value: absent keys are dropped by `body`."""
    return st.one_of(st.just(ABSENT), st.none(), strategy)


ABSENT = object()


def body(fields):
    return st.fixed_dictionaries(fields).map(
        lambda d: {key: value for key, value in d.items() if value is not ABSENT})


def headers(chars):
    return {
        "unit": body({"name": texts(UNIT_MAX, required=True, chars=chars),
                      "parent": optional(texts(UNIT_MAX, chars=chars))}),
        "place": optional(texts(100, chars=chars)),
        "signed_on": optional(st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)).map(
            date.isoformat)),
        "period": st.fixed_dictionaries({"month": st.integers(1, 12),
                                         "year": st.integers(MIN_YEAR, MAX_YEAR)}),
        "head_name": optional(texts(NAME_MAX, chars=chars)),
    }


def cell(chars):
    return optional(texts(CELL_MAX, multiline=True, chars=chars))


def phieu_01(chars=font_text_chars, max_items=2):
    assessment = body({
        "result": cell(chars), "cause": cell(chars),
        "identification": optional(body({
            "level": optional(choice(IDENTIFICATION_LEVELS, LEVEL_ALIASES)),
            "detail": cell(chars)})),
        "remedy": cell(chars), "remedy_status": optional(choice(REMEDY_STATUSES)),
    })
    item = body({"content": cell(chars), "self": optional(assessment),
                 "authority": optional(assessment),
                 "note": optional(texts(NOTE_MAX, multiline=True, chars=chars))})
    return body({
        **headers(chars),
        "person": body({"full_name": texts(NAME_MAX, required=True, chars=chars),
                        "position": optional(texts(NAME_MAX, chars=chars))}),
        "sections": optional(body({key: optional(st.lists(item, max_size=max_items))
                                   for key in SECTIONS})),
        "monthly_rating": optional(choice(MONTHLY_RATINGS, RATING_ALIASES)),
        "identification_rating": optional(choice(IDENTIFICATION_RATINGS, IDENTIFICATION_ALIASES)),
    })


def tong_hop(chars=font_text_chars, max_rows=4):
    row = body({
        "full_name": texts(NAME_MAX, required=True, chars=chars),
        **{key: cell(chars) for key in ("result", "shortcomings", "cause", "remedy_result",
                                        "identification")},
        "rating": optional(choice(IDENTIFICATION_RATINGS, IDENTIFICATION_ALIASES)),
    })
    return body({**headers(chars), "rows": optional(st.lists(row, max_size=max_rows))})


def within_line_breaks(value, budget=None):
    """The body with its line breaks past the form's bound (MAX_LINE_BREAKS) made spaces: what
    the schema accepts as a whole. Each break character counts, though «\r\n» is one break."""
    budget = [MAX_LINE_BREAKS] if budget is None else budget
    if isinstance(value, str):
        out = []
        for char in value:
            if char in "\n\r\u2028\u2029":
                budget[0] -= 1
                char = char if budget[0] >= 0 else " "
            out.append(char)
        return "".join(out)
    if isinstance(value, dict):
        return {key: within_line_breaks(item, budget) for key, item in value.items()}
    if isinstance(value, list):
        return [within_line_breaks(item, budget) for item in value]
    return value


FORMS = {P01: lambda *args, **kwargs: phieu_01(*args, **kwargs).map(within_line_breaks),
         TH: lambda *args, **kwargs: tong_hop(*args, **kwargs).map(within_line_breaks)}

# ------------------------------------------------------------------- what the form must print


def printed_values(form, data):
    """Every string the filled form must show, from the schema's normalized data: texts as
    they are, enums as their labels, the dates as the date line writes them, the issuing
    bodies (and the tổng hợp's unit, which has no "Đơn vị:" line) in capitals."""
    unit = data["unit"]
    values = [(unit.get("parent") or "").upper(), unit["name"].upper(),
              f"Tháng {_two_digits_early(data['period']['month'], 3)}/{data['period']['year']}",
              data.get("place") or "", data.get("head_name") or ""]
    if form == P01:
        values += [unit["name"], data["person"]["full_name"], data["person"].get("position")]
        values += [MONTHLY_RATINGS.get(data.get("monthly_rating"), ""),
                   IDENTIFICATION_RATINGS.get(data.get("identification_rating"), "")]
        for items in (data.get("sections") or {}).values():
            for item in items or []:
                values += [item.get("content"), item.get("note")]
                for assessment in (item.get("self"), item.get("authority")):
                    assessment = assessment or {}
                    identification = assessment.get("identification") or {}
                    level = identification.get("level")
                    values += [assessment.get("result"), assessment.get("cause"),
                               assessment.get("remedy"), identification.get("detail"),
                               REMEDY_STATUSES.get(assessment.get("remedy_status"), ""),
                               IDENTIFICATION_LEVELS[level] if level else ""]
                    if level == NO_SIGN and identification.get("detail"):
                        values.append(f"({identification['detail']})")
    else:
        for row in data.get("rows") or []:
            values += [row.get(key) for key in ("full_name", "result", "shortcomings", "cause",
                                                "remedy_result", "identification")]
    signed = data.get("signed_on")
    if signed:
        values.append(f"ngày {_two_digits_early(signed.day, 10)} "
                      f"tháng {_two_digits_early(signed.month, 3)} năm {signed.year}")
    return [unicodedata.normalize("NFC", v) for v in values if v]


def _two_digits_early(number, below):
    """Nghị định 30: days under 10, months 1 and 2 with a leading zero."""
    return f"{number:02d}" if number < below else str(number)


def squash_exact(text):
    """NFC, no whitespace: how a DOCX's text is compared (lines wrap in cells)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _printable(char):
    """Whether extracted PDF text can be expected to hold `char` where it was typed.

    Not kept: whitespace (cells wrap), default-ignorable characters (they print nothing),
    control characters (pypdf writes a glyph code without a ToUnicode entry as that raw code:
    LibreOffice puts the marks of a base + mark cluster without a precomposed form under
    /ActualText, which pypdf does not read), and characters outside the form's font: LibreOffice
    draws them in a fallback font, as a separate text run after the line's own text, so pypdf
    (which reads in content-stream order) gives them out of place; a machine without a fallback
    font for them prints an empty box. Combining marks are kept only from the form's font."""
    return not (char.isspace() or ord(char) in DEFAULT_IGNORABLE
                or unicodedata.category(char) == "Cc" or ord(char) not in covered())


MIRRORED, MARKS = "mirrored", "marks"
NO_FOLDS = frozenset()


def _folded(char, folds):
    if MIRRORED in folds and unicodedata.mirrored(char):
        return "\u21c4"
    if MARKS in folds and unicodedata.category(char).startswith("M"):
        return ""
    return char


def projected(text, folds=NO_FOLDS):
    return "".join(_folded(c, folds) for c in unicodedata.normalize("NFC", text)
                   if _printable(c))


def _page_text(page, folds=NO_FOLDS):
    """A page's text projected, and the positions in it where a line of the page ended."""
    text, ends = "", set()
    for char in page:
        if char == "\n":
            ends.add(len(text))
        elif _printable(char):
            text += _folded(char, folds)
    ends.add(len(text))
    return text, ends


def _longest_prefix_in(value, text):
    low, high = 0, len(value)
    while low < high:
        middle = (low + high + 1) // 2
        if value[:middle] in text:
            low = middle
        else:
            high = middle - 1
    return low


RIGHT_TO_LEFT = {"R", "AL"}


def _right_to_left(text):
    """Whether `text` holds right-to-left letters (Hebrew, Arabic)."""
    return any(unicodedata.bidirectional(c) in RIGHT_TO_LEFT for c in text)


def _checkable(text):
    """Whether the PDF's text (as pypdf reads it) can be expected to give `text` back in order.

    Not so where it holds (after NFC):
    - right-to-left letters (Hebrew, Arabic): printed in visual order, runs reversed and the
      neutral characters beside them moved;
    - a combining mark (a base + mark with no precomposed form, like "x̃"): printed right, but
      LibreOffice writes the cluster under /ActualText, which pypdf does not read: it gives the
      mark's raw glyph code instead, some stray character;
    - a character outside the form's font: drawn in a fallback font as a run of its own, placed
      after the line's other text, and the form-font characters next to it (same word) may go
      with it into that run."""
    return not _right_to_left(text) and _in_font(text)


def _in_font(text):
    """No combining mark and no character outside the form's font, after NFC."""
    return not any(unicodedata.category(c).startswith("M")
                   or not (c.isspace() or ord(c) in DEFAULT_IGNORABLE or ord(c) in covered())
                   for c in unicodedata.normalize("NFC", text))


def shared_glyphs(values):
    """How a page's text must be compared when one glyph of the font stands for two texts.

    The PDF's ToUnicode map gives a glyph one text; LibreOffice writes the glyph's other uses
    under /ActualText, which pypdf does not read, so on that page pypdf gives them as the first
    use's text, though they print right (as poppler, which reads /ActualText, gives them back):
    - in a right-to-left run ")" is drawn with the glyph of "(" (bidi mirroring): anywhere on the
      page "{{ x }}" may come out as "}} x {{". With right-to-left letters in the form, the
      characters with the Bidi_Mirrored property are compared as one;
    - a base with a combining mark that has no precomposed form ("x̃") is drawn as the base's
      glyph and the mark's: "xuất" elsewhere on the page may come out as "x̃uất". With such a
      cluster in the form, combining marks are left out of the comparison (after NFC, a
      Vietnamese letter has none)."""
    chars = {c for value in values for c in unicodedata.normalize("NFC", value)}
    return frozenset(
        ([MIRRORED] if _right_to_left(chars) else [])
        + ([MARKS] if any(unicodedata.category(c).startswith("M") for c in chars) else []))


def _in_order(value):
    """The parts of `value` the PDF's text must give back in order: all of it if it is
    `_checkable`, else each checkable word (split at whitespace). In a value with right-to-left
    letters, only each run of left-to-right letters (bidi class L) within a word `_in_font`
    (Hebrew is; Arabic is not, and its fallback run may take the word's other letters): the digits
    and punctuation between are placed by the bidi algorithm (a "%}" between Arabic and a digit
    resolves right-to-left and prints reversed), and pypdf reorders them again by its own rule."""
    if _checkable(value):
        return [value]
    words = [word for word in value.split() if _in_font(word)]
    if _right_to_left(value):
        words = ["".join(run) for word in words
                 for is_ltr, run in itertools.groupby(
                     word, key=lambda c: unicodedata.bidirectional(c) == "L") if is_ltr]
    return [word for word in words if _checkable(word)]


def printed_on(value, pages, folds=NO_FOLDS):
    """Whether the PDF's pages hold `value`'s parts that can be read back in order."""
    return all(_printed_on(part, pages, folds) for part in _in_order(value))


def _printed_on(value, pages, folds):
    """Whether `value` (projected) is in the pages' text (projected): whole on one page, or, a
    cell that runs over a page break, as pieces on consecutive pages, each but the last ending
    a line of its page."""
    pages = [_page_text(page, folds) for page in pages]
    value = projected(value, folds)
    memo = {}

    def from_page(offset, number):
        if number == len(pages):
            return False
        key = (offset, number)
        if key not in memo:
            memo[key] = False
            text, ends = pages[number]
            rest = value[offset:]
            if rest in text:
                memo[key] = True
                return True
            for size in range(_longest_prefix_in(rest, text), 0, -1):
                piece, start = rest[:size], text.find(rest[:size])
                while start != -1 and start + size not in ends:
                    start = text.find(piece, start + 1)
                if start != -1 and from_page(offset + size, number + 1):
                    memo[key] = True
                    break
        return memo[key]

    return not value or any(from_page(0, number) for number in range(len(pages)))


def _diagnosis(value, pages, folds):
    """Where the value's first missing part stops matching the page text best matching it."""
    part = next(part for part in _in_order(value) if not _printed_on(part, pages, folds))
    value = projected(part, folds)
    text = max((_page_text(page, folds)[0] for page in pages),
               key=lambda text: _longest_prefix_in(value, text))
    size = _longest_prefix_in(value, text)
    start = text.find(value[:size])
    return (f"\nprojected value: {value!r}\nmatches up to {size}: then {value[size:size + 30]!r}"
            f"\nwhere the page has {text[start + size - 20:start + size + 40]!r}")


def docx_text(content):
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def render(client, form, body, fmt):
    response = client.post(f"/api/v1/{form}?format={fmt}", json=body)
    assert response.status_code == 200, response.get_json()
    return response.data


def check_pipeline(app, form, sent):
    """The property of part 1, for one input the schema accepts."""
    data = SCHEMAS[form]().load(sent)
    values = printed_values(form, data)
    client = app.test_client()

    text = squash_exact(docx_text(render(client, form, sent, "docx")))
    missing = [v for v in values if squash_exact(v) not in text]
    assert not missing, f"missing from the DOCX: {missing}"

    pages = pdf_pages(render(client, form, sent, "pdf"))
    folds = shared_glyphs(values)
    missing = [v for v in values if not printed_on(v, pages, folds)]
    assert not missing, (f"missing from the PDF: {missing}"
                         + _diagnosis(missing[0], pages, folds))


# ------------------------------------------------------------------ 1. accepted → printed


@pytest.mark.parametrize("form", [P01, TH])
def test_every_accepted_input_prints_every_value(app, form):
    """The forms' font: every character round-trips to the PDF's text."""

    @examples(25)
    @given(sent=FORMS[form]())
    def run(sent):
        check_pipeline(app, form, sent)

    run()


@pytest.mark.parametrize("form", [P01, TH])
def test_other_scripts_and_emoji_print_what_the_form_font_can(app, form):
    """Any Unicode the schema accepts: the DOCX holds it exactly; the PDF is made and holds the
    characters of the form's font in order (the others are the fallback fonts' business)."""
    maker = (phieu_01(any_text_chars, max_items=1) if form == P01
             else tong_hop(any_text_chars, max_rows=2)).map(within_line_breaks)

    @examples(10)
    @given(sent=maker)
    def run(sent):
        check_pipeline(app, form, sent)

    run()


SHARED_GLYPHS = {
    # Arabic in the place: "{{ 7*7 }}" in «Chức vụ» has its braces read swapped.
    MIRRORED: ({"place": "0 العربية {0}", "person": {"full_name": "0", "position": "{{ 7*7 }}"}},
               "{{ 7*7 }}", "{{ 7*8 }}"),
    # "x̃" in the name: the rating's "xuất" is read as "x̃uất".
    MARKS: ({"person": {"full_name": "0 x̃"}, "monthly_rating": "hoan_thanh_xuat_sac"},
            "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành xuất xắc nhiệm vụ"),
}


@pytest.mark.parametrize("fold", sorted(SHARED_GLYPHS))
def test_text_beside_a_shared_glyph_prints_right_and_is_compared_with_its_fold(app, fold):
    """The long run's findings, pinned: the value prints right (poppler, which reads /ActualText,
    gives it back); pypdf misreads it, which `shared_glyphs` allows for, and no more than that."""
    fields, value, wrong = SHARED_GLYPHS[fold]
    sent = {"unit": {"name": "0"}, "period": {"month": 1, "year": 2023}, **fields}
    pdf = render(app.test_client(), P01, sent, "pdf")
    poppler = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf,
                             capture_output=True, check=True).stdout.decode()
    assert value in unicodedata.normalize("NFC", poppler)

    folds = shared_glyphs(printed_values(P01, SCHEMAS[P01]().load(sent)))
    assert folds == {fold}
    pages = pdf_pages(pdf)
    assert not printed_on(value, pages)
    assert printed_on(value, pages, folds)
    assert not printed_on(wrong, pages, folds)


def test_a_folded_page_keeps_its_line_ends():
    """A cell running over a page break is matched up to a line's end: the positions of the
    line ends must count what the fold leaves out (the long run's third finding)."""
    assert _page_text("a\u0303b\nc(", frozenset({MARKS, MIRRORED})) == ("abc\u21c4", {2, 4})


# ------------------------------------------------------------------- 2. refused → a 422


def _fields(schema, node, path=()):
    """(path, field, value) of every field present in `node`, walking the schema alongside."""
    for name, value in node.items():
        field = schema.fields[name]
        yield path + (name,), field, value
        if isinstance(field, Nested) and isinstance(value, dict):
            yield from _fields(field.schema, value, path + (name,))
        elif isinstance(field, List) and isinstance(value, list):
            for index, item in enumerate(value):
                yield path + (name, index), field.inner, item
                yield from _fields(field.inner.schema, item, path + (name, index))


def _set(body, path, value):
    node = body
    for key in path[:-1]:
        node = node[key]
    if value is ABSENT:
        del node[path[-1]]
    else:
        node[path[-1]] = value


def _dotted(path):
    return ".".join(map(str, path))


WRONG_TYPES = {Text: [123, 1.5, True, [], ["Nguyễn"], {"text": "x"}],
               Choice: [1, True, [], {}],
               Integer: ["5", 5.5, True, [], {}],
               Date: [20261124, "24/11/2026", "2026-02-30", "2026-13-01", "2026-1-5", "hôm nay",
                      "1999-01-01", "2101-01-01", [], True],
               Nested: ["Nguyễn", 7, ["x"], True],
               List: [{"content": "x"}, "Không", 3]}
# Characters the schema refuses in any text: controls (but tab, newline, carriage return),
# bidirectional overrides and isolates, the two non-characters.
REFUSED_CHARS = st.one_of(
    st.characters(categories=["Cc"]).filter(lambda c: c not in "\t\n\r"),
    st.sampled_from(sorted(BIDI_CONTROLS) + ["\ufffe", "\uffff"]))
VIETNAMESE_LETTERS = re.compile("[À-ỹĐđ]")


@st.composite
def refused(draw, form):
    """(body, path): a valid body with one thing broken at `path`."""
    sent = draw(FORMS[form](max_items=1) if form == P01 else FORMS[form](max_rows=2))
    present = list(_fields(SCHEMAS[form](), sent))
    kind = draw(st.sampled_from(["wrong type", "unknown key", "too long", "refused character",
                                 "newline", "required", "range", "choice"]))
    candidates = {
        "wrong type": [(p, f) for p, f, _ in present if type(f) in WRONG_TYPES],
        "too long": [(p, f) for p, f, _ in present if isinstance(f, Text)],
        "refused character": [(p, f) for p, f, v in present
                              if isinstance(f, Text) and isinstance(v, str) and v.strip()],
        "newline": [(p, f) for p, f, v in present if isinstance(f, Text) and not f.multiline],
        "required": [(p, f) for p, f, _ in present if f.required],
        "range": [(p, f) for p, f, _ in present if isinstance(f, Integer)],
        "choice": [(p, f) for p, f, _ in present if isinstance(f, Choice)],
        "unknown key": [((), None)] + [(p, f) for p, f, v in present if isinstance(v, dict)],
    }[kind]
    assume(candidates)
    path, field = draw(st.sampled_from(candidates))
    if kind == "wrong type":
        _set(sent, path, draw(st.sampled_from(WRONG_TYPES[type(field)])))
    elif kind == "unknown key":
        schema = field.schema if field is not None else SCHEMAS[form]()
        key = draw(st.text(string.ascii_letters + "_ăđơư", min_size=1, max_size=20))
        assume(key not in schema.fields)
        node = sent
        for step in path:
            node = node[step]
        node[key] = draw(st.sampled_from(["x", 1, None, {}, []]))
        path = path + (key,)
    elif kind == "too long":
        extra = draw(st.integers(1, 30))
        _set(sent, path, draw(st.sampled_from(["ễ", "a", "Nguyễn ", "{{x}}"]))
             * (field.max_length + extra))
    elif kind == "refused character":
        value = SCHEMAS[form]().load(sent)  # the normalized value, to insert inside it
        node = value
        for step in path:
            node = node[step]
        assume(isinstance(node, str))  # not a one-line value of invisible characters only
        at = draw(st.integers(0, len(node)))
        _set(sent, path, node[:at] + draw(REFUSED_CHARS) + node[at:] + "x")
    elif kind == "newline":
        _set(sent, path, "Nguyễn" + draw(st.sampled_from(["\n", "\r\n", "\r", "\u2028",
                                                          "\u2029"])) + "Văn A")
    elif kind == "required":
        _set(sent, path, draw(st.sampled_from([ABSENT, None, "", "  ", "\n"])) if isinstance(
            field, Text) else draw(st.sampled_from([ABSENT, None])))
    elif kind == "range":
        low, high = field.metadata["minimum"], field.metadata["maximum"]
        _set(sent, path, draw(st.one_of(st.integers(max_value=low - 1),
                                        st.integers(min_value=high + 1))))
    else:
        value = draw(st.text(min_size=1, max_size=20).filter(str.strip))
        assume(fold(value) not in field.lookup and not any(map(_is_refused, value)))
        _set(sent, path, value)
    return sent, _dotted(path)


def _is_refused(char):
    return not accepted_char(char) or char in "\t"


@pytest.mark.parametrize("form", [P01, TH])
def test_every_refused_input_is_a_422_naming_the_field_in_vietnamese(app, form):
    client = app.test_client()

    @examples(150)
    @given(case=refused(form))
    def run(case):
        sent, path = case
        response = client.post(f"/api/v1/{form}", json=sent)
        assert response.status_code == 422, (path, response.status_code)
        body = response.get_json()
        errors = body["errors"]["json"]
        assert path in errors, (path, errors)
        assert body["message"].startswith("Dữ liệu không hợp lệ: ")
        for messages in errors.values():
            for message in messages:
                assert isinstance(message, str) and VIETNAMESE_LETTERS.search(message), message
                assert unicodedata.is_normalized("NFC", message)

    run()


def _nfd(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFD", value)
    if isinstance(value, dict):
        return {key: _nfd(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_nfd(item) for item in value]
    return value


@pytest.mark.parametrize("form", [P01, TH])
def test_decomposed_input_is_accepted_as_its_composed_form(app, form):
    client = app.test_client()

    @examples(100)
    @given(sent=FORMS[form]())
    def run(sent):
        composed = client.post(f"/api/v1/{form}/validate", json=sent)
        decomposed = client.post(f"/api/v1/{form}/validate", json=_nfd(sent))
        assert composed.status_code == decomposed.status_code == 200, decomposed.get_json()
        assert decomposed.get_json()["data"] == composed.get_json()["data"]

    run()
