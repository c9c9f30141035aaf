"""The sample letter as the Word file a clerk might have made it, laid out in other ways, for PDF tests.

:func:`write_variant` writes the sample letter (:func:`letter_fixtures.write_letter_docx`) and then
sets what authors change: body, footnote and heading sizes, the font, the page size, justified text,
paragraph spacing, a letter head in two columns (a table, or tab stops), footnotes numbered otherwise,
and references set without superscript. LibreOffice turns the files into PDFs (one call for all).
It knows nothing of the importer on purpose.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from letter_fixtures import write_letter_docx

PAGES_CM = {"A4": (21.0, 29.7), "Letter": (21.59, 27.94)}


@dataclass(frozen=True)
class Variant:
    body: float = 11.0
    note: float = 8.0
    heading: float = 13.0
    font: str = "Liberation Serif"
    page: str = "A4"
    margin_cm: float = 2.54
    head: str = "lines"  # "lines" | "table" | "tabs": recipient and sender side by side
    recipient_left: bool = True  # in a two-column head
    tab_cm: float = 8.0  # where the right column starts in a head set with tab stops
    justify: bool = False
    space_after: float | None = None  # points after each paragraph (None: the template's 10 pt)
    note_format: str | None = None  # e.g. "lowerRoman": footnote numbers that are not digits
    plain_refs: tuple[int, ...] = field(default=())  # references set without superscript
    stray_superscript: str | None = None  # a superscript number in the text that is no reference
    # the address in small print under the first page's footnotes; a running head and page numbers
    letterhead_footer: bool = False

    @property
    def name(self) -> str:
        parts = [
            self.font.replace(" ", ""),
            self.page + ("" if self.margin_cm == 2.54 else f"{self.margin_cm:g}cm"),
            f"{self.body:g}-{self.note:g}-{self.heading:g}",
            self.head,
        ]
        if not self.recipient_left:
            parts.append("sender-left")
        if self.tab_cm != 8.0:
            parts.append(f"tab{self.tab_cm:g}cm")
        if self.justify:
            parts.append("justified")
        if self.space_after is not None:
            parts.append(f"after{self.space_after:g}")
        if self.note_format:
            parts.append(self.note_format)
        if self.plain_refs:
            parts.append("plain" + "-".join(map(str, self.plain_refs)))
        if self.stray_superscript:
            parts.append("stray")
        if self.letterhead_footer:
            parts.append("footer")
        return "_".join(parts)


def _set_fonts(document, font: str) -> None:
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = (
        styles.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:rFonts"))
    )
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        defaults.set(qn(attr), font)
    for name in ("Normal", "Heading 1", "Heading 2", "Footnote Text"):
        document.styles[name].font.name = font


def _head_paragraphs(document):
    """The head's paragraphs: sender, role, (empty), recipient, role, (empty)."""
    paragraphs = document.paragraphs
    assert paragraphs[0].text == "Susan Hall AM" and paragraphs[3].text == "Sir Mark Rowley"
    return paragraphs[:6]


def _two_column_head(document, variant: Variant) -> None:
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Cm

    head = _head_paragraphs(document)
    sender = [head[0].text, head[1].text]
    recipient = [head[3].text, head[4].text]
    left, right = (recipient, sender) if variant.recipient_left else (sender, recipient)
    anchor = head[0]._p
    if variant.head == "table":
        table = document.add_table(rows=1, cols=2)
        for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
            cell.width = Cm(8)
            cell.paragraphs[0].text = lines[0]
            cell.add_paragraph(lines[1])
        anchor.addprevious(table._tbl)
    else:  # one paragraph per row, the right column at a tab stop
        for _ in left:
            anchor.addprevious(copy.deepcopy(anchor))
        rows = document.paragraphs[:2]
        for paragraph, a, b in zip(rows, left, right, strict=True):
            for run in list(paragraph.runs):
                run._r.getparent().remove(run._r)
            paragraph.add_run(f"{a}\t{b}")
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Cm(variant.tab_cm), WD_TAB_ALIGNMENT.LEFT
            )
    for paragraph in head[:5]:
        paragraph._p.getparent().remove(paragraph._p)


