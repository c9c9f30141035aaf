"""Real Word footnotes on python-docx: the part, the styles, settings, references, links, numbering."""

from __future__ import annotations

import shutil
import subprocess

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Pt

from pcc_desk.letters import footnotes as fn

W_ID = qn("w:id")


def _notes_in_file_order(document) -> list[tuple[str, str | None]]:
    root = fn.footnotes_part(document).element
    return [(n.get(W_ID), n.get(qn("w:type"))) for n in root.iterchildren(qn("w:footnote"))]


def test_new_document_gets_footnotes_part_with_both_separators_styles_and_settings():
    document = docx.Document()
    notes = fn.Footnotes(document)
    part = fn.footnotes_part(document)
    assert part is notes.part and str(part.partname) == "/word/footnotes.xml"
    assert _notes_in_file_order(document) == [("-1", "separator"), ("0", "continuationSeparator")]
    ids = {s.style_id for s in document.styles}
    assert {"FootnoteText", "FootnoteReference", "Hyperlink"} <= ids
    settings = document.settings.element
    pr = settings.find(qn("w:footnotePr"))
    assert [el.get(W_ID) for el in pr.iterchildren(qn("w:footnote"))] == ["-1", "0"]
    # schema order: footnotePr comes before compat, rsids, mathPr... and after everything before it
    tags = [child.tag for child in settings.iterchildren()]
    after = [
        qn("w:compat"),
        qn("w:rsids"),
        qn("m:mathPr"),
        qn("w:themeFontLang"),
        qn("w:decimalSymbol"),
        qn("w:listSeparator"),
    ]
    position = tags.index(qn("w:footnotePr"))
    assert any(t in tags for t in after)
    assert all(tags.index(t) > position for t in after if t in tags)
    before = [qn("w:zoom"), qn("w:defaultTabStop"), qn("w:characterSpacingControl")]
    assert all(tags.index(t) < position for t in before if t in tags)


def test_preparing_twice_adds_nothing_twice():
    document = docx.Document()
    fn.Footnotes(document)
    fn.Footnotes(document)
    assert len(_notes_in_file_order(document)) == 2
    assert len(document.settings.element.findall(qn("w:footnotePr"))) == 1
    assert sum(1 for s in document.styles if s.style_id == "FootnoteText") == 1


def test_template_footnote_styles_are_used_not_replaced():
    document = docx.Document()
    style = document.styles.add_style("Footnote Text", 1)
    style.element.set(qn("w:styleId"), "MyNotes")
    style.element.find(qn("w:name")).set(qn("w:val"), "footnote text")
    style.font.size = Pt(7)
    notes = fn.Footnotes(document)
    assert notes.text_style == "MyNotes"
    assert not [s for s in document.styles if s.style_id == "FootnoteText"]
    p = document.add_paragraph("Body")
    notes.add(p, "A note")
    note_p = (
        fn.footnotes_part(document)
        .element.find(qn("w:footnote") + "[@" + W_ID + "='1']")
        .find(qn("w:p"))
    )
    assert note_p.find(qn("w:pPr")).find(qn("w:pStyle")).get(qn("w:val")) == "MyNotes"


def test_reference_run_is_styled_and_note_starts_with_footnote_ref():
    document = docx.Document()
    notes = fn.Footnotes(document)
    p = document.add_paragraph("The Committee asks.")
    note_id = notes.add(p, "Police and Crime Committee, 12 October 2022 – transcript")
    run = p._p.findall(qn("w:r"))[-1]
    assert run.find(qn("w:rPr")).find(qn("w:rStyle")).get(qn("w:val")) == "FootnoteReference"
    assert run.find(qn("w:footnoteReference")).get(W_ID) == str(note_id)
    note = fn.footnotes_part(document).element.findall(qn("w:footnote"))[-1]
    first_run = note.find(qn("w:p")).find(qn("w:r"))
    assert first_run.find(qn("w:footnoteRef")) is not None
    assert first_run.find(qn("w:rPr")).find(qn("w:rStyle")).get(qn("w:val")) == "FootnoteReference"
    assert notes.notes() == {note_id: "Police and Crime Committee, 12 October 2022 – transcript"}


def test_reference_can_follow_a_given_run_mid_paragraph():
    document = docx.Document()
    notes = fn.Footnotes(document)
    p = document.add_paragraph()
    first = p.add_run("You said “we will”")
    p.add_run(" and then more.")
    notes.add(p, "Source", after=first)
    kinds = [
        "ref" if r.find(qn("w:footnoteReference")) is not None else r.findtext(qn("w:t"))
        for r in p._p.findall(qn("w:r"))
    ]
    assert kinds == ["You said “we will”", "ref", " and then more."]


