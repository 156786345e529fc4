"""The review server's routes: each screen as HTML and, under ``/api/``, as the JSON it is made of;
and the two writes, recording a decision and applying a filing.

What belongs here: reading a request (path, query, JSON body) into the arguments of a service
function, calling it exactly as the CLI does (one store opened per request), and turning the result
or the ``TrackerError`` into an answer: JSON ``{"error": "<the CLI's one-line message>"}`` with
400 for a usage error, 404 for something unknown, 409 when the database is busy or the filing is
already applied (or still needs review). No logic of the product lives here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from .. import redline, render, service
from ..errors import AmbiguousKey, Busy, InputError, NeedsReview, NotFound, TrackerError, UsageError
from ..store import Store
from . import pages
from .guard import Guard, allowed_hosts

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}
MAX_BODY = 64 * 1024


class Refused(TrackerError):
    """A write the state of the store does not allow (the filing is already applied): 409."""


def status_of(exc: TrackerError) -> int:
    """The HTTP status of an error: 400 usage, 404 unknown, 409 busy or not in a state to do it."""
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, (UsageError, AmbiguousKey, InputError)):
        return 400
    if isinstance(exc, (Busy, NeedsReview, Refused)):
        return 409
    return 500


def json_response(data: Any, status: int = 200) -> Response:
    """``data`` as the CLI's ``--json`` prints it."""
    return Response(render.to_json(data), status_code=status, media_type="application/json")


def _date(value: str | None) -> dt.date | None:
    from ..history import parse_date

    return parse_date(value) if value else None


