"""docs/api.md: its example runs as written, and the library's public functions say what they do."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
import re

import pytest

from .conftest import ROOT

API_DOC = ROOT / "docs" / "api.md"


def test_the_example_in_the_api_doc_runs(tmp_path, monkeypatch, capsys):
    [code] = re.findall(r"```python\n(.*?)```", API_DOC.read_text(encoding="utf-8"), flags=re.S)
    monkeypatch.chdir(tmp_path)
    exec(compile(code, str(API_DOC), "exec"), {"__name__": "api_doc"})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "4 files, 0 failed"
    assert out[1:3] == ["2 2004-01-09", "2003-HE3/sticker-2004-01-09"]
    assert out[4:] == [f"{page} replaced 2003-HE3/sticker-2004-01-09 instruction {n}"
                       for page, n in [("S-8", 1), ("S-9", 2), ("S-19", 3), ("S-19", 3), ("S-56", 4), ("S-69", 5)]]
    assert (tmp_path / "example.db").exists()


PUBLIC = ["render", "redline", "tablediff", "docx_redline", "pdf_redline", "query", "records"] + [
    f"{package}.{p.stem}" for package in ("service", "store")
    for p in sorted((Path(__file__).resolve().parents[1] / "tracker" / package).glob("*.py"))
    if p.stem != "__init__"]


@pytest.mark.parametrize("module", PUBLIC)
def test_public_functions_have_a_docstring(module):
    mod = importlib.import_module(f"tracker.{module}")
    missing = []
    for name, obj in vars(mod).items():
        if name.startswith("_") or getattr(obj, "__module__", None) != mod.__name__:
            continue
        if inspect.isfunction(obj) or inspect.isclass(obj):
            if not (obj.__doc__ or "").strip():
                missing.append(name)
            for attr, member in vars(obj).items() if inspect.isclass(obj) else ():
                if not attr.startswith("_") and inspect.isfunction(member) and not (member.__doc__ or "").strip():
                    missing.append(f"{name}.{attr}")
    assert missing == []
