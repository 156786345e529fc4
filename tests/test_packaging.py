"""A regular (non-editable) install: the wheel holds every package and the bundled corpus, and
`tracker demo` runs from it."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from .conftest import CORPUS, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr
    [path] = out.glob("tracker-*.whl")
    return path


def test_the_wheel_holds_every_package_and_the_corpus(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = {str(p.parent.relative_to(ROOT)) for p in (ROOT / "tracker").rglob("__init__.py")}
    assert {p for p in packages if f"{p}/__init__.py" in names} == packages
    assert {f"tracker/corpus/{f.name}" for f in CORPUS.glob("*.txt")} <= names
    assert {"tracker/serve/static/app.css", "tracker/serve/static/app.js"} <= names  # the review screens'


def test_demo_runs_from_the_installed_wheel(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # the dependencies from this environment, tracker itself only from the unpacked wheel
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"}
    code = "import sys, tracker.cli; print(tracker.cli.__file__, file=sys.stderr); tracker.cli.main()"
    out = subprocess.run([sys.executable, "-c", code, "--db", str(tmp_path / "demo.db"), "demo"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stderr.startswith(str(site))
    assert f"== Ingested {site / 'tracker' / 'corpus'}" in out.stdout
    assert "Applied: filing 4 (2003-HE3/sticker-2004-01-09), effective 2004-01-09" in out.stdout
