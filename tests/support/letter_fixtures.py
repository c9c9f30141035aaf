"""What the sample letter holds (counted by hand from the file), and builders of test letters.

``SAMPLE_ASKS`` lists every bold ask of ``resources/samples/pcc-letter-2023-03-17-turnaround-plan.md``
by its theme, first and last words and the footnotes of its paragraph; ``SAMPLE_FOOTNOTES`` every
footnote as a reader should give it (markdown links reduced to their text).

``write_letter_docx`` turns that sample into the real Word letter it came from, written with
python-docx: head lines as paragraphs, Heading 2 section headings, asks as bold runs split in several
runs (some bold+italic, some bold through the "Strong" character style), and REAL Word footnotes (a
footnotes part, FootnoteText/FootnoteReference styles, w:footnoteReference runs, hyperlinks inside the
notes). It is independent of the importer's code on purpose.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

SAMPLE = (
    Path(__file__).resolve().parents[2]
    / "resources"
    / "samples"
    / "pcc-letter-2023-03-17-turnaround-plan.md"
)

SAMPLE_THEMES = (
    "Delivering the mission",
    "Core policing activities",
    "Neighbourhood policing",
    "Public protection and safeguarding",
    "Effective service to victims and other members of the public",
    "Reducing crime",
    "Raising standards",
    "Data driven and evidence based delivery",
)

# (theme index, first words, last words, footnotes of the paragraph)
SAMPLE_ASKS = (
    (0, "further detail on timescales", "scrutiny of the Met’s reform.", (1,)),
    (
        1,
        "further information on how the Met will increase collaboration",
        "is needed in the final Plan.",
        (2,),
    ),
    (1, "Met will need to establish new partnerships", "meet the threats of the future.", (4,)),
    (
        1,
        "commitment and further information in the final Turnaround Plan",
        "terrorism, including online.",
        (4,),
    ),
    (2, "The Committee seeks reassurance", "does not lower its recruitment standards.", ()),
    (
        2,
        "The Committee would welcome further information in the final Turnaround Plan on the Met's plans",
        "how it will manage abstractions.",
        (10,),
    ),
    (2, "To assure Londoners, specific detail", "is needed in the final Turnaround Plan.", (12,)),
    (
        2,
        "the Met will use the final Turnaround Plan as an opportunity",
        "solving problems that matter”.",
        (13,),
    ),
    (
        3,
        "urge you to progress the work you are doing",
        "bring more perpetrators to justice.",
        (14,),
    ),
    (
        3,
        "The Committee would welcome further information in the final Turnaround Plan on how the Met will work with women and girls",
        "rebuild trust and confidence in the police.",
        (),
    ),
    (
        3,
        "the final Turnaround Plan would benefit",
        "provide a better service to victims.",
        (18, 19),
    ),
    (3, "We recommend that children in these cases", "first and foremost as victims.", ()),
    (
        3,
        "acknowledge how the Met is working with partners",
        "safeguarding response to children at-risk.",
        (),
    ),
    (
        3,
        "the Committee would like to see more detailed information",
        "into contact with poor mental health.",
        (20,),
    ),
    (
        4,
        "more detail should be provided in the final Plan",
        "deliver these key interventions.",
        (21,),
    ),
    (
        4,
        "the Committee would welcome further information on how the Met will enhance",
        "demands from other business areas.",
        (21,),
    ),
    (
        4,
        "The Committee would welcome further information on the specific steps",
        "programme of work remains on track.",
        (22,),
    ),
    (
        4,
        "The Committee believes that providing further information",
        "its service to victims moving forward.",
        (23,),
    ),
    (
        5,
        "we recommend that the final Turnaround Plan includes a commitment to work with the NCA",
        "like the taking down of iSpooof.",
        (),
    ),
    (
        6,
        "urge you to ensure the Met removes corrupt officers",
        "tell Londoners about this work.",
        (32,),
    ),
    (
        6,
        "recommend the final Turnaround Plan outlines the specific steps",
        "its people reflect London's communities.",
        (33, 34),
    ),
    (
        7,
        "asks that the Met ensures the Board is open and transparent",
        "publishes regular updates on its work.",
        (36,),
    ),
)

CUT_ASK = (
    "The Committee would welcome further information in the final Turnaround Plan on how the Met will work "
    "with women and girls in London, including those from Black and ethnic minority communities, to reduce "
    "VAWG and rebuild trust and confidence in the police."
)

_MPS = "MPS Turnaround Plan 2023-2025 (met.police.uk)"
_PCC = "Police and Crime Committee, {} – transcript"
_URL = "https://www.met.police.uk/turnaround-plan"
SAMPLE_FOOTNOTES = {
    1: _MPS,
    2: _MPS,
    3: "Police and Crime Committee, 30 November 2022 and 11 January 2023",
    4: _PCC.format("11 January 2023"),
    5: _MPS,
    6: _PCC.format("12 October 2022"),
    7: _PCC.format("12 October 2022"),
    8: _PCC.format("12 October 2022"),
    9: _MPS,
    10: _PCC.format("12 October 2022"),
    11: _MPS,
    12: _PCC.format("25 January 2023"),
    13: _MPS,
    14: _PCC.format("12 October 2022"),
    15: "Police and Crime Committee, Violence against women and girls, March 2022",
    16: _PCC.format("25 January 2023"),
    17: "HMICFRS, PEEL 2021/22: Police effectiveness, efficiency and legitimacy – An inspection of the Metropolitan Police Service, September 2022",
    18: _PCC.format("12 October 2022"),
    19: _MPS,
    20: _PCC.format("22 February 2023"),
    21: _MPS,
    22: _MPS,
    23: _PCC.format("12 October 2022"),
    24: _MPS,
    25: "Police and Crime Committee, Response to the Mayor’s draft Police and Crime Plan, February 2022",
    26: "Mayor of London, Police and Crime Plan 2021-25",
    27: "Police and Crime Committee, Response to the Mayor’s draft Police and Crime Plan",
    28: "Evening Standard, No justice for fraud victims who receive poor service from police, says watchdog, 5 August 2021",
    29: "The Times, Action Fraud scrapped after Times expose, 28 July 2021",
    30: "Police and Crime Committee, Police Conduct and Complaints, December 2022",
    31: _PCC.format("25 January 2023"),
    32: _PCC.format("25 January 2023"),
    33: _MPS,
    34: _PCC.format("22 February 2023"),
    35: "Sir Mark Rowley, Letter to Chairman of PCC, 13 September 2022",
    36: _PCC.format("25 January 2023"),
}
SAMPLE_URLS = {1: (_URL,), 2: (_URL,), 5: (_URL,)}
_D = dt.date
SAMPLE_MEETINGS = {
    3: _D(2022, 11, 30),
    4: _D(2023, 1, 11),
    **{n: _D(2022, 10, 12) for n in (6, 7, 8, 10, 14, 18, 23)},
    **{n: _D(2023, 1, 25) for n in (12, 16, 31, 32, 36)},
    **{n: _D(2023, 2, 22) for n in (20, 34)},
}


def assert_is_sample_letter(letter, *, check_urls: bool = True) -> None:
    """Every fact of the sample letter, as any of the three formats must give it."""
    head = letter.head
    assert head.date == dt.date(2023, 3, 17)
    assert (head.sender, head.sender_role) == (
        "Susan Hall AM",
        "Chairman of the Police and Crime Committee",
    )
    assert (head.recipient, head.recipient_role) == (
        "Sir Mark Rowley",
        "Commissioner of Police of the Metropolis",
    )
    assert head.cc == (
        "Sophie Linden, Deputy Mayor for Policing and Crime",
        "Diana Luchford, CEO, MOPAC",
    )
    assert head.salutation == "Dear Sir Mark,"
    assert (
        head.subject
        == "Police and Crime Committee Response to the Metropolitan Police draft Turnaround Plan"
    )
    assert letter.themes == SAMPLE_THEMES
    got = [(a.theme, a.text, a.footnotes) for a in letter.asks]
    assert len(got) == len(SAMPLE_ASKS), [t for _, t, _ in got]
    for (theme, text, notes), (t, first, last, want_notes) in zip(got, SAMPLE_ASKS, strict=True):
        assert theme == SAMPLE_THEMES[t], text
        assert text.startswith(first) and text.endswith(last), text
        assert notes == want_notes, text
        assert "**" not in text and not re.search(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]", text)
    assert CUT_ASK in [a.text for a in letter.asks]
    assert {n.number: n.text for n in letter.footnotes} == SAMPLE_FOOTNOTES
    assert {n.number: n.meeting_date for n in letter.footnotes if n.meeting_date} == SAMPLE_MEETINGS
    assert all(
        n.committee == "Police and Crime Committee" for n in letter.footnotes if n.meeting_date
    )
    if check_urls:
        assert {n.number: n.urls for n in letter.footnotes if n.urls} == SAMPLE_URLS
    for ask in letter.asks:
        assert ask.text in ask.context  # the whole paragraph, joined across page breaks


# a realistic extract of a meeting's minutes, with undertakings listed and inline
MINUTES = """Police and Crime Committee – 12 October 2022

