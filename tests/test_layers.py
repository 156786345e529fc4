"""The walls of the house: each module imports only from the layers below it, and SQL lives only in
the store.

Layers, lowest first: the values and text rules; the pure core (one folder or module per pipeline
stage); the store and render; the use cases (service); evaluate; the review server; the CLI; its entry point. A module may import its own
package, any lower layer, and, in the two lowest layers, its own layer.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tracker"

LAYERS = [
    {"__init__", "errors", "models", "records", "text"},
    {"read", "segment", "parse", "instructions", "locate", "diffing", "history", "provenance", "redline",
     "structure", "scoring", "query", "tablediff"},
    {"store", "render", "docx_redline", "pdf_redline"},
    {"service"},
    {"evaluate"},
    {"serve"},
    {"cli"},
    {"launch"},
]
LAYER = {unit: n for n, units in enumerate(LAYERS) for unit in units}
SHARED_LAYERS = {0, 1}  # layers whose units may import one another

SQL = re.compile(
    r"\b(?:SELECT\b[\s\S]*?\bFROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM"
    r"|CREATE\s+(?:TABLE|INDEX|VIEW|VIRTUAL|TRIGGER)|ALTER\s+TABLE|DROP\s+(?:TABLE|INDEX|VIEW)|PRAGMA)\b"
)
DATABASE_MODULES = {"sqlite3", "sqlite_utils", "psycopg"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def name_of(path: Path) -> list[str]:
    parts = ["tracker", *path.relative_to(PACKAGE).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def unit_of(parts: list[str]) -> str:
    """The layer unit of a module: its top-level module or package under ``tracker``."""
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> list[tuple[int, list[str]]]:
    """(line, module path) of everything a module imports, at any depth (lazy imports too)."""
    here = name_of(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module.split(".")
                found.append((node.lineno, base))
                continue
            base = package[: len(package) - (node.level - 1)]
            if node.module:
                found.append((node.lineno, base + node.module.split(".")))
            else:
                found += [(node.lineno, _module(base + [alias.name])) for alias in node.names]
    return found


def _module(parts: list[str]) -> list[str]:
    """``from PACKAGE import NAME``: the module NAME when there is one, else the package."""
    path = PACKAGE.joinpath(*parts[1:])
    return parts if path.with_suffix(".py").is_file() or path.is_dir() else parts[:-1]


def test_every_module_has_a_layer():
    units = {unit_of(name_of(p)) for p in modules()}
    assert units <= set(LAYER), f"place these in LAYERS: {sorted(units - set(LAYER))}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_from_below(path):
    me = unit_of(name_of(path))
    wrong = []
    for line, target in imports(path):
        if target[0] != "tracker":
            continue
        other = unit_of(target)
        if other == me:
            continue
        mine, theirs = LAYER[me], LAYER[other]
        if theirs > mine or (theirs == mine and mine not in SHARED_LAYERS):
            wrong.append(f"line {line}: {me} (layer {mine}) imports {'.'.join(target)} (layer {theirs})")
    assert not wrong, "\n".join(wrong)


def test_the_layer_test_sees_lazy_and_relative_imports():
    service = imports(PACKAGE / "service" / "amend.py")
    assert ["tracker", "locate"] in [t for _, t in service]  # imported inside a function
    assert ["tracker", "store"] in [t for _, t in service]


OUTSIDE_STORE = [p for p in modules() if "store" not in p.relative_to(PACKAGE).parts[:1]]


@pytest.mark.parametrize("path", OUTSIDE_STORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_sql_outside_the_store(path):
    source = path.read_text(encoding="utf-8")
    strings = [(t.start[0], t.string) for t in tokenize.generate_tokens(io.StringIO(source).readline)
               if t.type == tokenize.STRING]
    sql = [f"line {line}: {text[:60]}" for line, text in strings if SQL.search(text)]
    assert not sql, "SQL outside tracker/store/:\n" + "\n".join(sql)
    database = [f"line {line}: {'.'.join(t)}" for line, t in imports(path) if t[0] in DATABASE_MODULES]
    assert not database, "a database module imported outside tracker/store/:\n" + "\n".join(database)
    tree = ast.parse(source)
    handles = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr in {"conn", "_all", "_one", "_run"}]
    assert not handles, f"the store's connection used outside it, lines {handles}"


@pytest.mark.parametrize("path", [p for p in modules() if "store" in p.relative_to(PACKAGE).parts[:1]],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_psycopg_is_imported_by_the_postgresql_backend_only(path):
    """psycopg is optional (the pg extra): only ``store/postgres/`` imports it, and only a
    postgresql:// location imports that package."""
    found = [line for line, t in imports(path) if t[0] == "psycopg"]
    assert not found or path.relative_to(PACKAGE).parts[:2] == ("store", "postgres"), found


def test_the_sql_test_knows_sql_when_it_sees_it():
    for text in ["SELECT id FROM filings", "INSERT OR IGNORE INTO blobs", "UPDATE versions SET x = 1",
                 "DELETE FROM decisions", "CREATE TABLE t (x)", "PRAGMA journal_mode"]:
        assert SQL.search(text), text
    for text in ["Select the paragraph from page S-8", "is DELETED in its entirety", "UPDATE to the cover"]:
        assert not SQL.search(text), text


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_says_what_belongs_in_it(path):
    assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{path} opens with no docstring"
