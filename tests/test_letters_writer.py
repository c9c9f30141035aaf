"""The letter writer on its own: salutations, wording, composing, templates (no database)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from support import docx_readback as rb

from pcc_desk.errors import InvalidInput, NotFound
from pcc_desk.letters import writer as w


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sir Mark Rowley", "Dear Sir Mark,"),
        ("Sir Mark Rowley QPM", "Dear Sir Mark,"),
        ("Sophie Linden", "Dear Sophie,"),
        ("Dame Lynne Owens", "Dear Dame Lynne,"),
        ("Dame Lynne Owens DBE QPM", "Dear Dame Lynne,"),
        ("Lord Harris", "Dear Lord Harris,"),
        ("Lord Harris of Haringey", "Dear Lord Harris,"),
        ("Baroness Casey", "Dear Baroness Casey,"),
        ("Professor Laurence Sherman", "Dear Laurence,"),
        ("Susan Hall AM", "Dear Susan,"),
        ("The Rt Hon Sadiq Khan", "Dear Sadiq,"),
        ("", "Dear Sir or Madam,"),
    ],
)
def test_salutation_is_derived_from_the_recipient(name, expected):
    assert w.salutation_for(name) == expected


def test_wording_overrides_replace_defaults_and_unknown_keys_are_refused():
    words = w.wording({"sign_off": "Yours faithfully,"})
    assert words["sign_off"] == "Yours faithfully,"
    assert words["opening"] == w.wording()["opening"]
    with pytest.raises(InvalidInput, match="'sign_of' is not a letter wording"):
        w.wording({"sign_of": "x"})


def test_long_responses_are_cut_at_a_sentence_with_an_ellipsis():
    text = "First sentence is here. " * 60
    cut = w.shorten_quote(text, limit=100)
    assert cut.endswith("here. […]") and len(cut) <= 110
    assert w.shorten_quote("Short “quoted”.") == "Short ‘quoted’"


def _item(**kw) -> w.ItemInput:
    base = dict(
        ref="R1",
        theme="Theme A",
        ask="Do the thing.",
        made=dt.date(2023, 3, 17),
        due=dt.date(2023, 5, 17),
    )
    base.update(kw)
    return w.ItemInput(**base)


def _letter(**kw) -> w.LetterInput:
    base = dict(
        committee="Police and Crime Committee",
        sender="Susan Hall AM",
        sender_role="Chairman",
        recipient="Sophie Linden",
        recipient_role="",
        date=dt.date(2023, 7, 1),
        items=(_item(),),
    )
    base.update(kw)
    return w.LetterInput(**base)


def test_compose_leaves_out_empty_lines_instead_of_writing_empty_paragraphs():
    blocks = w.compose(_letter(cc=(), recipient_role="", clerk_name="", clerk_email=""))
    assert all(b.text.strip() for b in blocks)
    assert not [b for b in blocks if b.text.startswith("CC:")]
    assert [b.text for b in blocks if b.role == "recipient"] == ["Sophie Linden"]
    assert not [b for b in blocks if "know if you would like" in b.text]
    assert [b.text for b in blocks if b.role == "salutation"] == ["Dear Sophie,"]


def test_items_without_a_theme_go_under_other_matters_and_custom_asks_win():
    blocks = w.compose(
        _letter(items=(_item(theme="", follow_up_ask="Please publish the plan by May."),))
    )
    assert [b.text for b in blocks if b.role == "heading"] == ["Other matters"]
    asks = [p.text for b in blocks for p in b.parts if isinstance(p, w.Strong)]
    assert asks == ["Please publish the plan by May."]


def test_a_wording_with_an_unknown_placeholder_is_refused():
    with pytest.raises(InvalidInput, match=r"'closing' uses \{deadline\}"):
        w.compose(_letter(wording={"closing": "Reply by {deadline}."}))


def test_no_items_no_letter():
    with pytest.raises(InvalidInput):
        w.compose(_letter(items=()))


def test_missing_or_broken_template_gives_a_clear_error(tmp_path):
    with pytest.raises(NotFound):
        w.open_template(tmp_path / "nope.docx")
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    with pytest.raises(InvalidInput, match=r"bad\.docx is not a Word \.docx file"):
        w.open_template(tmp_path / "bad.docx")


def test_a_dotx_template_is_accepted(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(w.default_template()) as source, zipfile.ZipFile(data, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info, content)
    (tmp_path / "letterhead.dotx").write_bytes(data.getvalue())
    written = w.write_letter(_letter(), tmp_path / "out.docx", tmp_path / "letterhead.dotx")
    _doc, paras, _notes = rb.read(written.path)
    assert paras[0].style == "Sender Block"


def test_a_bare_template_gets_plain_letter_styles_without_fonts(tmp_path):
    bare = docx.Document()
    bare.save(str(tmp_path / "bare.docx"))
    items = (
        _item(
            quotes=(
                w.QuoteInput(
                    "we will do it",
                    "Sophie Linden",
                    "PCC, 1 June 2023 – transcript",
                    dt.date(2023, 6, 1),
                ),
            )
        ),
    )
    written = w.write_letter(_letter(items=items), tmp_path / "out.docx", tmp_path / "bare.docx")
    document, paras, notes = rb.read(written.path)
    assert rb.formatting_noise(document) == []
    assert all(p.text.strip() for p in paras)
    styles = document.styles
    for name in ("Sender Block", "Theme Heading", "Quotation", "Sign-off"):
        assert styles[name].font.name is None and styles[name].font.size is None
    assert (
        styles["Theme Heading"].font.bold
        and styles["Theme Heading"].paragraph_format.keep_with_next
    )
    quote = next(p for p in paras if p.style == "Quotation")
    assert quote.ends_with_ref and notes[quote.refs[0]] == "PCC, 1 June 2023 – transcript"
    assert "you told us" in paras[[p.text for p in paras].index(quote.text) - 1].text


def test_the_shipped_template_is_what_the_build_script_makes(tmp_path):
    """The committed .docx and its generator agree (styles and page set-up)."""
    import importlib.util

    from pcc_desk import paths

    spec = importlib.util.spec_from_file_location(
        "build_template", paths.resources_dir() / "templates" / "build_template.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = docx.Document(str(module.build(tmp_path / "fresh.docx")))
    shipped = docx.Document(str(w.default_template()))

    def style_xml(document):
        return {s.style_id: s.element.xml for s in document.styles}

    assert style_xml(fresh) == style_xml(shipped)
    assert fresh.sections[0].left_margin == shipped.sections[0].left_margin


def test_quotation_marks_inside_a_quoted_ask_become_single():
    item = _item(ask="the Met’s outcome for “Better, more visible relationships … that matter”.")
    recap = next(
        b.text for b in w.compose(_letter(items=(item,))) if b.text.startswith("In our letter")
    )
    assert (
        recap
        == "In our letter of 17 March 2023, the Committee said: “the Met’s outcome for ‘Better, more visible relationships … that matter’”."
    )
    assert w.shorten_quote("“We will.”") == w.shorten_quote('"We will."') == "We will"


def test_a_wording_set_empty_leaves_its_paragraph_out():
    blocks = w.compose(_letter(wording={"no_response": "", "sent_by": "", "ask_no_response": ""}))
    assert all(b.text.strip() for b in blocks)
    assert not [b for b in blocks if "not yet received" in b.text or b.text == "(Sent by email)"]
