"""Which version (and which instruction) produced each character of a text: the basis of blame.

Pure: takes the texts of a version chain and, per step, the instruction spans in the parent; returns
runs of (length, origin) over the last text, and the passages each step deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .diffing import diff_ops

ORIGINAL = None  # origin of text present since the first version


@dataclass(frozen=True)
class Run:
    """``length`` characters that came from ``origin`` (None: the original text)."""

    length: int
    origin: Any


@dataclass(frozen=True)
class Deletion:
    """Text that one step removed, with what replaced it in the same place."""

    origin: Any
    old_start: int  # offset in the parent text
    deleted: str
    replaced_by: str


def _origin_for(spans: Sequence[tuple[int, int, Any]], pos: int, default: Any) -> Any:
    """The instruction whose parent span holds ``pos`` (touching counts), else the step itself."""
    best = None
    for start, end, origin in spans:
        if start <= pos <= end:
            if best is None or end - start < best[1] - best[0]:
                best = (start, end, origin)
    return best[2] if best else default


def trace(
    texts: Sequence[str], steps: Sequence[tuple[Any, Sequence[tuple[int, int, Any]]]]
) -> tuple[list[Run], list[Deletion]]:
    """Follow a chain of texts; ``steps[i]`` = (origin of step i, [(start, end, instruction origin)]).

    ``texts[0]`` is the original; ``texts[i + 1]`` was made from ``texts[i]`` by step ``i``.
    """
    if not texts:
        return [], []
    runs = [Run(len(texts[0]), ORIGINAL)] if texts[0] else []
    deletions: list[Deletion] = []
    for i, (step_origin, spans) in enumerate(steps):
        old, new = texts[i], texts[i + 1]
        out: list[Run] = []
        src = list(runs)
        k, offset_in_run = 0, 0  # position in the parent's runs
        pos = 0  # offset in the parent text
        ops = diff_ops(old, new)
        j = 0
        while j < len(ops):
            op, chunk = ops[j]
            if op == 0:
                remaining = len(chunk)
                while remaining:
                    run = src[k]
                    take = min(remaining, run.length - offset_in_run)
                    out.append(Run(take, run.origin))
                    remaining -= take
                    offset_in_run += take
                    if offset_in_run == run.length:
                        k, offset_in_run = k + 1, 0
                pos += len(chunk)
                j += 1
                continue
            # a change: deletions and insertions side by side
            deleted, inserted = "", ""
            start = pos
            while j < len(ops) and ops[j][0] != 0:
                if ops[j][0] == -1:
                    deleted += ops[j][1]
                else:
                    inserted += ops[j][1]
                j += 1
            origin = _origin_for(spans, start, step_origin)
            remaining = len(deleted)
            while remaining:
                run = src[k]
                take = min(remaining, run.length - offset_in_run)
                remaining -= take
                offset_in_run += take
                if offset_in_run == run.length:
                    k, offset_in_run = k + 1, 0
            pos += len(deleted)
            if inserted:
                out.append(Run(len(inserted), origin))
            if deleted.strip():
                deletions.append(Deletion(origin, start, deleted, inserted))
        runs = _merge(out)
    return runs, deletions


def _merge(runs: list[Run]) -> list[Run]:
    out: list[Run] = []
    for r in runs:
        if r.length == 0:
            continue
        if out and out[-1].origin == r.origin:
            out[-1] = Run(out[-1].length + r.length, r.origin)
        else:
            out.append(r)
    return out


def origins_in(runs: Sequence[Run], start: int, end: int) -> list[Any]:
    """The origins of the characters in ``[start, end)``, in text order, without repeats."""
    out: list[Any] = []
    pos = 0
    for r in runs:
        if pos >= end:
            break
        if pos + r.length > start and r.origin not in out:
            out.append(r.origin)
        pos += r.length
    return out
