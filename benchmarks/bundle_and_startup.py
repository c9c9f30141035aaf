"""Size of the frozen app and start times, frozen next to unfrozen; cost of the integrity check on open.

    python benchmarks/bundle_and_startup.py [--dist DIR]   # builds the bundle into a temp dir unless given
    python benchmarks/bundle_and_startup.py --dist DIR --baseline OTHER_DIST   # e.g. main's build

With --baseline, the other build's size and start times are measured in the same run, in turn with
this one's (each round runs every program once), and printed as ratios.

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


def _median_seconds(
    cmds: dict[str, list[str]], env: dict[str, str]
) -> dict[str, tuple[float, float]]:
    """Median wall-clock and CPU (user + system) seconds of each child process, run in turn round by
    round so that they share the machine's load; CPU time is the steadier figure on a busy machine."""
    import resource

    walls: dict[str, list[float]] = {name: [] for name in cmds}
    cpus: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(RUNS):
        for name, cmd in cmds.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            walls[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in cmds}


def _exe(dist: Path) -> Path:
    return dist / "pcc-desk" / ("pcc-desk.exe" if os.name == "nt" else "pcc-desk")


def _sizes(app: Path, archive: Path) -> tuple[float, float]:
    """MB on disk and MB as .tar.gz."""
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(app, arcname="pcc-desk")
    return _folder_size(app) / 1e6, archive.stat().st_size / 1e6


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
    parser.add_argument(
        "--baseline", type=Path, help="another dist folder to measure in the same run"
    )
    parser.add_argument("--skip-check-cost", action="store_true", help="only the bundle's figures")
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
        exe = _exe(dist)
        on_disk, packed = _sizes(dist / "pcc-desk", tmp / "pcc-desk.tar.gz")
        print(f"bundle: {on_disk:.0f} MB on disk, {packed:.0f} MB compressed (tar.gz)")
        if args.baseline:
            base_disk, base_packed = _sizes(args.baseline / "pcc-desk", tmp / "baseline.tar.gz")
            print(
                f"baseline bundle: {base_disk:.0f} MB on disk, {base_packed:.0f} MB compressed; "
                f"this one is {on_disk / base_disk:.2f}x on disk, {packed / base_packed:.2f}x compressed"
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
        programs = {"frozen": [str(exe)], "unfrozen": [sys.executable, "-m", "pcc_desk"]}
        if args.baseline:
            programs["baseline"] = [str(_exe(args.baseline))]
        for label, argv in (
            ("--version", ["--version"]),
            ("list (open the register)", ["--db", str(db), "list"]),
            ("--self-test (incl. the main window)", ["--self-test"]),
        ):
            got = _median_seconds(
                {name: [*program, *argv] for name, program in programs.items()}, env
            )
            line = ", ".join(
                f"{name} {wall:.2f} s wall / {cpu:.2f} s CPU" for name, (wall, cpu) in got.items()
            )
            if args.baseline:
                line += f"; frozen/baseline {got['frozen'][0] / got['baseline'][0]:.2f}x wall"
                line += f", {got['frozen'][1] / got['baseline'][1]:.2f}x CPU"
            print(f"{label}: {line} (medians of {RUNS})")
        if args.skip_check_cost:
            return
        shutil.rmtree(tmp / "data", ignore_errors=True)
        size, seconds = _check_cost(tmp)
        print(
            f"integrity check on open: {seconds * 1000:.0f} ms for a {size / 1e6:.0f} MB register (5,000 recommendations with responses)"
        )


if __name__ == "__main__":
    main()
