"""Size of the frozen app and start times, frozen next to unfrozen; cost of the integrity check on open.

    python benchmarks/bundle_and_startup.py [--dist DIR]   # builds the bundle into a temp dir unless given

Not a test: prints figures for the README ("Building the app", "Keeping data safe").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 9


def _folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _median_seconds(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Median wall-clock and CPU (user + system) seconds of a child process; CPU time is the steadier
    figure on a machine that is busy with other work."""
    import resource

    walls, cpus = [], []
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def _check_cost(folder: Path) -> tuple[int, float]:
    sys.path.insert(0, str(REPO))
    from pcc_desk import storage
    from pcc_desk.model import Position
    from pcc_desk.services import Desk, register

    path = folder / "big.sqlite3"
    with Desk.open(path) as desk:
        for i in range(5000):
            rec = register.add_recommendation(
                desk,
                f"Recommendation {i}: " + "words of the ask " * 20,
                theme=f"Theme {i % 30}",
                made=dt.date(2020, 1, 1),
            )
            register.log_response(
                desk,
                rec.ref,
                received=dt.date(2020, 3, 1),
                position=Position.ACCEPTED,
                text="A response. " * 150,
            )
    size = path.stat().st_size
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        storage.check_health(path)
        times.append(time.perf_counter() - start)
    return size, statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dist", type=Path, help="an existing dist folder holding pcc-desk/")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        dist = args.dist
        if dist is None:
            dist = tmp / "dist"
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "PyInstaller", str(REPO / "build.spec"), "--noconfirm", "--log-level", "WARN",
                 "--distpath", str(dist), "--workpath", str(tmp / "work")],
                check=True, cwd=REPO,
            )  # fmt: skip
            print(f"build time: {time.perf_counter() - start:.0f} s")
        app = dist / "pcc-desk"
        exe = app / ("pcc-desk.exe" if os.name == "nt" else "pcc-desk")
        archive = tmp / "pcc-desk.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(app, arcname="pcc-desk")
        print(
            f"bundle: {_folder_size(app) / 1e6:.0f} MB on disk, {archive.stat().st_size / 1e6:.0f} MB compressed (tar.gz)"
        )

        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            PCC_DESK_DATA_DIR=str(tmp / "data"),
            PYTHONPATH=str(REPO),
        )
        db = tmp / "start.sqlite3"
        subprocess.run(
            [str(exe), "--db", str(db), "add", "--text", "x"],
            env=env,
            check=True,
            capture_output=True,
        )
        python = [sys.executable, "-m", "pcc_desk"]
        for label, argv in (
            ("--version", ["--version"]),
            ("list (open the register)", ["--db", str(db), "list"]),
            ("--self-test (incl. the main window)", ["--self-test"]),
        ):
            frozen = _median_seconds([str(exe), *argv], env)
            unfrozen = _median_seconds([*python, *argv], env)
            print(
                f"{label}: frozen {frozen[0]:.2f} s wall / {frozen[1]:.2f} s CPU, "
                f"unfrozen {unfrozen[0]:.2f} s wall / {unfrozen[1]:.2f} s CPU (medians of {RUNS})"
            )
        shutil.rmtree(tmp / "data", ignore_errors=True)
        size, seconds = _check_cost(tmp)
        print(
            f"integrity check on open: {seconds * 1000:.0f} ms for a {size / 1e6:.0f} MB register (5,000 recommendations with responses)"
        )


if __name__ == "__main__":
    main()
