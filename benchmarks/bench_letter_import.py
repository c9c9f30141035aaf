"""Letter import on a growing register: a folder of letters (20 asks each, in the sample letter's
form; ``make_letter_corpus.py``) imported into a new register, one transaction per file, as
``pcc-desk import-letter FOLDER`` does; against reading the same files alone (no register) in the
same run.

    .venv/bin/python benchmarks/bench_letter_import.py [--letters 1000] [--asks 20] [--corpus DIR]
        [--profile FILE]

Prints the seconds a letter for the whole folder, for its first and last 300 letters (flat means the
cost does not grow with the register) and the ratio to reading alone; on Linux also the bytes the
process read and wrote a letter (``/proc/self/io``: counted, not timed, so load on the machine does
not move them), and the load average. ``--profile`` writes a cProfile of the import
(``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from make_letter_corpus import make_corpus  # noqa: E402

from pcc_desk.importers.letters import read_letter  # noqa: E402
from pcc_desk.services import Desk, batch_import  # noqa: E402


def _io() -> tuple[int, int]:
    """Bytes read and written by this process so far (0, 0 where /proc is not there)."""
    try:
        lines = Path("/proc/self/io").read_text().splitlines()
    except OSError:
        return (0, 0)
    values = dict(line.split(": ") for line in lines)
    return int(values["rchar"]), int(values["wchar"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--asks", type=int, default=20)
    parser.add_argument("--corpus", type=Path, help="a folder made by make_letter_corpus.py")
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pcc-letter-bench-"))
    corpus = args.corpus or work / "letters"
    if not corpus.exists():
        make_corpus(corpus, args.letters, args.asks)
    files = sorted(corpus.glob("*.md"))
    t = time.perf_counter()
    for path in files:
        read_letter(path)
    reading = (time.perf_counter() - t) / len(files)

    stamps: list[float] = []
    io: list[tuple[int, int]] = []
    db = work / "register.sqlite3"
    profiler = cProfile.Profile() if args.profile else None
    with Desk.open(db) as desk:
        t = time.perf_counter()
        io_start = _io()
        if profiler:
            profiler.enable()

        def reported(_result: object) -> None:
            stamps.append(time.perf_counter())
            io.append(_io())

        result = batch_import.import_letters(desk, [corpus], reported=reported)
        if profiler:
            profiler.disable()
        total = time.perf_counter() - t
    if profiler:
        profiler.dump_stats(args.profile)
    refused = [r for r in result.results if r.outcome is not batch_import.Outcome.IMPORTED]
    per = [b - a for a, b in zip([t, *stamps[:-1]], stamps, strict=True)]
    n = len(per)
    head = statistics.mean(per[: min(300, n)])
    tail = statistics.mean(per[-min(300, n) :])
    print(
        f"letters: {n:,} of {args.asks} asks ({len(refused)} not imported); register {db.stat().st_size / 1e6:.0f} MB"
    )
    print(f"reading alone:         {reading:.3f} s a letter")
    print(
        f"import, whole folder:  {total:.1f} s, {total / n:.3f} s a letter ({total / n / reading:.1f}x reading)"
    )
    print(f"  first {min(300, n)} letters:    {head:.3f} s a letter")
    print(f"  last {min(300, n)} letters:     {tail:.3f} s a letter ({tail / head:.2f}x the first)")
    k = min(300, n)
    if io_start != (0, 0):
        io = [io_start, *io]
        for label, a, b in (("first", 0, k), ("last", n - k, n)):
            read, wrote = ((io[b][i] - io[a][i]) / (b - a) / 1e6 for i in (0, 1))
            print(f"  {label} {k} letters: {read:.2f} MB read, {wrote:.2f} MB written a letter")
    if hasattr(os, "getloadavg"):
        print("load average: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    for r in refused[:5]:
        print(f"  {r.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
