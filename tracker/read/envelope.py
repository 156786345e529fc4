"""A filing's bytes in, its documents out: EDGAR full-submission SGML with its header, bare text or HTML.

What belongs here: refusing what cannot be a filing (binary, empty, truncated), telling the formats
apart, reading the SEC header and the <DOCUMENT> parts. Decoding is ``decoding``'s; HTML is ``html``'s."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from .decoding import decode, normalise_newlines
from ..errors import InputError
from .html import html_to_text
from ..models import (
    Header,
    ParsedFiling,
    RawDocument,
    accession_number,
    file_number,
)

_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office (OLE)"),
)


# C0 controls other than tab, newline, vertical tab, form feed, carriage return and the DOS
# end-of-file mark; EDGAR text of the era uses form feeds, real text uses none of these.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f]")


def _check_bytes(data: bytes) -> None:
    """Refuse input that is empty or plainly not text, naming what it is."""
    if not data.strip():
        raise InputError("empty input: no bytes to read" if not data else "input holds only white space")
    head = data.lstrip()[:16]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            raise InputError(f"binary input: this is a {name} file, not a filing")
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("binary input: NUL bytes found, not a text filing")


def _check_text(text: str) -> None:
    if not text.strip():
        raise InputError("input holds only white space")
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise InputError("binary input: too many control characters for a text filing")
    if not re.search(r"[^\W\d_]", text):
        raise InputError("not a filing: the input holds no letters")


_SGML_START = re.compile(r"\A\s*<(?:SEC-DOCUMENT|SEC-HEADER|SUBMISSION|IMS-DOCUMENT|IMS-HEADER|DOCUMENT)>")


_HTML_STRONG = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)


# Tags that EDGAR's own text markup (<TABLE>, <CAPTION>, <S>, <C>, <FN>, <PAGE>) never uses.
_HTML_TAG = re.compile(
    r"</?(?:p|div|br|font|td|tr|span|center|hr|h[1-6]|b|i|a\s+href)\b[^>]*>", re.IGNORECASE
)


def _looks_like_html(text: str) -> bool:
    sample = text[:8192]
    return bool(_HTML_STRONG.search(sample)) or len(_HTML_TAG.findall(sample)) >= 3


def read_filing(data: bytes) -> ParsedFiling:
    """Read one filing from bytes: EDGAR SGML, a bare text document or one HTML document.

    Raises ``InputError`` (one line) for empty, binary, truncated or non-filing input.
    """
    _check_bytes(data)
    text, encoding = decode(data)
    text = normalise_newlines(text)
    _check_text(text)
    if _SGML_START.match(text) or "<SEC-HEADER>" in text[:4096]:
        header, documents = _read_sgml(text)
        return ParsedFiling(header=header, documents=documents, encoding=encoding, format="sgml")
    if _looks_like_html(text):
        converted = html_to_text(text)
        if not re.search(r"[^\W\d_]", converted):
            raise InputError("not a filing: the HTML holds no text")
        doc = RawDocument(text=converted, is_html=True)
        return ParsedFiling(header=Header(), documents=(doc,), encoding=encoding, format="html")
    doc = RawDocument(text=text)
    return ParsedFiling(header=Header(), documents=(doc,), encoding=encoding, format="text")


# SEC-HEADER / IMS-HEADER lines are "KEY:<tab>value"; the older <SUBMISSION> header uses tags.
_HEADER_LINE = re.compile(r"^\s*([A-Z][A-Z0-9 ()/-]*?):[ \t]*(\S.*?)\s*$", re.MULTILINE)


_HEADER_TAG = re.compile(r"^<([A-Z][A-Z0-9-]*)>[ \t]*(\S.*?)\s*$", re.MULTILINE)


_HEADER_KEYS = {
    "accession": ("ACCESSION NUMBER", "ACCESSION-NUMBER"),
    "form_type": ("CONFORMED SUBMISSION TYPE", "TYPE"),
    "filed": ("FILED AS OF DATE", "FILING-DATE"),
    "period": ("CONFORMED PERIOD OF REPORT", "PERIOD"),
    "company": ("COMPANY CONFORMED NAME", "CONFORMED-NAME"),
    "cik": ("CENTRAL INDEX KEY", "CIK"),
    "file_number": ("SEC FILE NUMBER", "FILE-NUMBER"),
    "irs_ein": ("IRS NUMBER", "IRS-NUMBER"),
}


def _compact_date(value: str | None) -> dt.date | None:
    """Parse an SGML header date (YYYYMMDD); None when absent or impossible."""
    if not value or not re.fullmatch(r"\d{8}", value):
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def _ein(value: str | None) -> str | None:
    """Print an IRS employer number as ``01-0791848``; None when absent or all zeros."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) != 9 or not digits.strip("0"):
        return None
    return f"{digits[:2]}-{digits[2:]}"


