"""Reported complete is not verified: the Committee's verification (who, when, the note, evidence
files) and evidence files kept content-addressed like imports; through the services, undo and redo,
the statistics and the CLI, on real files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random

import pytest
from sqlalchemy import select

from pcc_desk.errors import InvalidInput
from pcc_desk.model import Implementation, Position, ResponseKind, StoredFile
from pcc_desk.services import register, statistics, undo, verification

MADE = dt.date(2023, 3, 17)
BOTH = pytest.mark.backends("sqlite", "postgresql")


def _files(tmp_path, seed: int, count: int) -> list:
    """Evidence files of several kinds and sizes, with names a clerk would give them."""
    rng = random.Random(seed)
    names = ["Policy – stop and search 2024.pdf", "data release.xlsx", "Met statement.docx",
             "notes ü.txt", "evidence"]  # fmt: skip
    paths = []
    for n in range(count):
        path = tmp_path / f"{n}-{rng.choice(names)}"
        path.write_bytes(rng.randbytes(rng.choice([0, 10, 4096, 300_000])) + f"{seed}-{n}".encode())
        paths.append(path)
    return paths


def _ask(desk):
    ref = register.add_recommendation(desk, "Publish the policy", made=MADE).ref
    register.log_response(
        desk,
        ref,
        received=dt.date(2023, 5, 2),
        position=Position.ACCEPTED,
        implementation=Implementation.REPORTED_COMPLETE,
        text="Published.",
    )
    return ref


@BOTH
@pytest.mark.parametrize("seed", range(3))
def test_a_verification_keeps_who_when_the_note_and_each_file_by_its_content(desk, tmp_path, seed):
    ref = _ask(desk)
    files = _files(tmp_path, seed, 3)
    check = verification.verify(
        desk,
        ref,
        note="Policy seen on the Met's website",
        evidence=tuple(files),
        verified_on=dt.date(2023, 9, 1),
        verified_by="Clerk A",
    )
    assert (check.verified_on, check.verified_by) == (dt.date(2023, 9, 1), "Clerk A")
    assert [e.file_name for e in check.evidence] == [f.name for f in files]
    for record, original in zip(check.evidence, files, strict=True):
        kept = verification.kept_path(desk, record)
        assert kept.read_bytes() == original.read_bytes()
        assert record.sha256 == hashlib.sha256(original.read_bytes()).hexdigest()
        assert kept.name == record.file_name  # written out under its own name, from the register
    files[0].unlink()  # the original may go: the kept copy opens
    assert verification.kept_path(desk, check.evidence[0]).is_file()
    detail = register.get_recommendation(desk, ref)
    assert [v.note for v in detail.verifications] == ["Policy seen on the Met's website"]
    assert len(detail.evidence) == 3 and detail.verifications[0].evidence == check.evidence


@BOTH
def test_the_same_file_is_kept_once_and_attached_to_a_response(desk, tmp_path):
    ref = _ask(desk)
    other = register.add_recommendation(desk, "Another ask", made=MADE).ref
    (path,) = _files(tmp_path, 7, 1)
    first = verification.attach_evidence(desk, ref, path, note="The policy", latest_response=True)
    second = verification.attach_evidence(desk, other, path)
    assert first.stored_path == second.stored_path and first.sha256 == second.sha256
    with desk.reading() as session:  # the bytes kept once, in the register
        kept = session.scalars(select(StoredFile).where(StoredFile.sha256 == first.sha256)).all()
    assert len(kept) == 1 and kept[0].content == path.read_bytes()
    detail = register.get_recommendation(desk, ref)
    assert detail.evidence[0].response_id == detail.responses[-1].id
    assert detail.evidence[0].note == "The policy"
    with pytest.raises(InvalidInput, match="no response"):
        verification.attach_evidence(desk, other, path, latest_response=True)


@BOTH
def test_undo_takes_the_verification_out_and_redo_puts_it_back(desk, tmp_path):
    ref = _ask(desk)
    files = _files(tmp_path, 3, 2)
    check = verification.verify(desk, ref, note="Seen", evidence=tuple(files))
    undo.undo(desk)
    detail = register.get_recommendation(desk, ref)
    assert (detail.verifications, detail.evidence) == ((), ())
    assert verification.kept_path(desk, check.evidence[0]).is_file()  # the kept copy stays
    undo.redo(desk)
    detail = register.get_recommendation(desk, ref)
    assert [v.id for v in detail.verifications] == [check.id]
    assert [e.id for e in detail.evidence] == [e.id for e in check.evidence]


@BOTH
def test_reported_complete_is_not_verified_in_the_statistics(desk, tmp_path):
    ref = _ask(desk)
    today = dt.date(2024, 1, 1)
    total = statistics.compute(desk, today=today).total
    assert (total.reported_implemented, total.verified) == (1, 0)
    verification.verify(desk, ref, note="Seen", verified_on=dt.date(2023, 9, 1))
    total = statistics.compute(desk, today=today).total
    assert (total.reported_implemented, total.verified, total.verified_percent) == (1, 1, 100.0)


def test_bad_evidence_is_one_line_and_nothing_is_written(desk, tmp_path):
    ref = _ask(desk)
    with pytest.raises(InvalidInput, match="not there"):
        verification.verify(desk, ref, note="Seen", evidence=(tmp_path / "missing.pdf",))
    with pytest.raises(InvalidInput, match="folder"):
        verification.attach_evidence(desk, ref, tmp_path)
    with pytest.raises(InvalidInput, match="future"):
        verification.verify(desk, ref, note="Seen", verified_on=dt.date.today() + dt.timedelta(1))
    with pytest.raises(InvalidInput, match="before"):
        verification.verify(desk, ref, note="Seen", verified_on=dt.date(2020, 1, 1))
    with pytest.raises(InvalidInput, match="note"):
        verification.verify(desk, ref, note=" ")
    detail = register.get_recommendation(desk, ref)
    assert (detail.verifications, detail.evidence) == ((), ())


def test_verify_and_evidence_commands(cli, db_path, desk, tmp_path):
    ref = _ask(desk)
    register.log_response(
        desk, ref, received=dt.date(2023, 6, 1), position=None, text="Done.",
        kind=ResponseKind.PROGRESS_UPDATE,
    )  # fmt: skip
    a, b = _files(tmp_path, 11, 2)
    out = cli(
        "verify", ref, "--note", "Checked the data release", "--evidence", str(a),
        "--evidence", str(b), "--on", "2023-09-01", "--by", "Clerk B", db=db_path, check_rc=0,
    )  # fmt: skip
    assert (
        out.stdout.strip()
        == f"{ref}: verified on 1 September 2023 by Clerk B with 2 evidence file(s)"
    )
    attached = json.loads(
        cli("evidence", ref, str(a), "--note", "again", "--json", db=db_path, check_rc=0).stdout
    )
    shown = json.loads(cli("show", ref, "--json", db=db_path).stdout)
    assert [v["verified_by"] for v in shown["verifications"]] == ["Clerk B"]
    assert [e["file_name"] for e in shown["verifications"][0]["evidence"]] == [a.name, b.name]
    assert shown["evidence"][-1]["id"] == attached["id"]
    text = cli("show", ref, db=db_path).stdout
    assert "Verified 1 September 2023 by Clerk B: Checked the data release" in text
    bad = cli("evidence", ref, str(tmp_path / "nope.pdf"), db=db_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "nope.pdf" in bad.stderr


def test_an_ask_with_a_verification_or_evidence_cannot_simply_go(desk, tmp_path):
    from pcc_desk.errors import Conflict

    ref = register.add_recommendation(desk, "Ask added by hand", made=MADE).ref
    (path,) = _files(tmp_path, 5, 1)
    verification.attach_evidence(desk, ref, path)
    with pytest.raises(Conflict, match="evidence file"):
        register.remove_recommendation(desk, ref)
    other = register.add_recommendation(desk, "Another", made=MADE).ref
    verification.verify(desk, other, note="Seen", verified_on=dt.date(2023, 9, 1))
    with pytest.raises(Conflict, match="verified"):
        register.remove_recommendation(desk, other)
    assert len(register.get_recommendation(desk, ref).evidence) == 1


def test_a_letter_kept_as_evidence_is_not_taken_out_by_undoing_its_import(desk, tmp_path):
    import shutil

    from pcc_desk.errors import Conflict
    from pcc_desk.paths import resources_dir
    from pcc_desk.services import letter_import

    letter = tmp_path / "letter.md"
    shutil.copy(resources_dir() / "samples" / "pcc-letter-2023-03-17-turnaround-plan.md", letter)
    imported = letter_import.commit(desk, letter_import.preview(desk, letter))
    ref = register.add_recommendation(desk, "Another ask", made=MADE).ref
    verification.attach_evidence(desk, ref, letter)
    with pytest.raises(Conflict, match="kept as evidence"):
        letter_import.undo_import(desk, imported.document_id)
