"""Small read-only helpers over a ``Segmented``: bullet bodies, continued paragraphs, blocks under a heading."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..models import Block, Segmented
from ..text import normalise_heading
from .lines import _BULLET, _ends_sentence


def bullet_body(seg: Segmented, block: Block) -> tuple[int, int]:
    """The span of a bullet item's text after its marker."""
    line = seg.text[block.start : block.end]
    m = _BULLET.match(line)
    return (block.start + (m.end() if m else 0), block.end)


def continues_previous(seg: Segmented, block: Block) -> bool:
    """True when ``block`` is a paragraph that carries on a sentence cut by a page break."""
    if block.kind != "paragraph":
        return False
    prev = None
    for b in reversed(seg.blocks[max(0, block.index - 4) : block.index]):
        if b.kind != "risk_factor" and b.end <= block.start:
            prev = b
            break
    # It must open its page, right after a paragraph that ends the page before.
    if prev is None or prev.page != block.page - 1 or prev.kind not in ("paragraph", "definition"):
        return False
    return not _ends_sentence(seg.text[prev.start : prev.end])


def blocks_under(
    seg: Segmented, heading_path: Sequence[str], kinds: Iterable[str] | None = None
) -> list[Block]:
    """Blocks whose heading path holds ``heading_path`` in order, ending with its last part.

    Parts may be skipped in the block's path (a sticker may name only some levels), but the last
    part named must be a heading the block sits under (or the block itself); of the blocks that
    qualify, those that fit best are returned.
    """
    want = [normalise_heading(h) for h in heading_path]
    kinds = set(kinds) if kinds else None
    scored = []
    for b in seg.blocks:
        if kinds and b.kind not in kinds:
            continue
        ok, share = heading_match(b.heading, want)
        if ok:
            scored.append((share, b))
    best = max((s for s, _ in scored), default=0.0)
    # Only the blocks that fit the path best: the body's "Description of the Certificates >
    # Advances" wins over the Summary's "Advances".
    return [b for s, b in scored if s == best]


def heading_match(block_path: Sequence[str], want: Sequence[str]) -> tuple[bool, float]:
    """Whether normalised ``want`` fits ``block_path``, and the share of its parts found in order.

    The last part of ``want`` must equal one of the block's headings, deepest first; the earlier
    parts are searched above it in order.
    """
    if not want:
        return True, 1.0
    have = [normalise_heading(h) for h in block_path]
    # The innermost occurrence of the last part.
    pos = None
    for j in range(len(have) - 1, -1, -1):
        if have[j] == want[-1]:
            pos = j
            break
    if pos is None:
        return False, 0.0
    found = 1
    k = pos - 1
    for w in reversed(want[:-1]):
        j = k
        while j >= 0 and have[j] != w:
            j -= 1
        if j >= 0:
            found += 1
            k = j - 1
    share = found / len(want)
    # Headings below the named one make the fit looser.
    depth_penalty = 0.1 * (len(have) - 1 - pos)
    return True, max(0.0, share - depth_penalty)
