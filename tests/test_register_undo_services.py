"""Service calls the workbench's undo uses: removing a logged response keeps the history append-only."""

from __future__ import annotations

import datetime as dt

import pytest

from pcc_desk.errors import NotFound
from pcc_desk.model import Assessment, Position, Status
from pcc_desk.services import register

# a laptop's file and a team register (PostgreSQL)
pytestmark = pytest.mark.backends("sqlite", "postgresql")

MADE = dt.date(2023, 3, 17)


def test_removing_a_response_appends_a_reverting_status_change(desk):
    ref = register.add_recommendation(desk, "Publish timescales", made=MADE).ref
    resp = register.log_response(
        desk,
        ref,
        received=dt.date(2023, 5, 2),
        position=Position.PARTLY_ACCEPTED,
        assessment=Assessment.NOT_ADDRESSED,
        text="We will consider it.",
    )
    assert register.get_recommendation(desk, ref).status is Status.FOLLOW_UP_NEEDED
    register.remove_response(desk, resp.id)
    detail = register.get_recommendation(desk, ref)
    assert detail.responses == ()
    assert detail.status is Status.AWAITING_RESPONSE
    assert [c.to_status for c in detail.history] == [
        Status.AWAITING_RESPONSE,
        Status.FOLLOW_UP_NEEDED,
        Status.AWAITING_RESPONSE,
    ]
    assert "removed" in detail.history[-1].note


def test_removing_a_response_leaves_a_later_status_decision_alone(desk):
    ref = register.add_recommendation(desk, "Publish timescales", made=MADE).ref
    resp = register.log_response(
        desk,
        ref,
        received=dt.date(2023, 5, 2),
        position=Position.ACCEPTED,
        assessment=Assessment.ADDRESSED,
        text="Done.",
    )
    register.change_status(desk, ref, Status.CLOSED_IMPLEMENTED, "Verified")
    register.remove_response(desk, resp.id)
    detail = register.get_recommendation(desk, ref)
    assert detail.status is Status.CLOSED_IMPLEMENTED
    assert len(detail.history) == 3


def test_removing_an_unknown_response_is_not_found(desk):
    import uuid

    with pytest.raises(NotFound):
        register.remove_response(desk, uuid.uuid4())


def test_summaries_for_returns_only_the_named_rows(desk):
    a = register.add_recommendation(desk, "One", made=MADE).ref
    register.add_recommendation(desk, "Two", made=MADE)
    assert [r.ref for r in register.summaries_for(desk, [a, a])] == [a]
    assert register.summaries_for(desk, []) == []


def test_register_rows_match_list_recommendations(desk):
    a = register.add_recommendation(desk, "One", theme="Theme", made=MADE).ref
    register.add_recommendation(desk, "Two", made=MADE)
    register.log_response(
        desk,
        a,
        received=dt.date(2023, 4, 1),
        position=Position.NOT_ACCEPTED,
        assessment=Assessment.NOT_ADDRESSED,
        text="No.",
    )
    register.log_response(
        desk,
        a,
        received=dt.date(2023, 5, 1),
        position=Position.ACCEPTED,
        assessment=Assessment.ADDRESSED,
        text="Yes after all.",
    )
    assert register.register_rows(desk) == register.list_recommendations(desk)
    assert register.register_rows(desk)[0].latest_assessment is Assessment.ADDRESSED
