"""Benchmark: tracker against git and difflib on the same inputs, in the same run.

    python bench/run.py [--quick] [--no-write]

Builds its own inputs (bench/gen.py: prospectus supplements of 0.1, 1 and 5 MB, a chain of 30
stickers on the 1 MB one, HTML prospectuses of 1 and 5 MB and a table bomb of 1 and 6 MB),
measures each figure as a median over repeated runs, prints one table and writes
docs/benchmarks.md with the machine's details. Times are wall-clock; the machine may be
noisy, so read the ratios (ours / baseline) more than the absolute figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import sysconfig
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


def run(cmd: list[str], cwd: Path | None = None, env=None) -> None:
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


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
    """The console script itself (not a version manager's shim, which adds its own start-up)."""
    exe = Path(sysconfig.get_path("scripts")) / "tracker"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tracker.cli"]


def copy_db(src: Path, dst: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        if dst.with_name(dst.name + suffix).exists():
            dst.with_name(dst.name + suffix).unlink()
    shutil.copyfile(src, dst)


def postgresql_rows(work: Path, chain_db: Path, pending_db: Path, key: str, version, text: str, t_show: float,
                    t_apply: float, quick: bool, R: int, notes: list[str]) -> list[Row]:
    """As-of read, apply and ingest on a PostgreSQL server (``TRACKER_BENCH_PG``, or a throwaway
    cluster on this machine), beside SQLite's figures from the same run; none when there is no server."""
    sys.path.insert(0, str(ROOT))
    from tests import pgserver

    from tracker.store import copy_record

    url = os.environ.get("TRACKER_BENCH_PG") or pgserver.server_url()
    if url is None:
        notes.append("PostgreSQL rows: no server (set TRACKER_BENCH_PG, or install postgresql).")
        return []
    drops = []

    def fresh(source: Path | None = None) -> Store:
        location, drop = pgserver.fresh_schema(url)
        drops.append(drop)
        store = Store.open(location)
        if source is not None:
            original = Store.open(source, write=False)
            copy_record(original, store)
            original.close()
        return store

    out: list[Row] = []
    try:
        st = fresh(chain_db)
        as_of = gen.sticker_date(30)
        assert service.show(st, key, as_of).text == text
        t_pg = median_time(lambda: service.show(st, key, as_of), R * 3)
        out.append(Row("postgresql", f"1 MB as of a date after 30 stickers (v{version.number}), in-process",
                       t_pg * 1000, t_show * 1000, "the same on SQLite", "ms"))
        st.close()
        holder: dict = {}

        def setup() -> None:
            if holder.get("st"):
                holder["st"].close()
            holder["st"] = fresh(pending_db)

        t_pg_apply = median_time(lambda: service.link_and_apply_pending(holder["st"]), R, setup=setup)
        holder["st"].close()
        out.append(Row("postgresql", "apply one sticker (2 instructions) to 1 MB", t_pg_apply * 1000,
                       t_apply * 1000, "the same on SQLite", "ms"))
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

        on_pg = ingest_into(fresh())
        lite = work / "pg-compare.db"
        on_sqlite = ingest_into(Store.open(lite))
        out.append(Row("postgresql", f"ingest 1 MB filings, 1 process ({n} filings)", n / on_pg, n / on_sqlite,
                       "the same on SQLite", "/s"))
        notes.append("PostgreSQL rows: the server on this machine (a Unix socket, fsync off), one schema "
                     "per measurement, the record copied there by tracker copy's own code.")
    finally:
        for drop in drops:
            drop()
    return out


# --- the benchmark ---------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer files and repeats (about a minute)")
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

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f}s] {msg}", file=sys.stderr, flush=True)

    try:
        # --- segmenting: on the path of ingest, apply and diff ---------------------------------------
        log("segment()")
        from tracker import segment as seg_now

        old_mods = _modules_at(args.against) if args.against else None
        for size in (100 * KB, 1 * MB, 5 * MB):
            text = gen.document(size, seed=1).text
            reps = R if size < 5 * MB else max(1, R // 2)
            t_new = median_time(lambda: seg_now.segment(text), reps)
            t_old = median_time(lambda: old_mods[0].segment(text), reps) if old_mods else None
            if old_mods:
                assert old_mods[0].segment(text).blocks == seg_now.segment(text).blocks
            rows.append(Row("segment", f"segment() of {size / MB:g} MB", t_new * 1000,
                            t_old * 1000 if t_old else None, f"segment() at {args.against}" if old_mods else "", "ms"))

        # --- reading HTML: on the path of ingest -------------------------------------------------
        # The bomb's ratio stays a little above 1: a deep tree keeps many objects alive, and
        # Python's collector walks them now and then (with it off the ratio is 1.0).
        log("html_to_text()")
        from tracker.read.html import html_to_text

        for name, make in (("an HTML prospectus", gen.html_document), ("the table bomb", gen.table_bomb)):
            big = 6 * MB if make is gen.table_bomb else 5 * MB
            times = {}
            for size in (1 * MB, big):
                html = make(size)
                times[size] = median_time(lambda: html_to_text(html), max(1, R // 2))
                rows.append(Row("read", f"html_to_text() of {name}, {size / MB:g} MB", times[size] * 1000,
                                None, "", "ms"))
            scale = big / MB
            rows.append(Row("read", f"  {scale:g} MB against {scale:g} x the 1 MB time (1.0 is linear)",
                            times[big] * 1000, times[1 * MB] * scale * 1000, f"{scale:g} x 1 MB", "ms"))

        # --- ingest --------------------------------------------------------------------------
        counts = {100 * KB: (10, 40), 1 * MB: (3, 10), 5 * MB: (1, 3)}
        import inspect

        parallel = "workers" in inspect.signature(service.ingest).parameters
        cores = os.cpu_count() or 1
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

            def ingest_once(workers: int) -> float:
                db = work / "ingest.db"
                for s in ("", "-wal", "-shm"):
                    Path(str(db) + s).unlink(missing_ok=True)
                st = Store.open(db)
                t = time.perf_counter()
                kw = {"workers": workers} if parallel else {}
                report = service.ingest(st, [str(f) for f in files], **kw)
                el = time.perf_counter() - t
                st.close()
                assert not report.failed, report.failed
                return el

            one = statistics.median(ingest_once(1) for _ in range(reps))
            allc = statistics.median(ingest_once(cores) for _ in range(reps)) if parallel and cores > 1 else None

            def git_once() -> float:
                repo = work / "ingest-git"
                shutil.rmtree(repo, ignore_errors=True)
                git_init(repo)
                t = time.perf_counter()
                for f in files:
                    shutil.copyfile(f, repo / f.name)
                    git(repo, "add", f.name)
                    git(repo, "commit", "-q", "-m", f.name)
                return time.perf_counter() - t

            g = statistics.median(git_once() for _ in range(reps))
            target = {100 * KB: 150, 1 * MB: 20}.get(size)
            rows.append(Row("ingest", f"ingest {label} filings, 1 process", n / one, n / g,
                            "git add+commit per file", "/s",
                            f">= {target}/s per core" if target else "", (n / one >= target) if target else None))
            rows.append(Row("ingest", f"ingest {label} filings, all {cores} cores",
                            n / allc if allc else None, n / g, "git add+commit per file", "/s",
                            f">= {target * cores}/s" if target else "",
                            (n / allc >= target * cores) if (allc and target) else None))
            shutil.rmtree(src)

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
        t_chain = time.perf_counter()
        applied = service.link_and_apply_pending(st)
        for k, s in enumerate(stickers[1:], start=2):
            service.ingest_bytes(st, gen.sgml(gen.accession(k + 1), gen.sticker_date(k), "424B3", s),
                                 source_name=f"sticker-{k:02d}.txt")
            applied += service.link_and_apply_pending(st)
        t_chain = time.perf_counter() - t_chain
        bad = [a for a in applied if a["state"] != "applied"]
        assert not bad and len(applied) == chain_len, bad or applied
        statuses = dict(st.conn.execute("SELECT status, COUNT(*) FROM instructions GROUP BY status"))
        assert statuses == {"applied": 2 * chain_len}, statuses
        document = service.find_document(st, key)
        versions = st.versions_of(document.id)
        assert len(versions) == chain_len + 1
        texts = [st.version_text(v) for v in versions]
        st.close()
        notes.append(f"Building the chain (ingest + apply of 30 stickers, 2 instructions each) took "
                     f"{t_chain:.1f} s, {1000 * t_chain / chain_len:.0f} ms a sticker.")

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

        def apply_once() -> None:
            service.link_and_apply_pending(holder["st"])

        t_apply = median_time(apply_once, R, setup=fresh)
        holder["st"].close()
        # git: apply the same change as a patch and commit it
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

        t_gapply = median_time(git_apply, R, setup=lambda: git(arepo, "reset", "-q", "--hard", base_rev))
        rows.append(Row("apply", "apply one sticker (2 instructions) to 1 MB: locate + apply + store",
                        t_apply * 1000, t_gapply * 1000, "git apply + commit of the same change", "ms",
                        "< 100 ms", t_apply * 1000 < 100))

        # --- reconstruction ----------------------------------------------------------------------
        log("as-of reconstruction")
        st = Store.open(chain_db)
        exe = tracker_exe()
        # An installed package runs from bytecode; an editable checkout under PYTHONDONTWRITEBYTECODE
        # would compile every module on every start. Compile once, as pip install does.
        import compileall

        compileall.compile_dir(str(ROOT / "tracker"), quiet=1, force=False)
        # Python's own start on this machine (site-packages, .pth files): every CLI figure includes it.
        t_py = median_time(lambda: run([sys.executable, "-c", "pass"]), R * 2)
        for n_st in (1, 10, 30):
            v = versions[n_st]
            as_of = gen.sticker_date(n_st)
            when = f"after {n_st} sticker{'s' if n_st > 1 else ''} (v{v.number})"
            assert service.show(st, key, as_of).text == texts[n_st]
            t_show = median_time(lambda: service.show(st, key, as_of), R * 3)
            t_vt = median_time(lambda: st.version_text(v), R * 3)
            cmd = [*exe, "--db", str(chain_db), "show", key, "--as-of", as_of.isoformat()]
            t_cli = median_time(lambda: run(cmd), R)
            t_git = median_time(lambda: run(["git", "show", f"{revs[n_st]}:doc.txt"], cwd=repo), R)
            big = n_st == 30
            rows.append(Row("as of", f"1 MB as of a date {when}, in-process (service.show)",
                            t_show * 1000, t_git * 1000, "git show REV:FILE", "ms",
                            "< 10 ms" if big else "", (t_show * 1000 < 10) if big else None))
            rows.append(Row("as of", f"  of which version_text {when}", t_vt * 1000, t_git * 1000,
                            "git show REV:FILE", "ms"))
            rows.append(Row("as of", f"1 MB as of a date {when}, CLI (tracker show)",
                            t_cli * 1000, t_git * 1000, "git show REV:FILE", "ms",
                            "< 60 ms" if big else "", (t_cli * 1000 < 60) if big else None))
            if big:
                rows.append(Row("as of", "  of which above Python's own start", (t_cli - t_py) * 1000,
                                t_py * 1000, "python -c pass", "ms"))

        # --- the same on a PostgreSQL server ------------------------------------------------------
        log("PostgreSQL: as-of read, apply, ingest")
        rows += postgresql_rows(work, chain_db, pending_db, key, versions[30], texts[30], t_show, t_apply, quick, R, notes)

        # --- diff ---------------------------------------------------------------------------------
        log("diff reports")
        for n_st in (1, 10, 30):
            old, new = texts[0], texts[n_st]
            fo, fn = work / "old.txt", work / "new.txt"
            fo.write_text(old, encoding="utf-8")
            fn.write_text(new, encoding="utf-8")
            typical = n_st == 1  # the targets are for a typical sticker
            label = f"v1 -> v{n_st + 1} ({n_st} sticker{'s' if n_st > 1 else ''})"
            to_ref = f"v{n_st + 1}"
            v_old, v_new = versions[0], versions[n_st]

            path = versions[: n_st + 1]  # the chain is linear: each version's parent is the one before
            assert all(v.parent_id == p.id for p, v in zip(path, path[1:]))

            def computation():
                # what `tracker diff` computes: both versions read (the newer from the older's text),
                # their stored structures loaded, the blocks the deltas touched aligned and word-diffed
                return service.compare_versions(st, v_old, v_new, path)

            t_cmp = median_time(computation, R * 2)
            t_texts = median_time(lambda: redline.compare(old, new), R)
            t_dl = median_time(lambda: list(difflib.unified_diff(old.splitlines(True), new.splitlines(True))), R)
            t_gd = median_time(lambda: subprocess.run(
                ["git", "diff", "--no-index", "--word-diff", str(fo), str(fn)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), R)
            t_rep = median_time(lambda: service.diff_report(st, key, from_ref="v1", to_ref=to_ref), R)
            report = service.diff_report(st, key, from_ref="v1", to_ref=to_ref)
            t_txt = median_time(lambda: redline.render_text(service.diff_report(st, key, from_ref="v1", to_ref=to_ref)), R)
            t_html = median_time(lambda: redline.render_html(service.diff_report(st, key, from_ref="v1", to_ref=to_ref)), R)
            t_html_only = median_time(lambda: redline.render_html(report), R)
            rows.append(Row("diff", f"diff computation {label}, in-process", t_cmp * 1000, t_gd * 1000,
                            "git diff --no-index --word-diff", "ms", "< 15 ms, faster than git" if typical else "",
                            (t_cmp * 1000 < 15 and t_cmp < t_gd) if typical else None))
            rows.append(Row("diff", "  same, against difflib", t_cmp * 1000, t_dl * 1000,
                            "difflib.unified_diff", "ms"))
            rows.append(Row("diff", "  the same from the two texts alone (both segmented)", t_texts * 1000,
                            t_gd * 1000, "git diff --no-index --word-diff", "ms"))
            rows.append(Row("diff", f"text report {label} (diff_report + render_text)", t_txt * 1000,
                            t_gd * 1000, "git diff --no-index --word-diff", "ms"))
            rows.append(Row("diff", f"HTML report {label} (diff_report + render_html)", t_html * 1000,
                            t_gd * 1000, "git diff --no-index --word-diff", "ms",
                            "< 100 ms" if typical else "", (t_html * 1000 < 100) if typical else None))
            notes.append(f"Diff {label}: {len(report['changes'])} changes; diff_report alone "
                         f"{t_rep * 1000:.0f} ms, render_html alone {t_html_only * 1000:.1f} ms.")
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
                        git_kb * 1024 / MB, "git repo of the 31 versions after gc", "MB",
                        f"< 2x one compressed version ({2 * one_z / MB:.2f} MB)", size_chain < 2 * one_z))
        split = storage_split(chain_db)
        rows.append(Row("storage", "  of which the 31 versions (snapshot + exact deltas + audit patches)",
                        split["versions"] / MB, git_kb * 1024 / MB, "git repo of the 31 versions after gc", "MB",
                        f"< 2x one compressed version ({2 * one_z / MB:.2f} MB)", split["versions"] < 2 * one_z))
        rows.append(Row("storage", "  of which the 31 filings as received (raw bytes, compressed)",
                        split["filings"] / MB, None, "", "MB"))
        rows.append(Row("storage", "  of which the stored segmentations (derived)", split["structure"] / MB,
                        None, "", "MB"))
        rows.append(Row("storage", "  of which the full-text index (derived)", split["search"] / MB, None, "", "MB"))
        rows.append(Row("storage", "  growth per added version", per_version / KB,
                        None, "", "KB"))
        rows.append(Row("storage", "  one version, zlib level 6", one_z / MB, None, "", "MB"))
        grow = {k: parts_chain.get(k, 0) - parts_base.get(k, 0) for k in parts_chain}
        notes.append("Database bytes by table (30 versions added, of which): " + ", ".join(
            f"{k} {parts_chain[k] / MB:.2f} MB (+{grow[k] / MB:.2f})" for k in sorted(parts_chain, key=lambda k: -parts_chain[k])))

        # --- CLI start-up ---------------------------------------------------------------------------
        log("CLI start-up")
        t_help = median_time(lambda: run([*exe, "--help"]), R * 2)
        rows.append(Row("cli", "tracker --help (cold start)", t_help * 1000, t_py * 1000, "python -c pass", "ms",
                        "< 100 ms", t_help * 1000 < 100))
        rows.append(Row("cli", "  of which above Python's own start", (t_help - t_py) * 1000, t_py * 1000,
                        "python -c pass", "ms"))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    table = render_table(rows)
    print(table)
    for n in notes:
        print("- " + n)
    if not args.no_write:
        write_doc(table, notes, quick)


def render_table(rows: list[Row]) -> str:
    head = ["measure", "tracker", "baseline", "baseline is", "ratio", "target", "met"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        lines.append("| " + " | ".join([r.what, fmt(r.ours, r.unit), fmt(r.base, r.unit) if r.base else "",
                                         r.base_name, r.ratio() if r.base else "", r.target, met]) + " |")
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


def write_doc(table: str, notes: list[str], quick: bool) -> None:
    text = "\n".join([
        "# Benchmarks",
        "",
        "Generated by `python bench/run.py" + (" --quick" if quick else "") + "`; do not edit by hand.",
        "Every figure is a median over repeated runs on the machine below; the ratio is tracker / baseline",
        "(for times, below 1 is faster than the baseline; for throughput, above 1 is faster).",
        "",
        *machine(),
        "",
        "Inputs (bench/gen.py): prospectus supplements of 0.1, 1 and 5 MB in EDGAR SGML, with `<PAGE>`",
        "breaks and `S-n` labels, a summary, risk factors, headings, paragraphs, bullet lists, tables and",
        "a glossary of definitions; a chain of 30 stickers on the 1 MB one, each with two instructions",
        "(paragraph, sentence, table and definition replacements in the language of real stickers).",
        "The git baselines hold the same files: one commit per filing or per version.",
        "",
        "How to read some rows: the CLI figures include Python's own start on this machine (its",
        "`python -c pass` row), which the `.pth` files of its site-packages make slow; the package runs",
        "from bytecode, compiled once first, as an installed package does. \"Diff computation\" is what",
        "`tracker diff` computes in-process: both versions read, their stored segmentations loaded, the",
        "blocks aligned and the changed ones word-diffed. Storage splits the database by purpose: the",
        "versions (the target's subject), the filings as received, and derived data (segmentations,",
        "search index) that can be rebuilt from them.",
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
