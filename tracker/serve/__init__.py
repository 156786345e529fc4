"""``tracker serve``: the review screens in a browser, over the same use cases as the command line.

What belongs here: checking that the optional libraries are installed (the ``serve`` extra),
listening on the address asked, and running the application with uvicorn. The package is a shell
like ``cli``: ``app`` holds the routes (each a call to ``service``), ``guard`` the checks every
request passes, ``pages`` and ``html`` the markup, ``static/`` the stylesheet and the script.
Starlette and uvicorn are imported only here and below, only when a server is asked for.
"""

from __future__ import annotations

import socket
import sys
import threading
import time
import webbrowser
from pathlib import Path

from ..errors import TrackerError

EXTRA = "pip install 'tracker[serve]'"


def require() -> None:
    """Refuse, in one line naming the extra, when Starlette or uvicorn is not installed."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise TrackerError(f"tracker serve needs Starlette and uvicorn ({exc.name or exc} is not installed): "
                           f"{EXTRA}") from None


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port`` (port 0: one the system picks), or a one-line error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host.strip("[]"), port), family=family, backlog=64)
    except (OSError, OverflowError) as exc:
        raise TrackerError(f"cannot listen on {host}:{port}: {getattr(exc, 'strerror', None) or exc}") from None


def address(sock: socket.socket, host: str) -> str:
    """The URL people open to reach a listening socket."""
    port = sock.getsockname()[1]
    name = f"[{host.strip('[]')}]" if ":" in host else host
    return f"http://{name}:{port}/"


def server(db_path: str | Path, sock: socket.socket, host: str):
    """A uvicorn server of the application over ``db_path``, for the socket given (``server.run(sockets=[sock])``)."""
    require()
    import uvicorn

    from .app import create_app

    app = create_app(db_path, host.strip("[]"), sock.getsockname()[1])
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))


def run(db_path: str | Path, host: str = "127.0.0.1", port: int = 8765, open_browser: bool = False) -> None:
    """Serve the review screens until interrupted; with ``open_browser``, open them once listening."""
    require()
    from ..store import Store

    Store.open(db_path, create=False).close()  # a missing database: one line now, not on every page
    sock = listen(host, port)
    app_server = server(db_path, sock, host)
    url = address(sock, host)
    sys.stderr.write(f"tracker: serving {db_path} at {url} (Ctrl-C to stop)\n")
    if host.strip("[]") not in ("127.0.0.1", "localhost", "::1"):
        sys.stderr.write(f"tracker: {host} is not a loopback address: whoever reaches it can record decisions "
                         "and apply filings\n")
    if open_browser:
        threading.Thread(target=_open_when_listening, args=(app_server, url), daemon=True).start()
    app_server.run(sockets=[sock])


def _open_when_listening(app_server, url: str, wait: float = 10.0) -> None:
    """Open the browser on ``url`` once the server has started (give up after ``wait`` seconds)."""
    deadline = time.monotonic() + wait
    while not app_server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if app_server.started:
        webbrowser.open(url)
