"""The team register (PostgreSQL) under load, and its search, each against a baseline in the same run.

- Corpus: a generated decade loaded into a fresh team register made by ``team init``: the
  recommendations, themes, responses and histories of ``make_register.py`` and the transcripts of
  ``make_transcript_corpus.py`` (imported through the services, indexed by the triggers).
- Load: N clerks (processes, a login each, started together) x OPS mixed operations through the
  services: the concurrency test's workload (``tests/support/team_load.py``: log a response, change a
  status, edit, edit from the version shown, attach a quote, quote words, import letters of one
  date). Operations per second and median / p95 latency, overall and per kind; the baseline is the
  same workload by one clerk alone.
- Search: median and p95 over ~200 varied queries (common and rare words, phrases, prefixes, names,
  speaker and date filters, hostile input; ``bench_transcripts.queries_from``) through
  ``services.search.search`` (50 hits with snippets) against a bare
  ``tsv @@ to_tsquery(...) ORDER BY ts_rank LIMIT 50`` with ``ts_headline`` on the same index.

    python benchmarks/bench_team.py --host /tmp/pg [--small] [--clients 8] [--ops 100]

``--host``: the server (a socket folder or a host name; default ``PCC_DESK_TEST_PG_HOST``, as
``bash scripts/pg-test-server.sh start DIR`` prints), reached as ``--user`` (default ``postgres``),
which may create databases and roles. The database is dropped at the end unless ``--keep``.
Decade: 20,000 recommendations and 1,000 transcripts of 20,000 words; ``--small``: 2,000 and 50.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TESTS = REPO / "tests"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(TESTS))

from bench_transcripts import percentile, queries_from  # noqa: E402
from make_register import build_register  # noqa: E402
from make_transcript_corpus import generate  # noqa: E402
from support import team_load  # noqa: E402

from pcc_desk import search as fts  # noqa: E402
from pcc_desk import storage  # noqa: E402
from pcc_desk.services import Desk, team, transcripts  # noqa: E402
from pcc_desk.services import search as search_service  # noqa: E402


def url_for(db: str, user: str, host: str, port: int) -> str:
    if host.startswith("/"):
        return f"postgresql+psycopg://{user}@/{db}?host={host}&port={port}"
    return f"postgresql+psycopg://{user}@{host}:{port}/{db}"


def admin(args, db: str = "postgres"):
    import psycopg

    return psycopg.connect(
        host=args.host, port=args.port, user=args.user, dbname=db, autocommit=True
    )


def load_corpus(args, url: str, work: Path) -> None:
    t0 = time.perf_counter()
    build_register(storage.resolve_location(url), args.recommendations)
    print(
        f"  {args.recommendations:,} recommendations in {time.perf_counter() - t0:.0f} s",
        file=sys.stderr,
    )
    corpus = work / "transcripts"
    paths = generate(corpus, args.transcripts, args.words, "txt")
    t0 = time.perf_counter()
    with Desk.open(url) as desk:
        for n, path in enumerate(paths, start=1):
            transcripts.import_transcript(desk, path)
            if n % 25 == 0:
                print(f"  imported {n}/{len(paths)} transcripts", file=sys.stderr, flush=True)
    print(f"  transcripts imported in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def run_load(args, name: str, logins: list[str], common: dict, work: Path, clerks: int) -> dict:
    """``clerks`` processes at once; their outcomes and the wall-clock span of their operations."""
    barrier = work / f"barrier-{clerks}"
    barrier.mkdir()
    procs = []
    for i in range(clerks):
        config = {
            **common,
            "url": url_for(name, logins[i], args.host, args.port),
            "worker": i,
            "seed": 7000 + 100 * clerks + i,
            "ops": args.ops,
            "folder": str(work / f"letters-{clerks}-{i}"),
            "barrier": str(barrier),
        }
        config_path, out = work / f"worker-{clerks}-{i}.json", work / f"out-{clerks}-{i}.json"
        config_path.write_text(json.dumps(config))
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(REPO)])
        env["PCC_DESK_DATA_DIR"] = str(work / f"computer-{i}")
        procs.append(
            (
                subprocess.Popen(
                    [sys.executable, "-m", "support.team_load", str(config_path), str(out)],
                    cwd=REPO,
                    env=env,
                ),
                out,
            )
        )
    team_load.release(barrier, clerks)
    for proc, _ in procs:
        if proc.wait() != 0:
            raise SystemExit(f"a clerk's process failed (exit code {proc.returncode})")
    results = [json.loads(out.read_text()) for _, out in procs]
    outcomes = [team_load.Outcome(**o) for r in results for o in r["outcomes"]]
    span = max(r["ended"] for r in results) - min(r["started"] for r in results)
    latencies = [o.seconds * 1000 for o in outcomes]
    by_kind: dict[str, list[float]] = {}
    for o in outcomes:
        by_kind.setdefault(o.kind, []).append(o.seconds * 1000)
    tally: dict[str, int] = {}
    for o in outcomes:
        tally[o.outcome] = tally.get(o.outcome, 0) + 1
    return {
        "ops": len(outcomes),
        "seconds": span,
        "per_second": len(outcomes) / span,
        "median": statistics.median(latencies),
        "p95": percentile(latencies, 95),
        "by_kind": {
            k: (len(v), statistics.median(v), percentile(v, 95)) for k, v in by_kind.items()
        },
        "outcomes": tally,
        "errors": [f"{o.kind}: {o.error}: {o.message}" for o in outcomes if o.outcome == "error"],
    }


def sample_queries(args, name: str, n: int) -> list[dict]:
    rng = random.Random(11)
    with admin(args, name) as conn:
        keys = [k for (k,) in conn.execute("SELECT doc_id FROM search_docs ORDER BY doc_id")]
        chosen = sorted(rng.sample(keys, min(400, len(keys))))
        bodies = [
            b
            for (b,) in conn.execute(
                "SELECT body FROM search_docs WHERE doc_id = ANY(%s) ORDER BY doc_id", (chosen,)
            )
        ]
        speakers = [
            s
            for (s,) in conn.execute(
                "SELECT DISTINCT speaker_name FROM search_docs WHERE speaker_name <> '' "
                "ORDER BY speaker_name LIMIT 50"
            )
        ]
    return queries_from(bodies, speakers, n, rng)


def bench_search(args, name: str, url: str, queries: list[dict], limit: int = 50) -> dict:
    backend = fts.backend_for("postgresql")
    service_ms, bare_ms, by_kind, bounded = [], [], {}, 0

    def through_services(desk, q):
        return search_service.search(
            desk,
            q["text"],
            speaker=q.get("speaker"),
            date_from=q.get("date_from"),
            date_to=q.get("date_to"),
            limit=limit,
        )

    with Desk.open(url) as desk, admin(args, name) as bare:
        for q in queries:  # warm the server's cache once, both ways
            through_services(desk, q)
            tsquery = fts.pg_tsquery(q["text"])
            if tsquery:
                backend.bare_search(bare, tsquery, limit)
        for q in queries:
            start = time.perf_counter()
            through_services(desk, q)
            elapsed = (time.perf_counter() - start) * 1000
            service_ms.append(elapsed)
            by_kind.setdefault(q["kind"], []).append(elapsed)
            tsquery = fts.pg_tsquery(q["text"])
            start = time.perf_counter()
            if tsquery:
                backend.bare_search(bare, tsquery, limit)
            bare_ms.append((time.perf_counter() - start) * 1000)
            if tsquery:
                count = bare.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM search_docs WHERE tsv @@ "
                    f"to_tsquery('{fts.PG_CONFIG}', %s) LIMIT {fts.RANK_WINDOW + 1}) m",
                    (tsquery,),
                ).fetchone()[0]
                bounded += count > fts.RANK_WINDOW
    return {
        "service_median": statistics.median(service_ms),
        "service_p95": percentile(service_ms, 95),
        "bare_median": statistics.median(bare_ms),
        "bare_p95": percentile(bare_ms, 95),
        "by_kind": {k: (statistics.median(v), percentile(v, 95)) for k, v in by_kind.items()},
        "bounded": bounded,
    }


def print_load(label: str, r: dict) -> None:
    print(
        f"  {label}: {r['ops']} operations in {r['seconds']:.1f} s = {r['per_second']:.1f} ops/s; "
        f"latency median {r['median']:.0f} ms, p95 {r['p95']:.0f} ms; outcomes {r['outcomes']}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("PCC_DESK_TEST_PG_HOST", ""))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("PCC_DESK_TEST_PG_PORT", 5432))
    )
    parser.add_argument("--user", default="postgres")
    parser.add_argument(
        "--small", action="store_true", help="2,000 recommendations, 50 transcripts"
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--ops", type=int, default=100, help="operations per clerk")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--recommendations", type=int, help="instead of the decade's (or --small's)"
    )
    parser.add_argument("--transcripts", type=int, help="instead of the decade's (or --small's)")
    parser.add_argument("--words", type=int, default=20_000, help="words a transcript")
    args = parser.parse_args(argv)
    if not args.host:
        parser.error("give the server with --host (or PCC_DESK_TEST_PG_HOST)")
    if args.recommendations is None:
        args.recommendations = 2_000 if args.small else 20_000
    if args.transcripts is None:
        args.transcripts = 50 if args.small else 1_000

    name = f"pcc_bench_{os.getpid()}"
    work = Path(tempfile.mkdtemp(prefix="pcc-bench-team-"))
    os.environ["PCC_DESK_DATA_DIR"] = str(work / "data")
    with admin(args) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    logins = [f"{name}_c{i}" for i in range(args.clients)]
    try:
        owner_url = url_for(name, args.user, args.host, args.port)
        roles = team.init_team_register(owner_url)
        with admin(args, name) as conn:
            for login in logins:
                conn.execute(f'CREATE ROLE "{login}" LOGIN IN ROLE "{roles.clerk}"')
        print(f"loading the corpus into {name} …", file=sys.stderr)
        load_corpus(args, owner_url, work)
        with admin(args, name) as conn:
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            docs = conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
            words = conn.execute(
                "SELECT coalesce(sum(array_length(regexp_split_to_array(text, '\\s+'), 1)), 0) "
                "FROM segments"
            ).fetchone()[0]
            server = conn.execute("SHOW server_version").fetchone()[0]
        with Desk.open(url_for(name, logins[0], args.host, args.port)) as desk:
            common = team_load.prepare(desk, work / "shared")
        with admin(args, name) as conn:  # the clerks work on the corpus's records too
            refs = [r for (r,) in conn.execute("SELECT ref FROM recommendations ORDER BY ref")]
        common["refs"] = random.Random(5).sample(refs, min(300, len(refs)))

        print(
            f"PCC Desk team register benchmark (PostgreSQL {server}): {args.recommendations:,} "
            f"recommendations, {args.transcripts} transcripts, {words:,} words in turns, "
            f"{docs:,} indexed records, database {size / 1_048_576:,.0f} MB"
        )
        print(f"mixed workload, {args.ops} operations per clerk:")
        alone = run_load(args, name, logins, common, work, 1)
        print_load("1 clerk (baseline)", alone)
        many = run_load(args, name, logins, common, work, args.clients)
        print_load(f"{args.clients} clerks at once", many)
        print(
            f"  ratio {args.clients} clerks / 1: throughput {many['per_second'] / alone['per_second']:.2f}×, "
            f"p95 latency {many['p95'] / alone['p95']:.2f}×"
        )
        for kind, (count, median, p95) in sorted(many["by_kind"].items()):
            print(f"    {kind:<14} {count:4d} ops  median {median:6.0f} ms  p95 {p95:6.0f} ms")
        for error in (alone["errors"] + many["errors"])[:10]:
            print(f"  ERROR {error}")

        queries = sample_queries(args, name, args.queries)
        result = bench_search(args, name, url_for(name, args.user, args.host, args.port), queries)
        print(f"search, {len(queries)} queries, 50 hits with snippets:")
        print(
            f"  service   median {result['service_median']:.1f} ms, p95 {result['service_p95']:.1f} ms"
        )
        print(
            f"  bare tsv @@ to_tsquery ORDER BY ts_rank LIMIT 50 + ts_headline: median "
            f"{result['bare_median']:.1f} ms, p95 {result['bare_p95']:.1f} ms"
        )
        print(
            f"  ratio service/bare: median {result['service_median'] / max(result['bare_median'], 1e-6):.2f}×, "
            f"p95 {result['service_p95'] / max(result['bare_p95'], 1e-6):.2f}×"
        )
        print(
            f"  queries whose matches exceeded the ranking window ({fts.RANK_WINDOW:,}): {result['bounded']}"
        )
        for kind, (median, p95) in sorted(result["by_kind"].items()):
            print(f"    {kind:<10} median {median:6.1f} ms  p95 {p95:6.1f} ms")
        return 1 if alone["errors"] or many["errors"] else 0
    finally:
        if not args.keep:
            with admin(args) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                for login in logins:
                    conn.execute(f'DROP ROLE IF EXISTS "{login}"')
                for kind in ("owner", "clerk", "reader"):
                    conn.execute(f'DROP ROLE IF EXISTS "{name}_{kind}"')
        else:
            print(f"kept: {url_for(name, args.user, args.host, args.port)}", file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
