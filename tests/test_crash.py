"""Kill the app while it saves, at many random points: the register is always sound and every use case
is all-or-nothing.

A child process loops over ``add_recommendation`` + ``log_response`` (and takes a backup now and
then); the test SIGKILLs it after a random, seeded delay, then checks the file with ``PRAGMA
quick_check``, opens it as the app would, and checks that each recommendation has exactly the rows
its completed use cases write. (The import variant joins when the importers land: add a writer to
WRITERS.)
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pcc_desk import backup, storage
from pcc_desk.services import Desk, register

REPO = Path(__file__).resolve().parent.parent
KILLS = 12
SEED = 20260317

REGISTER_WRITER = r"""
import datetime as dt, sys
from pcc_desk import backup
from pcc_desk.model import Assessment, Position
from pcc_desk.services import Desk, register

desk = Desk.open(sys.argv[1])
i = int(sys.argv[2])
print("ready", flush=True)
while True:
    rec = register.add_recommendation(desk, f"Crash test {i} " + "words " * 50, theme=f"Theme {i % 4}",
                                      made=dt.date(2024, 1, 1))
    register.log_response(desk, rec.ref, received=dt.date(2024, 2, 1), position=Position.ACCEPTED,
                          assessment=Assessment.NOT_ADDRESSED, text=f"Response {i} " + "text " * 80)
    if i % 9 == 0:
        backup.take_backup(desk.location, "auto")
    i += 1
"""

WRITERS = {"register": REGISTER_WRITER}


def _check_register(path: Path) -> int:
    """quick_check, then all-or-nothing per recommendation. Returns how many recommendations exist."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = conn.execute(
            "SELECT r.ref, r.status,"
            " (SELECT count(*) FROM responses x WHERE x.recommendation_id = r.id),"
            " (SELECT count(*) FROM status_changes c WHERE c.recommendation_id = r.id)"
            " FROM recommendations r"
        ).fetchall()
        orphans = conn.execute(
            "SELECT count(*) FROM responses WHERE recommendation_id NOT IN (SELECT id FROM recommendations)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert orphans == 0
    for ref, status, responses, changes in rows:
        if responses == 0:  # the response's transaction never committed: nothing of it is there
            assert (status, changes) == ("awaiting-response", 1), ref
        else:  # it committed: the response, its status change and the new status together
            assert (responses, status, changes) == (1, "follow-up-needed", 2), ref
    return len(rows)


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_killing_the_app_mid_save_never_damages_the_register(db_path, writer):
    rng = random.Random(SEED)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    counts = []
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", WRITERS[writer], str(db_path), str(1000 * (kill + 1))],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        try:
            assert child.stdout.readline().strip() == "ready", child.stderr.read()
            time.sleep(rng.uniform(0.0, 0.5))
            assert child.poll() is None, child.stderr.read()
            child.send_signal(signal.SIGKILL)
        finally:
            child.kill()
            child.wait()
            child.stdout.close()
            child.stderr.close()
        # the app's own open path must not call a killed-mid-write register damaged
        storage.check_health(db_path)
        counts.append(_check_register(db_path))
        with Desk.open(db_path) as desk:
            assert len(register.list_recommendations(desk)) == counts[-1]
    assert counts[-1] > 0 and len(set(counts)) > 1, "the child really wrote between kills"
    location = storage.resolve_location(db_path)
    for info in backup.list_backups(location):
        assert storage.quick_check(info.path), info.path.name
