"""The console entry point: ``tracker show`` with plain arguments runs at once; all else is ``cli``'s.

What belongs here: recognising the one command line that reads and must start fast,
``tracker [--db FILE] show DOC [--as-of DATE] [--known-at DATE] [--json]`` (each option once, in
either ``--opt VALUE`` or ``--opt=VALUE`` form), and running it without loading the full command
line (Typer and its Click cost a third of such a command's time). Any other command, and any
argument this does not read exactly as ``cli`` would (help, a repeated or unknown option, a
document that looks like an option), goes to ``cli.main``. Output, errors and exit codes are
``cli``'s: ``render.show_streams`` says what both print (control characters shown as visible
symbols, ``render.visible``), the database is opened as a reader (read-only where it cannot be
written), and a failure ends in the same one line ``Error: ...`` and exit code (``tests/test_launch.py`` runs both on the same arguments).
"""

from __future__ import annotations

import os
import sys

_OPTIONS = {"--as-of": "as_of", "--known-at": "known_at"}


def main() -> None:
    """Run ``tracker`` with the arguments it was given."""
    found = plain_show(sys.argv[1:])
    if found is None:
        from .cli import main as full

        full()
        return
    sys.exit(run_show(**found))


def plain_show(args: list[str]) -> dict | None:
    """The arguments of a plain ``show`` (db, document, as_of, known_at, json_out), or None."""
    db = os.environ.get("TRACKER_DB", "tracker.db")
    if not db:
        return None  # an empty variable: let the full command line say what it means
    rest = list(args)
    if rest[:1] == ["--db"] and len(rest) > 1:
        db, rest = rest[1], rest[2:]
    elif rest[:1] and rest[0].startswith("--db="):
        db, rest = rest[0][len("--db="):], rest[1:]
    if rest[:1] != ["show"] or not db or db.startswith("-"):
        return None
    found: dict = {"db": db, "document": None, "as_of": None, "known_at": None, "json_out": False}
    i = 1
    while i < len(rest):
        arg = rest[i]
        name, eq, value = arg.partition("=")
        if arg == "--json" and not found["json_out"]:
            found["json_out"] = True
        elif name in _OPTIONS and found[_OPTIONS[name]] is None:
            if not eq:
                i += 1
                if i == len(rest) or rest[i].startswith("-"):
                    return None
                value = rest[i]
            found[_OPTIONS[name]] = value
        elif not arg.startswith("-") and found["document"] is None:
            found["document"] = arg
        else:
            return None
        i += 1
    return found if found["document"] is not None else None


def run_show(db: str, document: str, as_of: str | None, known_at: str | None, json_out: bool) -> int:
    """``tracker show``: the text on stdout and the currency statement on stderr (or both as JSON);
    the exit code."""
    from .errors import TrackerError

    try:
        from . import render, service
        from .history import parse_date
        from .store import Store

        store = Store.open(db, create=False, write=False)  # a reader: read-only where it cannot write
        view = service.show(store, document, parse_date(as_of) if as_of is not None else None,
                            parse_date(known_at) if known_at is not None else None)
        out, err = render.show_streams(view, json_out)
        _print(render.visible(out), render.visible(err))
        return 0
    except TrackerError as exc:
        from .render import one_line

        sys.stderr.write(f"Error: {one_line(str(exc))}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("Error: interrupted\n")
        return 130
    except BrokenPipeError:  # output piped into head, for example
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: still one line, unless debugging
        if os.environ.get("TRACKER_DEBUG"):
            raise
        from .render import one_line

        sys.stderr.write(f"Error: internal error: {type(exc).__name__}: {one_line(str(exc))} "
                         "(set TRACKER_DEBUG=1 for a traceback)\n")
        return 1


def _print(out: str, err: str) -> None:
    if err:
        sys.stderr.write(err)
        sys.stderr.flush()
    sys.stdout.write(out)
    sys.stdout.flush()
