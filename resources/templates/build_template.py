"""Build ``pcc-letterhead.docx``: the Committee's letterhead and house style for follow-up letters.

Run from the repository root after changing the house style, then commit both files:

    python resources/templates/build_template.py

The letter writer never sets a font or a margin itself: everything a letter looks like comes from the
styles, headers, footers and page set-up made here. A clerk can replace the file with their own
letterhead .docx; any of the styles below it lacks are added, plainly, based on its Normal style.

House style (as in the Committee's letter of 17 March 2023): Arial 12 pt, A4, 2.5 cm margins, single
line spacing with 12 pt between paragraphs, the sender block set right, bold theme headings and asks,
footnotes in 9 pt, the London Assembly letterhead on the first page and page numbers on the others.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
OUT = HERE / "pcc-letterhead.docx"

FONT = "Arial"
BODY_PT = 12
GREY = RGBColor(0x59, 0x59, 0x59)
ASSEMBLY_PINK = RGBColor(0xD8, 0x2A, 0x7D)


def _doc_defaults(document) -> None:
    """Arial everywhere by default (no theme fonts), 12 pt."""
    rpr_default = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr_default.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr_default.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    for tag in ("w:sz", "w:szCs"):
        el = rpr_default.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr_default.append(el)
        el.set(qn("w:val"), str(BODY_PT * 2))
    lang = rpr_default.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-GB")


def _paragraph_style(document, name: str, *, base="Normal", next_style=None):
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base] if base else None
    style.quick_style = True
    if next_style:
        style.next_paragraph_style = styles[next_style]
    return style


def _character_style(document, name: str):
    try:
        return document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.quick_style = True
        return style


def build_styles(document) -> None:
    _doc_defaults(document)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.rPr.rFonts.set(qn("w:cs"), FONT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(12)
    fmt.line_spacing = 1.0
    fmt.widow_control = True

    sender = _paragraph_style(document, "Sender Block")
    sender.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    sender.paragraph_format.space_after = Pt(24)

    recipient = _paragraph_style(document, "Recipient Block")
    recipient.paragraph_format.space_after = Pt(12)

    note = _paragraph_style(document, "Letter Note")
    note.paragraph_format.space_after = Pt(12)

    date = _paragraph_style(document, "Letter Date")
    date.paragraph_format.space_before = Pt(6)
    date.paragraph_format.space_after = Pt(18)

    salutation = _paragraph_style(document, "Salutation")
    salutation.paragraph_format.keep_with_next = True

    subject = _paragraph_style(document, "Letter Subject", next_style="Normal")
    subject.font.bold = True
    subject.paragraph_format.keep_with_next = True
    subject.paragraph_format.space_after = Pt(12)

    heading = _paragraph_style(document, "Theme Heading", next_style="Normal")
    heading.font.bold = True
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_before = Pt(6)
    heading.paragraph_format.space_after = Pt(6)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "1")
    heading.element.get_or_add_pPr().append(outline)

    quotation = _paragraph_style(document, "Quotation", next_style="Normal")
    quotation.paragraph_format.left_indent = Cm(1)
    quotation.paragraph_format.right_indent = Cm(1)
    quotation.paragraph_format.space_after = Pt(12)

    signoff = _paragraph_style(document, "Sign-off")
    signoff.paragraph_format.keep_with_next = True
    signoff.paragraph_format.space_before = Pt(6)
    signoff.paragraph_format.space_after = Pt(48)  # room for the signature

    signature = _paragraph_style(document, "Signature Block")
    signature.paragraph_format.keep_together = True
    signature.paragraph_format.space_after = Pt(18)

    contact = _paragraph_style(document, "Contact Line")
    contact.font.size = Pt(10)
    contact.font.color.rgb = GREY
    contact.paragraph_format.space_after = Pt(0)

    ask = _character_style(document, "Ask")
    ask.font.bold = True

    ftext = _paragraph_style(document, "Footnote Text")
    ftext.element.set(qn("w:styleId"), "FootnoteText")
    ftext.element.find(qn("w:name")).set(qn("w:val"), "footnote text")
    ftext.font.size = Pt(9)
    ftext.paragraph_format.space_after = Pt(3)
    ftext.paragraph_format.line_spacing = 1.0

    fref = _character_style(document, "Footnote Reference")
    fref.element.set(qn("w:styleId"), "FootnoteReference")
    fref.element.find(qn("w:name")).set(qn("w:val"), "footnote reference")
    fref.font.superscript = True

    link = _character_style(document, "Hyperlink")
    link.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.font.underline = True

    table_heading = _paragraph_style(document, "Table Heading")
    table_heading.font.bold = True
    table_heading.paragraph_format.space_after = Pt(0)
    table_text = _paragraph_style(document, "Table Text")
    table_text.font.size = Pt(10)
    table_text.paragraph_format.space_after = Pt(0)
    table_heading.font.size = Pt(10)

    head = _paragraph_style(document, "Letterhead")
    head.font.size = Pt(24)
    head.paragraph_format.space_after = Pt(0)
    head_committee = _paragraph_style(document, "Letterhead Committee")
    head_committee.font.size = Pt(11)
    head_committee.font.color.rgb = GREY
    head_committee.paragraph_format.space_after = Pt(0)
    foot = _paragraph_style(document, "Letterhead Footer")
    foot.font.size = Pt(8)
    foot.font.color.rgb = GREY
    foot.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.paragraph_format.space_after = Pt(0)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    text = OxmlElement("w:t")
    text.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep, text, end):
        r = OxmlElement("w:r")
        r.append(el)
        run._r.addprevious(r)
    run._r.getparent().remove(run._r)


def build_page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = Cm(2.5)
    section.bottom_margin = Cm(2.2)
    section.header_distance = Cm(1.2)
    section.footer_distance = Cm(1.0)
    section.different_first_page_header_footer = True

    first = section.first_page_header.paragraphs[0]
    first.style = document.styles["Letterhead"]
    london = first.add_run("LONDON")
    london.bold = True
    assembly = first.add_run("ASSEMBLY")
    assembly.font.color.rgb = ASSEMBLY_PINK
    committee = section.first_page_header.add_paragraph("Police and Crime Committee", style="Letterhead Committee")
    committee.paragraph_format.space_after = Pt(24)

    address = section.first_page_footer.paragraphs[0]
    address.style = document.styles["Letterhead Footer"]
    address.add_run("City Hall, Kamal Chunchie Way, London E16 1ZE  ·  Tel 020 7983 4000  ·  www.london.gov.uk")

    later = section.footer.paragraphs[0]
    later.style = document.styles["Letterhead Footer"]
    _field(later, "PAGE")
    header = section.header.paragraphs[0]
    header.style = document.styles["Letterhead Committee"]
    header.add_run("Police and Crime Committee")


def build(out: Path = OUT) -> Path:
    document = docx.Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    build_styles(document)
    build_page(document)
    props = document.core_properties
    props.title = "Police and Crime Committee letterhead"
    props.author = "Police and Crime Committee"
    props.comments = "Built by resources/templates/build_template.py"
    props.revision = 1
    document.save(str(out))
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    print(build(target))
