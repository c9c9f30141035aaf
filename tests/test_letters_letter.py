"""A follow-up letter drafted from a realistic register, read back from the .docx, and opened by
LibreOffice and pandoc (one conversion for the whole module)."""

from __future__ import annotations

import datetime as dt
import shutil

import docx
import pytest
from support import docx_readback as rb
from support import letter_register as reg

from pcc_desk.dates import house_date
from pcc_desk.letters.writer import default_template
from pcc_desk.services import Desk
from pcc_desk.services.letters import Selection, draft_letter

LETTER_DAY = dt.date(2023, 7, 14)
TODAY = dt.date(2023, 7, 14)


@pytest.fixture(scope="module")
def drafted(tmp_path_factory, template_db):
    """The register, the letter with the shipped template and with a custom one, PDFs and markdown."""
    folder = tmp_path_factory.mktemp("letter")
    db = folder / "register.sqlite3"
    shutil.copyfile(template_db, db)
    desk = Desk.open(db)
    refs = reg.build(desk)
    letter = draft_letter(
        desk,
        Selection(refs=tuple(refs)),
        folder / "follow-up.docx",
        letter_date=LETTER_DAY,
        today=TODAY,
    )
    custom_template = rb.make_custom_template(folder / "clerk-letterhead.docx")
    custom = draft_letter(
        desk,
        Selection(refs=tuple(refs)),
        folder / "custom.docx",
        template=custom_template,
        letter_date=LETTER_DAY,
        today=TODAY,
    )
    yield {"desk": desk, "refs": refs, "letter": letter, "custom": custom, "folder": folder}
    desk.close()


@pytest.fixture(scope="module")
def rendered(drafted):
    """Both letters converted by LibreOffice in one call, and the letter read by pandoc."""
    letter, custom = drafted["letter"], drafted["custom"]
    pdf, custom_pdf = rb.to_pdf([letter.path, custom.path], drafted["folder"])
    return {
        **drafted,
        "pdf_text": rb.pdf_text(pdf),
        "custom_fonts": rb.pdf_fonts(custom_pdf),
        "fonts": rb.pdf_fonts(pdf),
        "markdown": rb.pandoc_markdown(letter.path),
    }


def office(test):
    """Needs LibreOffice, poppler-utils and pandoc (scripts/setup.sh --test installs them)."""
    return pytest.mark.office(
        pytest.mark.skipif(
            not rb.have_office(), reason="needs LibreOffice, poppler-utils and pandoc"
        )(test)
    )


def _ask(text: str) -> str:
    return text.rstrip(".")


def test_every_ask_appears_once_and_in_theme_order(drafted):
    _doc, paras, _notes = rb.read(drafted["letter"].path)
    full = "\n".join(p.text for p in paras)
    positions = []
    for _theme, ask, _numbers in reg.ASKS:
        assert full.count(_ask(ask)) == 1, ask
        positions.append(full.index(_ask(ask)))
    assert positions == sorted(positions)
    headings = [p.text for p in paras if p.style == "Theme Heading"]
    assert headings == reg.THEMES
    # each ask sits under its own theme's heading
    for theme, ask, _n in reg.ASKS:
        heading_at = full.index("\n" + reg.THEMES[theme] + "\n")
        next_heading = min(
            [full.index("\n" + t + "\n") for t in reg.THEMES[theme + 1 :]] or [len(full)]
        )
        assert heading_at < full.index(_ask(ask)) < next_heading
    assert drafted["letter"].refs == tuple(reg.refs())


def test_every_quote_is_followed_by_a_footnote_carrying_its_citation(drafted):
    _doc, paras, notes = rb.read(drafted["letter"].path)
    quotes = [p for p in paras if p.style == "Quotation"]
    assert [q.text for q in quotes] == [f"“{span}”" for _a, _s, span in reg.QUOTES]
    for q in quotes:
        assert q.ends_with_ref and len(q.refs) == 1
        assert notes[q.refs[0]] == reg.CITATION
    intro = [p.text for p in paras if "told us" in p.text]
    assert (
        intro == ["At the Committee’s meeting on 12 October 2022, you told us:"] * 2
    )  # the recipient spoke


