"""The core imports no Qt: checked in a fresh interpreter and by import-linter's contracts."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pcc_desk

REPO = Path(__file__).resolve().parent.parent


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(pcc_desk.__path__, "pcc_desk."):
        if info.name.startswith("pcc_desk.gui") or info.name in ("pcc_desk.__main__",):
            continue
        names.append(info.name)
    return names


def test_core_modules_load_no_qt_in_a_fresh_interpreter():
    modules = _core_modules()
    assert "pcc_desk.services.register" in modules and "pcc_desk.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaks = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'))\n"
        "print(','.join(leaks))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == "", f"Qt loaded by the core: {out.stdout}"


def test_import_linter_contracts_hold():
    lint = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    proc = subprocess.run(
        [lint, str(REPO / "pyproject.toml")], capture_output=True, text=True, cwd=REPO
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    contracts = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]
    assert f"{len(contracts['contracts'])} kept, 0 broken" in proc.stdout


def test_the_layers_and_the_front_ends_door_are_contracts():
    """The layers of the README's Design section, and "front ends only through services", are
    checked by import-linter (the test above runs them): they must stay in the configuration."""
    contracts = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"][
        "contracts"
    ]
    assert len(contracts) >= 5
    (layers,) = [c for c in contracts if c["type"] == "layers"]
    flat = [
        name.strip() for layer in layers["layers"] for name in layer.replace(":", "|").split("|")
    ]
    for above, below in [
        ("pcc_desk.gui", "pcc_desk.services"),
        ("pcc_desk.cli", "pcc_desk.services"),
        ("pcc_desk.services", "pcc_desk.storage"),
        ("pcc_desk.storage", "pcc_desk.model"),
        ("pcc_desk.model", "pcc_desk.errors"),
    ]:
        top = next(i for i, layer in enumerate(layers["layers"]) if above in layer)
        bottom = next(i for i, layer in enumerate(layers["layers"]) if below in layer)
        assert top < bottom, (above, below)
    for module in (
        "pcc_desk.backup",
        "pcc_desk.locations",
        "pcc_desk.importers",
        "pcc_desk.vocabulary",
    ):
        assert module in flat
    (door,) = [c for c in contracts if c["name"].startswith("Front ends reach the core only")]
    assert set(door["source_modules"]) == {"pcc_desk.gui", "pcc_desk.cli"}
    assert {"pcc_desk.storage", "pcc_desk.backup", "pcc_desk.model"} <= set(
        door["forbidden_modules"]
    )
