"""Segmenting a plain-text prospectus: pages, blocks with exact spans, heading paths, sentences.

What belongs here: everything that turns the text of one version into its structure (``segment``),
sentence spans inside a block (``sentences``) and small read-only helpers over a ``Segmented``. Pure
functions only. The modules, in the order a text goes through them: ``lines`` (what a line looks
like), ``pages`` (page breaks, labels, running heads), ``chunks`` (runs of lines and their kinds),
``outline`` (blocks and heading paths), ``resume`` (an edited text segmented again where it
changed only), ``blocks`` and ``sentences`` (read-only helpers).

Decisions the locator relies on:

- A block's span starts at its first non-blank character and ends after its last one, except
  tables and tables of contents, whose span starts at the beginning of their first line (their
  layout is by column). The ``<PAGE>`` line and a page's label line belong to no block.
- A risk factor (in the RISK FACTORS section) is one ``risk_factor`` block spanning its title line
  and its body paragraphs (across pages too), *in addition to* its parts: a ``heading`` block for
  the title and ``paragraph`` blocks for the body. Its ``heading`` path ends with its title and
  its ``term`` is the title.
- A paragraph cut by a ``<PAGE>`` break mid-sentence stays two ``paragraph`` blocks, one per page,
  so no block ever swallows a page footer; ``continues_previous`` tells the locator that the
  second part continues the first, and the locator treats the two as one paragraph.
- A table's block spans its header rows, rule and body rows; its title line (the short line
  above it) is a separate ``heading`` block, and the table's ``term`` is that title. A centred
  title is not pushed onto the heading path (it names the table, not a section).
- A heading directly followed by another heading opens a deeper level: the headings after it
  are one level deeper until the next heading that is itself directly followed by a heading,
  or the next level-1 section ("Description of the Certificates" > "General" in a Summary).
"""

from ..text import normalise_heading
from .blocks import blocks_under, bullet_body, continues_previous, heading_match
from .chunks import definition_term
from .outline import Trace, segment, segment_traced
from .resume import Splice, resegment
from .sentences import sentences

__all__ = [
    "Splice",
    "Trace",
    "blocks_under",
    "bullet_body",
    "continues_previous",
    "definition_term",
    "heading_match",
    "normalise_heading",
    "resegment",
    "segment",
    "segment_traced",
    "sentences",
]
