"""Rendering a composed letter into Word: the blocks laid out in a copy of the letterhead template,
each role one of the template's paragraph styles, the asks in its ``Ask`` character style and the
footnotes real Word footnotes (:mod:`pcc_desk.letters.footnotes`) numbered as :mod:`.compose`
numbered them. No run or paragraph carries direct formatting, so a clerk's own template decides fonts,
sizes and spacing."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.styles.style import BaseStyle

from pcc_desk import paths
from pcc_desk.cleaning import clean_text
from pcc_desk.errors import ImportRejected, InvalidInput, NotFound, PccError
from pcc_desk.importers.docx_reading import XmlElement
from pcc_desk.importers.safety import check_docx_zip
from pcc_desk.letters import footnotes as fn
from pcc_desk.letters.compose import Block, LetterInput, Note, Strong, compose, number_notes
from pcc_desk.letters.output import write_output

TEMPLATE_NAME = "pcc-letterhead.docx"


def default_template() -> Path:
    return paths.resources_dir() / "templates" / TEMPLATE_NAME


class _Plain(TypedDict, total=False):
    """How a style a template lacks is added (no fonts): points before and after, an indent in cm."""

    align: str
    after: int
    before: int
    keep: bool
    indent: float
    bold: bool


# Role → the template's paragraph style, and how to add it plainly (no fonts) when a template lacks it.
PARAGRAPH_ROLES: dict[str, tuple[str, _Plain]] = {
    "sender": ("Sender Block", {"align": "right", "after": 24}),
    "recipient": ("Recipient Block", {"after": 12}),
    "note": ("Letter Note", {"after": 12}),
    "date": ("Letter Date", {"after": 12}),
    "salutation": ("Salutation", {"keep": True, "after": 12}),
    "subject": ("Letter Subject", {"bold": True, "keep": True, "after": 12}),
    "heading": ("Theme Heading", {"bold": True, "keep": True, "before": 6, "after": 6}),
    "body": ("Normal", {}),
    "quote": ("Quotation", {"indent": 1.0, "after": 12}),
    "signoff": ("Sign-off", {"keep": True, "after": 36}),
    "signature": ("Signature Block", {"after": 18}),
    "contact": ("Contact Line", {"after": 0}),
}


ASK_STYLE = "Ask"


def open_template(template: str | Path | None = None) -> Document:
    """A python-docx Document of the template (.docx or .dotx), body emptied, section kept.

    A template that cannot be used (not a Word file, damaged, a zip bomb, unreadable) is one line
    (:class:`InvalidInput`); nothing is written."""
    path = Path(template) if template else default_template()
    if not path.is_file():
        raise NotFound(f"The letter template {path.name} does not exist ({path}).")
    with template_errors(path):
        check_docx_zip(path)
        data = path.read_bytes()
        if path.suffix.lower() in (".dotx", ".dotm") or _is_word_template(data):
            data = _template_as_document(data)
        document = docx.Document(io.BytesIO(data))
        # python-docx reads some parts only when asked: ask now, so a damaged one is found here
        _ = document.styles.element, document.sections[0].start_type, document.settings.element
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


@contextlib.contextmanager
def template_errors(path: Path) -> Iterator[None]:
    """Around any reading of the clerk's letter template: whatever is wrong with it is one line."""
    try:
        yield
    except ImportRejected as exc:  # the safety checks' words, said of a template
        reason = str(exc).removeprefix(f"{path.name}: ").rstrip(".")
        if reason.startswith("this is not a Word .docx file"):
            reason = "the file is damaged or of another kind"
        raise InvalidInput(
            f"{path.name} is not a Word .docx file that can be used as a letter template ({reason})."
        ) from None
    except PccError:
        raise
    except OSError as exc:
        raise InvalidInput(
            f"{path.name} cannot be used as a letter template: it cannot be read ({exc.strerror or type(exc).__name__})."
        ) from None
    except Exception as exc:  # damaged in a way python-docx or lxml trips over
        raise InvalidInput(
            f"{path.name} is not a Word .docx file that can be used as a letter template ({_reason(exc)})."
        ) from None


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:120] if text else type(exc).__name__


