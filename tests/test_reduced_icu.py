"""The reduced ICU data library the Linux bundle carries (scripts/reduced_icu.py, build.spec).

Built here from the ICU data library of the installed PySide6 and tried under Qt in a child process
(the child loads it in place of the full one with LD_PRELOAD), so these tests need no bundle build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import reduced_icu  # noqa: E402

FULL = sorted((Path(sys.modules["PySide6"].__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))

pytestmark = [
    pytest.mark.skipif(not FULL, reason="this PySide6 carries no ICU (not Linux)"),
    pytest.mark.skipif(
        shutil.which("cc") is None and shutil.which("gcc") is None, reason="no C compiler"
    ),
]

CHECK = (
    "from PySide6.QtCore import QCoreApplication\n"
    "from pcc_desk.gui.selftest_qt import check_text_services\n"
    "app = QCoreApplication([])\n"
    "check_text_services()\n"
    "print('text services ok')\n"
)


def _qt_with(library: Path) -> subprocess.CompletedProcess:
    env = dict(
        os.environ, LD_PRELOAD=str(library), QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO)
    )
    return subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture(scope="module")
def reduced(tmp_path_factory) -> Path:
    built = reduced_icu.build_reduced_library(FULL[0], tmp_path_factory.mktemp("icu"))
    assert built is not None and built.name == FULL[0].name
    return built


def test_reduced_library_keeps_what_qt_core_reads_and_is_a_tenth_of_the_size(reduced):
    full = reduced_icu.item_names(reduced_icu.library_package(FULL[0]))
    kept = reduced_icu.item_names(reduced_icu.library_package(reduced))
    assert kept == [name for name in full if name in set(kept)], "the package's order is kept"
    short = {name.split("/", 1)[1] for name in kept}
    for needed in (
        "coll/ucadata.icu",
        "coll/root.res",
        "zoneinfo64.res",
        "metaZones.res",
        "zone/en.res",
        "zone/en_GB.res",
        "cnvalias.icu",
        "ibm-5348_P100-1997.cnv",  # windows-1252
        "root.res",
        "en_GB.res",
        "pool.res",
    ):
        assert needed in short, needed
    for gone in (
        "brkitr/",
        "unit/",
        "curr/",
        "lang/",
        "region/",
        "translit/",
        "rbnf/",
        "de.",
        "fr.",
        "coll/zh",
    ):
        assert not any(name.startswith(gone) for name in short), gone
    assert FULL[0].stat().st_size > 10 * reduced.stat().st_size


def test_no_kept_converter_lacks_the_table_it_extends(reduced):
    kept = set(reduced_icu.item_names(reduced_icu.library_package(reduced)))
    package = reduced_icu.library_package(FULL[0])
    _, items = reduced_icu._items(package)
    dropped = [reduced_icu._converter(n) for n, _ in items if n.endswith(".cnv") and n not in kept]
    for name, data in items:
        if name in kept and name.endswith(".cnv"):
            assert not any(d in data for d in dropped), name
    # ... and some that extend a kept table are kept (the rule does not drop every small table)
    assert sum(name.endswith(".cnv") for name in kept) > 100


def test_qt_sorts_decodes_and_names_time_zones_with_the_reduced_library(reduced):
    proc = _qt_with(reduced)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "text services ok"


@pytest.mark.parametrize("left_out", ["coll/", "zone", "*.cnv", "*"])
def test_the_check_fails_when_the_library_lacks_what_qt_reads(tmp_path, monkeypatch, left_out):
    keep = (
        () if left_out == "*" else tuple(k for k in reduced_icu.KEEP if not k.startswith(left_out))
    )
    monkeypatch.setattr(reduced_icu, "KEEP", keep)
    broken = reduced_icu.build_reduced_library(FULL[0], tmp_path)
    proc = _qt_with(broken)
    assert proc.returncode != 0 and "RuntimeError" in proc.stderr
