"""Bytes of a filing to its text: the one decoding that reading and re-reading share.

Kept apart from ``edgar`` (which compiles some hundred regular expressions when imported) because
reading a stored version may need it: an original version is kept as a slice of its filing's text.
"""

from __future__ import annotations


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of the era; return (text, encoding used). Never fails."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1"), "latin-1"


def normalise_newlines(text: str) -> str:
    """Unix line ends, no byte-order marks (each pass only when there is something to replace)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\ufeff" in text:
        text = text.replace("\ufeff", "")
    return text


def filing_text(data: bytes) -> str:
    """A filing's whole text, as ``edgar.read_filing`` sees it before splitting it into documents."""
    return normalise_newlines(decode(data)[0])
