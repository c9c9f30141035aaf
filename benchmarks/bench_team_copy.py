"""How long `pcc-desk team upload` and `team download` take for a register of a given size.

``python benchmarks/bench_team_copy.py --pg-host /tmp/pcc-pg [--recommendations 5000] [--transcripts 20]
[--words 20000]`` builds a laptop register (generated recommendations with responses and history, and
generated transcripts imported through the service, their originals kept), makes an empty team
register on the PostgreSQL server at PG_HOST (a database of its own, dropped at the end), uploads the
laptop's register into it and downloads it again, and prints the rows copied and the seconds each
took (wall clock). Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_register
import make_transcript_corpus
import psycopg

from pcc_desk import storage
from pcc_desk.services import Desk, team_copy, transcripts


def _admin(host: str, port: int, user: str):
    return psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-host", required=True, help="the server's socket folder or host name")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--recommendations", type=int, default=5_000)
    parser.add_argument("--transcripts", type=int, default=20)
    parser.add_argument("--words", type=int, default=20_000)
    args = parser.parse_args(argv)
    name = f"bench_team_copy_{os.getpid()}"
    with tempfile.TemporaryDirectory() as folder:
        laptop = Path(folder) / "laptop.sqlite3"
        started = time.perf_counter()
        make_register.build_register(laptop, args.recommendations)
        files = make_transcript_corpus.generate(
            Path(folder) / "corpus", args.transcripts, args.words, "txt", progress=False
        )
        with Desk.open(laptop) as desk:
            for path in files:
                transcripts.import_transcript(desk, path)
        print(f"laptop register built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        with _admin(args.pg_host, args.pg_port, args.pg_user) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        host = args.pg_host
        where = f"?host={host}&port={args.pg_port}" if host.startswith("/") else ""
        url = (
            f"postgresql+psycopg://{args.pg_user}@/{name}{where}"
            if where
            else f"postgresql+psycopg://{args.pg_user}@{host}:{args.pg_port}/{name}"
        )
        try:
            storage.migrate(storage.resolve_location(url))
            started = time.perf_counter()
            up = team_copy.upload(laptop, url)
            upload_s = time.perf_counter() - started
            started = time.perf_counter()
            down = team_copy.download(url, Path(folder) / "copy.sqlite3")
            download_s = time.perf_counter() - started
        finally:
            with _admin(args.pg_host, args.pg_port, args.pg_user) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        size = laptop.stat().st_size / 1e6
    rows = up.total
    print(
        f"{args.recommendations} recommendations, {args.transcripts} transcripts of "
        f"~{args.words} words: {rows} rows ({up.rows.get('segments', 0)} turns), laptop file {size:.0f} MB"
    )
    print(f"upload:   {upload_s:6.1f} s  ({rows / upload_s:,.0f} rows/s)")
    print(f"download: {download_s:6.1f} s  ({down.total / download_s:,.0f} rows/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
