"""Parsing amendment language: a sticker's text in, an ``Amendment`` (instructions, notices) out.

Modules, in the order they build on each other: ``fold`` (quotation marks and white space with a map
back to the text), ``vocabulary`` (the words), ``locator`` (where: one reader per locator part),
``clause`` (one instruction read from a sentence, and its target), ``builders`` and ``forms`` (what:
the action grammar, one table of forms each with its builder), ``headers`` (one sentence: one action,
several edits, a notice), ``sentences`` (where sentences begin and end, the closing words), ``blocks``
(new text without the sticker's layout), ``scan`` (the sticker as a whole) and ``english`` (an
instruction written back). Pure: text in, values out. Resolving a locator belongs to ``locate``."""

from __future__ import annotations

from .english import render_instruction
from .scan import parse_amendment

__all__ = ["parse_amendment", "render_instruction"]
