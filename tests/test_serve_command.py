"""``tracker serve`` itself: it listens and answers, and every way it cannot start is one line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request

import pytest

from tracker import serve

from .serving import cli, db, template  # noqa: F401


def test_without_the_extra_it_names_the_extra(db, monkeypatch):
    monkeypatch.setitem(sys.modules, "starlette", None)  # an import of it now fails
    result = cli("serve")
    assert result.exit_code == 1
    assert result.stderr == ("Error: tracker serve needs Starlette and uvicorn (starlette is not installed): "
                             "pip install 'tracker[serve]'\n")


def test_without_a_database_it_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DB", str(tmp_path / "none.db"))
    result = cli("serve", "--port", "0")
    assert result.exit_code == 1
    assert result.stderr == f"Error: no database at {tmp_path / 'none.db'} (run 'tracker ingest' first)\n"


def test_a_port_in_use_is_one_line(db):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("args, message", [
    (["--port", "70000"], "Error: cannot listen on 127.0.0.1:70000: "),
    (["--host", "not an address"], "Error: cannot listen on not an address:8765: "),
])
def test_a_bad_address_is_one_line(db, args, message):
    result = cli("serve", *args)
    assert result.exit_code == 1 and result.stderr.startswith(message) and result.stderr.count("\n") == 1


def test_it_serves_until_stopped(db):
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", "--db", str(db), "serve", "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = proc.stderr.readline()
        assert line.startswith(f"tracker: serving {db} at http://127.0.0.1:")
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        with urllib.request.urlopen(url + "api/", timeout=60) as answer:
            queue = json.loads(answer.read())
        assert [a["sticker"] for a in queue["amendments"]] == ["2003-HE3/sticker-2004-02-02"]
        with urllib.request.urlopen(url, timeout=60) as answer:
            assert "<h1>Review queue</h1>" in answer.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def test_open_waits_until_it_listens(monkeypatch):
    opened = []
    monkeypatch.setattr(serve.webbrowser, "open", opened.append)

    class Started:
        started = True

    class NeverStarted:
        started = False

    serve._open_when_listening(Started(), "http://127.0.0.1:8765/")
    serve._open_when_listening(NeverStarted(), "http://127.0.0.1:8766/", wait=0)
    assert opened == ["http://127.0.0.1:8765/"]


def test_the_address_of_a_socket():
    with socket.create_server(("127.0.0.1", 0)) as sock:
        assert serve.address(sock, "127.0.0.1") == f"http://127.0.0.1:{sock.getsockname()[1]}/"
