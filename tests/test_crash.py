"""Crash safety: SIGKILL `tracker ingest DIR` and `tracker apply` at random moments, then check the store.

After every kill: `tracker verify` passes, every filing has its documents and first versions, no
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

ZOO = Path(__file__).resolve().parent / "zoo"
INGEST_KILLS = 200
APPLY_KILLS = 30
WORKERS = 2
FILINGS = 20


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
# second of import time per trial. The parent reaps a child only when told, so its pid cannot be
# reused before the test has decided whether to kill it.
FORK_SERVER = r"""
import json, os, sys
import tracker.cli, tracker.service, tracker.store, tracker.locate, tracker.segment, tracker.render
try:
    import typer._adapters  # imported on the first parse of arguments; warm it here too
except ImportError:
    pass
inp = sys.stdin
def say(text):
    os.write(1, (text + "\n").encode())
for line in inp:
    req = json.loads(line)
    pid = os.fork()
    if pid == 0:
        try:
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
    """Run CLI commands in forked children of one warm parent; kill a child after a delay."""

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

    def run(self, db: Path, args: tuple, delay: float | None) -> tuple[int, str]:
        """Run one command; SIGKILL it after ``delay`` seconds unless it ended. Return (code, stderr)."""
        err = self.workdir / "stderr.txt"
        request = {"argv": ["--db", str(db), *map(str, args)], "cwd": str(db.parent), "stderr": str(err)}
        self.proc.stdin.write((json.dumps(request) + "\n").encode())
        self.proc.stdin.flush()
        pid = int(self._line(30))
        if self._line(delay if delay is not None else 120) is None:
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


def run_once(db: Path, args: tuple) -> tuple[int, str]:
    """Run one command to its end through the installed entry point."""
    proc = subprocess.run([sys.executable, "-m", "tracker.cli", "--db", str(db), *map(str, args)],
                          capture_output=True, env=env(), cwd=db.parent, timeout=300)
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


def tables(db: Path) -> set[str]:
    if not db.exists():
        return set()
    con = sqlite3.connect(db)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()


