"""Files made without archive code, kept in memory so that the same form asked again is not made
again: the web page's «Xem trước» → «Tải PDF» → «Tải Word» is one render and one conversion.

A file is keyed by what makes it: the template's bytes (their SHA-256), the context and document
properties it is filled with (canonical JSON), the format and the PDF/A flag. A changed template,
another day's date printed on the form, another place name, each makes another key. A form issued
into the archive is never served from here: it carries its own code (documents/make.py).

Bounded: the blank forms, one per template, format and flag, are kept while the service runs (a
few hundred kB); the filled ones up to PHIEU_RESULT_CACHE_MB in all, the least recently used
going first.
"""

import hashlib
import json
import threading
import weakref
from collections import OrderedDict

DEFAULT_MB = 32


class Recent:
    """A thread-safe LRU of bytes, bounded by their total size."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._entries = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key, value):
        if len(value) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._size += len(value) - (len(old) if old is not None else 0)
            self._entries[key] = value
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped)

    def resize(self, max_bytes):
        with self._lock:
            self.max_bytes = max_bytes
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped)

    @property
    def size(self):
        return self._size


class Blanks:
    """The blank forms: one per (template, format, flag), replaced when its key changes."""

    def __init__(self):
        self._entries = {}
        self._lock = threading.Lock()

    def get(self, slot, key):
        with self._lock:
            found = self._entries.get(slot)
        return found[1] if found is not None and found[0] == key else None

    def put(self, slot, key, value):
        with self._lock:
            self._entries[slot] = (key, value)


# One pair per converter (a service has one; tests make several, some without LibreOffice, and
# what one made must not answer for another); files made without converter (Word only) share one.
_CACHES = weakref.WeakKeyDictionary()
_WITHOUT_CONVERTER = (Recent(DEFAULT_MB * 1024 * 1024), Blanks())


def _caches(converter):
    if converter is None:
        return _WITHOUT_CONVERTER
    found = _CACHES.get(converter)
    if found is None:
        found = _CACHES.setdefault(converter, (Recent(DEFAULT_MB * 1024 * 1024), Blanks()))
    return found


def content_key(template_digest, context, metadata):
    """What a file is made of, as a digest; None when the context is not plain JSON data."""
    try:
        canonical = json.dumps([template_digest, context, metadata], sort_keys=True,
                               ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(canonical.encode()).hexdigest()


def cached(key, slot, make, *, settings, converter):
    """The bytes for `key` (a tuple), from memory or made by `make()` and kept. `slot` names a
    blank form's place (None for a filled form)."""
    recent, blanks = _caches(converter)
    if slot is not None:
        found = blanks.get(slot, key)
        if found is None:
            found = make()
            blanks.put(slot, key, found)
        return found
    recent.resize(int(settings.get("RESULT_CACHE_MB", DEFAULT_MB) * 1024 * 1024))
    found = recent.get(key)
    if found is None:
        found = make()
        recent.put(key, found)
    return found
