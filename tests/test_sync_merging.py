"""Merging cases the sync's state machine (tests/test_sync_properties.py) found, kept as plain tests
on a real PostgreSQL and real laptop files: each failed before its fix."""

from __future__ import annotations

import datetime as dt

import pytest
from support.sync_world import history_ids, records, seed_team_register

from pcc_desk.services import Desk, register, sync
from pcc_desk.vocabulary import Assessment, Position, RecordKind

pytestmark = pytest.mark.backends("postgresql")


@pytest.fixture
def seeded(pg_register, tmp_path):
    seed_team_register(pg_register, tmp_path / "seed", seed=5, size=3)
    return pg_register


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            (Position.ACCEPTED, Assessment.NOT_YET_ASSESSED),
            (Position.ACCEPTED, Assessment.ADDRESSED),
        ),
        (
            (Position.NOT_ACCEPTED, Assessment.NOT_ADDRESSED),
            (Position.OTHER, Assessment.NOT_YET_ASSESSED),
        ),
        ((Position.PARTLY_ACCEPTED, Assessment.PARTLY_ADDRESSED),) * 2,
    ],
)
def test_responses_logged_on_two_laptops_keep_both_status_changes_everywhere(
    seeded, tmp_path, first, second
):
    """Each laptop's response moved the status there (a status change each); on the server the
    second found the status moved already. Both changes must be in every history, the same rows."""
    laptops = [tmp_path / f"laptop-{n}.sqlite3" for n in (1, 2)]
    for laptop in laptops:
        sync.checkout(seeded, laptop)
    made = []
    for n, (laptop, (position, assessment)) in enumerate(
        zip(laptops, (first, second), strict=True)
    ):
        with Desk.open(laptop) as desk:
            ref = register.list_recommendations(desk)[0].ref
            register.log_response(
                desk,
                ref,
                received=dt.date(2025, 10, 1 + n),
                position=position,
                assessment=assessment,
                text=f"Response {n} on laptop {n}",
            )
            made.append(history_ids(desk)[RecordKind.STATUS_CHANGE])
    for laptop in [*laptops, laptops[0]]:
        with Desk.open(laptop) as desk:
            sync.sync(desk)
    with Desk.open(seeded) as server:
        there = history_ids(server)[RecordKind.STATUS_CHANGE]
        history = register.history(server, ref)
        assert set().union(*made) <= there
        latest = max(history, key=lambda h: (h.changed_at, h.id.hex))
        assert register.get_recommendation(server, ref).status == latest.to_status
    for laptop in laptops:  # the same rows everywhere, each change's starting status too
        assert records(laptop) == records(seeded)
