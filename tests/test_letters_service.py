"""draft_letter as a service and a command: selections, settings, recipients, locked files."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from support import docx_readback as rb
from support import letter_register as reg

from pcc_desk.errors import FileLocked, InvalidInput, NotFound
from pcc_desk.model import Status
from pcc_desk.services.letters import Selection, draft_letter
from pcc_desk.services.settings import CommitteeSettings, get_settings, save_settings

# a laptop's file and a team register (PostgreSQL)
pytestmark = pytest.mark.backends("sqlite", "postgresql")

TODAY = dt.date(2023, 7, 14)


@pytest.fixture
def filled(desk):
    reg.build(desk)
    return desk


def _asks_in(path) -> list[str]:
    _doc, paras, _notes = rb.read(path)
    full = "\n".join(p.text for p in paras)
    return [ask for _t, ask, _n in reg.ASKS if ask.rstrip(".") in full]


def test_selection_by_status_takes_only_those(filled, tmp_path):
    result = draft_letter(
        filled, Selection(status=Status.FOLLOW_UP_NEEDED), tmp_path / "f.docx", today=TODAY
    )
    assert result.refs == (reg.refs()[0], reg.refs()[5])
    assert _asks_in(result.path) == [reg.ASKS[0][1], reg.ASKS[5][1]]


def test_overdue_selection_is_awaiting_response_past_due(filled, tmp_path):
    with pytest.raises(InvalidInput, match="No recommendations match overdue"):
        draft_letter(
            filled, Selection(overdue=True), tmp_path / "early.docx", today=dt.date(2023, 5, 17)
        )
    assert not (tmp_path / "early.docx").exists()
    result = draft_letter(filled, Selection(overdue=True), tmp_path / "o.docx", today=TODAY)
    assert set(result.refs) == {reg.refs()[i] for i in (1, 2, 4, 6, 7)}
    assert result.without_response == 5


def test_unknown_reference_writes_nothing(filled, tmp_path):
    with pytest.raises(NotFound, match="PCC-1999-01-01/01"):
        draft_letter(
            filled, Selection(refs=(reg.refs()[0], "PCC-1999-01-01/01")), tmp_path / "x.docx"
        )
    assert list(tmp_path.glob("*.docx")) == []


def test_exactly_one_way_of_choosing(filled, tmp_path):
    with pytest.raises(InvalidInput, match="one way"):
        draft_letter(filled, Selection(refs=("a",), overdue=True), tmp_path / "x.docx")


def test_settings_wording_template_and_people_are_used(filled, tmp_path):
    template = rb.make_custom_template(tmp_path / "mine.docx")
    save_settings(
        filled,
        CommitteeSettings(
            chair="Jane Doe AM",
            chair_role="Chair of the Police and Crime Committee",
            clerk_name="Sam Clerk",
            clerk_email="sam.clerk@example.org",
            letter_template=str(template),
            default_cc=(),
            wording={"sign_off": "Yours faithfully,", "closing": "Please reply by {reply_by}."},
        ),
    )
    result = draft_letter(
        filled,
        Selection(refs=(reg.refs()[0],)),
        tmp_path / "s.docx",
        letter_date=dt.date(2023, 7, 1),
        reply_by=dt.date(2023, 8, 4),
        recipient="Dame Lynne Owens",
        today=TODAY,
    )
    assert result.template == template and result.salutation == "Dear Dame Lynne,"
    _doc, paras, _notes = rb.read(result.path)
    texts = [p.text for p in paras]
    assert texts[0] == "Jane Doe AM\nChair of the Police and Crime Committee"
    assert texts[1] == "Dame Lynne Owens"  # no role known for her
    assert not [t for t in texts if t.startswith("CC:")]
    assert "Please reply by 4 August 2023." in texts and "Yours faithfully," in texts
    assert any("Sam Clerk, sam.clerk@example.org" in t for t in texts)
    assert get_settings(filled).wording["sign_off"] == "Yours faithfully,"


def test_salutation_can_be_edited(filled, tmp_path):
    result = draft_letter(
        filled,
        Selection(refs=(reg.refs()[0],)),
        tmp_path / "s.docx",
        salutation="Dear Commissioner,",
    )
    _doc, paras, _notes = rb.read(result.path)
    assert [p.text for p in paras if p.style == "Salutation"] == ["Dear Commissioner,"]


def test_a_letter_open_in_word_is_not_touched(filled, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "Follow-up letter.docx"
    target.write_bytes(b"the clerk's edited copy")
    owner = (
        tmp_path / "out" / "~$llow-up letter.docx"
    )  # Word's owner file drops the first two characters
    owner.write_bytes(b"owner")
    with pytest.raises(FileLocked, match="close the file in Word and try again"):
        draft_letter(filled, Selection(refs=(reg.refs()[0],)), target)
    assert target.read_bytes() == b"the clerk's edited copy"
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "Follow-up letter.docx",
        "~$llow-up letter.docx",
    ]


def test_a_locked_target_on_replace_leaves_no_half_written_file(filled, tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "letter.docx"
    target.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(
            13, "The process cannot access the file because it is being used by another process"
        )

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(FileLocked, match=r"letter.docx is open .*close the file in Word"):
        draft_letter(filled, Selection(refs=(reg.refs()[0],)), target)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["letter.docx"]


def test_cli_drafts_a_letter_and_refuses_bad_input_in_one_line(register_db, tmp_path, cli):
    from pcc_desk.services import Desk

    with Desk.open(register_db) as desk:
        reg.build(desk)
    out = tmp_path / "letter.docx"
    ok = cli(
        "draft-letter",
        "--refs",
        f"{reg.refs()[0]},{reg.refs()[3]}",
        "--to",
        "Sir Mark Rowley",
        "--out",
        str(out),
        db=register_db,
        check_rc=0,
    )
    assert "2 recommendation(s)" in ok.stdout and out.exists()
    assert _asks_in(out) == [reg.ASKS[0][1], reg.ASKS[3][1]]
    bad = cli(
        "draft-letter",
        "--status",
        "follow-up-needed",
        "--out",
        str(tmp_path / "x.pdf"),
        db=register_db,
        check_rc=2,
    )
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    assert not (tmp_path / "x.pdf").exists()
    none = cli(
        "draft-letter",
        "--refs",
        "PCC-2023-03-17/01",
        "--overdue",
        "--out",
        str(tmp_path / "y.docx"),
        db=register_db,
    )
    assert none.returncode == 2 and not (tmp_path / "y.docx").exists()


def test_outline_previews_the_letter_without_writing_it(filled, tmp_path):
    from pcc_desk.services.letters import outline_letter

    outline = outline_letter(filled, Selection(refs=(reg.refs()[3],)), letter_date=TODAY)
    assert [p.text for p in outline if p.role == "heading"] == ["Neighbourhood policing"]
    quote = next(p for p in outline if p.role == "quote")
    assert quote.text == f"“{reg.QUOTES[0][2]}”"
    assert [n.text for n in quote.footnotes] == [reg.CITATION]
    assert [p.text for p in outline if p.ask] == [
        "The Committee asks for an update on the progress made against this recommendation."
    ]
    written = draft_letter(
        filled, Selection(refs=(reg.refs()[3],)), tmp_path / "l.docx", letter_date=TODAY
    )
    _doc, paras, _notes = rb.read(written.path)
    assert [p.text for p in paras] == [p.text for p in outline]
    assert list(tmp_path.glob("*.docx")) == [written.path]