def _read_header(block: str, preamble: str) -> Header:
    found: dict[str, str] = {}
    for regex in (_HEADER_LINE, _HEADER_TAG):
        for m in regex.finditer(block):
            found.setdefault(m.group(1).strip(), m.group(2))  # the first filer block wins

    def get(field: str) -> str | None:
        return next((found[k] for k in _HEADER_KEYS[field] if k in found), None)

    accession = None
    for candidate in (get("accession"), preamble):
        m = re.search(r"\d{10}-\d{2}-\d{6}|\b\d{18}\b", candidate or "")
        if m:
            accession = accession_number(m.group(0))
            break
    try:
        number = file_number(get("file_number") or "")
    except ValueError:
        number = None
    return Header(
        accession=accession,
        form_type=get("form_type"),
        filed=_compact_date(get("filed")),
        period=_compact_date(get("period")),
        company=get("company"),
        cik=get("cik"),
        file_number=number,
        irs_ein=_ein(get("irs_ein")),
    )


def _read_sgml(text: str) -> tuple[Header, tuple[RawDocument, ...]]:
    starts = [m.start() for m in re.finditer(r"<DOCUMENT>", text)]
    if not starts:
        raise InputError("SGML filing holds no <DOCUMENT>")
    envelope = text[: starts[0]]
    first_line = envelope.split("\n", 1)[0]
    header = _read_header(envelope, first_line)
    documents = []
    for n, start in enumerate(starts, 1):
        end = starts[n] if n < len(starts) else len(text)
        documents.append(_read_sgml_document(text[start:end], n))
    if header.form_type is None and documents[0].type:
        header = dataclasses.replace(header, form_type=documents[0].type)
    return header, tuple(documents)


def _read_sgml_document(chunk: str, n: int) -> RawDocument:
    """Read one ``<DOCUMENT>`` chunk (up to the next one or the end of the file)."""
    closed = "</DOCUMENT>" in chunk
    text_at = chunk.find("<TEXT>")
    if text_at < 0:
        if not closed:
            raise InputError(f"truncated SGML: document {n} ends before its <TEXT>")
        raise InputError(f"SGML document {n} has no <TEXT>")
    fields = {m.group(1): m.group(2) for m in _HEADER_TAG.finditer(chunk[:text_at])}
    body_start = text_at + len("<TEXT>")
    body_end = chunk.find("</TEXT>", body_start)
    if body_end < 0:
        body_end = chunk.find("</DOCUMENT>", body_start)
        if body_end < 0:
            raise InputError(f"truncated SGML: document {n} has <TEXT> but no </TEXT> or </DOCUMENT>")
    body = chunk[body_start:body_end]
    body = re.sub(r"\A[ \t]*\n", "", body).rstrip() + "\n"
    is_html = False
    if re.match(r"\s*begin [0-7]{3} ", body) or re.match(r"\s*<PDF>", body, re.IGNORECASE):
        body = ""  # an uuencoded graphic or PDF rendition: no text to keep
    elif _looks_like_html(body):
        body, is_html = html_to_text(body), True
    sequence = fields.get("SEQUENCE")
    return RawDocument(
        text=body,
        type=fields.get("TYPE"),
        sequence=int(sequence) if sequence and sequence.isdigit() else None,
        filename=fields.get("FILENAME"),
        description=fields.get("DESCRIPTION"),
        is_html=is_html,
    )