class Screens:
    """The handlers, over one database file (opened afresh for each request, in its own thread)."""

    def __init__(self, db_path: str | Path):
        self.db_path = str(db_path)
        self.database = Path(self.db_path).name

    @contextlib.contextmanager
    def store(self) -> Iterator[Store]:
        """The database, open for one request."""
        store = Store.open(self.db_path, create=False)
        try:
            yield store
        finally:
            store.close()

    def answer(self, request: Request, work: Callable[[Store], Response]) -> Response:
        """Run ``work`` on the store; an error becomes JSON under ``/api/``, an error page elsewhere."""
        try:
            with self.store() as store:
                return work(store)
        except TrackerError as exc:
            return self.error(request, status_of(exc), str(exc), getattr(exc, "result", None))
        except Exception as exc:  # a bug: still one line, and the server goes on
            print(f"Error: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
            return self.error(request, 500, f"internal error: {type(exc).__name__}: {exc}")

    def error(self, request: Request, status: int, message: str, result: Any = None) -> Response:
        """An error as JSON (with what an apply found, when it needs review) or as a page."""
        if request.url.path.startswith("/api"):
            body = {"error": message}
            if result is not None:
                body["result"] = result.to_json()
            return json_response(body, status)
        return HTMLResponse(pages.error_page(status, message, self.database), status_code=status)

    # --- the screens --------------------------------------------------------------------------

    def screen(self, path: str, read: Callable[[Store, Request], Any],
               show: Callable[[Any, Request, Store], str]) -> list[Route]:
        """A screen at ``path`` and its JSON at ``/api`` + ``path``, both from ``read``."""

        def as_html(request: Request) -> Response:
            return self.answer(request, lambda store: HTMLResponse(show(read(store, request), request, store)))

        def as_json(request: Request) -> Response:
            return self.answer(request, lambda store: json_response(read(store, request)))

        api = "/api" + path if path != "/" else "/api/"
        return [Route(path, as_html, methods=["GET"]), Route(api, as_json, methods=["GET"])]

    def routes(self) -> list[Route]:
        """Every route: the screens, their JSON, the writes and the two static files."""
        db = self.database
        return [
            *self.screen("/", lambda s, r: service.review_queue(s), lambda d, r, s: pages.queue_page(d, db)),
            *self.screen("/documents", lambda s, r: service.list_documents(s),
                         lambda d, r, s: pages.documents_page(d, db)),
            *self.screen("/documents/{key:path}/redline", self.read_redline, self.show_redline),
            *self.screen("/documents/{key:path}", self.read_document, lambda d, r, s: pages.document_page(d, db)),
            *self.screen("/series/{series}", lambda s, r: service.timeline(s, r.path_params["series"]),
                         lambda d, r, s: pages.timeline_page(r.path_params["series"], d, db)),
            *self.screen("/filings/{ref}", lambda s, r: service.filing_review(s, r.path_params["ref"]),
                         lambda d, r, s: pages.filing_page(d, db, _decided(r))),
            *self.screen("/filings/{ref}/instructions/{n:int}",
                         lambda s, r: service.decision_context(s, r.path_params["ref"], r.path_params["n"],
                                                               r.query_params.get("page") or None),
                         lambda d, r, s: pages.decide_page(d, db)),
            Route("/api/filings/{ref}/instructions/{n:int}/decision", self.decide, methods=["POST"]),
            Route("/api/filings/{ref}/apply", self.apply, methods=["POST"]),
            Route("/static/{name}", self.asset, methods=["GET"]),
        ]

    def read_document(self, store: Store, request: Request) -> dict[str, Any]:
        """``show --json`` as of the dates asked, with ``history --json``'s versions."""
        q = request.query_params
        view = service.show(store, request.path_params["key"], _date(q.get("as_of")), _date(q.get("known_at")))
        _, versions = service.document_history(store, view.document.key)
        return {**view.to_json(), "history": versions}

    def read_redline(self, store: Store, request: Request) -> dict[str, Any]:
        """``diff --format json`` between the versions asked (a date or vN; default first to latest)."""
        q = request.query_params
        return service.diff_report(store, request.path_params["key"], from_ref=q.get("from") or None,
                                   to_ref=q.get("to") or None, known_at=_date(q.get("known_at")))

    def show_redline(self, report: dict[str, Any], request: Request, store: Store) -> str:
        """``diff --format html``, framed with a bar to pick the versions."""
        _, versions = service.document_history(store, report["document"]["key"])
        q = request.query_params
        return pages.redline_page(redline.render_html(report), report["document"]["key"], versions,
                                  q.get("from") or None, q.get("to") or None)

    def asset(self, request: Request) -> Response:
        """The stylesheet or the script."""
        name = request.path_params["name"]
        if name not in ASSETS:
            return self.error(request, 404, f"no file {name!r}")
        return Response((STATIC / name).read_text(encoding="utf-8"), media_type=ASSETS[name])

    # --- the writes ---------------------------------------------------------------------------

    async def decide(self, request: Request) -> Response:
        """``tracker resolve FILING N --choose K | --page P --block B [--why TEXT] --json``."""
        try:
            args = decision_args(await json_body(request))
        except TrackerError as exc:
            return self.error(request, status_of(exc), str(exc))
        ref, n = request.path_params["ref"], request.path_params["n"]

        def work(store: Store) -> Response:
            _refuse_when_applied(store, ref)
            return json_response(service.record_decision(store, ref, n, **args))

        return await run_in_threadpool(self.answer, request, work)

    async def apply(self, request: Request) -> Response:
        """``tracker apply FILING [--partial] --json``."""
        try:
            partial = apply_args(await json_body(request))
        except TrackerError as exc:
            return self.error(request, status_of(exc), str(exc))
        ref = request.path_params["ref"]

        def work(store: Store) -> Response:
            result = service.apply_amendment(store, service.find_filing(store, ref).id, partial=partial)
            if result.state == "already_applied":
                raise Refused(f"filing {result.filing_id} is {result.summary}")
            return json_response(result.to_json())

        return await run_in_threadpool(self.answer, request, work)


def _refuse_when_applied(store: Store, ref: str) -> None:
    """A decision on a filing already applied would change nothing: refuse it (409)."""
    state = service.filing_state(store, ref)
    if state["state"] in ("applied", "partial"):
        raise Refused(f"filing {state['filing_id']} is already applied as version {state['version']}; "
                      "a decision would change nothing")


def _decided(request: Request) -> int | None:
    value = request.query_params.get("decided", "")
    return int(value) if value.isdigit() else None


async def json_body(request: Request) -> dict[str, Any]:
    """The request's body: one JSON object of at most ``MAX_BODY`` bytes, else a usage error."""
    import json

    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise UsageError(f"the body is over {MAX_BODY} bytes")
    try:
        body = json.loads(raw or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise UsageError(f"the body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise UsageError("the body must be a JSON object")
    return body


def _field(body: dict[str, Any], name: str, kind: type) -> Any:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, kind) or isinstance(value, bool) != (kind is bool):
        raise UsageError(f"{name!r} must be {'a whole number' if kind is int else kind.__name__}")
    return value


def decision_args(body: dict[str, Any]) -> dict[str, Any]:
    """``{"choose": K, "why": ...}`` or ``{"page": "S-9", "block": 3, "why": ...}`` as the
    keyword arguments of ``record_decision``."""
    unknown = sorted(set(body) - {"choose", "page", "block", "why"})
    if unknown:
        raise UsageError(f"unknown field(s) {', '.join(unknown)}: give choose, or page and block, and why")
    return {"choose": _field(body, "choose", int), "page": _field(body, "page", str),
            "block": _field(body, "block", int), "why": _field(body, "why", str)}


def apply_args(body: dict[str, Any]) -> bool:
    """``{"partial": false}``: whether to write a version even if some instructions fail."""
    unknown = sorted(set(body) - {"partial"})
    if unknown:
        raise UsageError(f"unknown field(s) {', '.join(unknown)}: give partial")
    return bool(_field(body, "partial", bool))


def create_app(db_path: str | Path, host: str = "127.0.0.1", port: int = 8765) -> Starlette:
    """The review server's application over the database at ``db_path``, answering to ``host:port``."""
    screens = Screens(db_path)

    async def nowhere(request: Request, exc: Exception) -> Response:
        return screens.error(request, 404, f"there is no page at {request.url.path}")

    async def not_so(request: Request, exc: Exception) -> Response:
        return screens.error(request, 405, f"{request.method} is not allowed at {request.url.path}")

    return Starlette(routes=screens.routes(), exception_handlers={404: nowhere, 405: not_so},
                     middleware=[Middleware(Guard, hosts=allowed_hosts(host, port))])
