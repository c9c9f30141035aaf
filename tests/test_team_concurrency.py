"""Eight clerks at once on one team register (PostgreSQL): 8 processes x 100 mixed operations (log a
response, change a status, edit a recommendation, edit one from the version shown, attach a quote,
quote words, import letters all of the same date), each with a login of its own, through the
services (tests/support/team_load.py).

Afterwards every operation is either done and in the journal (under its clerk's login), done with
nothing to change (the very same letter imported already, a quote attached already), or refused with
a typed one-line error; references are unique and each date's numbers run 01..N; the status history
was only ever appended to (snapshots taken during the run are all still there, unchanged, each
clerk's rows are the ones its journal rows say it created, and a clerk's login cannot UPDATE or
DELETE them); each recommendation's status is what its history says, link by link."""

from __future__ import annotations

import collections
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from support import team_load
from support.pg_support import PG_HOST, PG_PORT, PG_USER, pg_url

from pcc_desk.errors import NotAllowed
from pcc_desk.services import Desk, team

pytestmark = pytest.mark.slow

WORKERS, OPS = 8, 100
TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
# a refusal a clerk can meet when a colleague got there first: a typed error, worded for people
EXPECTED_REFUSALS = {"InvalidInput", "Conflict", "NotFound", "DuplicateImport", "VersionConflict"}


def _admin(dbname: str) -> psycopg.Connection:
    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=dbname, autocommit=True)


def _history(conn) -> dict[str, tuple]:
    return {
        str(row[0]): tuple(str(v) for v in row[1:])
        for row in conn.execute(
            "SELECT id, recommendation_id, from_status, to_status, changed_at, changed_by, note,"
            " response_id, created_at, updated_at FROM status_changes"
        )
    }


