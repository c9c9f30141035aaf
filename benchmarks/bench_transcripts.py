"""Transcript import throughput and search latency, each against a baseline measured in the same run.

- Import: words/s through ``services.batch_import.import_transcripts``, as a folder is imported (parse,
  store the original, write the Transcript and Segments, index them by trigger, one transaction a file;
  the next files read meanwhile in a child process), against python-docx merely opening the same files
  and reading their paragraphs. ``--in-turn``: one file after the other, through
  ``services.transcripts.import_transcript`` (no reading ahead).
- Search: median and p95 over 200 varied queries (common and rare words, phrases, prefixes, names
  alone and with a word, speaker and date filters, hostile input) through ``services.search.search`` (query building, bounded
  bm25 ranking, snippets, titles) against a bare FTS5 ``MATCH … ORDER BY rank LIMIT 50`` with
  ``snippet()`` on the same index (``--limit``: another number of hits, for both).

    python benchmarks/bench_transcripts.py [--transcripts 1000] [--words 20000] [--corpus DIR] [--db FILE]
        [--base REGISTER]   (import into a copy of REGISTER, e.g. one of 300 transcripts)

With ``--corpus`` an existing folder of transcripts is used (generated once by
``make_transcript_corpus.py``); with ``--db`` and an already imported database the import is skipped.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

# A folder import reads the next files in a child process, which (started with "spawn") imports this
# script again as "__mp_main__": there, nothing but the reading is needed, as in the app, whose entry
# point imports little. So the register's modules are not imported again in that child.
if __name__ != "__mp_main__":
    from make_transcript_corpus import DOMAIN, generate

    from pcc_desk import search as fts
    from pcc_desk.services import Desk, batch_import, transcripts
    from pcc_desk.services import search as search_service


def count_words(paths: list[Path]) -> tuple[int, float, float]:
    """python-docx merely reading the files: the baseline (words, wall and CPU seconds)."""
    import docx

    words = 0
    start, cpu = time.perf_counter(), time.process_time()
    for path in paths:
        if path.suffix == ".docx":
            for paragraph in docx.Document(str(path)).paragraphs:
                words += len(paragraph.text.split())
        else:
            words += len(path.read_text(encoding="utf-8").split())
    return words, time.perf_counter() - start, time.process_time() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def import_all(desk: Desk, paths: list[Path], in_turn: bool = False) -> tuple[float, float, float]:
    """Wall and CPU seconds of importing the files as a folder is imported (the next files read in a
    child process), or, with ``in_turn``, one by one through ``import_transcript``. CPU: this
    process's, and the reading process's (a fair figure on a shared machine)."""
    start, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    if in_turn:
        for path in paths:
            transcripts.import_transcript(desk, path)
    else:

        def progress(done: int, total: int) -> None:
            if done and done % 50 == 0:
                rate = done / (time.perf_counter() - start)
                print(
                    f"  imported {done}/{total} ({rate:.1f} files/s)", file=sys.stderr, flush=True
                )

        batch = batch_import.import_transcripts(desk, paths, progress=progress)
        refused = batch.refused
        if refused:
            raise SystemExit(f"{len(refused)} files refused: {refused[0].reason}")
    return (
        time.perf_counter() - start,
        time.process_time() - cpu,
        _children_cpu() - children,
    )


def sample_queries(db: Path, n: int = 200, seed: int = 7) -> list[dict]:
    """Varied queries drawn from the indexed text itself, plus names, filters and hostile input."""
    rng = random.Random(seed)
    conn = sqlite3.connect(db)
    # the same records for the same corpus (keys follow the meetings' dates), so that two versions
    # of the index are measured on the same queries
    keys = [r[0] for r in conn.execute("SELECT doc_id FROM search_docs ORDER BY doc_id")]
    chosen = sorted(rng.sample(keys, min(400, len(keys))))
    bodies = [
        conn.execute("SELECT body FROM search_index WHERE rowid = ?", (key,)).fetchone()[0]
        for key in chosen
    ]
    speakers = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT speaker_name FROM search_docs WHERE speaker_name <> '' "
            "ORDER BY speaker_name LIMIT 50"
        )
    ]
    conn.close()
    return queries_from(bodies, speakers, n, rng)


def queries_from(bodies: list[str], speakers: list[str], n: int, rng: random.Random) -> list[dict]:
    """``n`` varied queries drawn from these texts and speakers' names (common and rare words,
    phrases, prefixes, names, filters, hostile input); also used by ``bench_team.py``."""
    words = [w.strip(".,?“”’") for body in bodies for w in body.split()]
    rare = [w for w in words if len(w) > 7 and w.isalpha()]
    queries: list[dict] = []
    kinds = [
        "common",
        "domain",
        "rare",
        "phrase2",
        "phrase3",
        "prefix",
        "two_words",
        "speaker",
        "dates",
        "hostile",
        "name",
        "name_word",
    ]
    hostile = [
        '"',
        "*",
        "Met's",
        "O'Brien",
        "-word",
        "a-b",
        "PCC-2024-017",
        "re:",
        "AND",
        "OR NOT",
        "NEAR(",
        "((",
        "😀",
        "police AND",
    ]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        q: dict = {"kind": kind}
        if kind == "common":
            q["text"] = rng.choice(
                ["the", "we", "police", "that", "will", "Commissioner", "London", "officers"]
            )
        elif kind == "domain":
            q["text"] = rng.choice(DOMAIN)
        elif kind == "rare":
            q["text"] = rng.choice(rare)
        elif kind in ("phrase2", "phrase3"):
            body = rng.choice(bodies).split()
            size = 2 if kind == "phrase2" else 3
            at = rng.randrange(max(1, len(body) - size))
            q["text"] = '"' + " ".join(w.strip(".,?“”") for w in body[at : at + size]) + '"'
        elif kind == "prefix":
            word = rng.choice([w for w in words if len(w) >= 6])
            q["text"] = word[: rng.randint(3, 5)]
        elif kind == "two_words":
            q["text"] = f"{rng.choice(DOMAIN)} {rng.choice(DOMAIN)}"
        elif kind == "speaker":
            q["text"] = rng.choice(DOMAIN)
            q["speaker"] = rng.choice(speakers).split()[-1]
        elif kind == "dates":
            q["text"] = rng.choice(DOMAIN)
            start = dt.date(2014, 5, 1) + dt.timedelta(days=rng.randrange(3000))
            q["date_from"], q["date_to"] = start, start + dt.timedelta(days=365)
        elif kind == "name":  # a Member's or witness's surname or first name, as a clerk types it
            q["text"] = rng.choice(rng.choice(speakers).split())
        elif kind == "name_word":
            q["text"] = f"{rng.choice(DOMAIN)} {rng.choice(speakers).split()[-1]}"
        else:
            q["text"] = rng.choice(hostile)
        queries.append(q)
    return queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_search(desk: Desk, db: Path, queries: list[dict], limit: int = 50) -> dict:
    backend = fts.backend_for("sqlite")
    bare_conn = sqlite3.connect(db)
    service_ms, bare_ms, by_kind, bounded = [], [], {}, 0
    for q in queries:  # warm the page cache once
        search_service.search(
            desk,
            q["text"],
            speaker=q.get("speaker"),
            date_from=q.get("date_from"),
            date_to=q.get("date_to"),
            limit=limit,
        )
    for q in queries:
        start = time.perf_counter()
        hits = search_service.search(
            desk,
            q["text"],
            speaker=q.get("speaker"),
            date_from=q.get("date_from"),
            date_to=q.get("date_to"),
            limit=limit,
        )
        elapsed = (time.perf_counter() - start) * 1000
        service_ms.append(elapsed)
        by_kind.setdefault(q["kind"], []).append(elapsed)
        match = fts.build_match(q["text"])
        start = time.perf_counter()
        if match is not None:
            backend.bare_search(bare_conn, match, limit)
        bare_ms.append((time.perf_counter() - start) * 1000)
        count = 0
        if match is not None:
            count = bare_conn.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {fts.INDEX} WHERE {fts.INDEX} MATCH ? LIMIT {fts.RANK_WINDOW + 1})",
                (match,),
            ).fetchone()[0]
        bounded += count > fts.RANK_WINDOW
        del hits
    bare_conn.close()
    return {
        "service_median": statistics.median(service_ms),
        "service_p95": percentile(service_ms, 95),
        "service_max": max(service_ms),
        "bare_median": statistics.median(bare_ms),
        "bare_p95": percentile(bare_ms, 95),
        "bare_max": max(bare_ms),
        "by_kind": {k: (statistics.median(v), percentile(v, 95)) for k, v in by_kind.items()},
        "bounded": bounded,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transcripts", type=int, default=1000)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--format", choices=["docx", "txt"], default="docx")
    parser.add_argument("--corpus", type=Path, help="use (or generate into) this folder")
    parser.add_argument(
        "--db", type=Path, help="database to import into (reused when it already holds transcripts)"
    )
    parser.add_argument(
        "--base",
        type=Path,
        help="import into a copy of this register (one holding other transcripts: the index's size matters)",
    )
    parser.add_argument(
        "--in-turn",
        action="store_true",
        help="import the files one by one (no reading ahead), as before 1 December's change",
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--limit", type=int, default=50, help="hits a query (service and bare)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="pcc-bench-"))
    corpus = args.corpus or work / "corpus"
    paths = sorted(corpus.glob(f"*.{args.format}")) if corpus.exists() else []
    if len(paths) < args.transcripts:
        print(
            f"generating {args.transcripts} transcripts of ~{args.words:,} words in {corpus} …",
            file=sys.stderr,
        )
        t0 = time.perf_counter()
        paths = generate(corpus, args.transcripts, args.words, args.format)
        print(f"  generated in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    paths = paths[: args.transcripts]
    db = args.db or work / "bench.sqlite3"
    if args.base:
        shutil.copyfile(args.base, db)

    print(f"PCC Desk transcript benchmark: {len(paths)} transcripts (.{args.format})")
    words, read_s, read_cpu = count_words(paths)
    print(f"corpus: {words:,} words")
    print(
        f"baseline python-docx reading only: {words / read_s:,.0f} words/s ({read_s:.2f} s, "
        f"CPU {read_cpu:.2f} s)"
    )

    with Desk.open(db) as desk:
        existing = len(transcripts.list_transcripts(desk))
        if existing >= len(paths) and not args.base:
            print(f"import: skipped ({existing} transcripts already in {db})")
        else:
            import_s, import_cpu, child_cpu = import_all(desk, paths, in_turn=args.in_turn)
            how = "one by one" if args.in_turn else "as a folder"
            print(
                f"import {how} (parse + store + index, one transaction a file): "
                f"{words / import_s:,.0f} words/s ({import_s:.2f} s, CPU {import_cpu:.2f} s here"
                f" + {child_cpu:.2f} s reading ahead) = {import_s / read_s:.2f}× the reading's time, "
                f"{(import_cpu + child_cpu) / read_cpu:.2f}× its CPU"
            )
        desk.engine.dispose()
        size_mb = db.stat().st_size / 1_048_576
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        docs = conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
        conn.close()
        size_mb = db.stat().st_size / 1_048_576
        print(f"database: {size_mb:,.0f} MB, {docs:,} indexed records")

        queries = sample_queries(db, args.queries)
        result = bench_search(desk, db, queries, args.limit)
    print(
        f"search, {len(queries)} queries, {args.limit} hits with snippets (service: parse, bounded bm25, titles):"
    )
    print(
        f"  service median {result['service_median']:.1f} ms, p95 {result['service_p95']:.1f} ms, max {result['service_max']:.1f} ms"
    )
    print(
        f"  bare FTS5      median {result['bare_median']:.1f} ms, p95 {result['bare_p95']:.1f} ms, max {result['bare_max']:.1f} ms"
    )
    ratio_median = result["service_median"] / max(result["bare_median"], 1e-6)
    ratio_p95 = result["service_p95"] / max(result["bare_p95"], 1e-6)
    print(f"  ratio service/bare: median {ratio_median:.2f}×, p95 {ratio_p95:.2f}×")
    print(
        f"  queries whose matches exceeded the ranking window ({fts.RANK_WINDOW:,}): {result['bounded']}"
    )
    for kind, (median, p95) in sorted(result["by_kind"].items()):
        print(f"    {kind:<10} median {median:6.1f} ms  p95 {p95:6.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
