"""Reading filings: bytes in, a parsed filing with its documents out, each document classified.

Modules: ``decoding`` (the bytes' encoding, line ends), ``envelope`` (SGML full submissions, bare text,
HTML: which it is, the SEC header, the documents), ``html`` (HTML as EDGAR-style text, read with a
browser-grade parser), ``dates`` (dates as filings print them) and ``classify`` (what each document is,
its dates and what it amends, from its cover).
"""

from .classify import classify
from .dates import parse_date_text
from .decoding import filing_text
from .envelope import read_filing
from .html import html_to_text

__all__ = ["classify", "filing_text", "html_to_text", "parse_date_text", "read_filing"]
