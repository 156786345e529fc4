"""The sticker parser's entry points under their first name; the parser itself is ``tracker.parse``."""

from .parse import parse_amendment, render_instruction

__all__ = ["parse_amendment", "render_instruction"]
