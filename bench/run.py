"""Benchmark: tracker against git and difflib on the same inputs, in the same run.

    python bench/run.py [--quick] [--no-write]

Builds its own inputs (bench/gen.py: prospectus supplements of 0.1, 1, 5 and 20 MB, a chain of 30
stickers on the 1 MB one and of 10 on the 5 MB one, a chain of 1,000 versions, 2,000 filings for a
bulk ingest, HTML prospectuses of 1 and 5 MB and a table bomb of 1 and 6 MB) and takes a real HTML
prospectus from ../shared/corpus when it is there; measures each figure as a median over repeated
runs, each measure alternating with its baseline (A, B, A, B ...) so that a noisy machine moves
both alike; reports CPU time (the process's and its children's) next to wall time; prints one
table and writes docs/benchmarks.md with the machine's details and its load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402

from tracker import redline, service  # noqa: E402
from tracker.store import Store  # noqa: E402

KB, MB = 1_000, 1_000_000


# --- measuring -------------------------------------------------------------------------------


def median_time(fn, repeat: int, setup=None, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs (``setup()`` untimed before each)."""
    times = []
    for i in range(warmup + repeat):
        if setup:
            setup()
        t = time.perf_counter()
        fn()
        dt_ = time.perf_counter() - t
        if i >= warmup:
            times.append(dt_)
    return statistics.median(times)


def cpu_now() -> float:
    """CPU seconds used so far by this process and the children it has waited for."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one ``fn()``."""
    c, w = cpu_now(), time.perf_counter()
    fn()
    return cpu_now() - c, time.perf_counter() - w


def paired(fns: dict, repeat: int, setup: dict | None = None, warmup: int = 1) -> dict[str, tuple[float, float]]:
    """Each of ``fns`` run in turn (A, B, A, B ...), ``setup[name]()`` untimed before each run;
    the median (CPU seconds, wall seconds) of each."""
    got: dict[str, list[tuple[float, float]]] = {name: [] for name in fns}
    for i in range(warmup + repeat):
        for name, fn in fns.items():
            if setup and name in setup:
                setup[name]()
            t = timed(fn)
            if i >= warmup:
                got[name].append(t)
    return {name: (statistics.median(c for c, _ in ts), statistics.median(w for _, w in ts))
            for name, ts in got.items()}


def profile_shares(fn, times: int, parts: dict[str, str]) -> str:
    """What share of ``fn``'s time (cProfile, ``times`` calls) goes to each named function, cumulative."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for _ in range(times):
        fn()
    prof.disable()
    stats = pstats.Stats(prof).stats
    total = max(v[3] for v in stats.values())
    found = []
    for label, name in parts.items():
        cum = max((v[3] for k, v in stats.items() if k[2] == name), default=0.0)
        found.append(f"{label} {100 * cum / total:.0f}%")
    return ", ".join(found)


def load() -> str:
    """The machine's load as the benchmark starts and ends (1, 5 and 15 minute averages)."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def run(cmd: list[str], cwd: Path | None = None, env=None) -> None:
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_any(cmd: list[str]) -> None:
    """Run a command whose exit code says something other than failure (``git diff``: 1 when the files differ)."""
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def out(cmd: list[str], cwd: Path | None = None) -> str:
    return subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, text=True).stdout


@dataclass
class Row:
    group: str
    what: str
    ours: float | None
    base: float | None
    base_name: str
    unit: str  # "ms", "/s", "MB", "KB"
    target: str = ""
    met: bool | None = None
    wall: float | None = None  # for a CPU figure: its wall time, and the baseline's
    base_wall: float | None = None

    def ratio(self) -> str:
        if self.ours is None or not self.base:
            return "n/a"
        return f"{self.ours / self.base:.2f}x"


def fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "n/a"
    if unit == "ms":
        return f"{v:.1f} ms" if v < 100 else f"{v:.0f} ms"
    if unit == "/s":
        return f"{v:.2f}/s" if v < 10 else f"{v:.1f}/s"
    if unit == "MB":
        return f"{v:.2f} MB"
    if unit == "KB":
        return f"{v:.0f} KB"
    return f"{v:g} {unit}"


# --- git -------------------------------------------------------------------------------------

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "HOME": tempfile.gettempdir(),
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=GIT_ENV, check=True, capture_output=True,
                          text=True).stdout


def git_init(repo: Path) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "config", "gc.auto", "0")


def git_size_kb(repo: Path) -> float:
    git(repo, "gc", "-q", "--aggressive", "--prune=now")
    stats = dict(
        line.split(": ", 1) for line in git(repo, "count-objects", "-v").splitlines() if ": " in line
    )
    return float(stats["size-pack"]) + float(stats["size"])


