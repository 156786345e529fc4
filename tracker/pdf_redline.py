"""The redline as a paginated PDF, made from the HTML redline by WeasyPrint (no browser needed).

What belongs here: the print layer over ``redline.render_html`` (page size and margins, a footer on
every page naming the document, the two versions, the generation time and the database, and
"page N of M") and the call that lays it out (``render_pdf``).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping
from typing import Any

from .errors import TrackerError
from .redline import render_html


def print_css(report: Mapping[str, Any]) -> str:
    """The page rules: Letter paper, the stamp in the footer, page numbers on the right."""
    d, fr, to = report["document"], report["from"], report["to"]
    g = report.get("generated") or {}
    stamp = (f"{d['key']} — version {fr['number']} (effective {fr['effective_date']}) to version "
             f"{to['number']} (effective {to['effective_date']})")
    made = f"generated {g.get('at')} from {g.get('database')} by tracker {g.get('tracker')}" if g else ""
    return (
        "@page { size: Letter; margin: 16mm 14mm 22mm 14mm;"
        f" @bottom-left {{ content: {_css_string(stamp)} '\\A' {_css_string(made)};"
        " white-space: pre-wrap; font: 7pt Georgia, serif; color: #444; width: 80%; }"
        " @bottom-right { content: 'page ' counter(page) ' of ' counter(pages);"
        " font: 8pt Georgia, serif; color: #444; } }\n"
        "body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }\n"
    )


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string (quotes, backslashes and line breaks escaped)."""
    out = text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\A ")
    return f"'{out}'"


def render_pdf(report: Mapping[str, Any]) -> bytes:
    """The redline report as PDF bytes."""
    try:
        with warnings.catch_warnings():  # a notice about a font library of the future, not ours
            warnings.simplefilter("ignore", DeprecationWarning)
            from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: the pango library is missing
        raise TrackerError(f"PDF output needs WeasyPrint (pip install 'tracker[pdf]') and the pango "
                           f"library: {exc}") from None
    # WeasyPrint reports every CSS property it ignores (screen-only rules) as a warning.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    page = render_html(report).replace("</head>", f"<style>{print_css(report)}</style>\n</head>", 1)
    return HTML(string=page).write_pdf()
