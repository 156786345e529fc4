"""Parsing amendment language: a sticker's text in, an ``Amendment`` (instructions, notices) out.

Modules, in the order they build on each other: ``fold`` (quotation marks and white space with a map
back to the text), ``vocabulary`` (the words), ``locator`` (where), ``actions`` (what), ``scan`` (the
sticker as a whole: headers, blocks of new text, notices, boilerplate) and ``english`` (an
instruction written back). Pure: text in, values out. Resolving a locator belongs to ``locate``."""

from __future__ import annotations

from .english import render_instruction
from .scan import parse_amendment

__all__ = ["parse_amendment", "render_instruction"]
