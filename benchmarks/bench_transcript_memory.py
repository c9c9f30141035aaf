"""Peak memory and time of importing one very large text transcript (the issue's 19 MB file).

Each import runs in a fresh subprocess (``pcc-desk import-transcript`` on a new register); its peak
resident memory is the child's ``ru_maxrss``. The baseline, in the same run, is a subprocess that only
imports the same modules and reads and decodes the file whole: the memory any import must at least use.

    python benchmarks/bench_transcript_memory.py [--words 3100000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_transcript_corpus import generate

BASELINE = """
import sys
from pathlib import Path
import pcc_desk.cli, pcc_desk.services.transcripts  # the modules an import loads
from pcc_desk.importers.text import decode_text
path = Path(sys.argv[1])
text = decode_text(path.read_bytes(), path.name)
print(len(text))
"""


MEASURE = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True)
if proc.returncode:
    sys.exit(proc.stderr.decode(errors="replace"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _child(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak MB) of one subprocess, measured by a fresh parent of its own."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return elapsed, int(proc.stdout.split()[-1]) / 1024  # KB on Linux


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=3_100_000, help="about 19 MB of text")
    parser.add_argument("--keep", type=Path, help="keep the generated transcript and register here")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="pcc-bench-memory-"))
    (path,) = generate(work, 1, args.words, "txt", progress=False)
    size_mb = path.stat().st_size / 1_048_576
    base_s, base_mb = _child([sys.executable, "-c", BASELINE, str(path)])
    db = work / "register.sqlite3"
    import_s, import_mb = _child(
        [sys.executable, "-m", "pcc_desk", "--db", str(db), "import-transcript", str(path)]
    )
    print(f"transcript: {size_mb:.1f} MB of text ({args.words:,} words)")
    print(
        f"baseline (modules loaded, file read and decoded whole): {base_s:.1f} s, {base_mb:.0f} MB"
    )
    print(
        f"import (parse, keep the file, write, index): {import_s:.1f} s, peak {import_mb:.0f} MB"
        f" ({import_mb / base_mb:.2f}x the baseline; {import_mb - base_mb:.0f} MB above it)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
