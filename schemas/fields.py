"""Field types of the input schemas: every message Vietnamese and led by the form's name for it.

Each field takes `label`, the name the form gives it ("Họ và tên"); the label is both the field's
OpenAPI description and the head of its error messages ("Họ và tên: không được để trống").
"""

import re
import unicodedata

from flask import current_app, has_app_context
from marshmallow import fields, validate

MIN_YEAR, MAX_YEAR = 2023, 2100  # Chỉ thị 24-CT/TU dates from 2023
# Line breaks and tabs in one table cell (the setting CELL_MAX_LINE_BREAKS). A cell of many
# short lines is one very tall row that LibreOffice splits over many pages, each cut mended by the
# pagination rules: one of 990 lines took 77 s (past the conversion's time limit), twenty of 99
# lines 5.6 s (docs/SECURITY.md).
CELL_MAX_LINE_BREAKS = 100


def setting(name, default):
    """A bound of the settings (README, «Cấu hình»), or its default outside an app."""
    return int(current_app.config.get(name, default)) if has_app_context() else default


def breaks_in(text):
    """Line breaks and tabs: docxtpl turns each into runs of its own, in one pass whose time grows
    with the square of their number."""
    return text.count("\n") + text.count("\t")

REQUIRED = "không được để trống"
MESSAGES = {
    "required": REQUIRED,
    "null": REQUIRED,
    "invalid": "kiểu dữ liệu không đúng",
    "too_long": "dài quá {max} ký tự (hiện có {length})",
    "control": "chứa ký tự điều khiển không được phép (mã U+{code:04X})",
    "newline": "không được xuống dòng",
    "invalid_choice": "giá trị «{value}» không hợp lệ; chọn một trong: {choices}",
    "range": "phải từ {min} đến {max}",
    "too_many": "tối đa {max} dòng",
    "too_many_lines": "xuống dòng hoặc tab {count} lần trong một ô, tối đa {max}; hãy gộp các "
                      "dòng ngắn lại",
}
TYPE_MESSAGES = {
    "string": "phải là chuỗi ký tự",
    "integer": "phải là số nguyên",
    "date": "phải là ngày hợp lệ dạng NNNN-TT-NN (ví dụ 2026-11-24)",
    "list": "phải là một danh sách",
    "object": "phải là một đối tượng JSON",
}


def _labelled(label, kind, **extra):
    messages = {**MESSAGES, "invalid": TYPE_MESSAGES[kind], **extra}
    return {key: f"{label}: {text}" for key, text in messages.items()}


def _options(label, required, description, kwargs):
    """Keyword arguments shared by every field: required or nullable, label as description."""
    metadata = {"description": description or label, **kwargs.pop("metadata", {})}
    return {"required": required, "allow_none": not required, "metadata": metadata, **kwargs}


# Line and paragraph separators count as newlines; bidirectional overrides can make a printed
# name read other than it is typed, so they are refused like control characters.
LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n"})
BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_control(char):
    return (unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff"
            or char in BIDI_CONTROLS)


def _forbidden_char(text, multiline):
    for char in text:
        if char == "\t" or (multiline and char == "\n"):
            continue
        if char == "\n":
            return "newline", {}
        if _is_control(char):
            return "control", {"code": ord(char)}
    return None


def quoted(text, limit=60):
    """User input repeated in a message: NFC, cut short, unprintable characters replaced."""
    text = "".join("\ufffd" if _is_control(c) else c for c in text[:limit])
    return unicodedata.normalize("NFC", text)


class Text(fields.String):
    """A string, trimmed and normalized to NFC; blank counts as absent.

    Control characters other than tab (and newline where `multiline`) are refused: they cannot be
    printed and some are not even allowed in a Word document's XML. A one-line value (a name, a
    unit, a place) loses its invisible format characters (zero-width space, word joiner, soft
    hyphen, direction marks): two names that print the same are the same name.
    """

    def __init__(self, label, *, max_length, required=False, multiline=False, description=None,
                 **kwargs):
        super().__init__(**_options(label, required, description, kwargs))
        self.error_messages = _labelled(label, "string")
        self.max_length = max_length
        self.multiline = multiline
        self.metadata.setdefault("maxLength", max_length)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").translate(LINE_BREAKS))
        forbidden = _forbidden_char(text.strip(" \n"), self.multiline)
        if forbidden:
            raise self.make_error(forbidden[0], **forbidden[1])
        if not self.multiline:
            text = "".join(char for char in text if unicodedata.category(char) != "Cf")
        text = text.strip()
        if len(text) > self.max_length:
            raise self.make_error("too_long", max=self.max_length, length=len(text))
        most = setting("CELL_MAX_LINE_BREAKS", CELL_MAX_LINE_BREAKS)
        if breaks_in(text) > most:
            raise self.make_error("too_many_lines", max=most, count=breaks_in(text))
        if not text:
            if self.required:
                raise self.make_error("required")
            return None
        return text


def fold(text):
    """Lower case, no accents, đ as d, words joined by "_": "Hoàn thành tốt" → "hoan_thanh_tot"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


class Choice(fields.String):
    """One of a closed vocabulary: the slug, or the Vietnamese label in any case, with or without
    accents. Loads to the slug."""

    def __init__(self, label, choices, *, aliases=None, required=False, **kwargs):
        listing = "; ".join(f"{slug} ({text})" for slug, text in choices.items())
        kwargs.setdefault("metadata", {})["enum"] = list(choices)
        super().__init__(**_options(label, required, f"{label}. Giá trị: {listing}.", kwargs))
        self.error_messages = _labelled(label, "string")
        self.choices = choices
        self.lookup = {}
        for slug, text in choices.items():
            for name in (slug, text, *(aliases or {}).get(slug, ())):
                self.lookup[fold(name)] = slug

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            if self.required:
                raise self.make_error("required")
            return None
        slug = self.lookup.get(fold(text))
        if slug is None:
            raise self.make_error("invalid_choice", value=quoted(text),
                                  choices=", ".join(self.choices.values()))
        return slug


class Integer(fields.Integer):
    def __init__(self, label, *, minimum, maximum, required=False, **kwargs):
        super().__init__(strict=True, validate=validate.Range(minimum, maximum),
                         **_options(label, required, None, kwargs))
        self.error_messages = _labelled(label, "integer")
        self.validators[0].error = self.error_messages["range"].format(min=minimum, max=maximum)
        self.metadata.update(minimum=minimum, maximum=maximum)


class Date(fields.Date):
    def __init__(self, label, *, required=False, **kwargs):
        super().__init__(**_options(label, required, None, kwargs))
        self.error_messages = _labelled(label, "date", format=TYPE_MESSAGES["date"],
                                        range="năm phải từ {min} đến {max}")

    def _deserialize(self, value, attr, data, **kwargs):
        day = super()._deserialize(value, attr, data, **kwargs)
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise self.make_error("range", min=MIN_YEAR, max=MAX_YEAR)
        return day


class Nested(fields.Nested):
    def __init__(self, schema, label, *, required=False, **kwargs):
        super().__init__(schema, **_options(label, required, None, kwargs))
        self.error_messages = _labelled(label, "object")

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):  # else the message would be the schema's, unlabelled
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class List(fields.List):
    """A list of `inner`, none of them null."""

    def __init__(self, inner, label, *, max_items, required=False, **kwargs):
        inner.allow_none = False
        super().__init__(inner, validate=validate.Length(max=max_items),
                         **_options(label, required, None, kwargs))
        self.error_messages = _labelled(label, "list")
        self.validators[0].error = self.error_messages["too_many"].format(max=max_items)
        self.metadata["maxItems"] = max_items