def _start_worker(i: int, url: str, common: dict, tmp: Path) -> tuple[subprocess.Popen, Path]:
    config = {
        **common,
        "url": url,
        "worker": i,
        "seed": 1000 + i,
        "ops": OPS,
        "folder": str(tmp / f"letters-{i}"),
        "barrier": str(tmp / "barrier"),  # all start their operations at the same moment
    }
    config_path, out = tmp / f"worker-{i}.json", tmp / f"outcomes-{i}.json"
    config_path.write_text(json.dumps(config))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(TESTS), str(REPO)])
    env["PCC_DESK_DATA_DIR"] = str(tmp / f"computer-{i}")  # each clerk at a computer of their own
    proc = subprocess.Popen(
        [sys.executable, "-m", "support.team_load", str(config_path), str(out)],
        cwd=REPO,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, out


def test_eight_clerks_at_once_lose_nothing_and_keep_the_history(pg_empty_database, tmp_path):
    name = pg_empty_database
    roles = team.init_team_register(pg_url(name))
    logins = [f"{name}_c{i}" for i in range(WORKERS)]
    with _admin(name) as conn:
        for login in logins:
            conn.execute(f'CREATE ROLE "{login}" LOGIN IN ROLE "{roles.clerk}"')
    with Desk.open(pg_url(name, user=logins[0])) as desk:
        common = team_load.prepare(desk, tmp_path / "shared")
    (tmp_path / "barrier").mkdir()
    with _admin(name) as conn:
        seeded_ops = conn.execute("SELECT count(*) FROM journal").fetchone()[0]

    # snapshots of the history while the clerks work: every row seen must stay, unchanged
    snapshots: list[dict[str, tuple]] = []
    running = threading.Event()
    running.set()

    def watch() -> None:
        with _admin(name) as conn:
            while running.is_set():
                snapshots.append(_history(conn))
                time.sleep(0.5)

    watcher = threading.Thread(target=watch)
    watcher.start()
    began = time.perf_counter()
    try:
        started = [
            _start_worker(i, pg_url(name, user=logins[i]), common, tmp_path) for i in range(WORKERS)
        ]
        team_load.release(tmp_path / "barrier", WORKERS)
        for proc, _ in started:
            _, stderr = proc.communicate(timeout=300)
            assert proc.returncode == 0, stderr[-3000:]
    finally:
        running.clear()
        watcher.join()
    elapsed = time.perf_counter() - began
    outcomes = {
        logins[i]: [team_load.Outcome(**o) for o in json.loads(out.read_text())["outcomes"]]
        for i, (_, out) in enumerate(started)
    }

    every = [o for done in outcomes.values() for o in done]
    assert len(every) == WORKERS * OPS
    tally = collections.Counter((o.kind, o.outcome, o.error) for o in every)
    print(f"{WORKERS} clerks x {OPS} operations in {elapsed:.1f} s:", sorted(tally.items()))
    errors = collections.Counter(
        (o.kind, o.error, o.message.splitlines()[0][:150]) for o in every if o.outcome == "error"
    )
    assert not errors, errors.most_common()
    refusals = collections.Counter((o.kind, o.error) for o in every if o.outcome == "refused")
    assert {error for _, error in refusals} <= EXPECTED_REFUSALS, refusals
    for o in every:
        if o.outcome == "refused":
            assert o.message and "\n" not in o.message, o
    # a record changed under a clerk only when the clerk saved from a version shown earlier: every
    # other change locks what it changes first
    assert {kind for kind, error in refusals if error == "VersionConflict"} <= {"edit-versions"}
    kinds_done = collections.Counter(o.kind for o in every if o.outcome == "done")
    assert set(kinds_done) == set(team_load.KINDS), kinds_done  # the mix really ran

    with _admin(name) as conn:
        journal = {
            str(row[0]): (row[1], row[2])
            for row in conn.execute("SELECT id, actor, records FROM journal")
        }
        seqs = sorted(seq for (seq,) in conn.execute("SELECT seq FROM journal"))
        history = _history(conn)
        refs = [ref for (ref,) in conn.execute("SELECT ref FROM recommendations")]
        statuses = {
            str(rid): status
            for rid, status in conn.execute("SELECT id, status FROM recommendations")
        }
        chains = collections.defaultdict(list)
        for rid, old, new in conn.execute(
            "SELECT recommendation_id, from_status, to_status FROM status_changes"
            " ORDER BY changed_at, created_at"
        ):
            chains[str(rid)].append((old, new))
        quote_spans = conn.execute(
            'SELECT segment_id, start, "end", count(*) FROM quotes'
            ' GROUP BY segment_id, start, "end" HAVING count(*) > 1'
        ).fetchall()
        theme_names = conn.execute(
            "SELECT lower(name), count(*) FROM themes GROUP BY lower(name) HAVING count(*) > 1"
        ).fetchall()

    # every operation done is in the journal, under its clerk's login; nothing else is there
    done_rows: dict[str, str] = {}
    for login, done in outcomes.items():
        for o in done:
            if o.outcome == "done":
                assert len(o.journal) == 1, o
                done_rows[o.journal[0]] = login
            else:
                assert o.journal == [], o
    assert len(journal) == seeded_ops + len(done_rows)
    for op_id, login in done_rows.items():
        assert journal[op_id][0] == login
    assert seqs == list(range(1, len(seqs) + 1))  # one number each, none lost

    # references unique, and each date's numbers 01..N with no gap
    assert len(refs) == len(set(refs))
    by_day = collections.defaultdict(list)
    for ref in refs:
        day, number = re.fullmatch(r"PCC-(\d{4}-\d\d-\d\d)/(\d+)", ref).groups()
        by_day[day].append(int(number))
    for day, numbers in by_day.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), day
    imported = [r for o in every if o.kind == "import" and o.outcome == "done" for r in o.refs]
    assert len(imported) == len(set(imported)) and set(imported) <= set(refs)

    # the history only grew: every row seen during the run is still there, unchanged
    assert len(snapshots) >= 2
    for snapshot in snapshots:
        assert {k: history[k] for k in snapshot if k in history} == snapshot
        assert set(snapshot) <= set(history)
    # ... and each clerk's rows are exactly those its journal rows say it created
    created = collections.Counter()
    for op_id, login in done_rows.items():
        records = journal[op_id][1]
        created[login] += sum(
            1 for r in records if r["kind"] == "status_change" and r["role"] == "created"
        )
    written = collections.Counter(row[4] for row in history.values())
    for login in logins[1:]:  # the first also seeded the register
        assert written[login] == created[login], login
    assert sum(created.values()) > 0

    # each status is what its history says, and each change starts where the one before ended
    for rid, status in statuses.items():
        chain = chains[rid]
        assert chain[0][0] is None
        for (_, before), (after_from, _) in itertools.pairwise(chain):
            assert after_from == before, (rid, chain)
        assert chain[-1][1] == status, (rid, chain, status)

    # one quote per span, one theme per name (whatever the case)
    assert quote_spans == [] and theme_names == []

    # a clerk's login cannot rewrite the history
    with Desk.open(pg_url(name, user=logins[3])) as desk:
        for statement in ("UPDATE status_changes SET note = 'x'", "DELETE FROM status_changes"):
            with pytest.raises(NotAllowed), desk.engine.begin() as conn:
                conn.exec_driver_sql(statement)
    with _admin(name) as conn:
        assert _history(conn) == history
