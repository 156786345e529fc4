"""A PostgreSQL server for the tests: the one ``TRACKER_TEST_PG`` names, or a throwaway cluster.

``server_url`` gives the address of a server the tests may make schemas on. When ``TRACKER_TEST_PG``
is not set, it starts a cluster of its own (initdb and pg_ctl, as the ``postgres`` user when run as
root, its socket in a temporary folder, fsync off) and stops it when the tests end; where no
PostgreSQL is installed it gives None, and the PostgreSQL cases are skipped, except under CI
(``CI`` set), where a missing server is an error. ``fresh_schema`` makes one empty schema per test.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
import urllib.parse
import uuid

_started: dict[str, str | None] = {}
_count = itertools.count(1)


def server_url() -> str | None:
    """The address of the test server, starting one the first time when none is given."""
    given = os.environ.get("TRACKER_TEST_PG")
    if given:
        return given
    if "url" not in _started:
        _started["url"] = start_cluster()
    if _started["url"] is None and os.environ.get("CI"):
        raise RuntimeError("CI runs the PostgreSQL tests: set TRACKER_TEST_PG or install postgresql")
    return _started["url"]


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def start_cluster() -> str | None:
    """Start a throwaway cluster in a temporary folder; its URL, or None when PostgreSQL is missing."""
    initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
    if not initdb or not pg_ctl:
        return None
    as_user: list[str] = []
    folder = tempfile.mkdtemp(prefix="tracker-pg-")
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            return None
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    data = os.path.join(folder, "data")
    try:
        subprocess.run([*as_user, initdb, "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8",
                        "--locale=C.UTF-8"], check=True, capture_output=True, timeout=120)
        subprocess.run([*as_user, pg_ctl, "-D", data, "-l", os.path.join(folder, "log"), "-w", "-o",
                        f"-k {folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                        "-c full_page_writes=off -c max_connections=200", "start"],
                       check=True, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(folder, ignore_errors=True)
        return None

    def stop() -> None:
        subprocess.run([*as_user, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql://postgres@/postgres?host={urllib.parse.quote(folder)}"


def with_schema(url: str, schema: str) -> str:
    """The URL of a server with ``schema`` as the only one on its search path."""
    return url + ("&" if "?" in url else "?") + "options=" + urllib.parse.quote(f"-csearch_path={schema}")


def fresh_schema(url: str):
    """A new empty schema on the server: (its URL, a function that drops it)."""
    import psycopg

    name = f"t{os.getpid()}_{next(_count)}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")

    return with_schema(url, name), drop
