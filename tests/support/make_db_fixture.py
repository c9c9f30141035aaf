"""Write tests/fixtures/db/register-<head>.sqlite3: a small register at the current schema.

Run once per schema revision (``python tests/support/make_db_fixture.py``) and commit the file: the tests
upgrade every stored old schema to the head and check the rows survive.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from pcc_desk import storage
from pcc_desk.model import Assessment, Position
from pcc_desk.services import Desk, register

target = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "db"
    / f"register-{storage.HEAD_REVISION}.sqlite3"
)
target.unlink(missing_ok=True)
with Desk.open(target) as desk:
    made = dt.date(2023, 3, 17)
    a = register.add_recommendation(
        desk, "Publish timescales", theme="Delivering the mission", made=made
    ).ref
    register.add_recommendation(desk, "Strengthen SNBs", theme="Neighbourhood policing", made=made)
    register.log_response(
        desk,
        a,
        received=dt.date(2023, 5, 2),
        position=Position.ACCEPTED,
        assessment=Assessment.ADDRESSED,
        text="We accept this.",
    )
conn = sqlite3.connect(target)
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.execute("PRAGMA journal_mode=DELETE")
conn.close()
print(target)