def test_urls_become_live_hyperlinks_related_from_the_footnotes_part():
    document = docx.Document()
    notes = fn.Footnotes(document)
    p = document.add_paragraph("Text")
    notes.add(
        p,
        "MPS Turnaround Plan https://www.met.police.uk/turnaround-plan.",
        urls=["https://example.org/transcript"],
    )
    part = fn.footnotes_part(document)
    links = part.element.findall(".//" + qn("w:hyperlink"))
    targets = [part.rels[link.get(qn("r:id"))] for link in links]
    assert [(rel.reltype, rel.is_external, rel.target_ref) for rel in targets] == [
        (RT.HYPERLINK, True, "https://www.met.police.uk/turnaround-plan"),
        (RT.HYPERLINK, True, "https://example.org/transcript"),
    ]
    assert not [r for r in document.part.rels.values() if r.reltype == RT.HYPERLINK]
    assert (
        notes.notes()[1]
        == "MPS Turnaround Plan https://www.met.police.uk/turnaround-plan. https://example.org/transcript"
    )


def test_split_urls_keeps_trailing_punctuation_out_of_the_link():
    assert fn.split_urls("See https://a.example/x). Done") == [
        ("See ", None),
        ("https://a.example/x", "https://a.example/x"),
        ("). Done", None),
    ]


def test_renumber_orders_notes_by_reference_and_drops_orphans():
    document = docx.Document()
    notes = fn.Footnotes(document)
    first = document.add_paragraph("First")
    second = document.add_paragraph("Second")
    a = notes.add(second, "note on second")
    b = notes.add(first, "note on first")
    orphan = notes.add(first, "orphan")
    # the orphan's reference is deleted by an edit
    for ref in first._p.xpath(".//w:footnoteReference"):
        if ref.get(W_ID) == str(orphan):
            first._p.remove(ref.getparent())
    assert (a, b) == (1, 2)
    assert notes.renumber() == 2
    assert [r.get(W_ID) for r in notes.references()] == ["1", "2"]
    assert _notes_in_file_order(document)[2:] == [("1", None), ("2", None)]
    assert notes.notes() == {1: "note on first", 2: "note on second"}
    assert notes.add(second, "later") == 3


def test_saved_file_reopens_with_footnotes_as_xml_and_takes_more(tmp_path):
    document = docx.Document()
    notes = fn.Footnotes(document)
    notes.add(document.add_paragraph("One"), "first note")
    fn.save(document, tmp_path / "a.docx")
    again = docx.Document(str(tmp_path / "a.docx"))
    reopened = fn.Footnotes(again)
    assert reopened.notes() == {1: "first note"}
    assert reopened.add(again.add_paragraph("Two"), "second note") == 2
    fn.save(again, tmp_path / "b.docx")
    assert fn.Footnotes(docx.Document(str(tmp_path / "b.docx"))).notes() == {
        1: "first note",
        2: "second note",
    }


@pytest.mark.office
@pytest.mark.skipif(
    not shutil.which("soffice") or not shutil.which("pandoc"), reason="needs LibreOffice and pandoc"
)
def test_libreoffice_and_pandoc_pair_each_reference_with_its_own_note(tmp_path):
    """Notes added out of order: after renumbering, LibreOffice (by order) and pandoc (by id) agree."""
    document = docx.Document()
    notes = fn.Footnotes(document)
    alpha = document.add_paragraph("Alpha paragraph")
    beta = document.add_paragraph("Beta paragraph")
    notes.add(beta, "Note for beta")
    notes.add(alpha, "Note for alpha")
    fn.save(document, tmp_path / "order.docx")
    from support.docx_readback import to_pdf

    to_pdf([tmp_path / "order.docx"], tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "order.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines == [
        "Alpha paragraph1",
        "Beta paragraph2",
        "1",
        "Note for alpha",
        "2",
        "Note for beta",
    ]
    md = subprocess.run(
        ["pandoc", str(tmp_path / "order.docx"), "-t", "markdown"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Alpha paragraph[^1]" in md and "Beta paragraph[^2]" in md
    assert "[^1]: Note for alpha" in md and "[^2]: Note for beta" in md


def test_a_file_opened_before_xml_loading_was_registered_still_gets_its_notes(
    tmp_path, monkeypatch
):
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.part import PartFactory

    document = docx.Document()
    fn.Footnotes(document).add(document.add_paragraph("One"), "first note https://example.org/a")
    fn.save(document, tmp_path / "a.docx")
    monkeypatch.delitem(PartFactory.part_type_for, CT.WML_FOOTNOTES)
    opaque = docx.Document(str(tmp_path / "a.docx"))
    monkeypatch.undo()
    notes = fn.Footnotes(opaque)
    assert notes.notes() == {1: "first note https://example.org/a"}
    notes.add(opaque.add_paragraph("Two"), "second https://example.org/b")
    fn.save(opaque, tmp_path / "b.docx")
    again = docx.Document(str(tmp_path / "b.docx"))
    part = fn.footnotes_part(again)
    assert fn.Footnotes(again).notes() == {
        1: "first note https://example.org/a",
        2: "second https://example.org/b",
    }
    assert sorted(r.target_ref for r in part.rels.values()) == [
        "https://example.org/a",
        "https://example.org/b",
    ]
