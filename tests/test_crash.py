"""Crash safety: SIGKILL `tracker ingest DIR` and `tracker apply` anywhere, then check the store.

The kills are placed by statement, not by time: before a commit, right after one, inside a
transaction, before the first write, so that every stage of a write is hit on any machine, fast or
loaded; one chain of ingest kills per server also kills at random moments (inside a statement or a
commit). After every kill: `tracker verify` passes, every filing has its documents and first versions, no
amended version exists without all of its instructions' statuses, one event per write, and running
the command again finishes the work with exactly what a clean run stores.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app

from .conftest import SEED_8K, SEED_OPINION, SHARED_CORPUS

# a write killed midway is undone by SQLite's own journal: these tests kill processes writing a SQLite file
pytestmark = pytest.mark.sqlite_only

ZOO = Path(__file__).resolve().parent / "zoo"
WORKERS = 2  # fork servers, each running its own chain of kills
FILINGS = 20
KINDS = ("commit", "after", "mid")  # where in a write transaction a kill lands (see FORK_SERVER)
TIMED_EVERY = 3  # in the second chain of each server, every third run is killed after a random delay


def build_folder(folder: Path) -> None:
    """About 20 filings: bases with the stickers that amend them, and marked copies of the seed filings."""
    folder.mkdir()
    (folder / "zoo-base.txt").write_bytes((ZOO / "base.txt").read_bytes())
    (folder / "zoo-sticker.txt").write_bytes((ZOO / "sticker-good.txt").read_bytes())
    # two of the smaller evaluation cases when they are here (a real sticker each); the 2003-HE3
    # supplement is left out: one apply of it outlasts most kill windows and makes the loop slow
    cases = [SHARED_CORPUS / "cases" / name / "sticker.txt" for name in ("absc-2003-he5", "sasco-2002-23xs")]
    for sticker in [c for c in cases if c.exists()]:
        name = sticker.parent.name
        shutil.copy(sticker.parent / "base.txt", folder / f"{name}-base.txt")
        shutil.copy(sticker, folder / f"{name}-sticker.txt")
    n = 0
    while len(list(folder.iterdir())) < FILINGS:
        n += 1
        for seed in (SEED_8K, SEED_OPINION):
            if len(list(folder.iterdir())) < FILINGS:
                data = seed.read_bytes() + f"\nCopy {n} kept for the crash test.\n".encode()
                (folder / f"copy-{n}-{seed.name}").write_bytes(data)


def big_base(path: Path) -> None:
    """The zoo base with some 200 filler pages, so that resolving and applying take a while."""
    pages = [
        f"<PAGE>\n\n                    SECTION {i}\n\nFiller Heading {i}\n\n"
        f"The provisions of section {i} apply to the certificates of each class in the\n"
        f"manner set out in the pooling and servicing agreement for distribution {i}.\n\n"
        f"                                     S-{i}\n"
        for i in range(4, 200)
    ]
    path.write_text((ZOO / "base.txt").read_text() + "\n" + "\n".join(pages))


MIXED_STICKER = """Supplement dated December 1, 2003
To Prospectus Supplement dated November 3, 2003
(To Prospectus dated October 1, 2003)

ZOO MORTGAGE SECURITIES INC.
ASSET BACKED PASS-THROUGH CERTIFICATES, SERIES 2099-Z1

The paragraph on page S-1 under "Servicing Fee" is deleted in its entirety and replaced with the following:

The servicer will be paid a monthly fee equal to one-twelfth of 0.40% of the
aggregate principal balance of the mortgage loans.

The paragraph on page S-1 under "Trustee Fee" is deleted in its entirety and replaced with the following:

The trustee will be paid nothing.
"""


# A pre-warmed parent that forks one child per command: each child runs the real CLI entry point
# (`tracker.cli.main`) in its own process, so SIGKILL hits a real process, but without paying the
# second of import time per run. The parent reaps a child only when told, so its pid cannot be
# reused before the test has decided whether to kill it.
#
# A child may be told where to die: every SQL statement its connections run passes a trace hook
# first, which kills the process (SIGKILL, no clean-up) at the point asked for:
#   {"statement": K}                  before the K-th statement of the command
#   {"txn": T, "at": "commit"}        before the COMMIT of its T-th write transaction
#   {"txn": T, "at": "after"}         at the first statement after that COMMIT
#   {"txn": T, "at": "mid", "m": M}   before the M-th statement inside it (or before its COMMIT)
# and, asked to, writes the start of every statement it ran to "count" when it ends by itself.
FORK_SERVER = r"""
import json, os, signal, sqlite3, sys
import tracker.cli, tracker.service, tracker.store, tracker.locate, tracker.segment, tracker.render
try:
    import typer._adapters  # imported on the first parse of arguments; warm it here too
