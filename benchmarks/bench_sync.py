"""How long `pcc-desk sync` takes: a day's work sent up, and 20,000 changed rows brought down.

``python benchmarks/bench_sync.py --pg-host /tmp/pcc-pg [--ops 200] [--letters 250] [--asks 20]``
makes a small team register on the PostgreSQL server at PG_HOST (a database of its own, dropped at the
end) and a laptop copy of it, then:

1. a day's work: ``--ops`` of a clerk's operations on the laptop (add, edit, status, response,
   quote; ``tests/support/sync_world.py``), synced; the time against a bare copy of the same journal
   rows (one ``executemany`` into a table of the same columns on the server, one transaction);
2. the office's work brought down: ``--letters`` generated Committee letters of ``--asks`` asks
   imported (about 20,000 new rows: recommendations, their histories, footnotes, themes, the kept
   files) and ``--ops`` operations made on the server, pulled by a sync; the time against a
   bare copy of the same new rows (read from the server and inserted into a copy of the laptop's
   file as it was before, table by table, one transaction).

Prints the seconds each took (wall clock) and the ratio. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import make_letter_corpus  # noqa: E402
from sqlalchemy import MetaData, insert, select, text  # noqa: E402

from pcc_desk import storage  # noqa: E402
from pcc_desk.model import Base  # noqa: E402
from pcc_desk.services import Desk, letter_import, sync  # noqa: E402


def _keys(engine) -> dict[str, set]:
    """Every table's primary keys, as tuples."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            cols = list(table.primary_key.columns)
            out[table.name] = set(conn.execute(select(*cols)).all())
    return out


def _bare_journal_copy(url: str, since: int) -> tuple[int, float]:
    """The server's journal rows after ``since`` inserted again, bare, into a table of the same
    columns (one executemany, one transaction): rows, seconds."""
    engine = storage.make_engine(storage.resolve_location(url))
    table = Base.metadata.tables["journal"]
    try:
        with engine.begin() as conn:
            rows = [
                dict(r._mapping) for r in conn.execute(select(table).where(table.c.seq > since))
            ]
            conn.execute(text("CREATE TEMP TABLE journal_copy (LIKE journal)"))
            copy = table.to_metadata(MetaData(), name="journal_copy")
            started = time.perf_counter()
            conn.execute(insert(copy), rows)
            return len(rows), time.perf_counter() - started
    finally:
        engine.dispose()


def _bare_rows_copy(url: str, before: dict[str, set], blank: Path) -> tuple[int, float]:
    """The rows the pull added to the laptop (by primary key), read from the server and inserted
    into ``blank`` (a copy of the laptop before the pull) table by table, one transaction: rows,
    seconds."""
    server = storage.make_engine(storage.resolve_location(url))
    target = storage.make_engine(storage.resolve_location(blank))
    copied = 0
    started = time.perf_counter()
    try:
        with server.connect() as src, target.begin() as dst:
            dst.execute(text("PRAGMA defer_foreign_keys = ON"))
            for table in Base.metadata.sorted_tables:
                if table.name == "sync_conflicts":
                    continue
                cols = list(table.primary_key.columns)
                rows = [
                    dict(r._mapping)
                    for r in src.execute(select(table))
                    if tuple(r._mapping[c.name] for c in cols) not in before[table.name]
                ]
                if rows:
                    dst.execute(insert(table), rows)
                    copied += len(rows)
    finally:
        server.dispose()
        target.dispose()
    return copied, time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pg-host",
        default=os.environ.get("PCC_DESK_TEST_PG_HOST"),
        required="PCC_DESK_TEST_PG_HOST" not in os.environ,
        help="the server's socket folder or host name",
    )
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--letters", type=int, default=250)
    parser.add_argument("--asks", type=int, default=20)
    args = parser.parse_args(argv)
    os.environ["PCC_DESK_TEST_PG_HOST"] = args.pg_host  # read by the tests' helpers on import
    os.environ["PCC_DESK_TEST_PG_PORT"] = str(args.pg_port)
    os.environ["PCC_DESK_TEST_PG_USER"] = args.pg_user
    from support.sync_world import (  # after the server is named: they read it on import
        checkout_template,
        checkpointed,
        clerks_day,
        clone_database,
        drop_database,
        seed_team_register,
    )

    name = f"bench_sync_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = clone_database("template1", name)
        try:
            storage.migrate(storage.resolve_location(url))
            seed_team_register(url, folder / "seed", seed=1, size=60)
            laptop = checkout_template(url, folder / "laptop.sqlite3")

            with Desk.open(laptop) as desk:
                desk.user = "clerk"
                clerks_day(desk, seed=2, count=args.ops, side="laptop")
                since = sync.origin(desk).server_seq
                started = time.perf_counter()
                pushed = sync.sync(desk).pushed
                push_s = time.perf_counter() - started
            rows, bare_push_s = _bare_journal_copy(url, since)
            print(
                f"a day's work: {pushed} operations sent in {push_s:.2f} s "
                f"({push_s / max(pushed, 1) * 1000:.1f} ms each); bare copy of the same "
                f"{rows} journal rows {bare_push_s:.3f} s (x{push_s / bare_push_s:.0f})"
            )

            files = make_letter_corpus.make_corpus(folder / "corpus", args.letters, args.asks)
            with Desk.open(url) as server:
                server.user = "office"
                for path in files:
                    letter_import.commit(server, letter_import.preview(server, path))
                clerks_day(server, seed=3, count=args.ops, side="office")
            engine = storage.make_engine(storage.resolve_location(laptop))
            before = _keys(engine)
            engine.dispose()
            blank = shutil.copyfile(checkpointed(laptop), folder / "bare.sqlite3")
            with Desk.open(laptop) as desk:
                started = time.perf_counter()
                pulled = sync.sync(desk).pulled
                pull_s = time.perf_counter() - started
            engine = storage.make_engine(storage.resolve_location(laptop))
            after = _keys(engine)
            engine.dispose()
            changed = sum(len(after[t] - before[t]) for t in after)
            copied, bare_pull_s = _bare_rows_copy(url, before, blank)
            print(
                f"the office's work: {pulled} operations, {changed} new rows brought down in "
                f"{pull_s:.2f} s; bare copy of the same {copied} rows {bare_pull_s:.2f} s "
                f"(x{pull_s / bare_pull_s:.1f})"
            )
        finally:
            drop_database(name)
        shutil.rmtree(folder / "corpus", ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
