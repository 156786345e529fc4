"""HTML for the review screens: escaping, a small element builder, and the frame every page shares.

What belongs here: the one way text reaches a page (``esc``: markup characters escaped, control and
invisible formatting characters shown as visible symbols rather than passed through), ``tag`` (which
escapes every string child and attribute it is given, so a page cannot forget to), links into the
screens, and ``page``, the frame around each screen. No screen's content: that is ``pages``'.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, urlencode


class Safe(str):
    """Markup already escaped (made by ``esc`` or ``tag``): put on a page as it is."""


# C0 and C1 controls (but tab and newline, which lay out plain text), DEL, and the invisible
# characters that can make text read otherwise than it is: zero-width spaces and joiners,
# directional marks, embeddings, overrides and isolates, the line and paragraph separators, the BOM.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def _shown(ch: str) -> str:
    """A visible stand-in for a hidden character: its Control Pictures symbol, else its code."""
    code = ord(ch)
    symbol = chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else f"U+{code:04X}"
    return f'<span class="ctl" title="U+{code:04X}">{symbol}</span>'


def esc(value: Any) -> Safe:
    """Text as HTML: ``<``, ``&`` and quotes escaped, hidden characters shown (``None`` is empty)."""
    if isinstance(value, Safe):
        return value
    text = "" if value is None else str(value)
    out, at = [], 0
    for m in _HIDDEN.finditer(text):
        out.append(html.escape(text[at:m.start()], quote=True))
        out.append(_shown(m.group()))
        at = m.end()
    out.append(html.escape(text[at:], quote=True))
    return Safe("".join(out))


def show_hidden(markup: str) -> Safe:
    """Markup made elsewhere (and escaped there) with its hidden characters shown as ``esc`` shows
    them; only for text between elements, as a redline's body has it."""
    return Safe(_HIDDEN.sub(lambda m: _shown(m.group()), markup))


def attr(value: Any) -> str:
    """An attribute value: escaped, hidden characters replaced by U+FFFD (no markup fits there)."""
    return html.escape(_HIDDEN.sub("\ufffd", "" if value is None else str(value)), quote=True)


VOID = {"br", "hr", "input", "meta", "link", "img"}


def tag(element: str, /, *children: Any, **attrs: Any) -> Safe:
    """One element: string children escaped, ``Safe`` ones as they are, lists flattened, ``None``
    and ``False`` left out. Attributes: ``class_`` is ``class``, ``data_x`` is ``data-x``; ``True``
    writes the bare attribute, ``None`` and ``False`` none."""
    parts = [f"<{element}"]
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        parts.append(f" {key}" if value is True else f' {key}="{attr(value)}"')
    parts.append(">")
    if element in VOID:
        return Safe("".join(parts))
    parts.extend(_flatten(children))
    parts.append(f"</{element}>")
    return Safe("".join(parts))


def join(*children: Any) -> Safe:
    """Several pieces of markup or text, one after the other."""
    return Safe("".join(_flatten(children)))


def _flatten(children: Iterable[Any]) -> Iterable[str]:
    for child in children:
        if child is None or child is False:
            continue
        if isinstance(child, (list, tuple)) or (hasattr(child, "__next__")):
            yield from _flatten(child)
        else:
            yield esc(child)


def marked(text: str, start: int, end: int) -> Safe:
    """``text`` with ``text[start:end]`` in a ``<mark>``; both sides escaped."""
    return join(text[:start], tag("mark", text[start:end]), text[end:])


# --- links -----------------------------------------------------------------------------------


def url(*path: Any, **query: Any) -> str:
    """A path inside the server (each part percent-encoded; slashes kept, as document keys have
    them) with its query (parts that are None left out)."""
    out = "/" + "/".join(quote(str(p), safe="/") for p in path if p is not None and p != "")
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return out + ("?" + urlencode(query) if query else "")


def document_url(key: str, **query: Any) -> str:
    """The document screen of ``key``."""
    return url("documents", key, **query)


def filing_url(filing_id: int, n: int | None = None, **query: Any) -> str:
    """The filing screen, or with ``n`` the decide screen of one of its instructions."""
    return url("filings", filing_id, *(("instructions", n) if n is not None else ()), **query)


def badge(status: str | None) -> Safe:
    """A status (of an instruction or an amendment) as a coloured label."""
    return tag("span", status or "none", class_=f"badge s-{status or 'none'}")


# --- the frame -------------------------------------------------------------------------------

_NAV = [("queue", "/", "Review queue"), ("documents", "/documents", "Documents")]


def page(title: str, *body: Any, active: str = "", database: str = "") -> str:
    """A whole page: the header with the navigation, the body, the stylesheet and the script."""
    nav = [tag("a", label, href=href, class_="active" if key == active else None) for key, href, label in _NAV]
    return "<!DOCTYPE html>\n" + tag(
        "html",
        tag("head", Safe('<meta charset="utf-8">'),
            Safe('<meta name="viewport" content="width=device-width, initial-scale=1">'),
            tag("title", f"{title} · tracker"),
            Safe('<link rel="stylesheet" href="/static/app.css">'),
            Safe('<script src="/static/app.js" defer></script>')),
        tag("body",
            tag("header", tag("a", "tracker", href="/", class_="brand"), tag("nav", nav),
                tag("span", database, class_="db", title="database") if database else None,
                class_="top"),
            tag("main", body)),
        lang="en",
    ) + "\n"