def check_consistent(db: Path, runner: CliRunner) -> int:
    """Assert every invariant a crash must keep; return the number of events stored."""
    if "events" not in tables(db):  # killed before the first migration committed
        return 0
    result = runner.invoke(app, ["--db", str(db), "verify"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok:")
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


@pytest.fixture
def runners(tmp_path):
    made = []
    for w in range(WORKERS):
        workdir = tmp_path / f"runner-{w}"
        workdir.mkdir()
        made.append(Runner(workdir))
    yield made
    for r in made:
        r.close()


@pytest.mark.slow
def test_ingest_of_a_folder_survives_kills_at_random_moments(tmp_path, runners):
    cli = CliRunner()
    folder = tmp_path / "filings"
    build_folder(folder)
    assert len(list(folder.iterdir())) == FILINGS
    (tmp_path / "clean").mkdir()
    clean_db = tmp_path / "clean" / "t.db"
    code, err = run_once(clean_db, ("ingest", folder))
    assert code == 0, err
    check_consistent(clean_db, cli)
    clean = fingerprint(clean_db)
    assert len(clean["documents"]) == FILINGS
    assert any(v[1] == 2 for v in clean["versions"])  # at least one sticker was applied
    started = time.monotonic()
    rng = random.Random(20040109)
    dbs = []
    for w in range(WORKERS):
        (tmp_path / f"chain-{w}").mkdir()
        dbs.append(tmp_path / f"chain-{w}" / "t.db")
    stats = Counter()
    with ThreadPoolExecutor(WORKERS) as pool:
        events = [0] * WORKERS
        stalled = [0] * WORKERS  # kills in a row that stopped a chain before its next commit
        while stats["kills"] < INGEST_KILLS:
            # a step that takes longer than the window (one large apply) gets a wider one next time
            jobs = [(r, db, rng.uniform(0.0, 0.45 * 2 ** min(stalled[w], 2)))
                    for w, (r, db) in enumerate(zip(runners, dbs))]
            outcomes = list(pool.map(lambda j: j[0].run(j[1], ("ingest", folder), j[2]), jobs))
            for w, (db, (code, err)) in enumerate(zip(dbs, outcomes)):
                assert "Traceback" not in err and "internal error" not in err, err
                events_after = check_consistent(db, cli)
                progressed, events[w] = events_after > events[w], events_after
                stalled[w] = 0 if progressed else stalled[w] + 1
                if code == -signal.SIGKILL:
                    stats["kills"] += 1
                    stats["kills_after_progress"] += progressed
                    continue
                # the run ended: with the killed runs before it, it did exactly a clean run's work
                assert code == 0, err
                assert fingerprint(db) == clean
                stats["completed_chains"] += 1
                for f in db.parent.glob("t.db*"):
                    f.unlink()
                events[w] = 0
    for db in dbs:  # finish the chains in progress
        code, err = runners[0].run(db, ("ingest", folder), None)
        assert code == 0, err
        check_consistent(db, cli)
        assert fingerprint(db) == clean
        stats["completed_chains"] += 1
    print(f"\ningest: {stats['kills']} kills, {stats['kills_after_progress']} after some writes, "
          f"{stats['completed_chains']} chains completed, {time.monotonic() - started:.0f} s")
    assert stats["completed_chains"] >= WORKERS + 1
    assert stats["kills_after_progress"] >= INGEST_KILLS // 10  # not all kills land in start-up


@pytest.mark.slow
def test_apply_survives_kills_at_random_moments(tmp_path, runners):
    cli = CliRunner()
    base, sticker = tmp_path / "big-base.txt", tmp_path / "mixed-sticker.txt"
    big_base(base)
    sticker.write_text(MIXED_STICKER)
    template = tmp_path / "template"
    template.mkdir()
    for path, want in ((base, 0), (sticker, 3)):  # the sticker needs review: exit 3
        code, err = runners[0].run(template / "t.db", ("ingest", path), None)
        assert code == want, err
    review = cli.invoke(app, ["--db", str(template / "t.db"), "review", "--json"])
    assert '"needs_review"' in review.stdout
    untouched = fingerprint(template / "t.db")
    clean_dir = tmp_path / "clean"
    shutil.copytree(template, clean_dir)
    code, err = run_once(clean_dir / "t.db", ("apply", "2", "--partial"))
    assert code == 0, err
    clean = fingerprint(clean_dir / "t.db")
    assert ("2099-Z1/prospectus-supplement", 2) in {v[:2] for v in clean["versions"]}
    # Kill within the time an apply takes here, measured on a copy, so that the kills land inside
    # the command whatever the speed of the machine.
    durations = []
    for k in range(3):
        probe = tmp_path / f"probe-{k}"
        shutil.copytree(template, probe)
        t0 = time.monotonic()
        code, err = runners[0].run(probe / "t.db", ("apply", "2", "--partial"), None)
        durations.append(time.monotonic() - t0)
        assert code == 0, err
    duration = sorted(durations)[0]  # the fastest run: kills then land inside even on a quiet machine
    rng = random.Random(20031222)
    stats = Counter()
    started = time.monotonic()
    trials = [tmp_path / f"trial-{i}" for i in range(APPLY_KILLS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        for i in range(0, APPLY_KILLS, WORKERS):
            batch = list(zip(runners, trials[i:i + WORKERS]))
            for _, d in batch:
                shutil.copytree(template, d)
            outcomes = list(pool.map(
                lambda j: j[0].run(j[1] / "t.db", ("apply", "2", "--partial"), rng.uniform(0.0, 0.9 * duration)), batch))
            for (_, d), (code, err) in zip(batch, outcomes):
                assert "Traceback" not in err and "internal error" not in err, err
                check_consistent(d / "t.db", cli)
                if code == -signal.SIGKILL:
                    stats["kills"] += 1
                    stats["killed_after_commit"] += fingerprint(d / "t.db") != untouched
                else:
                    assert code == 0, err
                    stats["finished"] += 1
                again = cli.invoke(app, ["--db", str(d / "t.db"), "apply", "2", "--partial"])
                assert again.exit_code == 0, again.stderr
                check_consistent(d / "t.db", cli)
                assert fingerprint(d / "t.db") == clean
                shutil.rmtree(d)
    print(f"\napply: {stats['kills']} kills ({stats['killed_after_commit']} after the commit), "
          f"{stats['finished']} finished first, {time.monotonic() - started:.0f} s")
    assert stats["kills"] >= APPLY_KILLS // 3