def _is_word_template(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return b"template.main+xml" in z.read("[Content_Types].xml")


def _template_as_document(data: bytes) -> bytes:
    """A .dotx is a .docx with another content type for its main part."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml"
                )
                content = content.replace(
                    b"ms-word.template.macroEnabledTemplate.main+xml",
                    b"wordprocessingml.document.main+xml",
                )
            target.writestr(info, content)
    return out.getvalue()


def _style_by_name(document: Document, name: str, kind: WD_STYLE_TYPE) -> BaseStyle | None:
    try:
        style = document.styles[name]
    except KeyError:
        return None
    return style if style.type == kind else None


def resolve_styles(document: Document) -> dict[str, str]:
    """Role → style id in this document; a style the template lacks is added plainly (no fonts)."""
    ids: dict[str, str] = {}
    normal = _style_by_name(document, "Normal", WD_STYLE_TYPE.PARAGRAPH)
    for role, (name, plain) in PARAGRAPH_ROLES.items():
        style = _style_by_name(document, name, WD_STYLE_TYPE.PARAGRAPH)
        if style is None:
            style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            fmt = style.paragraph_format
            if plain.get("align") == "right":
                fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if "after" in plain:
                fmt.space_after = Pt(plain["after"])
            if "before" in plain:
                fmt.space_before = Pt(plain["before"])
            if plain.get("keep"):
                fmt.keep_with_next = True
            if "indent" in plain:
                fmt.left_indent = fmt.right_indent = Cm(plain["indent"])
            if plain.get("bold"):
                style.font.bold = True
        ids[role] = style.style_id
    ask = _style_by_name(document, ASK_STYLE, WD_STYLE_TYPE.CHARACTER) or _style_by_name(
        document, "Strong", WD_STYLE_TYPE.CHARACTER
    )
    if ask is None:
        ask = document.styles.add_style(ASK_STYLE, WD_STYLE_TYPE.CHARACTER)
        ask.font.bold = True
    ids["ask"] = ask.style_id
    return ids


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _run(text: str, style_id: str | None = None) -> XmlElement:
    r = OxmlElement("w:r")
    if style_id:
        rpr = OxmlElement("w:rPr")
        rstyle = OxmlElement("w:rStyle")
        rstyle.set(qn("w:val"), style_id)
        rpr.append(rstyle)
        r.append(rpr)
    for i, line in enumerate(clean_text(text).split("\n")):
        if i:
            r.append(OxmlElement("w:br"))
        if line:
            t = OxmlElement("w:t")
            t.text = line
            if line != line.strip():
                t.set(_XML_SPACE, "preserve")
            r.append(t)
    return r


def render(
    blocks: Sequence[Block],
    template: str | Path | None = None,
    *,
    title: str = "",
    author: str = "",
) -> Document:
    """A python-docx Document holding ``blocks``, styled by the template; each footnote has the number
    :func:`~pcc_desk.letters.compose.number_notes` gives it (the template's own notes are dropped)."""
    blocks = number_notes(blocks)
    document = open_template(template)
    with template_errors(Path(template) if template else default_template()):
        styles = resolve_styles(document)
        notes = fn.Footnotes(document)
    notes.clear()
    sect_pr = document.element.body.find(qn("w:sectPr"))
    for block in blocks:
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        pstyle = OxmlElement("w:pStyle")
        pstyle.set(qn("w:val"), styles[block.role])
        ppr.append(pstyle)
        p.append(ppr)
        if sect_pr is not None:
            sect_pr.addprevious(p)
        else:
            document.element.body.append(p)
        previous = None
        for part in block.parts:
            if isinstance(part, Note):
                if isinstance(previous, Note):  # ⁹,¹⁰ as Word sets neighbouring references, not ⁹¹⁰
                    p.append(_run(",", notes.reference_style))
                notes.add(p, part.text, urls=part.urls, note_id=part.number)
            elif isinstance(part, Strong):
                p.append(_run(part.text, styles["ask"]))
            else:
                p.append(_run(part))
            previous = part
    set_core_properties(document, title=title, author=author)
    return document


CORE_PROPERTY_LIMIT = (
    255  # characters: the OPC package's limit for a text property (title, author…)
)


def core_property(text: str) -> str:
    """``text`` as a document property can hold it: one line, no control character, at most 255
    characters (cut at a word, with "…"). A letter following up 15 letters has a longer subject."""
    text = " ".join(clean_text(text or "").split())
    if len(text) <= CORE_PROPERTY_LIMIT:
        return text
    cut = text[: CORE_PROPERTY_LIMIT - 1]
    if " " in cut[CORE_PROPERTY_LIMIT // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + "…"


def set_core_properties(document: Document, *, title: str, author: str = "") -> None:
    """The document's properties (File → Info in Word), fresh for a new file."""
    props = document.core_properties
    props.title = core_property(title)
    props.author = core_property(author)
    props.comments = ""
    props.created = props.modified = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    props.last_modified_by = core_property(author)
    props.revision = 1


@dataclass(frozen=True)
class Written:
    path: Path
    paragraphs: int
    footnotes: int


def save(document: Document, target: str | Path) -> int:
    """Renumber the footnotes and write ``target`` atomically (FileLocked if Word has it open)."""
    data = io.BytesIO()
    count = fn.save(document, data)
    write_output(Path(target), data.getvalue())
    return count


def write_letter(
    letter: LetterInput, target: str | Path, template: str | Path | None = None
) -> Written:
    blocks = compose(letter)
    title = letter.subject or next((b.text for b in blocks if b.role == "subject"), "")
    document = render(blocks, template, title=title, author=letter.committee)
    count = save(document, target)
    return Written(path=Path(target), paragraphs=len(blocks), footnotes=count)