Minutes

Present:
Susan Hall AM (Chairman)
Caroline Russell AM (Deputy Chair)

1. Apologies for Absence and Chairman's Announcements

1.1 Apologies for absence were received from Unmesh Desai AM.

5. Question and Answer Session with the Commissioner

5.1 The Chairman welcomed the following guests to the meeting:
• Sir Mark Rowley QPM, Commissioner of Police of the Metropolis; and
• Sophie Linden, Deputy Mayor for Policing and Crime.

5.2 During the course of the discussion, Sir Mark Rowley QPM (Commissioner of Police of the Metropolis) undertook to:
(a) provide the Committee with the number of officers abstracted from neighbourhood teams in each of the last six months;
(b) write to the Committee with the timetable for the Command and Control Improvement Programme; and
(c) share the new performance framework with the Committee once it is published.

5.3 Sophie Linden (Deputy Mayor for Policing and Crime) undertook to provide a breakdown of MOPAC's funding for Safer Neighbourhood Boards by borough.

5.4 Resolved: That the report be noted.

6. Date of Next Meeting

6.1 The next meeting of the Committee is scheduled for 9 November 2022.
"""


# --- a real Word letter ------------------------------------------------------------------------------

_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_DIGITS = str.maketrans(_SUP, "0123456789")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sample_parts(md: str):
    """(head lines grouped, body paragraphs as markdown, notes as markdown) of the sample text."""
    blocks = [b.strip("\n") for b in re.split(r"\n[ \t\u00a0]*\n", md) if b.strip()]
    notes, body = {}, []
    for block in blocks:
        if block.lstrip()[0] in _SUP:
            for line in block.split("\n"):
                m = re.match(rf"^\s*([{_SUP}]+)\s*(.*)$", line)
                notes[int(m.group(1).translate(_SUP_DIGITS))] = m.group(2)
            continue
        if block.startswith("A handwritten signature"):
            continue  # the signature image's alt text: the Word letter has the image instead
        if body and block[0].islower():  # the rest of a paragraph cut by a page break
            prev = body[-1]
            if prev.endswith("**"):  # ... in the middle of a bold sentence
                prev = prev[:-2]
                end = block.find(". ") + 1 or len(block)
                block = block[:end] + "**" + block[end:]
            body[-1] = prev + " " + block
        else:
            body.append(block)
    return body, notes


def _segments(text: str):
    """(text, bold, note) pieces of a body paragraph in markdown."""
    out, bold, buf = [], False, ""
    i = 0
    while i < len(text):
        if text.startswith("**", i):
            if buf:
                out.append((buf, bold, None))
            buf, bold = "", not bold
            i += 2
        elif text[i] in _SUP:
            j = i
            while j < len(text) and text[j] in _SUP:
                j += 1
            if buf:
                out.append((buf, bold, None))
            buf = ""
            out.append(("", False, int(text[i:j].translate(_SUP_DIGITS))))
            i = j
        else:
            buf += text[i]
            i += 1
    if buf:
        out.append((buf, bold, None))
    return out


def _add_footnote_styles(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Pt

    styles = document.styles
    if "Footnote Text" not in [s.name for s in styles]:
        text = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        text.base_style = styles["Normal"]
        text.font.size = Pt(8)
        ref = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        ref.font.superscript = True


def add_real_footnotes(document, notes: dict[int, list[tuple[str, str | None, bool]]]):
    """A footnotes part holding ``notes`` ({id: [(text, url or None, italic)]}); returns it.

    Separator (-1) and continuation separator (0) notes included; hyperlinks are relationships of the
    footnotes part. Reference them with :func:`footnote_reference`.
    """
    from xml.sax.saxutils import escape

    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import XmlPart
    from docx.oxml import parse_xml

    _add_footnote_styles(document)
    part = XmlPart(
        PackURI("/word/footnotes.xml"),
        CT.WML_FOOTNOTES,
        parse_xml(
            f'<w:footnotes xmlns:w="{W}" xmlns:r="{R}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
            "</w:footnotes>"
        ),
        document.part.package,
    )
    text_style = document.styles["Footnote Text"].style_id
    ref_style = document.styles["Footnote Reference"].style_id
    for number in sorted(notes):
        runs = []
        for text, url, italic in notes[number]:
            rpr = "<w:rPr><w:i/></w:rPr>" if italic else ""
            run = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
            if url:
                rid = part.relate_to(url, RT.HYPERLINK, is_external=True)
                run = f'<w:hyperlink r:id="{rid}">{run}</w:hyperlink>'
            runs.append(run)
        part.element.append(
            parse_xml(
                f'<w:footnote xmlns:w="{W}" xmlns:r="{R}" w:id="{number}"><w:p><w:pPr><w:pStyle w:val="{text_style}"/></w:pPr>'
                f'<w:r><w:rPr><w:rStyle w:val="{ref_style}"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:t xml:space="preserve"> </w:t></w:r>{"".join(runs)}</w:p></w:footnote>'
            )
        )
    document.part.relate_to(part, RT.FOOTNOTES)
    return part


def footnote_reference(paragraph, number: int):
    from docx.oxml import parse_xml

    ref_style = paragraph.part.document.styles["Footnote Reference"].style_id
    run = parse_xml(
        f'<w:r xmlns:w="{W}"><w:rPr><w:rStyle w:val="{ref_style}"/></w:rPr><w:footnoteReference w:id="{number}"/></w:r>'
    )
    paragraph._p.append(run)


def _note_runs(md: str) -> list[tuple[str, str | None, bool]]:
    md = md.replace("\\(", "(").replace("\\)", ")")
    out = []
    pos = 0
    for m in re.finditer(r"\[([^\]]*)\]\(([^)]*)\)|\*([^*]+)\*", md):
        if m.start() > pos:
            out.append((md[pos : m.start()], None, False))
        if m.group(3) is not None:
            out.append((m.group(3), None, True))
        else:
            url = m.group(2) if m.group(2).startswith("http") else None
            out.append((m.group(1), url, False))
        pos = m.end()
    if pos < len(md):
        out.append((md[pos:], None, False))
    return out


def _pin_fonts(document) -> None:
    """Name fonts every test machine has (fonts-dejavu), instead of the template's theme fonts, so
    that LibreOffice lays the PDF out the same everywhere."""
    from docx.oxml.ns import qn

    styles = document.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in list(rfonts.attrib):
            if attr.endswith("Theme"):
                del rfonts.attrib[attr]
    document.styles["Normal"].font.name = "DejaVu Serif"
    defaults = (
        styles.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:rFonts"))
    )
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        defaults.set(qn(attr), "DejaVu Serif")
    for name in ("Heading 1", "Heading 2"):
        document.styles[name].font.name = "DejaVu Sans"


def write_letter_docx(
    target: Path, md_path: Path = SAMPLE, *, margin_cm: float = 2.54, running_head: bool = False
) -> Path:
    """The sample letter as the Word file a clerk would have written (A4; margins as given; with
    ``running_head`` a header line and a page number in the footer on every page)."""
    import docx
    from docx.shared import Cm

    body, notes = _sample_parts(md_path.read_text(encoding="utf-8"))
    document = docx.Document()
    _pin_fonts(document)
    section = document.sections[0]  # A4 with 2.54 cm margins, as the Assembly's letters are
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(
        margin_cm
    )
    if running_head:
        from docx.oxml import parse_xml

        section.header.paragraphs[0].text = "London Assembly – Police and Crime Committee"
        footer = section.footer.paragraphs[0]
        footer.add_run("Page ")
        footer._p.append(
            parse_xml(
                f'<w:fldSimple xmlns:w="{W}" w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
            )
        )
    add_real_footnotes(document, {n: _note_runs(text) for n, text in notes.items()})
    salutation = next(i for i, b in enumerate(body) if b.startswith("Dear "))
    for block in body[:salutation]:
        for line in block.split("\n"):
            document.add_paragraph(line.strip())
        document.add_paragraph()
    document.add_paragraph(body[salutation])
    subject = document.add_paragraph()
    subject.add_run(body[salutation + 1]).bold = True
    bold_count = 0
    for block in body[salutation + 2 :]:
        if block in SAMPLE_THEMES:
            document.add_heading(block, level=2)
            continue
        if "\n" in block:  # the signature block
            for line in block.split("\n"):
                document.add_paragraph(line)
            continue
        paragraph = document.add_paragraph()
        for text, bold, note in _segments(block):
            if note is not None:
                footnote_reference(paragraph, note)
            elif not bold:
                # plain text in two runs, as Word's editing leaves it
                half = len(text) // 2
                for piece in (text[:half], text[half:]):
                    if piece:
                        paragraph.add_run(piece)
            else:
                bold_count += 1
                words = text.split(" ")
                third = max(1, len(words) // 3)
                pieces = [
                    " ".join(words[:third]),
                    " ".join(words[third : 2 * third]),
                    " ".join(words[2 * third :]),
                ]
                pieces = [p + (" " if i < 2 and p else "") for i, p in enumerate(pieces)]
                for i, piece in enumerate(pieces):
                    if not piece:
                        continue
                    if bold_count % 3 == 0:
                        run = paragraph.add_run(
                            piece, style="Strong"
                        )  # bold from a character style
                    else:
                        run = paragraph.add_run(piece)
                        run.bold = True
                    if i == 1:
                        run.italic = True  # a bold span mixing italic
    document.save(target)
    return target
