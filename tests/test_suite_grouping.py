"""The suite's own machinery: scripts/test.sh runs pytest-xdist with ``--dist loadgroup`` so that a
module's shared fixture (the PyInstaller bundle, a LibreOffice conversion, a seeded team register) is
built once, on one worker. pytest 9.2 silently broke that grouping (pytest-dev/pytest-xdist#1386: the
bundle was built on both workers, 30 s more of the suite); this test fails if the installed pytest and
pytest-xdist stop grouping again."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest


def test_a_modules_tests_with_a_shared_fixture_run_on_one_worker(tmp_path):
    pytest.importorskip("xdist")
    (tmp_path / "conftest.py").write_text(
        (Path(__file__).parent / "conftest.py")
        .read_text(encoding="utf-8")
        .split("@pytest.fixture(autouse=True)")[0],  # the grouping hook alone
        encoding="utf-8",
    )
    (tmp_path / "test_shared.py").write_text(
        textwrap.dedent(
            """
            import os
            import pytest

            @pytest.fixture(scope="module")
            def built():
                return os.environ.get("PYTEST_XDIST_WORKER")

            @pytest.mark.parametrize("n", range(8))
            def test_uses_it(built, n):
                assert built == os.environ.get("PYTEST_XDIST_WORKER")
            """
        ),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist",
            "loadgroup",
            "-v",
            "-p",
            "no:cacheprovider",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-2000:]
    workers = set(re.findall(r"\[(gw\d+)\] .*PASSED test_shared\.py::test_uses_it", proc.stdout))
    grouped = re.findall(r"PASSED test_shared\.py::test_uses_it\[\d\]@test_shared\.py", proc.stdout)
    assert len(grouped) == 8 and len(workers) == 1, proc.stdout[-2000:]