def _modules_at(rev: str):
    """``tracker.segment`` and ``tracker.redline`` as they were at git revision ``rev``."""
    import importlib.util

    mods = []
    tmp = Path(tempfile.mkdtemp(prefix="tracker-rev-"))
    for name in ("segment", "redline"):
        src = out(["git", "show", f"{rev}:tracker/{name}.py"], cwd=ROOT)
        path = tmp / f"{name}.py"
        path.write_text(src, encoding="utf-8")
        full = f"tracker._at_rev_{name}"
        spec = importlib.util.spec_from_file_location(full, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[full] = mod
        spec.loader.exec_module(mod)
        mods.append(mod)
    return mods


# --- tracker helpers -------------------------------------------------------------------------


def db_size(path: Path) -> int:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("VACUUM")
    con.close()
    return path.stat().st_size


def storage_split(path: Path) -> dict[str, int]:
    """Bytes by what they are for: versions, raw filings, segmentations, search index."""
    con = sqlite3.connect(path)
    one = lambda sql: con.execute(sql).fetchone()[0] or 0  # noqa: E731
    version_blobs = one("SELECT SUM(length(data)) FROM blobs WHERE sha256 IN "
                        "(SELECT text_sha256 FROM versions WHERE snapshot = 1) "
                        "AND sha256 NOT IN (SELECT sha256 FROM filings)")
    sizes = dict(con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"))
    table = sum(n for name, n in sizes.items() if name == "versions" or name.startswith("sqlite_autoindex_versions"))
    out = {
        "versions": version_blobs + table,
        "filings": one("SELECT SUM(length(data)) FROM blobs WHERE sha256 IN (SELECT sha256 FROM filings)"),
        "structure": one("SELECT SUM(length(data)) FROM version_structure"),
    }
    out["search"] = sum(n for name, n in sizes.items()
                        if name.startswith(("passages", "block_texts", "version_blocks", "sqlite_autoindex_block_texts")))
    con.close()
    return out


def db_breakdown(path: Path) -> dict[str, int]:
    """Bytes per table (its indexes and FTS shadow tables folded into it)."""
    con = sqlite3.connect(path)
    sizes: dict[str, int] = {}
    for name, size in con.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
        key = name
        for t in ("passages", "block_texts", "version_blocks", "version_structure", "blobs", "versions",
                  "instructions", "events", "filings", "documents"):
            if name == t or name.startswith(t + "_") or name.startswith(f"sqlite_autoindex_{t}"):
                key = t
                break
        else:
            key = "other"
        sizes[key] = sizes.get(key, 0) + size
    con.close()
    return sizes


def tracker_exe() -> list[str]:
    """``tracker`` as its console script runs it (``tracker.launch:main``), from this checkout."""
    return [sys.executable, "-c", "import sys; sys.argv[0] = 'tracker'; from tracker.launch import main; main()"]


def floor_reader(store: Store, versions: list, version):
    """Reading and inflating the one blob a version's text comes from (its snapshot's, or its
    filing's when that text is a slice of the filing): the floor of any read of it."""
    by_id = {u.id: u for u in versions}
    snap = version
    while not snap.snapshot:
        snap = by_id[snap.parent_id]
    found = store.get_text_slice(snap.text_sha256)
    digest = found[0] if found else snap.text_sha256

    def read() -> None:
        data = store.conn.execute("SELECT data FROM blobs WHERE sha256 = ?", [digest]).fetchone()[0]
        zlib.decompress(data).decode("utf-8")
    return read


def copy_db(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        if dst.with_name(dst.name + suffix).exists():
            dst.with_name(dst.name + suffix).unlink()
    shutil.copyfile(src, dst)


def postgresql_rows(work: Path, chain_db: Path, pending_db: Path, key: str, text: str, quick: bool, R: int,
                    notes: list[str]) -> list[Row]:
    """As-of read, apply and ingest on a PostgreSQL server (``TRACKER_BENCH_PG``, or a throwaway
    cluster on this machine) beside the same on SQLite, measured in turn in this run; wall times (the
    server's work is not this process's CPU); none when there is no server."""
    sys.path.insert(0, str(ROOT))
    from tests import pgserver

    from tracker.service.audit import copy

    url = os.environ.get("TRACKER_BENCH_PG") or pgserver.server_url()
    if url is None:
        notes.append("PostgreSQL rows: no server (set TRACKER_BENCH_PG, or install postgresql).")
        return []
    drops = []

    def on_server(source: Path | None = None) -> Store:
        location, drop = pgserver.fresh_schema(url)
        drops.append(drop)
        store = Store.open(location)
        if source is not None:
            original = Store.open(source, write=False)
            copy(original, store)
            original.close()
        return store

    out: list[Row] = []
    try:
        as_of = gen.sticker_date(30)
        pg, lite = on_server(chain_db), Store.open(chain_db)
        assert service.show(pg, key, as_of).text == text
        got = paired({"pg": lambda: service.show(pg, key, as_of), "sqlite": lambda: service.show(lite, key, as_of)},
                     R * 3)
        out.append(Row("postgresql", "1 MB as of a date after 30 stickers, in-process (service.show)",
                       got["pg"][1] * 1000, got["sqlite"][1] * 1000, "the same on SQLite (wall)", "ms"))
        pg.close()
        lite.close()
        holder: dict = {}
        trial = work / "pg-trial.db"

        def fresh(name: str) -> None:
            if holder.get(name):
                holder[name].close()
            if name == "pg":
                holder[name] = on_server(pending_db)
            else:
                copy_db(pending_db, trial)
                holder[name] = Store.open(trial)

        got = paired({"pg": lambda: service.link_and_apply_pending(holder["pg"]),
                      "sqlite": lambda: service.link_and_apply_pending(holder["sqlite"])}, R,
                     setup={"pg": lambda: fresh("pg"), "sqlite": lambda: fresh("sqlite")})
        for store in holder.values():
            store.close()
        out.append(Row("postgresql", "apply one sticker (2 instructions) to 1 MB", got["pg"][1] * 1000,
                       got["sqlite"][1] * 1000, "the same on SQLite (wall)", "ms"))
        n = 3 if quick else 6
        doc = gen.document(1 * MB, seed=1)
        files = []
        for i in range(n):
            body = doc.text.replace(f"SERIES {gen.SERIES_PREFIX}1", f"SERIES {gen.SERIES_PREFIX}{200 + i}")
            f = work / f"pg-filing-{i}.txt"
            f.write_bytes(gen.sgml(gen.accession(2000 + i), gen.SUPPLEMENT_DATE, "424B5", body))
            files.append(str(f))

        def ingest_into(store: Store) -> float:
            began = time.perf_counter()
            report = service.ingest(store, files, workers=1)
            took = time.perf_counter() - began
            store.close()
            assert not report.failed, report.failed
            return took

        on_pg = ingest_into(on_server())
        on_sqlite = ingest_into(Store.open(work / "pg-compare.db"))
        out.append(Row("postgresql", f"ingest 1 MB filings, 1 process ({n} filings)", n / on_pg, n / on_sqlite,
                       "the same on SQLite", "/s"))
        notes.append("PostgreSQL rows: a server on this machine (Unix socket, fsync off), a schema of its own "
                     "for each measurement, the record put there by tracker copy; wall times.")
    finally:
        for drop in drops:
            drop()
    return out


# --- the benchmark ---------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer files and repeats")
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    ap.add_argument("--against", metavar="REV",
                    help="also time segment() and redline.compare() as of this git revision (e.g. HEAD~1)")
    args = ap.parse_args()
    quick = args.quick
    R = 3 if quick else 7  # repeats for in-process and subprocess timings
    chain_len = 30
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    os.environ.setdefault("TRACKER_USER", "bench")
    rows: list[Row] = []
    notes: list[str] = []
    started = time.perf_counter()
    loads = [load()]
    cores = os.cpu_count() or 1

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {msg}", file=sys.stderr, flush=True)

    def cpu_row(group, what, ours, base, base_name, target="", met=None) -> None:
        """A row of CPU figures (ms) with their wall times; ``ours`` and ``base`` are (cpu, wall) seconds."""
        rows.append(Row(group, what, ours[0] * 1000, base[0] * 1000 if base else None, base_name, "ms", target,
                        met, ours[1] * 1000, base[1] * 1000 if base else None))

    try:
        # --- segmenting: on the path of ingest, apply and diff ---------------------------------------
        log("segment()")
        from tracker import segment as seg_now

        old_mods = _modules_at(args.against) if args.against else None
        for size in (100 * KB, 1 * MB, 5 * MB):
            text = gen.document(size, seed=1).text
            reps = R if size < 5 * MB else max(1, R // 2)
            t = paired({"new": lambda: seg_now.segment(text)}, reps)["new"]
            t_old = median_time(lambda: old_mods[0].segment(text), reps) if old_mods else None
            cpu_row("segment", f"segment() of {size / MB:g} MB", t, (t_old, t_old) if t_old else None,
                    f"segment() at {args.against}" if old_mods else "")

        # --- reading HTML: on the path of ingest -------------------------------------------------
        log("html_to_text()")
        from tracker.read.html import html_to_text

        for name, make in (("an HTML prospectus", gen.html_document), ("the table bomb", gen.table_bomb)):
            big = 6 * MB if make is gen.table_bomb else 5 * MB
            times = {}
            for size in (1 * MB, big):
                html = make(size)
                times[size] = paired({"ours": lambda: html_to_text(html)}, max(1, R // 2))["ours"]
                cpu_row("read", f"html_to_text() of {name}, {size / MB:g} MB", times[size], None, "")
            scale = big / MB
            cpu_row("read", f"  {scale:g} MB against {scale:g} x the 1 MB time (1.0 is linear)", times[big],
                    (times[1 * MB][0] * scale, times[1 * MB][1] * scale), f"{scale:g} x 1 MB")

        # --- ingest --------------------------------------------------------------------------
        counts = {100 * KB: (10, 40), 1 * MB: (6, 20), 5 * MB: (1, 3)}
        for size, (nq, nf) in counts.items():
            n = nq if quick else nf
            label = f"{size / MB:g} MB"
            log(f"ingest {n} filings of {label}")
            doc = gen.document(size, seed=1)
            src = work / f"in-{size}"
            src.mkdir()
            files = []
            for i in range(n):
                # one deal each: same shape, other series, other bytes
                text = doc.text.replace(f"SERIES {gen.SERIES_PREFIX}1", f"SERIES {gen.SERIES_PREFIX}{100 + i}")
                p = src / f"filing-{i:03d}.txt"
                p.write_bytes(gen.sgml(gen.accession(1000 + i), gen.SUPPLEMENT_DATE, "424B5", text))
                files.append(p)
            reps = 1 if (quick or size >= 5 * MB) else 3
            db = work / "ingest.db"
            repo = work / "ingest-git"

            def clean() -> None:
                for s_ in ("", "-wal", "-shm"):
                    Path(str(db) + s_).unlink(missing_ok=True)
                shutil.rmtree(repo, ignore_errors=True)
                git_init(repo)

            def ingest_with(workers: int):
                def go() -> None:
                    st_ = Store.open(db)
                    report = service.ingest(st_, [str(f) for f in files], workers=workers)
                    st_.close()
                    assert not report.failed, report.failed
                return go

            def git_all() -> None:
                for f in files:
                    shutil.copyfile(f, repo / f.name)
                    git(repo, "add", f.name)
                    git(repo, "commit", "-q", "-m", f.name)

            fns = {"one": ingest_with(1), "git": git_all}
            if cores > 1:
                fns["all"] = ingest_with(cores)
            got = paired(fns, reps, setup={k: clean for k in fns}, warmup=0)
            target = 15 if size == 1 * MB else None
            per_cpu = n / got["one"][0]
            rows.append(Row("ingest", f"ingest {label} filings, 1 process: filings per CPU second", per_cpu,
                            n / got["git"][0], "git add+commit per file (CPU)", "/s",
                            f">= {target}/s per core" if target else "", (per_cpu >= target) if target else None))
            rows.append(Row("ingest", "  same, per wall second", n / got["one"][1], n / got["git"][1],
                            "git add+commit per file (wall)", "/s"))
            if "all" in got:
                rows.append(Row("ingest", f"  same with {cores} worker processes, per wall second", n / got["all"][1],
                                n / got["git"][1], "git add+commit per file (wall)", "/s"))
            shutil.rmtree(src)
            clean()

        # --- bulk ingest: memory stays flat whatever the count -----------------------------------
        bulk = (250, 2000)
        peaks = {}
        for n in bulk:
            log(f"bulk ingest of {n} x 0.1 MB filings, {cores} workers")
            src = work / f"bulk-{n}"
            src.mkdir()
            doc = gen.document(100 * KB, seed=3)
            for i in range(n):
                text = doc.text.replace(f"SERIES {gen.SERIES_PREFIX}3", f"SERIES {gen.SERIES_PREFIX}{5000 + i}")
                (src / f"f-{i:05d}.txt").write_bytes(gen.sgml(gen.accession(50_000 + i), gen.SUPPLEMENT_DATE,
                                                              "424B5", text))
            db = work / f"bulk-{n}.db"
            script = ("import resource, sys, time; from tracker import service; from tracker.store import Store; "
                      f"st = Store.open({str(db)!r}); t = time.perf_counter(); "
                      f"r = service.ingest(st, [{str(src)!r}], workers={cores}); st.close(); "
                      # the peak of this process since it started (ru_maxrss would keep the bench's own,
                      # from before the exec); a worker's, forked from it, is ru_maxrss of the children
                      "me = [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')][0]; "
                      "kid = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
                      "print(len(r.results) if hasattr(r, 'results') else 0, len(r.failed), me, kid, "
                      "time.perf_counter() - t)")
            done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
            _, failed, me, kid, secs = done.stdout.split()
            assert failed == "0", done.stdout
            peaks[n] = (int(me) / 1024, int(kid) / 1024, float(secs))
            shutil.rmtree(src)
            for s_ in ("", "-wal", "-shm"):
                Path(str(db) + s_).unlink(missing_ok=True)
        for n in bulk:
            me, kid, secs = peaks[n]
            total = me + cores * kid
            rows.append(Row("bulk", f"bulk ingest of {n} x 0.1 MB, {cores} workers: peak memory, writer + "
                            f"{cores} x largest worker", total, None, "", "MB", "< 250 MB whatever the count",
                            total < 250))
            notes.append(f"Bulk ingest of {n} x 0.1 MB filings with {cores} workers: {secs:.1f} s wall "
                         f"({n / secs:.0f} filings/s); peak resident memory {me:.0f} MB in the writing process, "
                         f"{kid:.0f} MB in the largest worker.")
        rows.append(Row("bulk", f"  peak memory at {bulk[1]} files against at {bulk[0]} (1.0 is flat)",
                        peaks[bulk[1]][0] + cores * peaks[bulk[1]][1], peaks[bulk[0]][0] + cores * peaks[bulk[0]][1],
                        f"at {bulk[0]} files", "MB"))

        # --- a chain of stickers on 1 MB --------------------------------------------------------
        log("building a chain of 30 stickers on a 1 MB supplement")
        doc = gen.document(1 * MB, seed=1)
        stickers = gen.stickers(doc, chain_len, per=2)
        chain_db = work / "chain.db"
        st = Store.open(chain_db)
        service.ingest_bytes(st, gen.sgml(gen.accession(1), gen.SUPPLEMENT_DATE, "424B5", doc.text), source_name="base.txt")
        key = f"{gen.SERIES_PREFIX}1/prospectus-supplement"
        base_only = work / "base-only.db"
        st.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(chain_db, base_only)
        # One sticker pending on the base: the apply measurement starts from a copy of this.
        service.ingest_bytes(st, gen.sgml(gen.accession(2), gen.sticker_date(1), "424B3", stickers[0]),
                             source_name="sticker-01.txt")
        st.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pending_db = work / "pending.db"
        shutil.copyfile(chain_db, pending_db)
        applies = []
        c_chain = cpu_now()
        t_chain = time.perf_counter()
        c_one = cpu_now()
        applied = service.link_and_apply_pending(st)
        applies.append(cpu_now() - c_one)
        for k, s in enumerate(stickers[1:], start=2):
            service.ingest_bytes(st, gen.sgml(gen.accession(k + 1), gen.sticker_date(k), "424B3", s),
                                 source_name=f"sticker-{k:02d}.txt")
            c_one = cpu_now()
            applied += service.link_and_apply_pending(st)
            applies.append(cpu_now() - c_one)
        t_chain, c_chain = time.perf_counter() - t_chain, cpu_now() - c_chain
        bad = [a for a in applied if a["state"] != "applied"]
        assert not bad and len(applied) == chain_len, bad or applied
        statuses = dict(st.conn.execute("SELECT status, COUNT(*) FROM instructions GROUP BY status"))
        assert statuses == {"applied": 2 * chain_len}, statuses
        document = service.find_document(st, key)
        versions = st.versions_of(document.id)
        assert len(versions) == chain_len + 1
        texts = [st.version_text(v) for v in versions]
        st.close()
        later_1mb = statistics.median(applies[1:])
        notes.append(f"Building the chain (ingest + apply of 30 stickers, 2 instructions each) took "
                     f"{t_chain:.1f} s wall, {c_chain:.1f} s CPU; an apply took {applies[0] * 1000:.0f} ms CPU "
                     f"for the first sticker and {later_1mb * 1000:.0f} ms (median) for the later ones.")

        # the same history in git: one commit per version
        repo = work / "chain-git"
        git_init(repo)
        revs = []
        for i, text in enumerate(texts):
            (repo / "doc.txt").write_text(text, encoding="utf-8")
            git(repo, "add", "doc.txt")
            git(repo, "commit", "-q", "-m", f"v{i + 1}")
            revs.append(git(repo, "rev-parse", "HEAD").strip())

        # --- apply one sticker -----------------------------------------------------------------
        log("apply one sticker to 1 MB")
        trial = work / "trial.db"
        holder: dict = {}

        def fresh() -> None:
            if holder.get("st"):
                holder["st"].close()
            copy_db(pending_db, trial)
            holder["st"] = Store.open(trial)

        patch = work / "v2.patch"
        patch.write_text(git(repo, "diff", revs[0], revs[1]), encoding="utf-8")
        arepo = work / "apply-git"
        git_init(arepo)
        (arepo / "doc.txt").write_text(texts[0], encoding="utf-8")
        git(arepo, "add", "doc.txt")
        git(arepo, "commit", "-q", "-m", "v1")
        base_rev = git(arepo, "rev-parse", "HEAD").strip()

        def git_apply() -> None:
            git(arepo, "apply", str(patch))
            git(arepo, "commit", "-q", "-am", "v2")

        got = paired({"ours": lambda: service.link_and_apply_pending(holder["st"]), "git": git_apply}, R,
                     setup={"ours": fresh, "git": lambda: git(arepo, "reset", "-q", "--hard", base_rev)})
        holder["st"].close()
        cpu_row("apply", "apply one sticker (2 instructions) to 1 MB: locate + apply + store", got["ours"],
                got["git"], "git apply + commit of the same change", "< 60 ms", got["ours"][0] * 1000 < 60)

        # --- stickers on 5 and 20 MB: apply stays linear ------------------------------------------
        apply_by_size = {1 * MB: (applies[0], later_1mb)}
        for size, count in ((5 * MB, 3 if quick else 10), (20 * MB, 2 if quick else 3)):
            label = f"{size / MB:g} MB"
            log(f"{count} stickers on {label}")
            big_doc = gen.document(size, seed=2)
            big_stickers = gen.stickers(big_doc, count, per=2, series=f"{gen.SERIES_PREFIX}2")
            big_db = work / f"big-{size}.db"
            bst = Store.open(big_db)
            data = gen.sgml(gen.accession(70_000 + size // MB), gen.SUPPLEMENT_DATE, "424B5", big_doc.text)
            t_in = timed(lambda: service.ingest_bytes(bst, data, source_name="big.txt"))
            cpu_row("scale", f"ingest one {label} filing", t_in, None, "")
            costs = []
            for k, s in enumerate(big_stickers, start=1):
                service.ingest_bytes(bst, gen.sgml(gen.accession(80_000 + 100 * (size // MB) + k), gen.sticker_date(k),
                                                   "424B3", s), source_name=f"s{k}.txt")
                box: list = []
                costs.append(timed(lambda: box.append(service.link_and_apply_pending(bst))))
                assert [a["state"] for a in box[0]] == ["applied"], box[0]
            first, later = costs[0], (statistics.median(c for c, _ in costs[1:]), statistics.median(w for _, w in costs[1:]))
            apply_by_size[size] = (first[0], later[0])
            target = "< 300 ms" if size == 5 * MB else ""
            cpu_row("scale", f"apply the first sticker to {label}", first, None, "", target,
                    first[0] < 0.3 if target else None)
            cpu_row("scale", f"apply a later sticker to {label} (median of {count - 1})", later, None, "", target,
                    later[0] < 0.3 if target else None)
            bkey = f"{gen.SERIES_PREFIX}2/prospectus-supplement"
            bdoc = service.find_document(bst, bkey)
            last = bst.versions_of(bdoc.id)[-1]
            got = paired({"ours": lambda: service.show(bst, bkey, gen.sticker_date(count))}, R)
            cpu_row("scale", f"{label} as of a date after {count} stickers, in-process", got["ours"], None, "")
            assert service.show(bst, bkey, gen.sticker_date(count)).version.id == last.id
            bst.close()
        for size in (5 * MB, 20 * MB):
            per_mb = {s: (a / (s / MB), b / (s / MB)) for s, (a, b) in apply_by_size.items()}
            rows.append(Row("scale", f"  apply of a later sticker per MB, {size / MB:g} MB against 1 MB "
                            "(1.0 is linear)", per_mb[size][1] * 1000, per_mb[1 * MB][1] * 1000,
                            "1 MB, per MB", "ms", "linear" if size == 5 * MB else "",
                            per_mb[size][1] <= 1.5 * per_mb[1 * MB][1] if size == 5 * MB else None))

        # --- reconstruction ----------------------------------------------------------------------
        log("as-of reconstruction")
        st = Store.open(chain_db)
        exe = tracker_exe()
        # An installed package runs from bytecode; an editable checkout under PYTHONDONTWRITEBYTECODE
        # would compile every module on every start. Compile once, as pip install does.
        import compileall

        compileall.compile_dir(str(ROOT / "tracker"), quiet=1, force=False)

        for n_st in (1, 10, 30):
            v = versions[n_st]
            as_of = gen.sticker_date(n_st)
            when = f"after {n_st} sticker{'s' if n_st > 1 else ''} (v{v.number})"
            assert service.show(st, key, as_of).text == texts[n_st]
            got = paired({"show": lambda: service.show(st, key, as_of), "floor": floor_reader(st, versions, v),
                          "git": lambda: run(["git", "show", f"{revs[n_st]}:doc.txt"], cwd=repo)}, R * 3)
            big = n_st == 30
            cpu_row("as of", f"1 MB as of a date {when}, in-process (service.show)", got["show"], got["floor"],
                    "read + inflate of its one blob (the floor)", "< 1.3x the floor" if big else "",
                    got["show"][0] < 1.3 * got["floor"][0] if big else None)
            cpu_row("as of", "  same, against git", got["show"], got["git"], "git show REV:FILE (whole process)")
            if big:
                got = paired({"read": lambda: st.version_text(v), "floor": floor_reader(st, versions, v)}, R * 3)
                cpu_row("as of", f"  of which the text alone (version_text) {when}", got["read"], got["floor"],
                        "read + inflate of its one blob (the floor)")
                notes.append(f"Where an as-of read {when} spends its time (cProfile of 50 reads, share of the "
                             "whole): " + profile_shares(lambda: service.show(st, key, as_of), 50, {
                                 "inflating the blob": "<built-in method zlib.decompress>",
                                 "replaying the deltas": "apply_edit_chain",
                                 "the currency statement": "currency",
                                 "listing the versions": "versions_of",
                                 "finding the document": "find_document"}))
        cmd = [*exe, "--db", str(chain_db), "show", key, "--as-of", gen.sticker_date(30).isoformat()]
        got = paired({"cli": lambda: run(cmd), "git": lambda: run(["git", "show", f"{revs[30]}:doc.txt"], cwd=repo),
                      "py": lambda: run([sys.executable, "-c", "pass"])}, R * 2)
        t_py = got["py"]
        cpu_row("as of", "1 MB as of a date after 30 stickers, whole process (tracker show --as-of)", got["cli"],
                got["git"], "git show REV:FILE (whole process)", "< 100 ms CPU", got["cli"][0] * 1000 < 100)
        cpu_row("as of", "  same, against Python's own start", got["cli"], t_py, "python -c pass")

        # --- the same on a PostgreSQL server ------------------------------------------------------
        log("PostgreSQL: as-of read, apply, ingest")
        rows += postgresql_rows(work, chain_db, pending_db, key, texts[30], quick, R, notes)

        # --- diff ---------------------------------------------------------------------------------
        log("diff reports")
        fo, fn = work / "old.txt", work / "new.txt"
        path_all = versions
        assert all(v.parent_id == p.id for p, v in zip(path_all, path_all[1:]))
        for a, b in ((1, 2), (10, 11), (29, 30)):
            fo.write_text(texts[a], encoding="utf-8")
            fn.write_text(texts[b], encoding="utf-8")
            v_old, v_new = versions[a], versions[b]
            got = paired({"ours": lambda: service.compare_versions(st, v_old, v_new, path_all[:b + 1]),
                          "git": lambda: run_any(["git", "diff", "--no-index", "--word-diff", str(fo), str(fn)])}, R * 2)
            cpu_row("diff", f"diff of two stickers, v{a + 1} -> v{b + 1}, in-process", got["ours"], got["git"],
                    "git diff --no-index --word-diff", "< 12 ms", got["ours"][0] * 1000 < 12)
        for n_st in (1, 30):
            old, new = texts[0], texts[n_st]
            fo.write_text(old, encoding="utf-8")
            fn.write_text(new, encoding="utf-8")
            label = f"v1 -> v{n_st + 1} ({n_st} sticker{'s' if n_st > 1 else ''})"
            to_ref = f"v{n_st + 1}"
            got = paired({
                "ours": lambda: service.compare_versions(st, versions[0], versions[n_st], versions[:n_st + 1]),
                "texts": lambda: redline.compare(old, new),
                "difflib": lambda: list(difflib.unified_diff(old.splitlines(True), new.splitlines(True))),
                "git": lambda: run_any(["git", "diff", "--no-index", "--word-diff", str(fo), str(fn)]),
                "html": lambda: redline.render_html(service.diff_report(st, key, from_ref="v1", to_ref=to_ref)),
            }, R)
            cpu_row("diff", f"diff computation {label}, in-process", got["ours"], got["git"],
                    "git diff --no-index --word-diff")
            cpu_row("diff", "  same, against difflib", got["ours"], got["difflib"], "difflib.unified_diff")
            cpu_row("diff", "  the same from the two texts alone (both segmented)", got["texts"], got["git"],
                    "git diff --no-index --word-diff")
            cpu_row("diff", f"HTML report {label} (diff_report + render_html)", got["html"], got["git"],
                    "git diff --no-index --word-diff")
        st.close()

        # --- storage ------------------------------------------------------------------------------
        log("storage")
        one_z = len(zlib.compress(texts[-1].encode("utf-8"), 6))
        size_base = db_size(base_only)
        size_chain = db_size(chain_db)
        parts_base, parts_chain = db_breakdown(base_only), db_breakdown(chain_db)
        git_kb = git_size_kb(repo)
        per_version = (size_chain - size_base) / chain_len
        rows.append(Row("storage", "database, 1 MB supplement + 30 stickers (31 versions)", size_chain / MB,
                        git_kb * 1024 / MB, "git repo of the 31 versions after gc", "MB", "< 1.5 MB",
                        size_chain < 1.5 * MB))
        split = storage_split(chain_db)
        rows.append(Row("storage", "  of which the 31 versions (snapshot + exact deltas + audit patches)",
                        split["versions"] / MB, git_kb * 1024 / MB, "git repo of the 31 versions after gc", "MB"))
        rows.append(Row("storage", "  of which the 31 filings as received (raw bytes, compressed)",
                        split["filings"] / MB, None, "", "MB"))
        rows.append(Row("storage", "  of which the stored segmentations (derived)", split["structure"] / MB,
                        None, "", "MB"))
        rows.append(Row("storage", "  of which the full-text index (derived)", split["search"] / MB, None, "", "MB"))
        rows.append(Row("storage", "  growth per added version", per_version / KB, None, "", "KB"))
        rows.append(Row("storage", "  one version, zlib level 6", one_z / MB, None, "", "MB"))
        grow = {k: parts_chain.get(k, 0) - parts_base.get(k, 0) for k in parts_chain}
        notes.append("Database bytes by table (30 versions added, of which): " + ", ".join(
            f"{k} {parts_chain[k] / MB:.2f} MB (+{grow[k] / MB:.2f})" for k in sorted(parts_chain, key=lambda k: -parts_chain[k])))

        # --- a chain of 1,000 versions ------------------------------------------------------------
        log("a chain of 1,000 versions on 1 MB")
        long_db = work / "long.db"
        copy_db(base_only, long_db)
        lst = Store.open(long_db)
        ldoc = service.find_document(lst, key)
        head = lst.versions_of(ldoc.id)[0]
        text = lst.version_text(head)
        import random

        r = random.Random(11)
        sizes_at = {}
        lrepo = work / "long-git"
        git_init(lrepo)
        (lrepo / "doc.txt").write_text(text, encoding="utf-8")
        git(lrepo, "add", "doc.txt")
        git(lrepo, "commit", "-q", "-m", "v1")
        git_at = {}
        spent = [0.0, 0.0]
        for i in range(1, 1000):
            at = r.randrange(0, len(text) - 400)
            at = text.index(" ", at) + 1
            end = text.index(" ", at + 150)
            new = f"revised in version {i + 1}: " + text[at:end][::-1].strip()

            def write() -> None:
                nonlocal head
                with lst.transaction():
                    head = service.write_version(lst, ldoc.id, head, head.filing_id, head.recorded_date, text,
                                                 [(at, end, new)], head.effective_date, partial=False)
                    lst.add_event("bench", {"version": head.number}, {}, "bench")
            c, w = timed(write)
            spent[0] += c
            spent[1] += w
            text = text[:at] + new + text[end:]
            (lrepo / "doc.txt").write_text(text, encoding="utf-8")
            git(lrepo, "commit", "-q", "-am", f"v{head.number}")
            if head.number in (100, 1000):
                git_at[head.number] = git_size_kb(lrepo) * 1024
                lst.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                snap = work / f"long-{head.number}.db"
                copy_db(long_db, snap)
                db_size(snap)
                sizes_at[head.number] = storage_split(snap)["versions"]
                if head.number == 1000:
                    con = sqlite3.connect(snap)
                    kept = con.execute("SELECT COUNT(*), COALESCE(SUM(length(b.data)), 0) FROM versions v "
                                       "JOIN blobs b ON b.sha256 = v.text_sha256 WHERE v.snapshot = 1").fetchone()
                    edits = con.execute("SELECT COALESCE(SUM(length(edits)), 0) FROM versions").fetchone()[0]
                    con.close()
        c_long, t_long = spent
        one_long = len(zlib.compress(text.encode("utf-8"), 6))
        for n in (100, 1000):
            rows.append(Row("versions", f"the versions of a {n}-version chain on 1 MB (one edit each)",
                            sizes_at[n] / MB, one_long / MB, "one version, zlib level 6", "MB",
                            "< 2x one compressed version", sizes_at[n] < 2 * one_long))
            rows.append(Row("versions", "  same, against git", sizes_at[n] / MB, git_at[n] / MB,
                            f"git repo of the {n} versions after gc", "MB"))
        assert lst.version_text(head) == text
        lvs = lst.versions_of(ldoc.id)
        got = paired({"read": lambda: lst.version_text(head), "floor": floor_reader(lst, lvs, head)}, R)
        cpu_row("versions", "version 1,000 read in-process (version_text)", got["read"], got["floor"],
                "read + inflate of its one blob (the floor)")
        notes.append(f"The 1,000-version chain (one edit of about 150 characters each, written with "
                     f"write_version: segmented around the edit, indexed, stored) took {t_long:.1f} s wall, "
                     f"{c_long:.1f} s CPU: {1000 * c_long / 999:.0f} ms CPU a version; "
                     f"{sum(v.snapshot for v in lvs)} of its versions keep their whole text (the original, "
                     f"a slice of its filing, among them); at 1,000 versions the whole texts kept as blobs "
                     f"({kept[0]}) weigh {kept[1] / MB:.2f} MB and the versions' packed edits and audit "
                     f"patches {edits / MB:.2f} MB.")
        lst.close()

        # --- a real HTML prospectus -------------------------------------------------------------
        real = ROOT.parent / "shared" / "corpus" / "cases" / "real-amex-para-trustee"
        if (real / "base.htm").exists():
            log("a real HTML prospectus")
            rdb = work / "real.db"

            def real_once() -> None:
                for s_ in ("", "-wal", "-shm"):
                    Path(str(rdb) + s_).unlink(missing_ok=True)
                rst = Store.open(rdb)
                rep = service.ingest(rst, [str(real / "base.htm")], date=gen.SUPPLEMENT_DATE)
                assert not rep.failed, rep.failed
                rst.close()
            got = paired({"ours": real_once}, R)
            size = (real / "base.htm").stat().st_size
            cpu_row("read", f"ingest a real HTML prospectus ({size / KB:.0f} KB, {real.name}/base.htm)",
                    got["ours"], None, "")
        else:
            notes.append("No real HTML prospectus measured: ../shared/corpus is not beside the checkout.")

        # --- CLI start-up ---------------------------------------------------------------------------
        log("CLI start-up")
        got = paired({"help": lambda: run([*exe, "--help"]), "py": lambda: run([sys.executable, "-c", "pass"])}, R * 2)
        cpu_row("cli", "tracker --help (cold start)", got["help"], got["py"], "python -c pass")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    loads.append(load())
    table = render_table(rows)
    print(table)
    for n in notes:
        print("- " + n)
    if not args.no_write:
        write_doc(table, notes, quick, loads, time.perf_counter() - started)


def render_table(rows: list[Row]) -> str:
    head = ["measure", "tracker", "baseline", "baseline is", "ratio", "wall (tracker / baseline)", "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        wall = "" if r.wall is None else fmt(r.wall, "ms") + (f" / {fmt(r.base_wall, 'ms')}" if r.base_wall else "")
        lines.append("| " + " | ".join([r.what, fmt(r.ours, r.unit), fmt(r.base, r.unit) if r.base else "",
                                         r.base_name, r.ratio() if r.base else "", wall, r.target, met]) + " |")
    return "\n".join(lines)


def machine() -> list[str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gitv = out(["git", "--version"]).strip()
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {gitv}",
        f"- Date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
    ]


def write_doc(table: str, notes: list[str], quick: bool, loads: list[str], seconds: float) -> None:
    text = "\n".join([
        "# Benchmarks",
        "",
        "Generated by `python bench/run.py" + (" --quick" if quick else "") + "`; do not edit by hand."
        + (" The quick mode runs fewer files and repeats (3 rather than 7), and shorter sticker chains on"
           " the 5 and 20 MB documents." if quick else ""),
        "Every figure is a median over repeated runs on the machine below, each measure run in turn with its",
        "baseline (A, B, A, B ...). Times are CPU time (of the process and the children it waited for:",
        "git, a worker, a whole `tracker` process), with the wall time beside; the ratio is tracker /",
        "baseline (for times, below 1 is faster than the baseline; for throughput, above 1 is faster).",
        "",
        *machine(),
        f"- Load average (1 / 5 / 15 min) at the start: {loads[0]}; at the end: {loads[-1]} (on {os.cpu_count()} "
        "cores: a load above the number of cores means other work ran beside the benchmark, which makes wall "
        "times noisier than CPU times)",
        f"- The run took {seconds / 60:.1f} minutes",
        "",
        "Inputs (bench/gen.py): prospectus supplements of 0.1, 1, 5 and 20 MB in EDGAR SGML, with `<PAGE>`",
        "breaks and `S-n` labels, a summary, risk factors, headings, paragraphs, bullet lists, tables and",
        "a glossary of definitions; a chain of 30 stickers on the 1 MB one and shorter ones on the 5 and",
        "20 MB ones, each sticker with two instructions (paragraph, sentence, table and definition",
        "replacements in the language of real stickers); a chain of 1,000 versions of the 1 MB one (one",
        "edit each); 250 and 2,000 filings of 0.1 MB for a bulk ingest. A real HTML prospectus comes",
        "from ../shared/corpus. The git baselines hold the same files: one commit per filing or version.",
        "",
        "How to read some rows: the whole-process figures include Python's own start on this machine (its",
        "`python -c pass` row); the package runs from bytecode, compiled once first, as an installed",
        "package does, and `tracker` is run as its console script runs it (`tracker.launch.main`). \"Diff",
        "of two stickers\" and \"diff computation\" are what `tracker diff` computes in-process: both",
        "versions read, their stored segmentations loaded, the changed blocks word-diffed. The floor of",
        "an as-of read is reading the one blob its text comes from and inflating it. Peak memory of a bulk",
        "ingest is the writing process's peak resident size plus, for each worker process, the largest",
        "worker's. Storage splits the database by purpose: the versions, the filings as received, and",
        "derived data (segmentations, search index) that can be rebuilt from them.",
        "",
        table,
        "",
        *("- " + n for n in notes),
        "",
    ])
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