except ImportError:
    pass
connect = sqlite3.connect

def arm(spec):
    state = {"n": 0, "txn": 0, "inside": 0, "after": False, "heads": []}
    def die():
        os.kill(os.getpid(), signal.SIGKILL)
    def trace(sql):
        state["n"] += 1
        state["heads"].append(sql.lstrip()[:15].upper())
        if "statement" in spec:
            if state["n"] == spec["statement"]:
                die()
            return
        if state["after"]:
            die()
        head = sql.lstrip()[:15].upper()
        if head.startswith("BEGIN IMMEDIATE"):
            state["txn"] += 1
            state["inside"] = 0
            return
        if state["txn"] != spec.get("txn"):
            return
        state["inside"] += 1
        if head.startswith("COMMIT"):
            if spec["at"] == "after":
                state["after"] = True
            else:
                die()
        elif spec["at"] == "mid" and state["inside"] == spec["m"]:
            die()
    def traced(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(trace)
        return conn
    sqlite3.connect = traced
    return state

inp = sys.stdin
def say(text):
    os.write(1, (text + "\n").encode())
for line in inp:
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
            state = arm(req.get("kill") or {})
            os.chdir(req["cwd"])
            err = os.open(req["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            out = os.open(os.devnull, os.O_WRONLY)
            os.dup2(out, 1)
            os.dup2(err, 2)
            sys.argv = ["tracker", *req["argv"]]
            code = 0
            try:
                tracker.cli.main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            sys.stdout.flush()
            sys.stderr.flush()
            if req.get("count"):
                with open(req["count"], "w") as fh:
                    json.dump(state["heads"], fh)
        except BaseException:
            code = 99
        os._exit(code)
    say(str(pid))
    os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    say("done")
    inp.readline()  # "reap"
    _, status = os.waitpid(pid, 0)
    say(str(os.waitstatus_to_exitcode(status)))
"""


class Runner:
    """Run CLI commands in forked children of one warm parent, killed where (or when) asked."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.proc = subprocess.Popen([sys.executable, "-c", FORK_SERVER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env(), cwd=workdir)
        self.buffer = b""

    def _line(self, timeout: float | None) -> str | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return None
            chunk = os.read(fd, 4096)
            assert chunk, "the fork server died"
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def run(self, db: Path, args: tuple, *, kill: dict | None = None, delay: float | None = None,
            count: Path | None = None) -> tuple[int, str]:
        """Run one command; it dies at the ``kill`` point, or is killed after ``delay`` seconds,
        unless it ends first. Return (exit code, negative for a signal; stderr)."""
        err = self.workdir / "stderr.txt"
        request = {"argv": ["--db", str(db), *map(str, args)], "cwd": str(db.parent), "stderr": str(err),
                   "kill": kill, "count": str(count) if count else None}
        self.proc.stdin.write((json.dumps(request) + "\n").encode())
        self.proc.stdin.flush()
        pid = int(self._line(30))
        if self._line(delay if delay is not None else 300) is None:
            os.kill(pid, signal.SIGKILL)  # our own child, not yet reaped
            assert self._line(30) == "done"
        self.proc.stdin.write(b"reap\n")
        self.proc.stdin.flush()
        code = int(self._line(30))
        return code, err.read_text(errors="replace")

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def env() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k != "TRACKER_DEBUG"}, "TRACKER_USER": "crash-test"}


def tables(db: Path) -> set[str]:
    if not db.exists():
        return set()
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()


def check_consistent(db: Path, runner: CliRunner | None = None) -> int:
    """Assert every invariant a crash must keep; return the number of events stored.

    ``tracker verify`` runs through the CLI with a ``runner``, else in this thread (a CliRunner
    swaps ``sys.stdout``, so it cannot serve two threads at once).
    """
    if "events" not in tables(db):  # killed before the first migration committed
        return 0
    if runner is not None:
        result = runner.invoke(app, ["--db", str(db), "verify"])
        assert result.exit_code == 0, result.stdout + result.stderr
        assert result.stdout.startswith("ok:")
    else:
        from tracker import service
        from tracker.store import Store

        store = Store.open(db, create=False)
        try:
            verified = service.verify(store)
        finally:
            store.close()
        assert verified["ok"], verified["problems"]
    con = sqlite3.connect(db)
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    try:
        assert q("SELECT f.id FROM filings f WHERE NOT EXISTS "
                 "(SELECT 1 FROM documents d WHERE d.filing_id = f.id)") == []
        assert q("SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM versions v "
                 "WHERE v.document_id = d.id AND v.number = 1 AND v.filing_id = d.filing_id)") == []
        # an amended version has its amendment pointing at it and no instruction left pending
        assert q("SELECT v.id FROM versions v LEFT JOIN amendments a ON a.filing_id = v.filing_id "
                 "WHERE v.parent_id IS NOT NULL AND (a.version_id IS NOT v.id "
                 "OR a.state NOT IN ('applied', 'partial'))") == []
        assert q("SELECT i.id FROM instructions i JOIN amendments a ON a.filing_id = i.filing_id "
                 "WHERE a.state != 'pending' AND i.status = 'pending'") == []
        assert q("SELECT i.id FROM instructions i JOIN amendments a ON a.filing_id = i.filing_id "
                 "WHERE i.status = 'applied' AND i.version_id IS NOT a.version_id") == []
        assert q("SELECT a.filing_id FROM amendments a JOIN versions v ON v.filing_id = a.filing_id "
                 "WHERE a.state = 'pending' AND v.parent_id IS NOT NULL") == []
        assert q("SELECT document_id, filing_id FROM versions GROUP BY document_id, filing_id "
                 "HAVING COUNT(*) > 1") == []
        # one event per write: one per filing stored, one per amendment decided, nothing else
        by_command = dict(q("SELECT command, COUNT(*) FROM events GROUP BY command"))
        assert by_command.get("ingest", 0) == q("SELECT COUNT(*) FROM filings")[0][0]
        assert by_command.get("apply", 0) >= q("SELECT COUNT(*) FROM amendments WHERE state != 'pending'")[0][0]
        # each amended version was written with the event that records it
        assert q("SELECT v.id FROM versions v WHERE v.parent_id IS NOT NULL AND NOT EXISTS "
                 "(SELECT 1 FROM events e WHERE e.command = 'apply' "
                 "AND json_extract(e.outputs, '$.text_sha256') = v.text_sha256)") == []
        return sum(by_command.values())
    finally:
        con.close()


def fingerprint(db: Path) -> dict:
    """What a run leaves behind, without times: documents, versions, amendments, statuses, events."""
    con = sqlite3.connect(db)
    q = lambda sql: sorted(con.execute(sql).fetchall())  # noqa: E731
    try:
        return {
            "documents": q("SELECT d.key, d.kind, f.sha256 FROM documents d JOIN filings f ON f.id = d.filing_id"),
            "versions": q("SELECT d.key, v.number, v.text_sha256, v.partial, v.effective_date "
                          "FROM versions v JOIN documents d ON d.id = v.document_id"),
            "amendments": q("SELECT s.key, a.state, t.key FROM amendments a JOIN documents s "
                            "ON s.id = a.sticker_document_id LEFT JOIN documents t ON t.id = a.target_document_id"),
            "instructions": q("SELECT s.key, i.n, i.status FROM instructions i JOIN amendments a "
                              "ON a.filing_id = i.filing_id JOIN documents s ON s.id = a.sticker_document_id"),
            "notices": q("SELECT filing_id, n, version_id IS NULL FROM notices"),
            "events": q("SELECT command, COUNT(*) FROM events GROUP BY command"),
            "blobs": q("SELECT sha256 FROM blobs"),
        }
    finally:
        con.close()



@pytest.fixture(scope="module")
def runners(tmp_path_factory):
    made = [Runner(tmp_path_factory.mktemp(f"runner-{w}")) for w in range(WORKERS)]
    yield made
    for r in made:
        r.close()


def filings_stored(db: Path) -> int:
    if "filings" not in tables(db):
        return 0
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT COUNT(*) FROM filings").fetchone()[0]
    finally:
        con.close()


def ingest_chain(runner: Runner, db: Path, folder: Path, clean: dict, rng: random.Random, *,
                 timed: bool) -> Counter:
    """Ingest the folder into an empty database, killing each run somewhere, until a run ends by
    itself; after every kill the store must hold, and the end must be what a clean run stores."""
    stats: Counter = Counter()
    before = 0
    for run in range(1, 400):
        kill, delay, kind = None, None, "timed"
        if timed and run % TIMED_EVERY == 0:
            delay = rng.uniform(0.0, 0.3)  # lands anywhere: inside a statement, a commit, start-up
        else:
            kill = {"txn": rng.randint(1, 3), "at": rng.choice(KINDS), "m": rng.randint(1, 40)}
            kind = kill["at"]
        code, err = runner.run(db, ("ingest", folder), kill=kill, delay=delay)
        assert "Traceback" not in err and "internal error" not in err, err
        check_consistent(db)
        stored = filings_stored(db)
        assert stored >= before  # what was committed stays
        before = stored
        if code == -signal.SIGKILL:
            stats[kind] += 1
            continue
        # the run ended: with the killed runs before it, it did exactly a clean run's work
        assert code == 0, err
        assert fingerprint(db) == clean
        stats["runs"] += run
        return stats
    pytest.fail("the ingest never finished")


@pytest.mark.slow
def test_ingest_of_a_folder_survives_kills_anywhere(tmp_path, runners):
    """Kills before a commit, right after one, inside a transaction, and (in one chain per server)
    at random moments, from the first migration to the last amendment applied."""
    cli = CliRunner()
    folder = tmp_path / "filings"
    build_folder(folder)
    assert len(list(folder.iterdir())) == FILINGS
    (tmp_path / "clean").mkdir()
    clean_db = tmp_path / "clean" / "t.db"
    code, err = runners[0].run(clean_db, ("ingest", folder))
    assert code == 0, err
    check_consistent(clean_db, cli)
    clean = fingerprint(clean_db)
    assert len(clean["documents"]) == FILINGS
    assert any(v[1] == 2 for v in clean["versions"])  # at least one sticker was applied

    def chains(w: int) -> Counter:
        stats: Counter = Counter()
        rng = random.Random(20040109 + w)
        for timed in (False, True):
            db = tmp_path / f"chain-{w}-{timed}" / "t.db"
            db.parent.mkdir()
            stats += ingest_chain(runners[w], db, folder, clean, rng, timed=timed)
        return stats

    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        stats = sum(pool.map(chains, range(WORKERS)), Counter())
    print(f"\ningest: {sum(stats[k] for k in (*KINDS, 'timed'))} kills "
          f"({', '.join(f'{stats[k]} {k}' for k in (*KINDS, 'timed'))}) in {stats['runs']} runs, "
          f"{time.monotonic() - started:.0f} s")
    assert all(stats[k] for k in KINDS)  # each kind of point was hit (the kill points do not depend on time)


@pytest.mark.slow
def test_apply_survives_a_kill_at_every_stage(tmp_path, runners):
    """Kills before the apply's transaction, at its start, all through its writes, before its
    commit and after it: the store holds either nothing of the apply or all of it."""
    cli = CliRunner()
    base, sticker = tmp_path / "big-base.txt", tmp_path / "mixed-sticker.txt"
    big_base(base)
    sticker.write_text(MIXED_STICKER)
    template = tmp_path / "template"
    template.mkdir()
    for path, want in ((base, 0), (sticker, 3)):  # the sticker needs review: exit 3
        code, err = runners[0].run(template / "t.db", ("ingest", path))
        assert code == want, err
    review = cli.invoke(app, ["--db", str(template / "t.db"), "review", "--json"])
    assert '"needs_review"' in review.stdout
    untouched = fingerprint(template / "t.db")
    clean_dir = tmp_path / "clean"
    shutil.copytree(template, clean_dir)
    heads_file = tmp_path / "heads.json"
    code, err = runners[0].run(clean_dir / "t.db", ("apply", "2", "--partial"), count=heads_file)
    assert code == 0, err
    clean = fingerprint(clean_dir / "t.db")
    assert ("2099-Z1/prospectus-supplement", 2) in {v[:2] for v in clean["versions"]}
    heads = json.loads(heads_file.read_text())
    begin = heads.index("BEGIN IMMEDIATE") + 1  # statements counted from 1
    commit = heads.index("COMMIT", begin) + 1
    assert heads.count("BEGIN IMMEDIATE") == 1 and commit - begin > 10  # one transaction, many writes
    inside = range(begin + 1, commit, max(1, (commit - begin) // 8))
    points = sorted({1, begin - 1, begin, *inside, commit - 1, commit, commit + 1} - {0})
    points = [k for k in points if k <= len(heads)]

    def trials(w: int) -> list[tuple[int, int, str, Path]]:
        """Each server kills its share of the points, one after the other."""
        out = []
        for k in points[w::WORKERS]:
            folder = tmp_path / f"trial-{k}"
            shutil.copytree(template, folder)
            code, err = runners[w].run(folder / "t.db", ("apply", "2", "--partial"), kill={"statement": k})
            out.append((k, code, err, folder))
        return out

    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = sorted(o for share in pool.map(trials, range(WORKERS)) for o in share)
    for k, code, err, folder in outcomes:
        assert code == -signal.SIGKILL, f"statement {k}: {err}"
        assert "Traceback" not in err and "internal error" not in err, err
        check_consistent(folder / "t.db", cli)
        assert fingerprint(folder / "t.db") == (clean if k > commit else untouched), f"killed before statement {k}"
        again = cli.invoke(app, ["--db", str(folder / "t.db"), "apply", "2", "--partial"])
        assert again.exit_code == 0, again.stderr
        check_consistent(folder / "t.db", cli)
        assert fingerprint(folder / "t.db") == clean
    print(f"\napply: killed before statements {points} of {len(heads)} (transaction {begin}..{commit})")
