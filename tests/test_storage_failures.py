"""A write the disk refuses (full, read-only) is one line for the clerk, and nothing is saved."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from pcc_desk.errors import StorageFailed
from pcc_desk.services import Desk, register


def test_a_full_disk_is_one_clear_line_and_nothing_is_saved(db_path):
    with Desk.open(db_path) as desk:
        register.add_recommendation(desk, "Saved before the disk filled")
        desk.engine.dispose()

        @event.listens_for(desk.engine, "connect")
        def _small_disk(dbapi_connection, _record):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(
                f"PRAGMA max_page_count = {pages + 1}"
            )  # as if the disk were full

        with pytest.raises(StorageFailed) as info:
            register.add_recommendation(desk, "Too big to fit " * 5000)
        message = str(info.value)
        assert "disk is full" in message and "Nothing of this change was saved" in message
        assert "\n" not in message and "Too big" not in message
        assert [r.text for r in register.list_recommendations(desk)] == [
            "Saved before the disk filled"
        ]


def test_other_database_errors_are_left_as_they_are(desk):
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    with pytest.raises(OperationalError), desk.transaction() as session:
        session.execute(text("SELECT * FROM no_such_table"))


def test_a_read_only_register_is_one_clear_line(db_path):
    with Desk.open(db_path) as desk:
        desk.engine.dispose()

        @event.listens_for(desk.engine, "connect")
        def _read_only(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA query_only = ON")

        with pytest.raises(StorageFailed, match="read-only"):
            register.add_recommendation(desk, "Cannot be written")
