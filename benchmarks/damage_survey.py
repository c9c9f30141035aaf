"""Damage survey: which damaged copies of a register does opening refuse, and which does it open?

``python benchmarks/damage_survey.py [--seed S] [--rows N]`` builds a register of N generated
recommendations (default 400) and a transcript, and a copy with 30 saves still in its write-ahead log,
then makes 100 damaged copies: 15 cut at a page boundary, 5 cut mid-page, 15 with a bit flipped in the
header, 45 in b-tree pages (page headers, cell pointers, cell contents) and 20 in write-ahead log
entries. For each it runs the check that opening runs (``storage.check_health``); for those it opens,
the full check (``PRAGMA integrity_check`` and the foreign keys). Figures are in the README ("Keeping
data safe"). Not a test: the numbers depend on where the random flips land.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

KINDS = [
    ("cut at a page", 15),
    ("cut mid-page", 5),
    ("header bit", 15),
    ("b-tree page header bit", 15),
    ("cell pointer bit", 15),
    ("cell content bit", 15),
    ("log entry bit", 20),
]
IN_THE_LOG = (
    "import os, sys\nfrom pcc_desk.services import Desk, register\nd = Desk.open(sys.argv[1])\n"
    "[register.add_recommendation(d, 'In the log %d ' % i + 'words ' * 40) for i in range(30)]\n"
    "os._exit(0)\n"
)


def _registers(work: Path, rows: int) -> tuple[Path, Path]:
    import make_register
    import transcript_samples

    from pcc_desk.services import Desk, transcripts

    plain = work / "register.sqlite3"
    make_register.build_register(plain, n=rows)
    with Desk.open(plain) as desk:
        transcripts.import_transcript(desk, transcript_samples.write_la_txt(work))
    conn = sqlite3.connect(plain)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    logged = work / "logged.sqlite3"
    shutil.copyfile(plain, logged)
    subprocess.run([sys.executable, "-c", IN_THE_LOG, str(logged)], check=True)
    return plain, logged


def _damage(kind: str, data: bytearray, page_size: int, rng: random.Random) -> bytearray:
    pages = len(data) // page_size
    if kind == "cut at a page":
        return data[: rng.randrange(1, pages) * page_size]
    if kind == "cut mid-page":
        return data[: rng.randrange(page_size, len(data))]
    if kind == "header bit":
        data[rng.randrange(16, 100)] ^= 1 << rng.randrange(8)
        return data
    while True:  # a b-tree page: interior or leaf, table or index
        start = (rng.randrange(2, pages + 1) - 1) * page_size
        if data[start] in (2, 5, 10, 13):
            break
    header = 12 if data[start] in (2, 5) else 8
    cells = int.from_bytes(data[start + 3 : start + 5], "big")
    if kind == "b-tree page header bit":
        at = start + rng.randrange(header)
    elif kind == "cell pointer bit":
        at = start + header + rng.randrange(max(2, 2 * cells))
    else:
        content = int.from_bytes(data[start + 5 : start + 7], "big") or 65536
        at = start + rng.randrange(min(content, page_size - 1), page_size)
    data[at] ^= 1 << rng.randrange(8)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20261208)
    parser.add_argument("--rows", type=int, default=400)
    args = parser.parse_args()
    from pcc_desk import storage
    from pcc_desk.errors import PccError

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        plain, logged = _registers(work, args.rows)
        page_size = storage._page_size(plain.read_bytes()[:100])
        print("kind                      refused  opened  of those, the full check finds")
        totals = [0, 0, 0]
        for kind, count in KINDS:
            refused = opened = full_only = 0
            for n in range(count):
                source = logged if kind == "log entry bit" else plain
                copy = work / f"{kind.replace(' ', '-')}-{n}.sqlite3"
                data = bytearray(source.read_bytes())
                if kind == "log entry bit":
                    wal = bytearray(storage.sidecars(source)[0].read_bytes())
                    wal[rng.randrange(32, len(wal) - 24 - page_size)] ^= 1 << rng.randrange(8)
                    storage.sidecars(copy)[0].write_bytes(bytes(wal))
                else:
                    data = _damage(kind, data, page_size, rng)
                copy.write_bytes(bytes(data))
                try:
                    storage.check_health(copy)
                except PccError:
                    refused += 1
                    continue
                opened += 1
                full_only += bool(storage.thorough_check(copy))
            totals = [totals[0] + refused, totals[1] + opened, totals[2] + full_only]
            print(f"{kind:<26}{refused:>7}{opened:>8}{full_only:>10}")
        print(f"{'all':<26}{totals[0]:>7}{totals[1]:>8}{totals[2]:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
