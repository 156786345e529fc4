"""Resolving instructions against a segmented text: where each lands, with what exact edit, or why not.

Pure: an ``Amendment`` and a ``Segmented`` text in, one ``Resolution`` per instruction out. Applying
resolutions is ``diffing``'s.

How a target is found:

0. The new text is checked against what the target needs (``newtext``): a definition must define
   its term, a risk factor start with a title, a table hold columns or figures, and no new text may
   carry the wording of an instruction (the sign that the parser ran on into the next one).
   Otherwise the instruction is refused, with the reason, before anything is located.
1. *Units* of the target's kind are listed (``units``): logical paragraphs (a paragraph cut by a page
   break counts once), sentences, bullets, tables, definitions, risk factors, sections and heading
   lines, each with the heading instance it sits under and its position there, from the start and
   from the end.
2. Every constraint the sticker names must hold (``fit``): the heading path ends with the heading
   named (its normalised words; a near miss is another heading), the page is the one named or next
   to it, the ordinal names this unit, the term or title is its own. A unit that breaks one is out of
   reach; an instruction with none in reach is ``unresolved``, with the reason.
3. Among the units in reach, the locator prefers the closest fit (the page named to the page next
   to it, a block right under the heading to one under a sub-heading). Places it cannot tell apart
   are told apart by the new text only when it is decisive (``decide``): like one place and clearly
   more like it than the others; otherwise the instruction is ``ambiguous`` and every candidate is
   shown.
4. The edit itself (``edits``) is exact: the span and the text put there. Tables are read into
   columns, rows and cells (``tables``); a column or rows restated, a cell by its column and row,
   rows deleted (``table_edits``). Words changed everywhere, and front-cover values
   (``everywhere``). A counted position in a container, and the dispatch (``resolve``).

Modules, from the ground up: thresholds, match, units, fit, tables, newtext, edits, decide,
everywhere, table_edits, resolve.
"""

from .newtext import implausible_new_text
from .resolve import resolve_amendment, resolve_instruction
from .units import unit_page

__all__ = ["implausible_new_text", "resolve_amendment", "resolve_instruction", "unit_page"]
