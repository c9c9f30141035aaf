"""The register's services against a real SQLite file and a real team register (PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from pcc_desk.errors import InvalidInput, NotFound
from pcc_desk.model import Assessment, Implementation, Position, Status
from pcc_desk.services import Desk, register
from pcc_desk.services.register import RecommendationFilter

MADE = dt.date(2023, 3, 17)
pytestmark = pytest.mark.backends("sqlite", "postgresql")


def test_added_recommendation_gets_dated_reference_and_two_month_due(desk):
    first = register.add_recommendation(
        desk, "Publish timescales", theme="Delivering the mission", made=MADE
    )
    second = register.add_recommendation(desk, "Strengthen SNBs", made=MADE)
    assert first.ref == "PCC-2023-03-17/01"
    assert second.ref == "PCC-2023-03-17/02"
    assert first.due == dt.date(2023, 5, 17)
    assert first.status is Status.AWAITING_RESPONSE
    assert first.theme == "Delivering the mission"


def test_due_date_clamps_to_month_end():
    assert register.add_months(dt.date(2023, 12, 31), 2) == dt.date(2024, 2, 29)
    assert register.add_months(dt.date(2023, 10, 31), 2) == dt.date(2023, 12, 31)
    assert register.add_months(dt.date(2023, 11, 30), 2) == dt.date(2024, 1, 30)


def test_rows_survive_reopening_the_file(register_db):
    with Desk.open(register_db) as d:
        ref = register.add_recommendation(d, "Ask", made=MADE).ref
    with Desk.open(register_db) as d:
        assert register.get_recommendation(d, ref).text == "Ask"


def test_empty_text_is_refused_and_nothing_written(desk):
    with pytest.raises(InvalidInput):
        register.add_recommendation(desk, "   ", made=MADE)
    assert register.list_recommendations(desk) == []


def test_logging_a_response_moves_status_and_writes_audit_in_one_go(desk):
    ref = register.add_recommendation(desk, "Ask", made=MADE).ref
    register.log_response(
        desk,
        ref,
        received=dt.date(2023, 5, 2),
        position=Position.ACCEPTED,
        implementation=Implementation.IN_PROGRESS,
        assessment=Assessment.PARTLY_ADDRESSED,
        text="We accept and are working on it.",
        from_whom="Sir Mark Rowley",
    )
    detail = register.get_recommendation(desk, ref)
    assert detail.status is Status.FOLLOW_UP_NEEDED
    assert [c.to_status for c in detail.history] == [
        Status.AWAITING_RESPONSE,
        Status.FOLLOW_UP_NEEDED,
    ]
    assert detail.history[-1].from_status is Status.AWAITING_RESPONSE
    (resp,) = detail.responses
    # acceptance and implementation are kept apart
    assert resp.position is Position.ACCEPTED and resp.implementation is Implementation.IN_PROGRESS
    assert detail.latest_assessment is Assessment.PARTLY_ADDRESSED


def test_response_with_explicit_status(desk):
    ref = register.add_recommendation(desk, "Ask", made=MADE).ref
    register.log_response(
        desk,
        ref,
        received=dt.date(2023, 4, 1),
        position=Position.NOT_ACCEPTED,
        text="No.",
        new_status=Status.CLOSED_NOT_ACCEPTED,
        note="Met declined",
    )
    detail = register.get_recommendation(desk, ref)
    assert detail.status is Status.CLOSED_NOT_ACCEPTED
    assert detail.history[-1].note == "Met declined"


def test_response_in_the_future_or_before_made_is_refused(desk):
    ref = register.add_recommendation(desk, "Ask", made=MADE).ref
    with pytest.raises(InvalidInput, match="future"):
        register.log_response(
            desk,
            ref,
            received=dt.date.today() + dt.timedelta(days=1),
            position=Position.ACCEPTED,
            text="x",
        )
    with pytest.raises(InvalidInput, match="before"):
        register.log_response(
            desk, ref, received=dt.date(2023, 1, 1), position=Position.ACCEPTED, text="x"
        )
    detail = register.get_recommendation(desk, ref)
    assert detail.responses == () and len(detail.history) == 1


def test_failed_write_rolls_back_everything(desk, monkeypatch):
    ref = register.add_recommendation(desk, "Ask", made=MADE).ref

    def explode(*a, **k):
        raise RuntimeError("disk gone")

    monkeypatch.setattr(register.responses, "record_status", explode)
    with pytest.raises(RuntimeError):
        register.log_response(
            desk,
            ref,
            received=dt.date(2023, 4, 1),
            position=Position.ACCEPTED,
            text="Yes",
            assessment=Assessment.NOT_ADDRESSED,
        )
    detail = register.get_recommendation(desk, ref)
    assert detail.responses == ()  # the response row went with the failed status change
    assert detail.status is Status.AWAITING_RESPONSE


def test_status_history_is_append_only_and_ordered(desk):
    ref = register.add_recommendation(desk, "Ask", made=MADE).ref
    register.change_status(desk, ref, Status.FOLLOW_UP_NEEDED, "chased")
    register.change_status(desk, ref, Status.SUPERSEDED, "replaced by new letter")
    history = register.history(desk, ref)
    assert [(c.from_status, c.to_status) for c in history] == [
        (None, Status.AWAITING_RESPONSE),
        (Status.AWAITING_RESPONSE, Status.FOLLOW_UP_NEEDED),
        (Status.FOLLOW_UP_NEEDED, Status.SUPERSEDED),
    ]
    with pytest.raises(InvalidInput):
        register.change_status(desk, ref, Status.SUPERSEDED, "again")
    with pytest.raises(InvalidInput):
        register.change_status(desk, ref, Status.CLOSED_IMPLEMENTED, "  ")


def test_due_date_revisions_keep_the_original(desk):
    ref = register.add_recommendation(desk, "Ask", made=MADE).ref
    register.revise_due(desk, ref, dt.date(2023, 6, 30), "Met asked for more time")
    register.revise_due(desk, ref, dt.date(2023, 7, 31), "Second extension")
    detail = register.get_recommendation(desk, ref)
    assert detail.original_due == dt.date(2023, 5, 17)
    assert detail.due == dt.date(2023, 7, 31)
    assert [(r.old_due, r.new_due, r.reason) for r in detail.due_revisions] == [
        (dt.date(2023, 5, 17), dt.date(2023, 6, 30), "Met asked for more time"),
        (dt.date(2023, 6, 30), dt.date(2023, 7, 31), "Second extension"),
    ]
    with pytest.raises(InvalidInput):
        register.revise_due(desk, ref, dt.date(2023, 1, 1), "before made")


def test_overdue_uses_latest_due_and_only_awaiting(desk):
    a = register.add_recommendation(desk, "A", made=MADE).ref
    b = register.add_recommendation(desk, "B", made=MADE).ref
    c = register.add_recommendation(desk, "C", made=MADE).ref
    register.revise_due(desk, b, dt.date(2023, 12, 31), "extension")
    register.log_response(
        desk, c, received=dt.date(2023, 4, 1), position=Position.ACCEPTED, text="ok"
    )
    on = dt.date(2023, 6, 1)
    assert [r.ref for r in register.overdue(desk, on)] == [a]
    assert {r.ref for r in register.overdue(desk, dt.date(2024, 1, 1))} == {a, b}


def test_filters(desk):
    register.add_recommendation(
        desk,
        "Neighbourhood ask",
        theme="Neighbourhood policing",
        addressee="Sir Mark Rowley",
        made=MADE,
    )
    register.add_recommendation(
        desk, "MOPAC ask", theme="Reducing crime", addressee="MOPAC", made=dt.date(2024, 1, 5)
    )
    ref = register.add_recommendation(
        desk, "Third", theme="Reducing crime", made=dt.date(2024, 2, 1)
    ).ref
    register.change_status(desk, ref, Status.FOLLOW_UP_NEEDED, "n")
    texts = lambda f: [r.text for r in register.list_recommendations(desk, f)]  # noqa: E731
    assert texts(RecommendationFilter(theme="reducing crime")) == ["MOPAC ask", "Third"]
    assert texts(RecommendationFilter(addressee="mark")) == ["Neighbourhood ask"]
    assert texts(RecommendationFilter(statuses=(Status.FOLLOW_UP_NEEDED,))) == ["Third"]
    assert texts(
        RecommendationFilter(made_from=dt.date(2024, 1, 1), made_to=dt.date(2024, 1, 31))
    ) == ["MOPAC ask"]
    assert texts(RecommendationFilter(text="100%_")) == []  # LIKE wildcards are literal
    assert register.list_themes(desk) == ["Neighbourhood policing", "Reducing crime"]


def test_edit_and_unknown_reference(desk):
    ref = register.add_recommendation(desk, "Ask", made=MADE).ref
    detail = register.edit_recommendation(
        desk, ref, text="Better ask", theme="New theme", notes="n"
    )
    assert (detail.text, detail.theme, detail.notes) == ("Better ask", "New theme", "n")
    with pytest.raises(NotFound):
        register.get_recommendation(desk, "PCC-1999-01-01/01")
    with pytest.raises(InvalidInput):
        register.edit_recommendation(desk, ref, status="closed")


def test_every_row_has_uuid_and_timestamps(desk):
    before = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    added = register.add_recommendation(desk, "Ask", made=MADE)
    with desk.engine.begin() as conn:
        rid, created, updated = conn.exec_driver_sql(
            "SELECT id, created_at, updated_at FROM recommendations"
        ).one()
        # a row written without the model (the server's own default) is in UTC too, whatever the
        # server's time zone (the tests' PostgreSQL runs in Asia/Kolkata)
        conn.exec_driver_sql(
            "INSERT INTO themes (id, name, ordinal) VALUES "
            + (
                "('00000000000000000000000000000001', 'T', 0)"
                if desk.location.path
                else "('00000000-0000-0000-0000-000000000001', 'T', 0)"
            )
        )
        server_default = conn.exec_driver_sql("SELECT created_at FROM themes").scalar()
    if isinstance(created, str):  # SQLite hands back text
        created, updated = map(dt.datetime.fromisoformat, (created, updated))
        server_default = dt.datetime.fromisoformat(server_default)
    assert str(rid).replace("-", "") == added.id.hex
    after = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=1)
    assert before <= created <= after and before <= updated <= after
    assert before <= server_default <= after
