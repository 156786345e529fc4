"""Bytes of a filing to its text: the one decoding that reading and re-reading share.

Kept apart from ``edgar`` (which compiles some hundred regular expressions when imported) because
reading a stored version may need it: an original version is kept as a slice of its filing's text.
"""

from __future__ import annotations

import codecs
import re

MIXED = "utf-8+cp1252"

# A well-formed UTF-8 sequence of two bytes or more: text that holds one and still fails as UTF-8 is
# UTF-8 with bytes of another code page pasted in (cp1252 quotation marks beside UTF-8 accents).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _cp1252_bytes(exc: UnicodeDecodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8, read as cp1252 (latin-1 for the five it leaves undefined)."""
    out = []
    for byte in exc.object[exc.start:exc.end]:
        try:
            out.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(bytes([byte]).decode("latin-1"))
    return "".join(out), exc.end


codecs.register_error("tracker-cp1252", _cp1252_bytes)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes of the era; return (text, encoding used). Never fails.

    UTF-8 with some bytes that are not (``MIXED``) keeps its UTF-8 and reads the others as cp1252.
    ``encoding``, when given, is the one an earlier read found: the same bytes decode the same way
    whatever this function would choose now.
    """
    if encoding is not None:
        if encoding == MIXED:
            return data.decode("utf-8", errors="tracker-cp1252"), MIXED
        return data.decode(encoding, errors="replace"), encoding
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_SEQUENCE.search(data):
        return data.decode("utf-8", errors="tracker-cp1252"), MIXED
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def normalise_newlines(text: str) -> str:
    """Unix line ends, no byte-order marks (each pass only when there is something to replace)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    return text


def filing_text(data: bytes, encoding: str | None = None) -> str:
    """A filing's whole text, as ``edgar.read_filing`` sees it before splitting it into documents
    (decoded as ``encoding`` when an earlier read recorded it)."""
    return normalise_newlines(decode(data, encoding)[0])
