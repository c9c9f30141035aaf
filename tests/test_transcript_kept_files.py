"""Deleting a transcript removes the copy of its file kept in the register (in the deletion's own
transaction), unless another record still uses that file; no other kept file is touched, and the same
file can be imported again. Undoing its import keeps the copy, for the redo."""

from __future__ import annotations

import datetime as dt
import random
import shutil

import pytest
from sqlalchemy import select
from support import pdf_bombs
from support import transcript_samples as samples
from support.originals import kept_files

from pcc_desk.cli import main as cli_main
from pcc_desk.errors import Conflict
from pcc_desk.model import Document, DocumentKind
from pcc_desk.paths import resources_dir
from pcc_desk.services import letter_import, quotes, register, transcripts

SPEAKERS = ["Susan Hall AM (Chairman)", "Sir Mark Rowley QPM (Commissioner)", "Caroline Russell AM"]


def _text(rng: random.Random, day: dt.date) -> str:
    words = [
        "we",
        "will",
        "publish",
        "the",
        "plan",
        "on",
        "neighbourhood",
        "policing",
        "and",
        "vetting",
        "this",
        "year",
    ]
    turns = [
        f"{rng.choice(SPEAKERS)}: {' '.join(rng.choices(words, k=rng.randint(8, 30)))}."
        for _ in range(rng.randint(3, 9))
    ]
    return (
        f"Police and Crime Committee – {day.day} {day:%B %Y}\n\nTranscript of Agenda Item "
        f"{rng.randint(3, 9)} – Question and Answer Session\n\n" + "\n\n".join(turns) + "\n"
    )


def _transcript_files(folder, seed: int):
    """A .txt, a .md, a .docx and a .pdf transcript, different each seed."""
    rng = random.Random(seed)
    day = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(900))
    txt = folder / f"meeting {seed} notes.txt"
    txt.write_text(_text(rng, day), encoding="utf-8")
    md = folder / f"Transcript-{seed}.md"
    md.write_text(_text(rng, day + dt.timedelta(days=1)), encoding="utf-8")
    docx_path = samples.write_la_docx(folder, f"pcc-{seed}.docx", turns_repeat=rng.randint(1, 3))
    pdf = pdf_bombs.Pdf()
    lines = _text(rng, day + dt.timedelta(days=2)).replace("–", "-").splitlines()
    pdf.page(
        [
            pdf.stream(
                pdf_bombs.flate([pdf_bombs.text_lines([ln for ln in lines if ln])]), ["FlateDecode"]
            )
        ]
    )
    pdf_path = pdf.write(folder / f"Smith hearing {seed}.pdf")
    return [txt, md, docx_path, pdf_path]


def _kept(desk) -> set[str]:
    """The sha256 of every file the register keeps (and no files folder beside it)."""
    assert not desk.location.files_dir.exists()
    return set(kept_files(desk))


def _letter(desk, tmp_path):
    name = "pcc-letter-2023-03-17-turnaround-plan.md"
    path = tmp_path / name
    shutil.copy(resources_dir() / "samples" / name, path)
    return letter_import.commit(desk, letter_import.preview(desk, path))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_deleting_a_transcript_removes_its_kept_file_and_nothing_else(desk, tmp_path, seed):
    _letter(desk, tmp_path)
    letter_files = _kept(desk)
    assert len(letter_files) == 1
    imported = [transcripts.import_transcript(desk, p) for p in _transcript_files(tmp_path, seed)]
    assert len(_kept(desk)) == 1 + len(imported)
    for n, result in enumerate(imported, start=1):
        sha = result.transcript.sha256
        assert sha in _kept(desk)
        transcripts.delete_transcript(desk, result.transcript.id)
        assert sha not in _kept(desk)
        assert len(_kept(desk)) == 1 + len(imported) - n
    assert _kept(desk) == letter_files
    again = transcripts.import_transcript(desk, tmp_path / f"meeting {seed} notes.txt")
    assert again.created and len(_kept(desk)) == 2


def test_a_refused_deletion_keeps_the_file(desk, tmp_path):
    rec = register.add_recommendation(desk, "Publish the plan", made=dt.date(2020, 1, 1))
    result = transcripts.import_transcript(desk, _transcript_files(tmp_path, 4)[0])
    segment = result.segments[0]
    words = " ".join(segment.text.split()[:5])
    quotes.create_quote(desk, result.transcript.id, words, occurrence=1, refs=[rec.ref])
    before = _kept(desk)
    with pytest.raises(Conflict):
        transcripts.delete_transcript(desk, result.transcript.id)
    assert _kept(desk) == before
    transcripts.delete_transcript(desk, result.transcript.id, force=True)
    assert _kept(desk) == set()


def test_a_copy_an_older_version_kept_in_the_files_folder_goes_unless_another_record_uses_it(
    desk, tmp_path
):
    """A register upgraded from before originals were kept inside it names copies in the files
    folder: deleting the transcript removes that copy too, unless another record names it."""
    results = [transcripts.import_transcript(desk, p) for p in _transcript_files(tmp_path, 5)[:2]]
    folder = desk.location.files_dir
    names = []
    with desk.transaction() as session:
        for n, result in enumerate(results):
            doc = session.scalars(
                select(Document).where(Document.sha256 == result.transcript.sha256)
            ).one()
            name = f"{doc.sha256[:2]}/{doc.sha256}{doc.file_name[doc.file_name.rfind('.') :]}"
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(kept_files(desk)[doc.sha256])
            doc.stored_path = name
            names.append(name)
            if n == 1:  # another record names the same copy
                session.add(Document(kind=DocumentKind.OTHER, title="Same file", stored_path=name))
    for result in results:
        transcripts.delete_transcript(desk, result.transcript.id)
    assert not (folder / names[0]).exists()
    assert (folder / names[1]).exists()
    assert set(kept_files(desk)) == set()  # the register's own copies went with them


def test_delete_transcript_on_the_command_line_removes_the_kept_file(
    desk, db_path, tmp_path, capsys
):
    files = _transcript_files(tmp_path, 6)
    assert cli_main(["--db", str(db_path), "import-transcript", *map(str, files)]) == 0
    assert len(_kept(desk)) == len(files)
    for path in files:
        record = next(t for t in transcripts.list_transcripts(desk) if t.file_name == path.name)
        assert cli_main(["--db", str(db_path), "delete-transcript", str(record.id)]) == 0
        assert record.sha256 not in _kept(desk)
    assert _kept(desk) == set()
    assert "Traceback" not in capsys.readouterr().err


def test_undoing_an_import_keeps_the_copy_so_that_redo_can_put_it_back(
    desk, db_path, tmp_path, capsys
):
    path = _transcript_files(tmp_path, 7)[0]
    assert cli_main(["--db", str(db_path), "import-transcript", str(path)]) == 0
    kept = _kept(desk)
    path.unlink()  # the original moved away: redo reads the kept copy
    assert cli_main(["--db", str(db_path), "undo"]) == 0
    assert transcripts.list_transcripts(desk) == []
    assert _kept(desk) == kept
    assert cli_main(["--db", str(db_path), "redo"]) == 0
    assert len(transcripts.list_transcripts(desk)) == 1
    assert "Traceback" not in capsys.readouterr().err
