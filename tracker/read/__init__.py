"""Reading filings: bytes in, a parsed filing with its documents out, each document classified.

Modules: ``decoding`` (the bytes' encoding, line ends), ``envelope`` (SGML full submissions, bare text,
HTML: which it is, the SEC header, the documents), ``html`` (HTML as EDGAR-style text, read with a
browser-grade parser), ``dates`` (dates as filings print them) and ``classify`` (what each document is,
its dates and what it amends, from its cover).

Each name below is imported from its module when first asked for: reading a stored version needs
``filing_text`` alone, not the classifier's patterns nor the HTML parser (``read.classify`` is the
function, as it has always been, not the module of the same name).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .classify import classify
    from .dates import parse_date_text
    from .decoding import filing_text
    from .envelope import read_filing
    from .html import html_to_text

_HOME = {
    "classify": "classify",
    "filing_text": "decoding",
    "html_to_text": "html",
    "parse_date_text": "dates",
    "read_filing": "envelope",
}

__all__ = ["classify", "filing_text", "html_to_text", "parse_date_text", "read_filing"]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f".{home}", __name__)
    # Importing a module sets it as an attribute of this package; the name means the function.
    for other, where in _HOME.items():
        if where == home:
            globals()[other] = getattr(module, other)
    return globals()[name]
