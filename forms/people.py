"""Who a form is about: a person's name as the archive and the rules match it."""

import unicodedata


def name_key(name):
    """A person's name as matched: NFC, case and spacing ignored («Nguyễn  văn An» is «nguyễn
    văn an»); accents count, so «An» and «Ân» are two people."""
    return " ".join(unicodedata.normalize("NFC", name or "").casefold().split())


def is_heads_own(data):
    """Whether a Phiếu 01 is the unit head's own: the person assessed is the head who signs."""
    head = name_key(data.get("head_name"))
    return bool(head) and head == name_key((data.get("person") or {}).get("full_name"))
