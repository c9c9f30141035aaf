"""A follow-up on many letters has a subject longer than 255 characters, the limit of a Word document's
properties (title, author): the letter keeps the whole subject in its text, and its title property is
the subject cut at a word. The same for exports under a long Committee name."""

from __future__ import annotations

import datetime as dt
import random

import docx
import pytest

from pcc_desk.cli import main as cli_main
from pcc_desk.letters.writer import CORE_PROPERTY_LIMIT, core_property
from pcc_desk.model import Document, DocumentKind, Recommendation, StatusChange
from pcc_desk.services import letters, settings
from pcc_desk.services.register import default_due


def _letters(desk, count: int, rng: random.Random) -> list[str]:
    """``count`` imported letters of different dates and subjects, one ask each; their references."""
    words = [
        "policing",
        "vetting",
        "neighbourhood",
        "standards",
        "recruitment",
        "victims",
        "Turnaround",
        "data",
        "reform",
    ]
    refs = []
    with desk.transaction(("recommendations",)) as s:
        for n in range(count):
            made = dt.date(2020, 1, 1) + dt.timedelta(days=17 * n + rng.randrange(9))
            subject = "Police and Crime Committee: " + " ".join(
                rng.choices(words, k=rng.randint(3, 14))
            )
            letter = Document(kind=DocumentKind.LETTER, title=subject, subject=subject, date=made)
            s.add(letter)
            s.flush()
            ref = f"PCC-{made.isoformat()}/01"
            rec = Recommendation(
                ref=ref,
                text=f"The Committee asks for an update on item {n}.",
                addressee="Sir Mark Rowley",
                document_id=letter.id,
                made=made,
                original_due=default_due(made),
                due=default_due(made),
            )
            s.add(rec)
            s.flush()
            s.add(
                StatusChange(
                    recommendation_id=rec.id,
                    from_status=None,
                    to_status=rec.status,
                    note="Imported",
                )
            )
            refs.append(ref)
    return refs


def _subject_paragraph(document) -> str:
    return next(p.text for p in document.paragraphs if p.style.name == "Letter Subject")


@pytest.mark.parametrize("count", [15, 16, 23, 40])
def test_a_follow_up_on_many_letters_is_drafted_with_its_whole_subject(desk, tmp_path, count):
    refs = _letters(desk, count, random.Random(count))
    out = tmp_path / "follow-up.docx"
    result = letters.draft_letter(
        desk, letters.Selection(refs=tuple(refs)), out, today=dt.date(2024, 1, 1)
    )
    assert result.refs and out.is_file()
    document = docx.Document(str(out))
    subject = _subject_paragraph(document)
    assert len(subject) > CORE_PROPERTY_LIMIT
    title = document.core_properties.title
    assert 0 < len(title) <= CORE_PROPERTY_LIMIT
    assert subject.startswith(title.removesuffix("…"))


@pytest.mark.parametrize(
    "subject",
    [
        "x" * 254,
        "y" * 255,
        "z" * 256,
        "Re: " + "a very long subject " * 20,
        "Follow-up: " + ", ".join(f"{d} March 2023" for d in range(1, 31)),
        "Sir Mark’s “response” – naïve café " * 12,
        "日本語の件名" * 60,
        "word " * 2000,
    ],
    ids=lambda s: f"{len(s)}-chars",
)
def test_draft_letter_takes_a_subject_of_any_length_on_the_command_line(
    desk, db_path, tmp_path, capsys, subject
):
    refs = _letters(desk, 2, random.Random(len(subject)))
    out = tmp_path / "letter.docx"
    rc = cli_main(
        [
            "--db",
            str(db_path),
            "draft-letter",
            "--refs",
            ",".join(refs),
            "--subject",
            subject,
            "--out",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert rc == 0, captured.err
    assert "Traceback" not in captured.err
    document = docx.Document(str(out))
    assert " ".join(_subject_paragraph(document).split()) == " ".join(subject.split())
    title = document.core_properties.title
    assert len(title) <= CORE_PROPERTY_LIMIT
    assert " ".join(subject.split()).startswith(title.removesuffix("…"))


@pytest.mark.parametrize("length", [200, 256, 600])
def test_exports_under_a_long_committee_name_are_written(desk, tmp_path, length):
    name = ("The London Assembly Police and Crime Committee " * 20)[:length].strip()
    settings.update_settings(desk, {"committee": name})
    _letters(desk, 3, random.Random(length))
    tracker = letters.export_tracker(desk, tmp_path / "tracker.docx").path
    actions = letters.summary_of_actions(
        desk, tmp_path / "actions.docx", meeting=dt.date(2024, 2, 1)
    ).path
    for path in (tracker, actions):
        props = docx.Document(str(path)).core_properties
        assert 0 < len(props.title) <= CORE_PROPERTY_LIMIT


def test_a_property_is_cut_at_a_word_and_marked():
    text = "word " * 100
    cut = core_property(text)
    assert len(cut) <= CORE_PROPERTY_LIMIT and cut.endswith("word…")
    assert core_property("short title") == "short title"
    assert len(core_property("x" * 1000)) == CORE_PROPERTY_LIMIT
