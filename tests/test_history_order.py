"""A recommendation's history, ordered by time, runs link by link (each change starts where the one
before ended), even when a clerk's computer's clock runs behind a colleague's: the change is then
timed just after the latest one, and so are its journal row and the records it writes."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from sqlalchemy import select

from pcc_desk.model import (
    DueDateRevision,
    Operation,
    Position,
    Response,
    StatusChange,
    TargetDateRevision,
    utcnow,
)
from pcc_desk.model import Status as S
from pcc_desk.services import desk as desk_module
from pcc_desk.services import register

MADE = dt.date(2024, 3, 14)


def _links(rows, old: str, new: str) -> list[tuple]:
    return [(getattr(r, old), getattr(r, new)) for r in rows]


def _assert_linked(links: list[tuple]) -> None:
    for (_, before), (after_from, _) in itertools.pairwise(links):
        assert after_from == before, links


@pytest.mark.backends("sqlite", "postgresql")
def test_a_change_made_on_a_computer_whose_clock_runs_behind_follows_the_history(desk, monkeypatch):
    ref = register.add_recommendation(desk, "Publish the plan", made=MADE).ref
    register.change_status(desk, ref, S.FOLLOW_UP_NEEDED, "Chased")
    register.revise_due(desk, ref, dt.date(2024, 9, 1), "Asked for more time")
    register.revise_target(desk, ref, dt.date(2025, 1, 1), "The Met's plan")
    # another clerk, whose computer's clock is an hour behind
    monkeypatch.setattr(desk_module, "utcnow", lambda: utcnow() - dt.timedelta(hours=1))
    change = register.change_status(desk, ref, S.CLOSED_IMPLEMENTED, "Done")
    register.revise_due(desk, ref, dt.date(2024, 10, 1), "More time again")
    register.revise_target(desk, ref, dt.date(2025, 6, 1), "Put back")

    shown = register.get_recommendation(desk, ref)
    assert [(c.from_status, c.to_status) for c in shown.history] == [
        (None, S.AWAITING_RESPONSE),
        (S.AWAITING_RESPONSE, S.FOLLOW_UP_NEEDED),
        (S.FOLLOW_UP_NEEDED, S.CLOSED_IMPLEMENTED),
    ]
    assert shown.status is S.CLOSED_IMPLEMENTED and shown.history[-1].id == change.id
    times = [c.changed_at for c in shown.history]
    assert times == sorted(times) and len(set(times)) == 3
    assert [r.new_due for r in shown.due_revisions] == [dt.date(2024, 9, 1), dt.date(2024, 10, 1)]
    assert shown.due == dt.date(2024, 10, 1)
    assert [r.new_target for r in shown.target_revisions] == [
        dt.date(2025, 1, 1),
        dt.date(2025, 6, 1),
    ]
    assert shown.target == dt.date(2025, 6, 1)

    with desk.reading() as session:
        for model, old, new in (
            (StatusChange, "from_status", "to_status"),
            (DueDateRevision, "old_due", "new_due"),
            (TargetDateRevision, "old_target", "new_target"),
        ):
            rows = session.scalars(select(model).order_by(model.changed_at)).all()
            _assert_linked(_links(rows, old, new))
        moved = session.get(StatusChange, change.id)
        row = session.scalars(select(Operation).order_by(Operation.seq.desc())).all()[2]
    # the operation's journal row, and the record it wrote, carry the time it moved on to
    assert row.at == moved.changed_at == moved.created_at
    assert moved.changed_at > times[1]


def test_a_clock_in_step_times_a_change_as_before(desk):
    ref = register.add_recommendation(desk, "Publish the plan", made=MADE).ref
    before = utcnow()
    change = register.change_status(desk, ref, S.FOLLOW_UP_NEEDED, "Chased")
    assert before <= change.changed_at <= utcnow()
    with desk.reading() as session:
        row = session.scalars(select(Operation).order_by(Operation.seq.desc())).first()
    assert row.at == change.changed_at


@pytest.mark.backends("sqlite", "postgresql")
def test_everything_a_change_writes_carries_the_time_it_moved_on_to(desk, monkeypatch):
    """A response logged on a computer whose clock runs behind: the response, the status change it
    makes, its target revision and its journal row all carry one time, after the history's latest."""
    ref = register.add_recommendation(desk, "Publish the plan", made=MADE).ref
    first = register.change_status(desk, ref, S.FOLLOW_UP_NEEDED, "Chased")
    monkeypatch.setattr(desk_module, "utcnow", lambda: utcnow() - dt.timedelta(hours=1))
    logged = register.log_response(
        desk,
        ref,
        received=dt.date(2024, 5, 1),
        position=Position.ACCEPTED,
        text="Accepted",
        new_status=S.RESPONSE_RECEIVED,
        target=dt.date(2025, 1, 1),
    )
    with desk.reading() as session:
        resp = session.get(Response, logged.id)
        change = session.scalars(
            select(StatusChange).where(StatusChange.response_id == resp.id)
        ).one()
        target = session.scalars(select(TargetDateRevision)).one()
        row = session.scalars(select(Operation).order_by(Operation.seq.desc())).first()
    times = {resp.created_at, change.changed_at, change.created_at, target.changed_at, row.at}
    assert len(times) == 1 and times.pop() > first.changed_at
