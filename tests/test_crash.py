"""Kill the app while it saves, at many random points: the register is always sound and every use case
is all-or-nothing.

A child process loops over ``add_recommendation`` + ``log_response`` (and takes a backup now and
then); the test SIGKILLs it after a random, seeded delay, then checks the file with ``PRAGMA
quick_check``, opens it as the app would, and checks that each recommendation has exactly the rows
its completed use cases write.

The import variant imports letters in a loop (the sample letter in text, and the same letter as a real
Word file with footnotes), each with a new date so that each is a new letter: after every kill each
Document has all its recommendations, footnotes, links and status changes, or is not there at all.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pcc_desk import backup, paths, storage
from pcc_desk.services import Desk, register

REPO = Path(__file__).resolve().parent.parent
KILLS = 12
SEED = 20260317

REGISTER_WRITER = r"""
import datetime as dt, sys
from pcc_desk import backup
from pcc_desk.model import Assessment, Position
from pcc_desk.services import Desk, register

desk = Desk.open(sys.argv[1])
i = int(sys.argv[2])
print("ready", flush=True)
while True:
    rec = register.add_recommendation(desk, f"Crash test {i} " + "words " * 50, theme=f"Theme {i % 4}",
                                      made=dt.date(2024, 1, 1))
    register.log_response(desk, rec.ref, received=dt.date(2024, 2, 1), position=Position.ACCEPTED,
                          assessment=Assessment.NOT_ADDRESSED, text=f"Response {i} " + "text " * 80)
    if i % 9 == 0:
        backup.take_backup(desk.location, "auto")
    i += 1
"""

IMPORT_WRITER = r"""
import datetime as dt, sys
from pathlib import Path
import docx
from pcc_desk import paths
from pcc_desk.services import Desk, letter_import

desk = Desk.open(sys.argv[1])
i = int(sys.argv[2])
work = Path(sys.argv[3])
SAMPLE_DATE = "17 March 2023"
sample = paths.sample_letter().read_text(encoding="utf-8")
print("ready", flush=True)
while True:
    day = dt.date(2023, 3, 17) + dt.timedelta(days=i)  # a new letter each time, not a new version of one
    when = f"{day.day} {day:%B %Y}"
    if i % 2:
        document = docx.Document(work / "letter.docx")
        for paragraph in document.paragraphs:
            if paragraph.text.strip() == SAMPLE_DATE:
                for run in paragraph.runs[1:]:
                    run.text = ""
                paragraph.runs[0].text = when
        target = work / f"letter-{i}.docx"
        document.save(target)
    else:
        target = work / f"letter-{i}.md"
        target.write_text(sample.replace(SAMPLE_DATE, when, 1), encoding="utf-8")
    result = letter_import.commit(desk, letter_import.preview(desk, target))
    assert result.outcome == "imported", result.message
    i += 1
"""


def _expected_per_format(work: Path) -> dict[str, tuple[int, int, int]]:
    """(recommendations, footnotes, recommendation-footnote links) a whole import of each file writes."""
    from pcc_desk.services import letter_import

    expected = {}
    for suffix, path in ((".md", paths.sample_letter()), (".docx", work / "letter.docx")):
        letter = letter_import.preview(None, path).letter
        numbers = {note.number for note in letter.footnotes}
        links = sum(len({n for n in ask.footnotes if n in numbers}) for ask in letter.asks)
        expected[suffix] = (len(letter.asks), len(numbers), links)
    return expected


def _check_imports(path: Path, work: Path) -> int:
    """quick_check, then all-or-nothing per imported letter. Returns how many letters are in."""
    expected = _expected_per_format(work)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = conn.execute(
            "SELECT d.file_name,"
            " (SELECT count(*) FROM recommendations r WHERE r.document_id = d.id),"
            " (SELECT count(*) FROM footnotes f WHERE f.document_id = d.id),"
            " (SELECT count(*) FROM recommendation_footnotes rf JOIN footnotes f ON f.id = rf.footnote_id"
            "   WHERE f.document_id = d.id),"
            " (SELECT count(*) FROM status_changes c JOIN recommendations r ON r.id = c.recommendation_id"
            "   WHERE r.document_id = d.id)"
            " FROM documents d"
        ).fetchall()
        stray = conn.execute(
            "SELECT (SELECT count(*) FROM recommendations WHERE document_id IS NULL),"
            " (SELECT count(*) FROM themes WHERE document_id IS NULL)"
        ).fetchone()
    finally:
        conn.close()
    assert stray == (0, 0), "rows of a letter whose import never committed"
    for name, recs, notes, links, changes in rows:
        want = expected[Path(name).suffix]
        assert (recs, notes, links, changes) == (*want, want[0]), name
    return len(rows)


def _check_register_writer(path: Path, _work: Path) -> int:
    count = _check_register(path)
    with Desk.open(path) as desk:
        assert len(register.list_recommendations(desk)) == count
    return count


# name: (the child's code, the check after each kill, the longest wait before a kill in seconds)
WRITERS = {
    "register": (REGISTER_WRITER, lambda path, work: _check_register_writer(path, work), 0.5),
    "import-letter": (IMPORT_WRITER, lambda path, work: _check_imports(path, work), 1.5),
}


@pytest.fixture
def work(tmp_path, writer) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    if writer == "import-letter":
        from support.letter_fixtures import write_letter_docx

        write_letter_docx(folder / "letter.docx")
    return folder


def _check_register(path: Path) -> int:
    """quick_check, then all-or-nothing per recommendation. Returns how many recommendations exist."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = conn.execute(
            "SELECT r.ref, r.status,"
            " (SELECT count(*) FROM responses x WHERE x.recommendation_id = r.id),"
            " (SELECT count(*) FROM status_changes c WHERE c.recommendation_id = r.id)"
            " FROM recommendations r"
        ).fetchall()
        orphans = conn.execute(
            "SELECT count(*) FROM responses WHERE recommendation_id NOT IN (SELECT id FROM recommendations)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert orphans == 0
    for ref, status, responses, changes in rows:
        if responses == 0:  # the response's transaction never committed: nothing of it is there
            assert (status, changes) == ("awaiting-response", 1), ref
        else:  # it committed: the response, its status change and the new status together
            assert (responses, status, changes) == (1, "follow-up-needed", 2), ref
    return len(rows)


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_killing_the_app_mid_save_never_damages_the_register(db_path, writer, work):
    code, check, longest_wait = WRITERS[writer]
    rng = random.Random(SEED)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    counts = []
    for kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(db_path), str(100 * (kill + 1)), str(work)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        try:
            assert child.stdout.readline().strip() == "ready", child.stderr.read()
            time.sleep(rng.uniform(0.0, longest_wait))
            assert child.poll() is None, child.stderr.read()
            child.send_signal(signal.SIGKILL)
        finally:
            child.kill()
            child.wait()
            child.stdout.close()
            child.stderr.close()
        # the app's own open path must not call a killed-mid-write register damaged
        storage.check_health(db_path)
        counts.append(check(db_path, work))
    assert counts[-1] > 0 and len(set(counts)) > 1, "the child really wrote between kills"
    location = storage.resolve_location(db_path)
    for info in backup.list_backups(location):
        assert storage.quick_check(info.path), info.path.name
