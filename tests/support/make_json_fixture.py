"""Write tests/fixtures/db/json-<head>.sqlite3: a register whose JSON is kept in TEXT columns.

Made at schema 0004, the last whose ``documents.cc``, ``footnotes.urls`` and ``settings.value`` are
TEXT holding JSON (written and decoded by hand) and whose order numbers are named ``position``. It
holds the sample letter imported (footnotes with URLs, a cc list), a transcript, the Committee's
details saved, generated letters whose cc lists and footnote URLs hold quotes, backslashes, commas,
non-Latin text and emoji, and values older versions could leave behind: an empty cc, empty and damaged
URL lists, a JSON string where a list belongs. ``tests/test_json_columns.py`` upgrades a copy to the
head and checks every value arrives as the typed value the TEXT held. Run it with the version that
made the schema, once:

    PYTHONPATH=<checkout of that version> python tests/support/make_json_fixture.py
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
import shutil
import sqlite3
import tempfile
from pathlib import Path

from pcc_desk import storage
from pcc_desk.model import Document, DocumentKind, Footnote
from pcc_desk.services import Desk, letter_import, settings, transcripts
from support.transcript_samples import write_la_txt

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_LETTER = ROOT / "resources" / "samples" / "pcc-letter-2023-03-17-turnaround-plan.md"
PIECES = [
    "Sophie Linden",
    "Deputy Mayor for Policing and Crime",
    'The "Chief" Officer',
    "C:\\Users\\clerk",
    "Ní Bhriain, Léonie",
    "Дмитрий",
    "王小明",
    "🚓 Met",
    "a; b",
    "",
]
URLS = [
    "https://www.london.gov.uk/moderngov/ieListDocuments.aspx?CId=240&MId=7077",
    "https://example.org/päth?q=a%20b&x=“quoted”",
    "http://data.police.uk/api/crimes-street/all-crime?lat=51.5&lng=-0.1",
    "https://www.met.police.uk/turnaround-plan",
]

target = (
    Path(__file__).resolve().parents[1]
    / "fixtures"
    / "db"
    / f"json-{storage.HEAD_REVISION}.sqlite3"
)
tmp = tempfile.TemporaryDirectory()
folder = Path(tmp.name)
made = folder / "register.sqlite3"
rng = random.Random(11)
with Desk.open(made) as desk:
    letter_import.commit(desk, letter_import.preview(desk, SAMPLE_LETTER))
    transcripts.import_transcript(desk, write_la_txt(folder))
    current = settings.get_settings(desk)
    settings.save_settings(
        desk,
        dataclasses.replace(
            current,
            chair="Léonie Ní Bhriain AM",
            default_cc=("Дмитрий, Role", 'The "Chief", \\ Officer'),
            wording={"sign_off": "Yours faithfully, 🚓"},
        ),
    )
    with desk.transaction() as session:
        for n in range(6):
            cc = [rng.choice(PIECES) for _ in range(rng.randint(0, 4))]
            doc = Document(
                kind=DocumentKind.LETTER,
                title=f"Generated letter {n}",
                date=dt.date(2022, 1, 3) + dt.timedelta(days=rng.randint(0, 600)),
                cc=json.dumps(cc, ensure_ascii=rng.random() < 0.5),
            )
            session.add(doc)
            session.flush()
            for number in range(1, rng.randint(2, 5)):
                urls = rng.sample(URLS, rng.randint(0, 3))
                session.add(
                    Footnote(
                        document_id=doc.id,
                        number=number,
                        text=f"Generated footnote {n}.{number}",
                        urls=json.dumps(urls, ensure_ascii=rng.random() < 0.5),
                    )
                )
conn = sqlite3.connect(made)
# what older versions could leave: no cc at all, empty and damaged URL lists, a string for a list
conn.execute(
    "UPDATE documents SET cc = '' WHERE id = (SELECT id FROM documents WHERE kind = 'transcript')"
)
damaged = [
    "",
    "not json https://www.example.org/a and http://example.com/b,",
    '"https://www.example.org/only-one"',
    '[1, null, "https://example.net/x"]',
]
rows = conn.execute(
    "SELECT id FROM footnotes WHERE text LIKE 'Generated footnote%' ORDER BY text LIMIT 4"
).fetchall()
for (ident,), value in zip(rows, damaged, strict=True):
    conn.execute("UPDATE footnotes SET urls = ? WHERE id = ?", (value, ident))
conn.commit()
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
conn.execute("PRAGMA journal_mode=DELETE")
conn.close()
shutil.copyfile(made, target)
print(target)
