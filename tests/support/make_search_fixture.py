"""Write tests/fixtures/db/search-<head>.sqlite3: a register with transcripts, a letter and a response.

``register-*.sqlite3`` (``make_db_fixture.py``) hold two recommendations; this one holds what search
indexes (speaker turns with names and roles, a meeting's title, recommendations imported from a letter
with its sender and recipient, a response), so that a test can upgrade a real database of an old search
index to the head and search it by name. Run it with the version that made the schema, once:

    PYTHONPATH=<checkout of that version> python tests/support/make_search_fixture.py
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the support package

from pcc_desk import storage
from pcc_desk.model import Assessment, Position
from pcc_desk.services import Desk, letter_import, register, transcripts
from support.transcript_samples import UK_TEXT, write_la_txt

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_LETTER = ROOT / "resources" / "samples" / "pcc-letter-2023-03-17-turnaround-plan.md"

target = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "db"
    / f"search-{storage.HEAD_REVISION}.sqlite3"
)
tmp = tempfile.TemporaryDirectory()
folder = Path(tmp.name)
made = folder / "register.sqlite3"  # its files folder is made beside it, not among the fixtures
with Desk.open(made) as desk:
    transcripts.import_transcript(desk, write_la_txt(folder))
    (folder / "hac.txt").write_text(UK_TEXT, encoding="utf-8")
    transcripts.import_transcript(desk, folder / "hac.txt")
    result = letter_import.commit(desk, letter_import.preview(desk, SAMPLE_LETTER))
    register.log_response(
        desk,
        result.refs[0],
        received=dt.date(2023, 5, 2),
        position=Position.ACCEPTED,
        assessment=Assessment.ADDRESSED,
        text="We accept this and will publish the timescales.",
        from_whom="Sir Mark Rowley",
    )
    register.add_recommendation(
        desk,
        "Report vetting figures every quarter",
        addressee="Sophie Linden",
        made=dt.date(2023, 6, 1),
    )
conn = sqlite3.connect(made)
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.execute("PRAGMA journal_mode=DELETE")
conn.execute("VACUUM")
conn.close()
shutil.copyfile(made, target)
tmp.cleanup()
print(target)