def test_footnote_ids_match_the_footnotes_part_numbered_in_order(drafted):
    document, paras, notes = rb.read(drafted["letter"].path)
    refs = [r for p in paras for r in p.refs]
    assert refs == list(range(1, len(refs) + 1))
    assert sorted(notes) == refs
    assert drafted["letter"].footnotes == len(refs)
    from docx.oxml.ns import qn

    from pcc_desk.letters import footnotes as fn

    stored = [
        int(n.get(qn("w:id")))
        for n in fn.footnotes_part(document).element.iterchildren(qn("w:footnote"))
    ]
    assert stored == [-1, 0, *refs]


def test_original_footnotes_carried_over_unless_a_quote_cites_that_meeting(drafted):
    _doc, paras, notes = rb.read(drafted["letter"].path)
    recaps = {p.text: p for p in paras if p.text.startswith("In our letter of 17 March 2023")}
    by_ask = {
        ask: next(p for t, p in recaps.items() if _ask(ask) in t) for _th, ask, _n in reg.ASKS
    }
    first = by_ask[reg.ASKS[0][1]]
    assert [notes[r] for r in first.refs] == [
        "MPS Turnaround Plan 2023-2025 (met.police.uk) https://www.met.police.uk/turnaround-plan"
    ]
    third = by_ask[reg.ASKS[2][1]]
    assert [notes[r] for r in third.refs] == [
        f"Police and Crime Committee, 11 January 2023 – transcript {reg.TRANSCRIPT_URL}"
    ]
    # asks 4 and 5 cited the 12 October meeting; their quotes from it carry the citation instead
    assert by_ask[reg.ASKS[3][1]].refs == () and by_ask[reg.ASKS[4][1]].refs == ()


def test_footnote_urls_are_live_links(drafted):
    document, _paras, _notes = rb.read(drafted["letter"].path)
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from pcc_desk.letters import footnotes as fn

    targets = {
        rel.target_ref
        for rel in fn.footnotes_part(document).rels.values()
        if rel.reltype == RT.HYPERLINK
    }
    assert targets == {reg.PLAN, reg.TRANSCRIPT_URL}


def test_responses_quoted_with_their_dates_or_their_absence_said(drafted):
    _doc, paras, _notes = rb.read(drafted["letter"].path)
    texts = [p.text for p in paras]
    assert (
        "The response of 2 May 2023 stated: “The final Turnaround Plan sets out our performance framework. We will publish quarterly updates on our progress against the framework from the autumn”."
        in texts
    )
    assert any(
        t.startswith("The response from Deputy Commissioner Dame Lynne Owens of 9 May 2023 stated:")
        for t in texts
    )
    assert (
        texts.count(
            "The Committee has not yet received a response to this recommendation, which was due by 17 May 2023."
        )
        == 5
    )
    assert drafted["letter"].without_response == 5


def test_asks_are_bold_through_the_ask_style_only(drafted):
    _doc, paras, _notes = rb.read(drafted["letter"].path)
    asks = [p for p in paras if p.bold_text]
    assert len(asks) == len(reg.ASKS)
    assert all(p.bold_text == p.text for p in asks)
    assert asks[0].text.startswith("The Committee asks for further information")  # follow-up needed
    assert asks[1].text.startswith("The Committee asks for a response")  # no response yet


def test_no_empty_paragraphs_and_no_direct_formatting(drafted):
    document, paras, _notes = rb.read(drafted["letter"].path)
    assert all(p.text.strip() for p in paras)
    assert rb.formatting_noise(document) == []
    assert not document.element.body.findall(
        ".//" + "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tbl"
    )


