"""Reading letters as real Word files: written here with python-docx, and the corpus of other projects'."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from support.letter_fixtures import (
    SAMPLE,
    add_real_footnotes,
    assert_is_sample_letter,
    footnote_reference,
    write_letter_docx,
)

from pcc_desk.errors import ImportRejected
from pcc_desk.importers.letter_docx import docx_blocks
from pcc_desk.importers.letters import read_letter

CORPUS = Path(__file__).parent / "fixtures" / "corpus" / "docx"
CORPUS_FILES = sorted(CORPUS.rglob("*.docx"))


@pytest.fixture(scope="module")
def sample_docx(tmp_path_factory) -> Path:
    return write_letter_docx(tmp_path_factory.mktemp("docx") / "turnaround-plan.docx")


def _head(document):
    for line in (
        "Susan Hall AM",
        "Chairman of the Police and Crime Committee",
        "",
        "Sir Mark Rowley",
        "Commissioner of Police of the Metropolis",
        "",
        "17 March 2023",
        "",
        "Dear Sir Mark,",
        "A test letter",
    ):
        document.add_paragraph(line)
    document.add_heading("Policing", level=2)


def test_sample_letter_as_docx_gives_the_same_result_as_the_text(sample_docx):
    from_docx = read_letter(sample_docx)
    assert_is_sample_letter(from_docx)
    from_text = read_letter(SAMPLE)
    assert from_docx.head == from_text.head
    assert from_docx.themes == from_text.themes
    assert [(a.theme, a.text, a.footnotes) for a in from_docx.asks] == [
        (a.theme, a.text, a.footnotes) for a in from_text.asks
    ]
    assert from_docx.footnotes == from_text.footnotes
    assert [s.text for s in from_docx.suggested] == [s.text for s in from_text.suggested]
    assert from_docx.source_format == "docx"


def test_the_fixture_really_has_split_bold_runs_and_word_footnotes(sample_docx):
    document = docx.Document(sample_docx)
    body = document.element.body.xml
    assert body.count("w:footnoteReference") == 36
    assert 'w:rStyle w:val="Strong"' in body  # some bold comes from the character style only
    runs = [
        r
        for p in document.paragraphs
        for r in p.runs
        if r.bold or (r.style and r.style.name == "Strong")
    ]
    assert len(runs) > 22 * 2 and any(r.italic for r in runs)
    assert any(rel.reltype.endswith("/footnotes") for rel in document.part.rels.values())


def test_bold_from_character_style_paragraph_style_and_toggles(tmp_path):
    document = docx.Document()
    _head(document)
    ask_char = document.styles.add_style("Ask", WD_STYLE_TYPE.CHARACTER)
    ask_char.font.bold = True
    derived = document.styles.add_style("Ask Derived", WD_STYLE_TYPE.CHARACTER)
    derived.base_style = ask_char  # bold inherited through basedOn
    ask_para = document.styles.add_style("Ask Paragraph", WD_STYLE_TYPE.PARAGRAPH)
    ask_para.base_style = document.styles["Normal"]
    ask_para.font.bold = True

    p = document.add_paragraph("We note progress. ")
    p.add_run("We ask the Met to publish figures by borough.", style="Ask Derived")
    document.add_paragraph("We ask for a written reply within two months.", style="Ask Paragraph")
    p = document.add_paragraph("", style="Ask Paragraph")
    p.add_run(
        "Bold paragraph style and bold character style toggle each other off here.", style="Ask"
    )
    p = document.add_paragraph("", style="Ask Paragraph")
    r = p.add_run("Direct formatting switches the paragraph style's bold off here, as Word shows.")
    r.bold = False
    path = tmp_path / "styles.docx"
    document.save(path)
    asks = [a.text for a in read_letter(path).asks]
    assert asks == [
        "We ask the Met to publish figures by borough.",
        "We ask for a written reply within two months.",
    ]


def test_runs_inside_hyperlinks_count(tmp_path):
    document = docx.Document()
    _head(document)
    p = document.add_paragraph("See the report. ")
    p.add_run("We ask the Met to publish the ").bold = True
    rid = p.part.relate_to(
        "https://example.org/r",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    from docx.oxml import parse_xml

    p._p.append(
        parse_xml(
            '<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}">'
            "<w:r><w:rPr><w:b/></w:rPr><w:t>stop and search dashboard</w:t></w:r></w:hyperlink>"
        )
    )
    p.add_run(" every month.").bold = True
    path = tmp_path / "link.docx"
    document.save(path)
    assert [a.text for a in read_letter(path).asks] == [
        "We ask the Met to publish the stop and search dashboard every month."
    ]


def test_footnotes_are_numbered_in_reference_order_whatever_their_ids(tmp_path):
    document = docx.Document()
    _head(document)
    add_real_footnotes(
        document,
        {7: [("Second note", None, False)], 3: [("First note", "https://example.org/1", False)]},
    )
    p = document.add_paragraph("Evidence")
    footnote_reference(p, 3)
    p.add_run(" shows it. ")
    p.add_run("We ask the Met to act on this evidence now.").bold = True
    footnote_reference(p, 7)
    path = tmp_path / "ids.docx"
    document.save(path)
    letter = read_letter(path)
    assert [(n.number, n.text, n.urls) for n in letter.footnotes] == [
        (1, "First note", ("https://example.org/1",)),
        (2, "Second note", ()),
    ]
    assert letter.asks[0].footnotes == (1, 2)


def test_mammoth_footnotes_docx_yields_its_two_footnotes():
    letter = read_letter(CORPUS / "mammoth" / "footnotes.docx")
    assert [(n.number, n.text) for n in letter.footnotes] == [
        (1, "A tachyon walks into a bar."),
        (2, "Fin."),
    ]


def test_footnote_holding_a_hyperlink_keeps_its_url():
    letter = read_letter(CORPUS / "mammoth" / "footnote-hyperlink.docx")
    assert letter.footnotes[0].urls == ("http://www.example.com",)


def test_strict_ooxml_and_renamed_main_part_are_read():
    strict = docx_blocks(CORPUS / "docx2python" / "strict.docx")[0]
    assert any(b.text.strip() for b in strict)
    assert docx_blocks(CORPUS / "mammoth" / "strict-format.docx")[0][0].text == "Test"
    renamed = docx_blocks(CORPUS / "docx2python" / "renamed_document_xml.docx")[0]
    assert any(b.text.strip() for b in renamed)


def test_corpus_has_files():
    assert len(CORPUS_FILES) >= 30


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_file_imports_or_is_refused_in_one_line(path):
    try:
        letter = read_letter(path)
    except ImportRejected as error:
        message = str(error)
        assert (
            message.startswith(path.name + ": ")
            and "\n" not in message
            and "Traceback" not in message
        )
        return
    assert letter.source_format == "docx"
    for ask in letter.asks:
        assert ask.text.strip()


def test_head_in_a_usual_word_layout_address_subject_above_and_cc_list(tmp_path):
    document = docx.Document()
    for line in (
        "Sir Mark Rowley QPM",
        "Commissioner of Police of the Metropolis",
        "New Scotland Yard",
        "Victoria Embankment",
        "London SW1A 2JL",
        "",
        "Date: 9 January 2024",
        "",
    ):
        document.add_paragraph(line)
    document.add_paragraph().add_run("Stop and search: the Committee's findings").bold = True
    document.add_paragraph("Dear Commissioner,")
    document.add_paragraph(
        "Thank you for attending. We ask the Met to publish monthly stop and search data by ward."
    )
    document.add_paragraph().add_run(
        "We ask the Met to publish monthly stop and search data by ward."
    ).bold = True
    for line in (
        "Yours sincerely,",
        "",
        "Susan Hall AM",
        "Chairman of the Police and Crime Committee",
        "",
        "CC:",
        "Sophie Linden, Deputy Mayor for Policing and Crime",
        "Diana Luchford, Chief Executive, MOPAC",
    ):
        document.add_paragraph(line)
    path = tmp_path / "layout.docx"
    document.save(path)
    head = read_letter(path).head
    assert head.date.isoformat() == "2024-01-09"
    assert (head.recipient, head.recipient_role) == (
        "Sir Mark Rowley QPM",
        "Commissioner of Police of the Metropolis",
    )
    assert (head.sender, head.sender_role) == (
        "Susan Hall AM",
        "Chairman of the Police and Crime Committee",
    )
    assert head.subject == "Stop and search: the Committee's findings"
    assert head.salutation == "Dear Commissioner,"
    assert head.cc == (
        "Sophie Linden, Deputy Mayor for Policing and Crime",
        "Diana Luchford, Chief Executive, MOPAC",
    )


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_corpus_file_saves_or_is_refused_leaving_nothing_half_written(desk, path):
    from sqlalchemy import func, select

    from pcc_desk.model import Document, Recommendation
    from pcc_desk.services import letter_import

    try:
        preview = letter_import.preview(desk, path)
        result = letter_import.commit(desk, preview)
    except ImportRejected as error:
        assert str(error).startswith(path.name + ": ") and "\n" not in str(error)
        with desk.reading() as session:
            assert session.scalar(select(func.count()).select_from(Document)) == 0
        return
    assert result.outcome == "imported"
    with desk.reading() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 1
        assert (
            session.scalar(select(func.count()).select_from(Recommendation))
            == len(result.refs)
            == len(preview.letter.asks)
        )
