"""The command line: parse arguments, call ``service``, print ``render``. No logic lives here.

Errors from the project (``TrackerError``) become one line ``Error: ...`` on stderr and the exit code
of their class (1, 2 for usage, 3 for an amendment that needs review), in one place: ``_guard``.
"""

import functools
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import TrackerError, UsageError

app = typer.Typer(
    name="tracker",
    help="Keep SEC prospectus supplements as versioned documents: ingest EDGAR filings, apply "
    "stickers, show any document as of a date.",
    no_args_is_help=True,
    add_completion=True,  # tracker --install-completion; typer loads its completion code lazily
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: importing rich costs more than the rest of a command
    context_settings={"help_option_names": ["-h", "--help"]},
)

DB_HELP = "SQLite database file, or a postgresql:// URL of a server (default: tracker.db here, or $TRACKER_DB)."


class State:
    db_path: str = "tracker.db"


state = State()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tracker {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    db: Annotated[str, typer.Option("--db", envvar="TRACKER_DB", help=DB_HELP, metavar="FILE")] = "tracker.db",
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = None,
) -> None:
    """Keep SEC prospectus supplements as versioned documents."""
    state.db_path = db


def _guard(fn):
    """Run a command; turn a TrackerError into 'Error: ...' on stderr and its exit code."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except TrackerError as exc:
            from .render import one_line

            typer.echo(f"Error: {one_line(str(exc))}", err=True)
            raise typer.Exit(code=exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("Error: interrupted", err=True)
            raise typer.Exit(code=130) from None
        except BrokenPipeError:
            raise typer.Exit(code=0) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:  # a bug: still one line, unless debugging
            if os.environ.get("TRACKER_DEBUG"):
                raise
            from .render import one_line

            typer.echo(f"Error: internal error: {type(exc).__name__}: {one_line(str(exc))} "
                       "(set TRACKER_DEBUG=1 for a traceback)", err=True)
            raise typer.Exit(code=1) from None

    return wrapper


def _open(create: bool = False, write: bool = False):
    """The database of ``--db``: a reading command opens it read-only where it cannot be written."""
    from .store import Store

    return Store.open(state.db_path, create=create, write=write or create)


def _date(value: Optional[str]):
    if value is None:
        return None
    from .history import parse_date

    return parse_date(value)


def _out(text: str) -> None:
    """Print to stdout, a filing's control characters shown as visible symbols (never obeyed)."""
    from .render import visible

    sys.stdout.write(visible(text))
    sys.stdout.flush()


def _err(text: str) -> None:
    """Print to stderr, control characters shown as ``_out`` shows them."""
    from .render import visible

    sys.stderr.write(visible(text))
    sys.stderr.flush()


# --- commands --------------------------------------------------------------------------------