def test_letter_head_salutation_subject_and_close_in_house_style(drafted):
    _doc, paras, _notes = rb.read(drafted["letter"].path)
    by_style = [(p.style, p.text) for p in paras]
    assert by_style[:7] == [
        ("Sender Block", "Susan Hall AM\nChairman of the Police and Crime Committee"),
        ("Recipient Block", "Sir Mark Rowley\nCommissioner of Police of the Metropolis"),
        ("Letter Note", "(Sent by email)"),
        (
            "Letter Note",
            "CC: Sophie Linden, Deputy Mayor for Policing and Crime; Diana Luchford, CEO, MOPAC",
        ),
        ("Letter Date", house_date(LETTER_DAY)),
        ("Salutation", "Dear Sir Mark,"),
        ("Letter Subject", f"Follow-up to the Committee’s letter of 17 March 2023: {reg.SUBJECT}"),
    ]
    opening = paras[7].text
    assert "17 March 2023" in opening and reg.SUBJECT in opening
    assert [p.style for p in paras[-4:]] == ["Normal", "Normal", "Sign-off", "Signature Block"]
    assert paras[-4].text.endswith("by 14 August 2023.")
    assert "Janette Roker, janette.roker@london.gov.uk" in paras[-3].text
    assert paras[-2].text == "Yours sincerely,"
    assert paras[-1].text == "Susan Hall AM\nChairman of the Police and Crime Committee"


def test_shipped_template_page_setup_and_letterhead_kept(drafted):
    document = docx.Document(str(drafted["letter"].path))
    template = docx.Document(str(default_template()))
    ours, theirs = document.sections[0], template.sections[0]
    assert (ours.page_width, ours.left_margin, ours.top_margin) == (
        theirs.page_width,
        theirs.left_margin,
        theirs.top_margin,
    )
    assert ours.different_first_page_header_footer
    assert "LONDONASSEMBLY" in "".join(p.text for p in ours.first_page_header.paragraphs)


def test_custom_template_fonts_margins_and_styles_are_used(drafted):
    document, paras, _notes = rb.read(drafted["custom"].path)
    section = document.sections[0]
    margins = (section.left_margin.cm, section.right_margin.cm, section.top_margin.cm)
    assert tuple(round(m, 2) for m in margins) == (3.5, 3.5, 4.0)
    assert document.styles["Normal"].font.name == "DejaVu Serif"
    heading = document.styles["Theme Heading"]
    assert heading.font.italic and heading.font.name == "DejaVu Sans"
    assert [p.text for p in paras if p.style == "Theme Heading"] == reg.THEMES
    # styles the template lacked were added plainly: based on Normal, no font of their own
    for name in ("Quotation", "Sender Block", "Letter Subject"):
        style = document.styles[name]
        assert (
            style.base_style.name == "Normal"
            and style.font.name is None
            and style.font.size is None
        )
    # the clerk's template had no Ask style: the asks use its Strong style
    asks = [p for p in paras if p.text.startswith("The Committee asks")]
    assert len(asks) == len(reg.ASKS) and all(p.char_styles == ("Strong",) for p in asks)
    assert rb.formatting_noise(document) == []
    assert "Custom Letterhead Ltd" in document.sections[0].header.paragraphs[0].text


@office
def test_libreoffice_renders_the_text_and_each_footnote_under_its_number(rendered):
    text = rendered["pdf_text"]
    flat = " ".join(text.split())
    assert "Dear Sir Mark," in flat and "Yours sincerely," in flat
    for theme in reg.THEMES:
        assert theme in flat
    _doc, _paras, notes = rb.read(rendered["letter"].path)
    printed = rb.pdf_footnotes(text)
    assert sorted(printed) == sorted(notes)
    for number, note in notes.items():
        assert note.startswith(printed[number]), (number, printed[number], note)
    assert "Arial" in rendered["fonts"] or "LiberationSans" in rendered["fonts"]


@office
def test_libreoffice_uses_the_custom_templates_fonts(rendered):
    assert "DejaVuSerif" in rendered["custom_fonts"]
    assert (
        "LiberationSans" not in rendered["custom_fonts"] and "Arial" not in rendered["custom_fonts"]
    )


@office
def test_pandoc_reads_real_footnotes(rendered):
    md = rendered["markdown"]
    _doc, _paras, notes = rb.read(rendered["letter"].path)
    for number in notes:
        assert f"[^{number}]:" in md
    assert f'"{reg.QUOTES[0][2]}"[^' in md  # pandoc writes curly quotes as straight ones
    assert f"[^{min(notes)}]: MPS Turnaround Plan 2023-2025 (met.police.uk) <{reg.PLAN}>" in md
