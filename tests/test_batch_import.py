"""The batch-import service: which files a folder import reads and skips (the register's own files,
hidden files, Word lock files, other kinds, a file named twice), one transaction and one journal row
per file, cancelling between files, and a typed result with a one-line reason for every file."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select
from support.batch_folders import (
    HIDDEN,
    OFFICE_LOCK,
    OTHER_KIND,
    REGISTER,
    VARIANTS,
    import_earlier,
    make_folder,
    without_sidecars,
)
from support.originals import kept_files

from pcc_desk.errors import InvalidInput
from pcc_desk.model import Document, Operation
from pcc_desk.services import Desk, batch_import, letter_import, register, transcripts
from pcc_desk.services.batch_import import CancelToken, Kind, Outcome

KINDS = {"letter": Kind.LETTERS, "transcript": Kind.TRANSCRIPTS}
REASONS = {  # words each rule's reason must contain
    REGISTER: "the register's",
    HIDDEN: "hidden",
    OFFICE_LOCK: "lock file",
    OTHER_KIND: "not a",
}


def _counts(desk) -> tuple[int, int]:
    with desk.reading() as session:
        docs = session.scalar(select(func.count(Document.id)))
        ops = session.scalar(select(func.count(Operation.id)))
    return docs, ops


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_a_folder_import_reads_and_skips_by_the_rules(tmp_path, template_db, variant, kind):
    exp = make_folder(tmp_path, VARIANTS[variant], kind, template_db)
    import_earlier(exp, kind)
    with Desk.open(exp.db) as desk:
        docs_before, ops_before = _counts(desk)
        batch = (
            batch_import.import_letters(desk, [exp.folder])
            if kind == "letter"
            else (batch_import.import_transcripts(desk, [exp.folder]))
        )
        docs_after, ops_after = _counts(desk)

    assert [r.name for r in batch.results] == exp.read
    skipped = {r.name: r.reason for r in batch.skipped}
    assert without_sidecars(skipped, exp.db) == set(exp.skipped)
    for name, rule in exp.skipped.items():
        assert skipped[name].startswith(f"{name}: ") and REASONS[rule] in skipped[name], name
        assert "\n" not in skipped[name]
    assert all(r.outcome is Outcome.SKIPPED for r in batch.skipped)

    outcomes = {r.name: r.outcome for r in batch.results}
    assert [n for n, o in outcomes.items() if o is Outcome.REFUSED] == exp.refused
    assert [n for n, o in outcomes.items() if o is Outcome.DUPLICATE] == exp.duplicates
    added = [n for n, o in outcomes.items() if o is Outcome.IMPORTED]
    assert sorted(added) == sorted(set(exp.read) - set(exp.refused) - set(exp.duplicates))
    for r in batch.results:
        assert r.reason and "\n" not in r.reason and "Traceback" not in r.reason
    # one Document and one journal row per file saved; nothing for the refused or duplicate ones
    assert docs_after - docs_before == len(added)
    assert ops_after - ops_before == len(added)
    summary = batch.summary()
    assert f"{len(added)} of {len(exp.read)} file(s) imported" in summary
    assert f"{len(batch.skipped)} skipped" in summary


def test_a_file_named_on_its_own_is_read_even_of_another_kind_and_named_twice_is_read_once(
    tmp_path, desk
):
    import datetime as dt

    from support.batch_folders import letter_md

    letter = tmp_path / ".Letter one.md"  # hidden, but named: read
    letter.write_text(
        letter_md(
            dt.date(2024, 2, 5), "Follow-up on custody", ["the Met should publish the custody data"]
        ),
        "utf-8",
    )
    odd = tmp_path / "notes.csv"
    odd.write_text("a,b\n", encoding="utf-8")
    batch = batch_import.import_letters(desk, [letter, odd, tmp_path / "." / letter.name])
    assert [(r.name, r.outcome) for r in batch.results] == [
        (".Letter one.md", Outcome.IMPORTED),
        ("notes.csv", Outcome.REFUSED),
    ]
    assert batch.refused[0].reason.startswith("notes.csv: ") and ".csv" in batch.refused[0].reason
    assert [(r.name, r.outcome) for r in batch.skipped] == [(".Letter one.md", Outcome.SKIPPED)]
    assert "named twice" in batch.skipped[0].reason
    assert [r.text for r in register.list_recommendations(desk)] == [
        "the Met should publish the custody data"
    ]


def test_the_registers_own_file_and_folders_named_on_their_own_are_skipped(tmp_path, template_db):
    exp = make_folder(tmp_path, VARIANTS["plain"], "letter", template_db)
    import_earlier(exp, "letter")
    kept = next(p for p in (exp.folder / "register-files").rglob("*") if p.is_file())
    with Desk.open(exp.db) as desk:
        selection = batch_import.collect(
            desk.location, [exp.db, kept, exp.folder / "register-backups"], Kind.LETTERS
        )
        assert selection.files == ()
        assert [r.outcome for r in selection.skipped] == [Outcome.SKIPPED] * 3
        assert all("the register's" in r.reason for r in selection.skipped)
        with pytest.raises(
            InvalidInput, match=r"No letter files .* 3 skipped; nothing was imported"
        ):
            batch_import.import_letters(desk, selection)


def test_cancelling_stops_between_files_and_keeps_the_files_already_saved(tmp_path, desk):
    import datetime as dt

    from support.batch_folders import letter_md

    folder = tmp_path / "letters"
    folder.mkdir()
    for n in range(4):
        day = dt.date(2023, 1 + n, 3 + n)
        (folder / f"letter-{n}.md").write_text(
            letter_md(day, f"Follow-up number {n}", [f"the Met should act on point {n}"]),
            encoding="utf-8",
        )
    token = CancelToken()
    seen = []

    def progress(done, total):
        seen.append((done, total))
        if done == 2:
            token.cancel()  # the clerk presses Cancel while the third file is read

    batch = batch_import.import_letters(desk, [folder], progress=progress, cancel=token)
    assert [r.outcome for r in batch.results] == [
        Outcome.IMPORTED,
        Outcome.IMPORTED,
        Outcome.IMPORTED,
        Outcome.CANCELLED,
    ]
    assert batch.cancelled and "cancelled after 3 file(s)" in batch.summary()
    assert batch.results[3].reason == "letter-3.md: not read (the import was cancelled)."
    assert sorted(r.text for r in register.list_recommendations(desk)) == [
        f"the Met should act on point {n}" for n in range(3)
    ]
    assert seen == [(0, 4), (1, 4), (2, 4), (4, 4)]


def test_a_failure_no_rule_foresaw_is_one_line_and_the_other_files_are_saved(
    tmp_path, desk, monkeypatch
):
    import datetime as dt

    from support.batch_folders import transcript_txt

    folder = tmp_path / "meetings"
    folder.mkdir()
    for n in range(3):
        (folder / f"meeting-{n}.txt").write_text(
            transcript_txt(dt.date(2022, 3 + n, 9), f"Topic {n}", 3 + n), encoding="utf-8"
        )
    real = transcripts.import_parsed

    def flaky(desk, path, parsed):
        if path.name == "meeting-1.txt":
            raise KeyError("boom")
        return real(desk, path, parsed)

    monkeypatch.setattr(transcripts, "import_parsed", flaky)
    batch = batch_import.import_transcripts(desk, [folder])
    assert [r.outcome for r in batch.results] == [
        Outcome.IMPORTED,
        Outcome.REFUSED,
        Outcome.IMPORTED,
    ]
    assert batch.refused[0].reason == "meeting-1.txt: could not be imported (KeyError)."
    assert len(transcripts.list_transcripts(desk)) == 2


def test_a_refused_letter_leaves_nothing_and_the_dry_run_saves_nothing(tmp_path, desk):
    import datetime as dt

    from support.batch_folders import letter_md

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(
        letter_md(
            dt.date(2024, 6, 1), "Follow-up on vetting", ["the Met should review its vetting"]
        ),
        "utf-8",
    )
    (folder / "b.docx").write_bytes(b"PK\x03\x04 broken")
    dry = batch_import.import_letters(desk, [folder], dry_run=True)
    assert [r.outcome for r in dry.results] == [Outcome.READ, Outcome.REFUSED]
    assert dry.results[0].preview.letter.asks[0].text == "the Met should review its vetting"
    assert _counts(desk) == (0, 0)
    assert not desk.location.files_dir.exists()
    batch = batch_import.import_letters(desk, [folder])
    assert [r.outcome for r in batch.results] == [Outcome.IMPORTED, Outcome.REFUSED]
    assert batch.refs == [r.ref for r in register.list_recommendations(desk)]
    assert _counts(desk) == (1, 1)
    kept = kept_files(desk)  # no copy of the refused file
    assert list(kept.values()) == [(folder / "a.md").read_bytes()]
    assert not desk.location.files_dir.exists()
    again = batch_import.import_letters(desk, [folder / "a.md"])
    assert again.results[0].outcome is Outcome.DUPLICATE
    assert "already imported" in again.results[0].reason
    shutil.rmtree(folder)
    assert letter_import.OUTCOME_DUPLICATE == Outcome.DUPLICATE
