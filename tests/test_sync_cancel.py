"""A sync the clerk cancels stops between two rows (each row is a transaction of its own), says so in
one line, and keeps what it sent or brought down; the next sync finishes the work, ending exactly as
an uninterrupted one does. Cancelled at generated points of the push and of the pull."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from support.sync_support import records
from support.undo_samples import WORDS

from pcc_desk.errors import Cancelled
from pcc_desk.model import Operation
from pcc_desk.services import Desk, offline, register, sync
from pcc_desk.vocabulary import Status

pytestmark = pytest.mark.backends("postgresql")


def _asks(desk: Desk, rng: random.Random, n: int, who: str) -> list[str]:
    return [
        register.add_recommendation(
            desk,
            f"{who}: the Met should " + " ".join(rng.sample(WORDS, 6)),
            theme=rng.choice(["Trust", "Custody"]),
            made=dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 300)),
        ).ref
        for _ in range(n)
    ]


def _journal(where: str | Path) -> set[uuid.UUID]:
    with Desk.open(where) as desk, desk.reading() as session:
        return set(session.scalars(select(Operation.id)))


class CancelAt:
    """Cancels at the ``at``-th checkpoint the sync passes (counted from 1)."""

    def __init__(self, at: int) -> None:
        self.at, self.passed = at, 0

    def __call__(self) -> None:
        self.passed += 1
        if self.passed >= self.at:
            raise Cancelled("Cancelled; nothing was saved.")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_cancelled_sync_keeps_what_it_did_and_the_next_one_finishes(pg_register, tmp_path, seed):
    rng = random.Random(seed)
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(pg_register, laptop)
    with Desk.open(pg_register) as server:  # a colleague's work to bring down
        theirs = _asks(server, rng, 4, "office")
        register.change_status(server, theirs[0], Status.FOLLOW_UP_NEEDED, "Chased")
    with Desk.open(laptop) as desk:  # and the laptop's to send
        mine = _asks(desk, rng, 4, "laptop")
        register.edit_recommendation(desk, mine[1], notes=f"offline notes {seed}")
        pending = sync.pending_count(desk)
        at = rng.randint(2, 2 * (pending + 5))  # somewhere in the push or the pull
        cancel = CancelAt(at)
        with pytest.raises(Cancelled) as stopped:
            offline.sync_now(desk, cancel=cancel)
        assert "Sync stopped" in str(stopped.value) and "\n" not in str(stopped.value)
        assert cancel.passed == at  # it stopped at that checkpoint, not later
        # what it sent or brought down is not counted as waiting: only the laptop's rows not there
        assert sync.pending_count(desk) == len(_journal(laptop) - _journal(pg_register)) <= pending
        done = offline.sync_now(desk)  # the next sync finishes the work
        assert done.pending == 0
    assert records(pg_register) == records(laptop)
    with Desk.open(pg_register) as server:
        texts = {r.text for r in register.list_recommendations(server)}
    assert sum(t.startswith("laptop:") for t in texts) == 4  # each sent once, none lost


@pytest.mark.parametrize("at", [1, 3, 6])
def test_a_change_made_on_the_laptop_while_it_syncs_is_sent_by_the_next_sync(
    pg_register, tmp_path, at
):
    """The desktop syncs off the screen's thread: the clerk may record something meanwhile. It is not
    counted as sent until it is."""
    rng = random.Random(at)
    laptop = tmp_path / "laptop.sqlite3"
    sync.checkout(pg_register, laptop)
    with Desk.open(pg_register) as server:
        _asks(server, rng, 3, "office")
    made: list[str] = []
    typed: list[str] = []

    def meanwhile() -> None:  # at the at-th and the next but one, from another window on the file
        made.append("x")
        if len(made) in (at, at + 2):
            with Desk.open(laptop) as other:
                typed.append(f"typed while syncing {len(made)}")
                register.add_recommendation(other, typed[-1], theme="Trust")

    with Desk.open(laptop) as desk:
        _asks(desk, rng, 2, "laptop")
        offline.sync_now(desk, cancel=meanwhile)
        assert len(made) >= at
        # not counted as sent, and counted alone: what was brought down or sent after it is not
        assert typed and sync.pending_count(desk) == len(typed)
        assert offline.unsettled_work(laptop) == offline.Unsettled(len(typed))  # (to be replaced)
        offline.sync_now(desk)
        assert sync.pending_count(desk) == 0
        assert not offline.unsettled_work(laptop)
    with Desk.open(pg_register) as server:
        texts = [r.text for r in register.list_recommendations(server)]
    assert all(texts.count(text) == 1 for text in typed)
    assert records(pg_register) == records(laptop)
