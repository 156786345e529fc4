"""Redlines between two versions of a document: what changed, where, and which instruction did it.

What belongs here: the block-aligned comparison of two texts (``compare``), matching changes to the
instructions that produced them (``attach_provenance``), the structured report (``report_json``) and
the renderers built on that report only (``render_text``, ``render_markdown``, ``render_html``).
Pure functions: values in, values out; the renderers return strings. The modules: ``changes``
(alignment, changes, provenance), ``report`` (the report and shared wording), ``text`` (plain text
and Markdown), ``html``; the Word and PDF redlines (``docx_redline``, ``pdf_redline``) read the same report.

How ``compare`` works, and why it is fast: both texts are segmented and the two block sequences
are aligned on the blocks' texts; the blocks that differ are folded (runs of white space become one
space, so re-wrapping is no change) and aligned again. Only the regions that still differ are diffed
word by word; an unchanged block costs a slice and a dictionary lookup. A block deleted in one place and inserted, identically or nearly (word
similarity >= 0.9), in another is reported once, as ``moved``. Everything is deterministic: no
timeouts, no randomness, ties broken by position.

Text outside blocks (``<PAGE>`` lines and printed page labels) is page furniture: a change there alone
(repagination) is not reported.
"""

from .changes import (
    CONTEXT_CHARS,
    KINDS,
    MOVE_RATIO,
    PAIR_RATIO,
    Change,
    attach_provenance,
    compare,
    fold,
)
from .html import render_html
from .report import report_json, source_name
from .text import MARKERS, fold_keep_edges, render_markdown, render_text, text_markers

__all__ = [
    "CONTEXT_CHARS",
    "Change",
    "KINDS",
    "MARKERS",
    "MOVE_RATIO",
    "PAIR_RATIO",
    "attach_provenance",
    "compare",
    "fold",
    "fold_keep_edges",
    "render_html",
    "render_markdown",
    "render_text",
    "report_json",
    "source_name",
    "text_markers",
]
