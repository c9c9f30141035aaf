"""Start-up: `pcc-desk --version` and `--help` load no heavy library, measured with
``python -X importtime``; every import left inside a function is there for a reason that
:mod:`pcc_desk.lazy` writes down. No wall-clock threshold: what is loaded, not how long it took."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from support import import_graph

from pcc_desk import lazy

# the libraries start-up must not load (pcc_desk.lazy.HEAVY documents each)
HEAVY_ROOTS = (
    "sqlalchemy",
    "alembic",
    "docx",
    "lxml",
    "pdfplumber",
    "pdfminer",
    "openpyxl",
    "PySide6",
)
IMPORTTIME = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)\s*$")


def _loaded_at_start(*args: str, tmp_path) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    env = dict(os.environ, PCC_DESK_DATA_DIR=str(tmp_path / "user-data"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pcc_desk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    modules = [m.group(1) for line in proc.stderr.splitlines() if (m := IMPORTTIME.match(line))]
    return proc, modules


@pytest.mark.parametrize(
    "args",
    [("--version",), ("--help",), ("settings", "--help"), ("export", "--help")],
    ids=" ".join,
)
def test_the_command_line_starts_without_heavy_libraries(args, tmp_path):
    proc, modules = _loaded_at_start(*args, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "pcc_desk.cli" in modules  # importtime did measure the start
    heavy = sorted({m for m in modules if m.split(".")[0] in HEAVY_ROOTS})
    assert not heavy, f"`pcc-desk {' '.join(args)}` loaded {heavy}"
    if args == ("--version",):
        assert proc.stdout.startswith("PCC Desk ")
    else:
        assert "usage: pcc-desk" in proc.stdout


def test_every_heavy_library_is_documented():
    for root in HEAVY_ROOTS:
        assert root in lazy.HEAVY and lazy.HEAVY[root].strip(), root


def test_imports_inside_functions_defer_a_heavy_library_or_break_a_listed_cycle():
    """Anything else belongs at the top of its module."""
    heavy = set(lazy.HEAVY)
    unexplained = [
        f"{import_graph.modules()[imp.importer].relative_to(import_graph.REPO)}:{imp.line} "
        f"imports {imp.target}"
        for imp in import_graph.function_level()
        if not import_graph.judge(imp, heavy, lazy.CYCLES, lazy.PLATFORM_ONLY)
    ]
    assert not unexplained, (
        "move these to the top of their module (or list the cycle in pcc_desk.lazy.CYCLES):\n"
        + "\n".join(unexplained)
    )


def test_listed_cycles_are_still_there():
    inside = {(imp.importer, imp.target) for imp in import_graph.function_level()}
    stale = [pair for pair in lazy.CYCLES if pair not in inside]
    assert not stale, f"no function-level import for these CYCLES entries any more: {stale}"


@pytest.mark.parametrize(
    "module",
    ["pcc_desk.cli", "pcc_desk.gui.main_window", "pcc_desk.services", "pcc_desk.importers.letters"],
)
def test_the_import_graph_read_from_the_source_matches_python(module):
    """The judge above reads imports from the source; check what it says against a real import."""
    code = (
        f"import sys, {module}; "
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY_ROOTS!r}))))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    real = set(proc.stdout.split())
    static = set(import_graph.heavy_loaded_by(module, set(HEAVY_ROOTS)))
    assert static <= real, (module, static, real)
    # what the source does not show is only what a heavy library loads in turn (docx loads lxml)
    assert bool(static) == bool(real), (module, static, real)


def test_a_deferred_module_is_imported_on_first_use():
    code = (
        "import sys\n"
        "from pcc_desk import lazy\n"
        "desk = lazy.module('pcc_desk.services.desk')\n"
        "assert 'sqlalchemy' not in sys.modules and 'pcc_desk.services.desk' not in sys.modules\n"
        "print(desk.Desk.__module__)\n"
        "assert 'sqlalchemy' in sys.modules\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "pcc_desk.services.desk"
