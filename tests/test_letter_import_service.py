"""Saving an import: one transaction, references in order, footnotes linked, duplicates and re-imports."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from sqlalchemy import func, select
from support.letter_fixtures import SAMPLE, SAMPLE_ASKS, SAMPLE_THEMES
from support.originals import kept_files

from pcc_desk import letter_values, storage
from pcc_desk.errors import ImportRejected
from pcc_desk.model import Document, Footnote, Position, Recommendation, StatusChange, Theme
from pcc_desk.services import letter_import, register

# a laptop's file and a team register (PostgreSQL)
pytestmark = pytest.mark.backends("sqlite", "postgresql")


def _count(desk, model) -> int:
    with desk.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def _copy(tmp_path, name="letter.md"):
    target = tmp_path / name
    shutil.copyfile(SAMPLE, target)
    return target


def test_preview_writes_nothing_and_proposes_references(desk, tmp_path):
    preview = letter_import.preview(desk, _copy(tmp_path))
    assert len(preview.letter.asks) == 22
    assert [m.ref for m in preview.comparison.matches][:2] == [
        "PCC-2023-03-17/01",
        "PCC-2023-03-17/02",
    ]
    assert preview.duplicate_of is None and not preview.is_reimport
    assert preview.sha256 == storage.sha256_file(SAMPLE)
    assert _count(desk, Document) == 0 and _count(desk, Recommendation) == 0
    assert not desk.location.files_dir.exists()


def test_preview_without_a_register_parses_only():
    preview = letter_import.preview(None, SAMPLE)
    assert preview.comparison.matches[-1].ref == "PCC-2023-03-17/22"


def test_commit_saves_document_themes_recommendations_and_linked_footnotes(desk, tmp_path):
    path = _copy(tmp_path)
    result = letter_import.commit(desk, letter_import.preview(desk, path))
    assert result.outcome == "imported"
    assert result.refs == tuple(f"PCC-2023-03-17/{n:02d}" for n in range(1, 23))
    with desk.reading() as session:
        doc = session.scalars(select(Document)).one()
        assert doc.kind.value == "letter" and doc.date == dt.date(2023, 3, 17)
        assert (doc.sender, doc.sender_role) == (
            "Susan Hall AM",
            "Chairman of the Police and Crime Committee",
        )
        assert (doc.recipient, doc.recipient_role) == (
            "Sir Mark Rowley",
            "Commissioner of Police of the Metropolis",
        )
        assert doc.cc == [
            "Sophie Linden, Deputy Mayor for Policing and Crime",
            "Diana Luchford, CEO, MOPAC",
        ]
        assert doc.salutation == "Dear Sir Mark,"
        assert doc.subject.startswith("Police and Crime Committee Response")
        assert doc.file_name == "letter.md" and doc.sha256 == storage.sha256_file(path)
        assert doc.stored_path is None  # kept in the register, not in a folder beside it
    assert kept_files(desk) == {doc.sha256: path.read_bytes()}
    with desk.reading() as session:
        assert [t.name for t in session.scalars(select(Theme).order_by(Theme.ordinal))] == list(
            SAMPLE_THEMES
        )
        notes = {n.number: n for n in session.scalars(select(Footnote))}
        assert len(notes) == 36
        assert notes[1].urls == ["https://www.met.police.uk/turnaround-plan"]
        assert (
            notes[6].meeting_date == dt.date(2022, 10, 12)
            and notes[6].committee == "Police and Crime Committee"
        )
        recs = list(session.scalars(select(Recommendation).order_by(Recommendation.ordinal)))
        assert [r.ref for r in recs] == list(result.refs)
        for rec, (theme, first, _last, footnotes) in zip(recs, SAMPLE_ASKS, strict=True):
            assert rec.text.startswith(first)
            assert rec.theme.name == SAMPLE_THEMES[theme]
            assert tuple(n.number for n in rec.footnotes) == footnotes
            assert rec.addressee == "Sir Mark Rowley" and rec.kind.value == "recommendation"
            assert rec.made == dt.date(2023, 3, 17) and rec.due == rec.original_due == dt.date(
                2023, 5, 17
            )
            assert rec.document_id == doc.id and rec.text in rec.context
        notes_of_18 = {n.number for n in recs[10].footnotes}
        assert notes_of_18 == {18, 19}
        history = list(
            session.scalars(
                select(StatusChange).where(StatusChange.recommendation_id == recs[0].id)
            )
        )
        assert [(h.from_status, h.to_status.value, h.note) for h in history] == [
            (None, "awaiting-response", "Imported from letter.md")
        ]
    detail = register.get_recommendation(desk, "PCC-2023-03-17/11")
    assert [n.number for n in detail.footnotes] == [18, 19]


def test_same_file_twice_adds_nothing_and_says_when(desk, tmp_path):
    path = _copy(tmp_path)
    letter_import.commit(desk, letter_import.preview(desk, path))
    again = letter_import.preview(desk, _copy(tmp_path, "renamed copy.md"))
    assert again.duplicate_of is not None
    result = letter_import.commit(desk, again)
    assert result.outcome == "duplicate"
    assert (
        result.message
        == f"renamed copy.md: already imported on {dt.date.today().day} {dt.date.today():%B %Y}; nothing was added."
    )
    assert (
        _count(desk, Document) == 1
        and _count(desk, Recommendation) == 22
        and _count(desk, Footnote) == 36
    )


def test_edited_letter_reimport_adds_only_new_asks_and_lists_changed_and_removed(desk, tmp_path):
    letter_import.commit(desk, letter_import.preview(desk, _copy(tmp_path)))
    register.log_response(
        desk,
        "PCC-2023-03-17/05",
        received=dt.date(2023, 5, 1),
        position=Position.ACCEPTED,
        text="We will not lower standards.",
    )
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace(
        "**The Committee seeks reassurance that in order to meet recruitment targets, the Met does not lower its recruitment standards.**",
        "",
    )
    text = text.replace(
        "scrutiny of the Met’s reform.**",
        "scrutiny of the Met’s reform, published every quarter.**",
    )
    text = text.replace(
        "Yours sincerely,",
        "**We also ask the Met to publish its vetting backlog every month.**\n\nYours sincerely,",
    )
    edited = tmp_path / "letter v2.md"
    edited.write_text(text, encoding="utf-8")

    preview = letter_import.preview(desk, edited)
    assert preview.is_reimport and preview.duplicate_of is None
    comparison = preview.comparison
    assert [m.text for m in comparison.new] == [
        "We also ask the Met to publish its vetting backlog every month."
    ]
    assert [(m.ref, m.status) for m in comparison.changed] == [("PCC-2023-03-17/01", "changed")]
    assert [r.ref for r in comparison.removed] == ["PCC-2023-03-17/05"]

    result = letter_import.commit(desk, preview)
    assert result.outcome == "reimported" and result.refs == ("PCC-2023-03-17/23",)
    assert "1 new ask(s) added, 1 changed and 1 removed" in result.message
    assert _count(desk, Recommendation) == 23  # nothing duplicated, nothing dropped
    kept = register.get_recommendation(desk, "PCC-2023-03-17/05")
    assert kept.responses and kept.responses[0].text == "We will not lower standards."
    assert register.get_recommendation(desk, "PCC-2023-03-17/01").text.endswith(
        "scrutiny of the Met’s reform."
    )
    with desk.reading() as session:
        docs = list(session.scalars(select(Document).order_by(Document.created_at)))
        assert len(docs) == 2 and docs[1].supersedes_id == docs[0].id
        new = session.scalars(
            select(Recommendation).where(Recommendation.ref == "PCC-2023-03-17/23")
        ).one()
        assert (
            new.document_id == docs[1].id
            and new.theme.name == "Data driven and evidence based delivery"
        )


def test_commit_takes_the_clerks_edits_not_the_file(desk, tmp_path):
    preview = letter_import.preview(desk, _copy(tmp_path))
    letter = letter_values.drop_ask(preview.letter, 0)
    letter = letter_values.merge_asks(letter, 1, 2)
    letter = letter_values.edit_ask(
        letter, 0, text="Increase collaboration with partners in the final Plan."
    )
    result = letter_import.commit(desk, preview, letter=letter, accepted_suggestions=[1])
    assert len(result.refs) == 22 - 1 - 1 + 1
    first = register.get_recommendation(desk, "PCC-2023-03-17/01")
    assert (
        first.text == "Increase collaboration with partners in the final Plan."
        and first.theme == "Core policing activities"
    )
    assert [n.number for n in first.footnotes] == [2]
    texts = [r.text for r in register.list_recommendations(desk)]
    assert any(
        t.startswith("The Committee recommends that the final Plan includes further detail")
        for t in texts
    )
    assert not any(t.startswith("further detail on timescales") for t in texts)


def test_a_letter_without_a_date_is_refused_at_commit_and_nothing_is_saved(desk, tmp_path):
    path = tmp_path / "undated.md"
    path.write_text(
        "Dear Sir Mark,\n\nA subject\n\n**We ask the Met to publish the plan in full.**\n",
        encoding="utf-8",
    )
    preview = letter_import.preview(desk, path)
    assert preview.letter.head.date is None and "date" in " ".join(preview.letter.warnings)
    with pytest.raises(ImportRejected, match="date could not be read"):
        letter_import.commit(desk, preview)
    assert _count(desk, Document) == 0
    fixed = letter_import.with_date(preview.letter, dt.date(2024, 1, 9))
    assert letter_import.commit(desk, preview, letter=fixed).refs == ("PCC-2024-01-09/01",)


def test_file_changed_after_preview_is_refused(desk, tmp_path):
    path = _copy(tmp_path)
    preview = letter_import.preview(desk, path)
    path.write_text(path.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="changed since it was read"):
        letter_import.commit(desk, preview)
    assert _count(desk, Document) == 0 and _count(desk, Recommendation) == 0


def test_a_failure_inside_the_transaction_leaves_nothing(desk, tmp_path, monkeypatch):
    preview = letter_import.preview(desk, _copy(tmp_path))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(letter_import.saving, "_save_ask", broken)
    with pytest.raises(RuntimeError):
        letter_import.commit(desk, preview)
    assert _count(desk, Document) == 0 and _count(desk, Footnote) == 0 and _count(desk, Theme) == 0


def test_references_continue_after_existing_ones_for_the_same_date(desk, tmp_path):
    register.add_recommendation(desk, "An ask added by hand", made=dt.date(2023, 3, 17))
    result = letter_import.commit(desk, letter_import.preview(desk, _copy(tmp_path)))
    assert result.refs[0] == "PCC-2023-03-17/02" and result.refs[-1] == "PCC-2023-03-17/23"


def test_footnotes_citing_a_meeting_are_linked_to_its_transcript(desk, tmp_path):
    from pcc_desk.model import Transcript

    with desk.transaction() as session:
        session.add(
            Transcript(
                committee="Police and Crime Committee",
                meeting_date=dt.date(2022, 10, 12),
                title="Q&A with the Commissioner",
            )
        )
    letter_import.commit(desk, letter_import.preview(desk, _copy(tmp_path)))
    with desk.reading() as session:
        linked = {
            n.number
            for n in session.scalars(select(Footnote).where(Footnote.transcript_id.is_not(None)))
        }
    assert linked == {6, 7, 8, 10, 14, 18, 23}


def test_refresh_recomputes_references_after_the_clerks_edits(desk, tmp_path):
    preview = letter_import.preview(desk, _copy(tmp_path))
    edited = letter_import.refresh(desk, preview, letter_values.drop_ask(preview.letter, 0))
    assert (
        len(edited.comparison.matches) == 21
        and edited.comparison.matches[-1].ref == "PCC-2023-03-17/21"
    )
    assert edited.sha256 == preview.sha256


def test_another_letter_of_the_same_day_is_not_taken_for_a_new_version(desk, tmp_path):
    letter_import.commit(desk, letter_import.preview(desk, _copy(tmp_path)))
    other = tmp_path / "other.md"
    other.write_text(
        "Susan Hall AM\nChairman of the Police and Crime Committee\n\nSir Mark Rowley\nCommissioner of Police of the Metropolis\n\n"
        "17 March 2023\n\nDear Sir Mark,\n\nStop and search in Lambeth\n\n**We ask the Met to publish its stop and search data by ward.**\n",
        encoding="utf-8",
    )
    preview = letter_import.preview(desk, other)
    assert not preview.is_reimport
    assert letter_import.commit(desk, preview).refs == ("PCC-2023-03-17/23",)