def _footnote_format(document, fmt: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    sect = document.sections[0]._sectPr
    pr = parse_xml(f'<w:footnotePr xmlns:w="{W}"><w:numFmt w:val="{fmt}"/></w:footnotePr>')
    # footnotePr comes first in sectPr after the header/footer references
    refs = [c for c in sect if c.tag in (qn("w:headerReference"), qn("w:footerReference"))]
    if refs:
        refs[-1].addnext(pr)
    else:
        sect.insert(0, pr)


def _plain_references(document, numbers: tuple[int, ...]) -> None:
    """The references to these notes set on the line, like the text around them."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for ref in document.element.body.iter(qn("w:footnoteReference")):
        if int(ref.get(qn("w:id"))) in numbers:
            run = ref.getparent()
            run.remove(run.find(qn("w:rPr")))
            run.insert(
                0, parse_xml(f'<w:rPr xmlns:w="{W}"><w:vertAlign w:val="baseline"/></w:rPr>')
            )


def _stray_superscript(document, digits: str) -> None:
    """A superscript number in the text (a power, say) that cites no note."""
    for paragraph in document.paragraphs:
        if paragraph.text.startswith("The Committee acknowledges the challenges"):
            paragraph.add_run(" Area covered: 1,572 km")
            paragraph.add_run(digits).font.superscript = True
            paragraph.add_run(".")
            return
    raise AssertionError("the paragraph for the stray superscript is not in the sample")


def _letterhead_footer(section, size: float) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Pt

    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    section.different_first_page_header_footer = True
    run = section.first_page_footer.paragraphs[0].add_run(
        "City Hall, Kamal Chunchie Way, London E16 1ZE • Tel: 020 7983 4000 • www.london.gov.uk"
    )
    run.font.size = Pt(size)
    section.header.paragraphs[0].text = "Police and Crime Committee – Turnaround Plan"
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    footer._p.append(
        parse_xml(
            f'<w:fldSimple xmlns:w="{W}" w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )


def write_variant(folder: Path, variant: Variant) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    path = write_letter_docx(folder / f"{variant.name}.docx", margin_cm=variant.margin_cm)
    document = docx.Document(path)
    _set_fonts(document, variant.font)
    styles = document.styles
    styles["Normal"].font.size = Pt(variant.body)
    styles["Footnote Text"].font.size = Pt(variant.note)
    for name in ("Heading 1", "Heading 2"):
        styles[name].font.size = Pt(variant.heading)
    if variant.space_after is not None:
        styles["Normal"].paragraph_format.space_after = Pt(variant.space_after)
    if variant.justify:
        styles["Normal"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    width, height = PAGES_CM[variant.page]
    section = document.sections[0]
    section.page_width, section.page_height = Cm(width), Cm(height)
    if variant.head != "lines":
        _two_column_head(document, variant)
    if variant.note_format:
        _footnote_format(document, variant.note_format)
    if variant.plain_refs:
        _plain_references(document, variant.plain_refs)
    if variant.stray_superscript:
        _stray_superscript(document, variant.stray_superscript)
    if variant.letterhead_footer:
        _letterhead_footer(section, variant.note)
    document.save(path)
    return path


def pdfs_of(folder: Path, variants: list) -> dict:
    """The PDFs of these variants, made in ``folder`` by LibreOffice in one call (those already there
    are kept: a session makes each once)."""
    import shutil
    import subprocess

    import pytest

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (scripts/setup.sh --test installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {v: folder / f"{v.name}.pdf" for v in variants}
    missing = [v for v, pdf in wanted.items() if not pdf.exists()]
    if missing:
        sources = [
            write_hand_noted(folder, v) if isinstance(v, HandNoted) else write_variant(folder, v)
            for v in missing
        ]
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(folder / '.lo-profile').resolve().as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, sources),
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return wanted


HAND_NOTES = {
    1: "Police and Crime Committee, 12 October 2022 – transcript",
    2: "MPS Turnaround Plan 2023-2025",
    3: "Police and Crime Committee, 25 January 2023 – transcript",
}
HAND_ASKS = (
    "The Committee asks the Met to publish its abstraction figures every quarter.",
    "We recommend that the Met sets out how it will recruit more detectives.",
)


@dataclass(frozen=True)
class HandNoted:
    """A short letter whose notes were typed by hand under the signature, in small print: numbered
    with superscripts or plain numbers; the text cites every note but ``uncited``."""

    body: float = 11.0
    note: float = 8.0
    font: str = "Liberation Serif"
    superscript_numbers: bool = True
    uncited: int = 2

    @property
    def name(self) -> str:
        kind = "sup" if self.superscript_numbers else "plain"
        return (
            f"hand-{self.font.replace(' ', '')}-{self.body:g}-{self.note:g}-{kind}-{self.uncited}"
        )


def write_hand_noted(folder: Path, letter: HandNoted) -> Path:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    _set_fonts_plain(document, letter.font)
    document.styles["Normal"].font.size = Pt(letter.body)
    for line in ("Susan Hall AM", "Chairman of the Police and Crime Committee", ""):
        document.add_paragraph(line)
    for line in ("Sir Mark Rowley", "Commissioner of Police of the Metropolis", ""):
        document.add_paragraph(line)
    document.add_paragraph("2 May 2023")
    document.add_paragraph("Dear Sir Mark,")
    document.add_paragraph().add_run("Follow-up on neighbourhood policing").bold = True
    cited = [n for n in HAND_NOTES if n != letter.uncited]
    texts = [
        "You told the Committee that abstractions are too high",
        "The draft Plan promises more local officers",
    ]
    for text, ask, number in zip(texts, HAND_ASKS, cited, strict=True):
        paragraph = document.add_paragraph(f"{text} and that the Met will report on them.")
        paragraph.add_run(str(number)).font.superscript = True
        paragraph.add_run(" ")
        paragraph.add_run(ask).bold = True
    document.add_paragraph("Yours sincerely,")
    document.add_paragraph("Susan Hall AM")
    document.add_paragraph("Chairman of the Police and Crime Committee")
    for number, text in HAND_NOTES.items():
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        mark = paragraph.add_run(str(number))
        mark.font.superscript = letter.superscript_numbers
        mark.font.size = Pt(letter.note)
        paragraph.add_run(f" {text}").font.size = Pt(letter.note)
    path = folder / f"{letter.name}.docx"
    document.save(path)
    return path


def _set_fonts_plain(document, font: str) -> None:
    from docx.oxml.ns import qn

    rfonts = (
        document.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:rFonts"))
    )
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), font)
