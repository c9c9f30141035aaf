"""The original files records came from are kept in the register itself (``stored_files``, by
SHA-256), on a laptop's file and on a team register alike: opened from there, deleted with the last
record that uses them, kept through an undo for the redo, and moved in from the files folder when a
laptop's register is upgraded."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
from support.originals import kept_files
from support.transcript_samples import la_text
from support.undo_samples import generated_letter

from pcc_desk import storage
from pcc_desk.errors import NotFound
from pcc_desk.services import Desk, letter_import, originals, transcripts, undo

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _transcripts(folder, seed: int):
    """Transcripts of different names, sizes and formats (.txt, .md), different each seed."""
    rng = random.Random(seed)
    paths = []
    for n in range(rng.randint(2, 4)):
        suffix = rng.choice([".txt", ".md"])
        text = la_text().replace("Good morning", f"Good morning ({seed}.{n})")
        text += "\n\nSusan Hall AM (Chairman): " + "thank you " * rng.randint(1, 4000) + "\n"
        path = folder / f"Meeting {seed}-{n} – café{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.backends("sqlite", "postgresql")
@pytest.mark.parametrize("seed", [1, 2])
def test_originals_are_kept_in_the_register_and_opened_from_it(desk, tmp_path, seed):
    files = _transcripts(tmp_path, seed)
    letter, _ = generated_letter(tmp_path, seed)
    imported = [transcripts.import_transcript(desk, p) for p in files]
    doc = letter_import.commit(desk, letter_import.preview(desk, letter)).document_id
    assert kept_files(desk) == {
        hashlib.sha256(p.read_bytes()).hexdigest(): p.read_bytes() for p in [*files, letter]
    }
    for path in [*files, letter]:
        path.rename(path.with_suffix(path.suffix + ".moved"))  # the originals are gone from disk
    for result, path in zip(imported, files, strict=True):
        opened = originals.open_original(desk, result.transcript.id)
        assert opened.name == path.name
        assert opened.read_bytes() == path.with_suffix(path.suffix + ".moved").read_bytes()
    name, content = originals.read_original(desk, doc)
    assert name == letter.name and content == letter.with_suffix(".md.moved").read_bytes()
    assert not desk.location.files_dir.exists()


@pytest.mark.backends("sqlite", "postgresql")
def test_deleting_the_last_record_deletes_the_bytes_and_undo_keeps_them_for_redo(desk, tmp_path):
    files = _transcripts(tmp_path, 3)
    imported = [transcripts.import_transcript(desk, p) for p in files]
    shas = [r.transcript.sha256 for r in imported]
    for path in files:
        path.unlink()
    undo.undo(desk)  # the last import: its bytes stay, for the redo
    assert set(kept_files(desk)) == set(shas)
    undo.redo(desk)  # read again from the bytes the register kept
    assert len(transcripts.list_transcripts(desk)) == len(files)
    for n, result in enumerate(imported, start=1):
        transcripts.delete_transcript(desk, result.transcript.id)
        assert set(kept_files(desk)) == set(shas[n:])
    with pytest.raises(NotFound):
        originals.read_original(desk, imported[0].transcript.id)


@pytest.mark.backends("sqlite", "postgresql")
def test_taking_an_import_out_for_good_deletes_its_bytes(desk, tmp_path):
    for n in (4, 5):
        (tmp_path / str(n)).mkdir()
    letters = [generated_letter(tmp_path / str(n), n)[0] for n in (4, 5)]
    docs = [letter_import.commit(desk, letter_import.preview(desk, p)).document_id for p in letters]
    letter_import.undo_import(desk, docs[0])
    assert set(kept_files(desk)) == {hashlib.sha256(letters[1].read_bytes()).hexdigest()}


def _files_folder_register(tmp_path, seed: int):
    """A register at schema 0005 whose imported files were kept in the folder beside it, as
    before: some files of various names and sizes, one damaged copy, one stray file."""
    rng = random.Random(seed)
    db = tmp_path / f"register-{seed}.sqlite3"
    shutil.copy(FIXTURES / "db" / "register-0005.sqlite3", db)
    folder = tmp_path / f"register-{seed}-files"
    good = {}
    for _ in range(rng.randint(2, 5)):
        content = rng.randbytes(rng.randint(0, 300_000))
        sha = hashlib.sha256(content).hexdigest()
        path = folder / sha[:2] / f"{sha}{rng.choice(['.pdf', '.docx', '.txt', ''])}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        good[sha] = content
    bad = rng.randbytes(1000)
    sha = hashlib.sha256(bad).hexdigest()
    (folder / sha[:2]).mkdir(exist_ok=True)
    (folder / sha[:2] / f"{sha}.pdf").write_bytes(bad[:-1] + b"!")  # no longer its digest
    (folder / "notes.txt").write_text("not a kept file")
    return db, folder, good


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_upgrading_a_laptop_register_moves_its_files_folder_in(tmp_path, seed):
    db, folder, good = _files_folder_register(tmp_path, seed)
    before = sorted(
        (p.relative_to(folder), p.read_bytes()) for p in folder.rglob("*") if p.is_file()
    )
    with Desk.open(db) as desk:
        assert kept_files(desk) == good
    after = sorted(
        (p.relative_to(folder), p.read_bytes()) for p in folder.rglob("*") if p.is_file()
    )
    assert after == before  # the folder is left as it was: nothing in it is lost
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            storage.HEAD_REVISION
        )
    finally:
        conn.close()


@pytest.mark.backends("sqlite", "postgresql")
def test_the_original_command_writes_the_kept_bytes(desk, register_db, tmp_path, cli):
    files = _transcripts(tmp_path, 6)
    imported = [transcripts.import_transcript(desk, p) for p in files]
    letter, _ = generated_letter(tmp_path, 6)
    doc = letter_import.commit(desk, letter_import.preview(desk, letter)).document_id
    wanted = {p.name: p.read_bytes() for p in [*files, letter]}
    for path in [*files, letter]:
        path.unlink()
    out = tmp_path / "out"
    out.mkdir()
    for ident in [*(r.transcript.id.hex[:8] for r in imported), str(doc)]:
        cli("original", ident, "--out", str(out), db=register_db, check_rc=0)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == wanted
    again = cli("original", str(doc), "--out", str(out), db=register_db)
    assert again.returncode != 0 and "exists already" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    cli("original", str(doc), "--out", str(out), "--force", db=register_db, check_rc=0)
    missing = cli("original", "abcdef12", db=register_db)
    assert missing.returncode != 0 and "There is no imported document" in missing.stderr