@app.command()
@_guard
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories of filings.", readable=False)],
    amends: Annotated[Optional[str], typer.Option(help="The document these filings amend (id or key), whatever they were classified as.", metavar="DOC")] = None,
    date: Annotated[Optional[str], typer.Option("--date", help="Effective date, YYYY-MM-DD, of documents that carry none of their own.", metavar="DATE")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes for reading and parsing (0: one per core).", metavar="N")] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Store filings, their documents and first versions; apply stickers to what they amend.

    Already stored files are skipped by hash, so an interrupted ingest resumes where it stopped.
    Exit code 3 when an amendment needs review (listed on stderr), 1 when a file fails.

    Example: tracker ingest corpus/
    """
    import time

    from . import render, service

    store = _open(create=True)
    started = time.monotonic()
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, name: str) -> None:
        if total < 2:
            return
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate > 0 else 0.0
        line = f"[{done}/{total}] {rate:.1f} files/s, {left:.0f}s left"
        if tty:
            _err(f"\r{line:<60}" + ("\n" if done == total else ""))
        elif total >= 100 and done % 100 == 0 and done < total:
            _err(line + "\n")  # a log-friendly heartbeat for long runs

    count = workers if workers > 0 else (os.cpu_count() or 1)
    try:
        report = service.ingest(store, [str(p) for p in paths], amends=amends, date=_date(date),
                                progress=progress, workers=count)
    finally:
        store.discard_if_empty()  # every input refused: no database file left behind
    _out(render.to_json(report.to_json()) if json_out else render.ingest_report(report))
    for result in report.results:
        for warning in result.warnings:
            _err(f"warning: {warning}\n")
    for failed in report.failed:
        _err(f"Error: {failed.error}\n")
    _err(render.needs_review(report.needs_review))
    if report.failed:
        raise typer.Exit(code=1)
    if report.needs_review:
        raise typer.Exit(code=3)


@app.command()
@_guard
def filings(json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List stored filings.

    Example: tracker filings
    """
    from . import render, service

    rows = service.list_filings(_open())
    _out(render.to_json(rows) if json_out else render.table(
        rows, ["id", "accession", "sha256", "source_name", "format", "recorded_date", "documents", "amendment_state"],
        ["id", "accession", "sha256", "source", "format", "recorded", "docs", "amendment"]))


@app.command()
@_guard
def documents(json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List stored documents with their keys.

    Example: tracker documents --json
    """
    from . import render, service

    rows = service.list_documents(_open())
    _out(render.to_json(rows) if json_out else render.table(
        rows, ["id", "key", "kind", "series", "document_date", "versions", "filing_id"],
        ["id", "key", "kind", "series", "date", "versions", "filing"]))


@app.command()
@_guard
def timeline(
    series: Annotated[str, typer.Argument(help="A series, e.g. 2003-HE3.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """All documents of a series in date order.

    Example: tracker timeline 2003-HE3
    """
    from . import render, service

    rows = service.timeline(_open(), series)
    _out(render.to_json(rows) if json_out else render.timeline(rows))


@app.command()
@_guard
def show(
    document: Annotated[str, typer.Argument(help="Document id or key.")],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date in force, YYYY-MM-DD.", metavar="DATE")] = None,
    known_at: Annotated[Optional[str], typer.Option("--known-at", help="Ignore what was recorded after this date.", metavar="DATE")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON (text and currency).")] = False,
) -> None:
    """Print a document's text as of a date; the currency statement goes to stderr.

    Example: tracker show 2003-HE3/prospectus-supplement --as-of 2004-01-09
    """
    from . import render, service

    out, err = render.show_streams(service.show(_open(), document, _date(as_of), _date(known_at)), json_out)
    _err(err)
    _out(out)


@app.command()
@_guard
def history(
    document: Annotated[str, typer.Argument(help="Document id or key.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List the versions of a document.

    Example: tracker history 2003-HE3/prospectus-supplement
    """
    from . import render, service

    doc, versions = service.document_history(_open(), document)
    _out(render.to_json({"document": doc.to_json(), "versions": versions}) if json_out else render.history(doc, versions))


@app.command()
@_guard
def outline(
    document: Annotated[str, typer.Argument(help="Document id or key.")],
    page: Annotated[Optional[str], typer.Option(help="Only this printed page, e.g. S-8.", metavar="PAGE")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date, YYYY-MM-DD.", metavar="DATE")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the structure the tool sees: pages, headings, paragraphs, tables, definitions.

    Example: tracker outline 2003-HE3/prospectus-supplement --page S-8
    """
    from . import render, service

    view, pages, blocks = service.outline(_open(), document, page, _date(as_of))
    _out(render.to_json({"pages": pages, "blocks": blocks}) if json_out else render.outline(view, pages, blocks))


@app.command()
@_guard
def parse(
    file: Annotated[Path, typer.Argument(help="An amending filing (sticker).", readable=False)],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the instructions of an amending filing (no database needed).

    Example: tracker parse corpus/citigroup-mlt-2003-he3-sticker-2004-01-09.txt --json
    """
    from . import render, service

    amendment = service.parse_file(file)
    if json_out:
        _out(render.to_json(amendment.to_json()))
        return
    for ins in amendment.instructions:
        t = ins.target
        where = ", ".join(
            x for x in [
                f"page {t.page}" if t.page else "", " > ".join(t.heading) if t.heading else "",
                f"term {t.term!r}" if t.term else "", t.locus or "",
            ] if x
        )
        _out(f"[{ins.n}] {ins.op} {t.kind} ({where or 'no locator'})\n    says: {render.shorten(ins.source_text, 100)}\n")
        if ins.new_text:
            _out(f"    new:  {render.shorten(ins.new_text, 100)}\n")
    for n in amendment.notices:
        _out(f"[notice {n.n}] {render.shorten(n.text, 100)}\n")


@app.command(name="apply")
@_guard
def apply_cmd(
    filing: Annotated[str, typer.Argument(help="Amending filing: id, accession, or its document key.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would happen; write nothing.")] = False,
    partial: Annotated[bool, typer.Option("--partial", help="Write a version even if some instructions fail.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Apply an amending filing to the document it amends (strict: all or nothing).

    Exit code 3 when an instruction is not applied and no version is written (with --dry-run: would not be).

    Example: tracker apply 2003-HE3/sticker-2004-01-09 --dry-run
    """
    from . import render, service
    from .errors import NeedsReview

    store = _open(write=True)
    ref = service.find_filing(store, filing).id
    try:
        result = service.apply_amendment(store, ref, partial=partial, dry_run=dry_run)
    except NeedsReview as exc:
        if exc.result is not None:
            _out(render.to_json(exc.result.to_json()) if json_out else render.resolutions(exc.result))
        raise
    _out(render.to_json(result.to_json()) if json_out else render.resolutions(result))
    if dry_run and result.refused and not partial:
        raise NeedsReview(f"filing {ref} on {result.document.key}: {result.summary}; applying it would "
                          "write no version")


@app.command()
@_guard
def explain(
    filing: Annotated[str, typer.Argument(help="Amending filing: id, accession, or its document key.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Explain every instruction: status, chosen span, confidence, runner-up.

    Example: tracker explain 2003-HE3/sticker-2004-01-09
    """
    from . import render, service

    result = service.explain(_open(), filing)
    _out(render.to_json(result.to_json()) if json_out else render.resolutions(result))


@app.command()
@_guard
def review(json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List amendments that are pending or need a decision.

    Example: tracker review
    """
    from . import render, service

    items = service.review(_open())
    _out(render.to_json(items) if json_out else render.review(items))


@app.command()
@_guard
def resolve(
    filing: Annotated[str, typer.Argument(help="Amending filing: id, accession, or its document key.")],
    n: Annotated[int, typer.Argument(help="Instruction number.")],
    choose: Annotated[Optional[int], typer.Option(help="Take candidate K (as listed by explain).", metavar="K")] = None,
    page: Annotated[Optional[str], typer.Option(help="Printed page of the target block.", metavar="PAGE")] = None,
    block: Annotated[Optional[int], typer.Option(help="Block number on that page (see outline).", metavar="N")] = None,
    why: Annotated[Optional[str], typer.Option(help="The reviewer's reason, kept in the audit trail.", metavar="TEXT")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the decision as JSON.")] = False,
) -> None:
    """Record a reviewer's decision for one instruction; then run apply.

    Example: tracker resolve 4 2 --choose 1 --why "S-9 chart per counsel"
    """
    from . import render, service

    d = service.record_decision(_open(write=True), filing, n, choose=choose, page=page, block=block, why=why)
    if json_out:
        _out(render.to_json(d))
        return
    _out(f"instruction {d['n']} of filing {d['filing_id']}: target chars {d['start']}-{d['end']} recorded; "
         f"run 'tracker apply {d['filing_id']}'\n")


@app.command()
@_guard
def copy(
    to: Annotated[str, typer.Option("--to", help="The database to copy into: a new SQLite file, or an empty schema of a postgresql:// server.", metavar="DB")],
) -> None:
    """Copy the whole record (filings, versions, reviews, the event trail) into another database, as
    stored: SQLite to PostgreSQL or back; 'tracker verify --head' then gives the same head on both.

    Example: tracker --db deal.db copy --to postgresql://tracker@db.example/deals
    """
    from . import service
    from .errors import UsageError
    from .store import Store

    if to == state.db_path:
        raise UsageError("--to names the database copied from; give another")
    source = _open()
    dest = Store.open(to, create=True, write=True)
    try:
        result = service.copy(source, dest)
    except BaseException:
        dest.discard_if_empty()
        raise
    finally:
        dest.close()
    counts = result["copied"]
    _err(f"copied {counts['filings']} filings, {counts['versions']} versions and {counts['events']} events "
         f"into {result['to']}\n")
    _out(f"head {result['head']}\n")


@app.command()
@_guard
def log(
    document: Annotated[Optional[str], typer.Option(help="Only events about this document.", metavar="DOC")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only events on or after this date.", metavar="DATE")] = None,
    kind: Annotated[Optional[str], typer.Option(help="Only this command: ingest, apply, resolve.", metavar="COMMAND")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the audit trail (every write, chained by hash).

    Example: tracker log --document 2003-HE3/prospectus-supplement --json
    """
    from . import render, service

    rows = service.filtered_events(_open(), document=document, since=_date(since), kind=kind)
    _out(render.to_json(rows) if json_out else render.events(rows))


@app.command()
@_guard
def blame(
    document: Annotated[str, typer.Argument(help="Document id or key.")],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date in force, YYYY-MM-DD.", metavar="DATE")] = None,
    known_at: Annotated[Optional[str], typer.Option("--known-at", help="Ignore what was recorded after this date.", metavar="DATE")] = None,
    deleted: Annotated[bool, typer.Option("--deleted", help="List text removed by amendments instead.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Tell which version, filing and instruction last changed each block ("original" if none).

    Example: tracker blame 2003-HE3/prospectus-supplement --as-of 2004-01-09
    """
    from . import render, service

    result = service.blame(_open(), document, _date(as_of), _date(known_at))
    if json_out:
        _out(render.to_json(result))
    else:
        _err(render.currency_statement(result["currency"]))
        _out(render.deleted(result) if deleted else render.blame(result))


@app.command()
@_guard
def search(
    query: Annotated[str, typer.Argument(help='Words to find (all must occur), "phrases", OR, prefix*.')],
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Search the versions in force on this date.", metavar="DATE")] = None,
    known_at: Annotated[Optional[str], typer.Option("--known-at", help="Ignore what was recorded after this date.", metavar="DATE")] = None,
    document: Annotated[Optional[str], typer.Option(help="Only this document.", metavar="DOC")] = None,
    kind: Annotated[Optional[str], typer.Option(help="Only documents of this kind (prospectus_supplement, sticker, 8-K, exhibit, ...; all for every kind). Default: all but stickers.", metavar="KIND")] = None,
    limit: Annotated[int, typer.Option(help="At most this many hits.", metavar="N")] = 50,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Full-text search over the versions in force on a date, with page, heading path and snippet.

    All words must occur; "a phrase" as written; OR between two terms; word* for words that begin so.
    Prospectus text ranks first; stickers' own text only with --kind sticker (or all).

    Example: tracker search '"simple interest" advances' --as-of 2004-01-01
    """
    from . import render, service

    hits = service.search(_open(), query, as_of=_date(as_of), known_at=_date(known_at), document=document,
                          kind=kind, limit=limit)
    _out(render.to_json(hits) if json_out else render.search(hits))


@app.command()
@_guard
def verify(
    json_out: Annotated[bool, typer.Option("--json", help="Print the result as JSON (the first broken record first).")] = False,
    full: Annotated[bool, typer.Option("--full", help="SQLite's full integrity_check instead of its quick_check.")] = False,
    head: Annotated[bool, typer.Option("--head", help="Print only the chain's head (EVENT:HASH) once all holds, to write down.")] = False,
    since_head: Annotated[Optional[str], typer.Option("--since-head", help="Also prove that the trail up to this head, written down before, is untouched.", metavar="HEAD")] = None,
) -> None:
    """Prove the record: every row an answer depends on against the event chain, the chain and its
    head, every blob and version by hash, the search index rebuilt, and SQLite's own check.

    Example: tracker verify --since-head 12:3fa2...
    """
    from . import render, service
    from .errors import IntegrityError

    result = service.verify(_open(), full=full, since_head=since_head)
    if json_out:
        _out(render.to_json(result))
    if not result["ok"]:
        for p in result["problems"]:
            _err(f"broken: {p}\n")
        first = result["first"]
        raise IntegrityError(f"{len(result['problems'])} problem(s) found; first: {first['record']}: "
                             f"{first['problem']} (breaks {first['breaks']})")
    if head:
        _out(result["head"] + "\n")
    elif not json_out:
        since = f"; the trail up to {since_head.strip()} is untouched" if since_head else ""
        _out(f"ok: {result['records']} records, {result['blobs']} blobs, {result['versions']} versions, "
             f"{result['events']} events verified; head {result['head']}{since}\n")


@app.command()
@_guard
def diff(
    document: Annotated[str, typer.Argument(help="Document id or key.")],
    from_ref: Annotated[Optional[str], typer.Option("--from", help="A date (YYYY-MM-DD) or vN; default the original.", metavar="DATE|vN")] = None,
    to_ref: Annotated[Optional[str], typer.Option("--to", help="A date (YYYY-MM-DD) or vN; default the latest.", metavar="DATE|vN")] = None,
    known_at: Annotated[Optional[str], typer.Option("--known-at", help="Ignore what was recorded after this date.", metavar="DATE")] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, md, html, json, docx (Word, tracked changes) or pdf.", metavar="FORMAT")] = "text",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file instead of stdout.", metavar="FILE")] = None,
    markers: Annotated[Optional[str], typer.Option("--markers", help="Text format: marks for deleted and inserted text: brackets (default), wdiff, ansi, or four marks separated by spaces.", metavar="MARKS")] = None,
) -> None:
    """Redline between two versions: word-level marks, page and heading path, filing and instruction.

    Example: tracker diff 2003-HE3/prospectus-supplement --format docx -o redline.docx
    """
    from . import redline, render, service

    formats = ("text", "md", "html", "json", "docx", "pdf")
    if fmt not in formats:
        raise UsageError(f"unknown format {fmt!r} (use {', '.join(formats)})")
    marks = redline.text_markers(markers)
    refs = {"from_ref": from_ref, "to_ref": to_ref, "known_at": _date(known_at)}
    if fmt == "docx":
        from dataclasses import replace

        from .docx_redline import render_docx

        report, old, new = service.diff_document(_open(), document, **refs)
        # the filing's own control characters shown, not written into the document (the marks' own
        # escapes, in the text format with ANSI marks, are added after this)
        old, new = (replace(seg, text=render.visible(seg.text)) for seg in (old, new))
        _write_output(render_docx(render.visible_all(report), old, new), output)
        return
    report = service.diff_report(_open(), document, **refs)
    if fmt != "json":
        report = render.visible_all(report)
    if fmt == "pdf":
        from .pdf_redline import render_pdf

        _write_output(render_pdf(report), output)
        return
    renderers = {"text": lambda r: redline.render_text(r, marks), "md": redline.render_markdown,
                 "html": redline.render_html, "json": render.to_json}
    _write_output(renderers[fmt](report), output)


def _write_output(data: str | bytes, output: Optional[Path]) -> None:
    """Print, or write exactly the named file (its folder must exist); nothing else is created.

    Bytes (Word, PDF) go to a terminal only through a file: ``-o FILE``, or stdout redirected."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8")
    if output is None:
        if isinstance(data, bytes) and sys.stdout.isatty():
            raise UsageError("this format is binary: give -o FILE, or redirect the output")
        sys.stdout.buffer.write(raw)  # made visible before it was rendered (see ``diff``)
        sys.stdout.flush()
        return
    target = Path(output)
    if target.is_dir():
        raise UsageError(f"output path is a directory: {target}")
    if not target.parent.is_dir():
        raise TrackerError(f"directory does not exist: {target.parent}")
    try:
        target.write_bytes(raw)
    except OSError as exc:
        raise TrackerError(f"cannot write {target}: {exc.strerror}") from None
    _err(f"wrote {target} ({len(raw)} bytes)\n")


@app.command(name="eval")
@_guard
def eval_cmd(
    folder: Annotated[Path, typer.Argument(help="A corpus (cases/ and stickers/), a cases folder or one case.")],
    answers: Annotated[bool, typer.Option("--answers", help="Resolve the cases' own instructions (scores locating alone).")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Score parsing and applying against cases with known answers, each run through ingest and apply
    in a temporary database.

    Example: tracker eval ../shared/corpus
    """
    from . import evaluate, render

    report = evaluate.evaluate(folder, use_answers=answers)
    _out(render.to_json(report) if json_out else evaluate.render(report))


@app.command()
@_guard
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (a loopback one keeps the server to this machine).", metavar="ADDRESS")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free one).", metavar="N")] = 8765,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the review queue in a browser.")] = False,
) -> None:
    """Serve the review screens in a browser: the review queue, candidates side by side, decisions,
    apply, documents as of a date, redlines. Needs the serve extra: pip install 'tracker[serve]'.

    Example: tracker serve --open
    """
    from .serve import run

    run(state.db_path, host, port, open_browser=open_browser)


@app.command()
@_guard
def demo(
    corpus: Annotated[Optional[Path], typer.Option(help="Corpus directory (default: the bundled corpus/).", metavar="DIR")] = None,
    as_of: Annotated[str, typer.Option("--as-of", help="Date to show the 2003-HE3 prospectus supplement at.", metavar="DATE")] = "2004-01-09",
    full: Annotated[bool, typer.Option("--full", help="Print the whole text, not only the amended pages.")] = False,
) -> None:
    """Ingest the bundled corpus, print each series' timeline and the HE3 supplement as of a date.

    Example: tracker --db demo.db demo
    """
    from . import render, service

    folder = corpus or service.bundled_corpus()
    if not folder.is_dir():
        raise UsageError(f"no corpus directory at {folder} (give --corpus DIR)")
    store = _open(create=True)
    report = service.ingest(store, [str(folder)])
    _out(f"== Ingested {folder} into {state.db_path}\n" + render.ingest_report(report))
    for series in sorted({d["series"] for d in service.list_documents(store) if d["series"]}):
        _out(f"\n== Timeline of series {series}\n" + render.timeline(service.timeline(store, series)))
    when = _date(as_of)
    view = service.show(store, "2003-HE3/prospectus-supplement", when)
    _out(f"\n== {view.document.title or view.document.key} as of {when}\n")
    _out(render.currency_statement(view.currency))
    if full:
        _out(view.text)
        return
    pages = service.changed_pages(store, view)
    _out(f"(showing the {len(pages)} page(s) changed since the original; --full prints everything)\n\n")
    for label, text in pages:
        _out(f"---------------------------------------------------------------- page {label}\n{text}\n")


def main() -> None:
    """Console entry point: usage errors, too, are one line ``Error: ...`` and exit code 2."""
    try:
        code = app(standalone_mode=False)
    except BrokenPipeError:  # output piped into head, for example
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
    except Exception as exc:
        # Typer's own usage errors carry a message and an exit code (2); Ctrl-C comes as Abort.
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            command = getattr(getattr(exc, "ctx", None), "command_path", "tracker")
            _err(f"Error: {exc.format_message()} (see '{command} -h')\n")
            sys.exit(exc.exit_code)
        if type(exc).__name__ == "Abort":
            _err("Error: interrupted\n")
            sys.exit(130)
        raise
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
