"""Word layouts the importers meet in clerks' files, written with python-docx and lxml: text boxes
(DrawingML with its VML fallback as Word writes them, DrawingML alone, VML alone; on the page,
inline, above or below their anchor paragraph) and tables (nested too), plus letters, minutes and
transcripts laid out with them. Independent of the importers' code on purpose."""

from __future__ import annotations

import itertools

import docx
from docx.oxml import parse_xml
from docx.shared import Pt

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
}
_DECLS = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
BOX_KINDS = ("drawing+vml", "drawing", "vml")
PLACEMENTS = ("page", "inline", "above", "below")
_ids = itertools.count(1)


def _box_paragraphs(lines: list[str], size: float | None, bold: bool = False) -> str:
    rpr = ""
    if size or bold:
        rpr = (
            "<w:rPr>"
            + ("<w:b/>" if bold else "")
            + (f'<w:sz w:val="{int(size * 2)}"/>' if size else "")
            + "</w:rPr>"
        )
    out = []
    for line in lines:
        text = line.replace("&", "&amp;").replace("<", "&lt;")
        out.append(f'<w:p><w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>')
    return "".join(out) or "<w:p/>"


def _drawing(content: str, placement: str, number: int) -> str:
    graphic = (
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="2400000" cy="900000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f"</wps:spPr><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr/>"
        "</wps:wsp></a:graphicData></a:graphic>"
    )
    doc_pr = f'<wp:docPr id="{number}" name="Text Box {number}"/>'
    extent = '<wp:extent cx="2400000" cy="900000"/>'
    if placement == "inline":
        return f"<w:drawing><wp:inline>{extent}{doc_pr}{graphic}</wp:inline></w:drawing>"
    relative, offset = {
        "page": ("page", 400000),
        "above": ("paragraph", -1200000),
        "below": ("paragraph", 300000),
    }[placement]
    return (
        '<w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" '
        'relativeHeight="2" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:posOffset>4200000</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="{relative}"><wp:posOffset>{offset}</wp:posOffset></wp:positionV>'
        f'{extent}<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText="bothSides"/>'
        f"{doc_pr}<wp:cNvGraphicFramePr/>{graphic}</wp:anchor></w:drawing>"
    )


def _vml(content: str, placement: str, number: int) -> str:
    style = {
        "page": "position:absolute;margin-left:330pt;margin-top:30pt;"
        "mso-position-horizontal-relative:page;mso-position-vertical-relative:page",
        "inline": "width:190pt;height:70pt",
        "above": "position:absolute;margin-left:330pt;margin-top:-95pt;"
        "mso-position-vertical-relative:text",
        "below": "position:absolute;margin-left:330pt;margin-top:25pt;"
        "mso-position-vertical-relative:text",
    }[placement]
    return (
        f'<w:pict><v:shape id="Text Box {number}" type="#_x0000_t202" style="{style};width:190pt;height:70pt">'
        f"<v:textbox><w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict>"
    )


def add_text_box(
    paragraph,
    lines: list[str],
    *,
    kind: str = "drawing+vml",
    placement: str = "page",
    size: float | None = None,
    bold: bool = False,
) -> None:
    """A text box holding ``lines`` (one paragraph each), anchored in ``paragraph``."""
    number = next(_ids)
    content = _box_paragraphs(lines, size, bold)
    if kind == "drawing+vml":  # how Word saves a text box: the same box twice, read it once
        inner = (
            f'<mc:AlternateContent><mc:Choice Requires="wps">{_drawing(content, placement, number)}'
            f"</mc:Choice><mc:Fallback>{_vml(content, placement, number)}</mc:Fallback>"
            "</mc:AlternateContent>"
        )
    elif kind == "drawing":
        inner = _drawing(content, placement, number)
    else:
        inner = _vml(content, placement, number)
    paragraph._p.append(parse_xml(f"<w:r {_DECLS}>{inner}</w:r>"))


def fill_cell(cell, lines: list[str], size: float | None = None, bold: bool = False) -> None:
    """The cell's paragraphs: one a line ("" an empty paragraph)."""
    first = True
    for line in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        run = paragraph.add_run(line)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)


def new_document(font: str = "Arial", size: float = 12):
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size)
    return document


def count_text(path, text: str) -> int:
    """How often ``text`` is in the file's XML, to show a box really is written twice (choice and
    fallback) when the importer must read it once."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml").decode("utf-8").count(text)
