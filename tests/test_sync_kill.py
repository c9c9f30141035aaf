"""A sync killed (SIGKILL of its process) at 50 different points and run again gives the same result
as one never interrupted (issue 13), on a real PostgreSQL and real laptop files.

The sync passes a checkpoint before and after each row's transaction, inside it just before its
commit, between the push and the pull and around its last mark (``PCC_DESK_SYNC_KILL_AT=N``: the process kills itself at the Nth).
Each run forks a child (its own engines) that syncs until it kills itself; the test's process then
syncs again and compares the records, the journals and the marks with those of an uninterrupted
sync of the same two registers."""

from __future__ import annotations

import os
import signal

import pytest
from support.sync_world import (
    checkpointed,
    clerks_day,
    clone_database,
    drop_database,
    journal_and_mark,
    laptop_copy,
    records,
    seeded_template,
)

from pcc_desk.services import Desk, sync, sync_faults

pytestmark = [
    pytest.mark.backends("postgresql"),
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill runs in a forked child (POSIX)"),
]

KILL_POINTS = 50


def _state(url: str, laptop) -> tuple:
    """What a sync leaves: both registers' records, both journals (by id), the laptop's marks."""
    return records(url), records(laptop), journal_and_mark(url), journal_and_mark(laptop)


@pytest.fixture(scope="module")
def before(pg_server, tmp_path_factory):
    """A team register and a laptop copy, each with a day's work the other has not seen: the
    starting point of every run (a template database and a file)."""
    folder = tmp_path_factory.mktemp("sync-kill")
    template, url, laptop = seeded_template(folder, "kill", seed=31)
    with Desk.open(laptop) as desk:
        desk.user = "clerk"
        clerks_day(desk, seed=4, count=6, side="laptop")
    with Desk.open(url) as server:
        server.user = "office"
        clerks_day(server, seed=5, count=5, side="office")
    yield template, checkpointed(laptop), folder
    drop_database(template)
    drop_database(template + "_run")


def _fresh(before) -> tuple[str, object]:
    template, laptop, folder = before
    url = clone_database(template, template + "_run")
    return url, laptop_copy(laptop, folder / "run" / "laptop.sqlite3")


def _sync(laptop, url: str) -> None:
    with Desk.open(laptop) as desk:
        sync.sync(desk, url=url)


def _killed_at(point: int, laptop, url: str) -> None:
    pid = os.fork()
    if pid == 0:  # the child: its own engines, killed at the checkpoint
        code = 0
        try:
            os.environ[sync_faults.KILL_AT] = str(point)
            _sync(laptop, url)
        except BaseException:
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (point, status)


def test_a_sync_killed_at_50_points_and_run_again_ends_as_an_uninterrupted_one(before, monkeypatch):
    url, laptop = _fresh(before)
    monkeypatch.setenv(sync_faults.KILL_AT, str(10**9))  # counted, never reached
    _sync(laptop, url)
    total = sync_faults.checkpoints_passed()
    monkeypatch.delenv(sync_faults.KILL_AT)
    expected = _state(url, laptop)
    with Desk.open(laptop) as desk:
        assert sync.pending_count(desk) == 0 and sync.sync(desk, url=url).pulled == 0
    assert _state(url, laptop) == expected  # a second sync changes nothing
    assert total >= KILL_POINTS, total
    points = sorted({1 + (total - 1) * n // (KILL_POINTS - 1) for n in range(KILL_POINTS)})
    assert len(points) == KILL_POINTS
    for point in points:
        url, laptop = _fresh(before)
        _killed_at(point, laptop, url)
        _sync(laptop, url)
        assert _state(url, laptop) == expected, point
