"""Real Word footnotes on top of python-docx's XML (python-docx has no footnote API).

What Word needs, and what :class:`Footnotes` makes sure of:

- a ``/word/footnotes.xml`` part related to the document, holding the separator (id -1) and the
  continuation separator (id 0);
- the ``FootnoteText`` paragraph style and the ``FootnoteReference`` character style (the template's
  own when it has them, found by id or by Word's built-in name; added, without fonts, only if missing);
- ``w:footnotePr`` in ``settings.xml``, inserted where the schema's element order puts it;
- in the body, a run styled ``FootnoteReference`` holding ``w:footnoteReference w:id=N``; the note
  starts with a ``w:footnoteRef`` run (Word draws the number there), then the text, URLs as live
  hyperlinks whose relationships live on the footnotes part.

LibreOffice pairs references with notes by their *order* in footnotes.xml, not by id (Word and pandoc
use the id): :meth:`Footnotes.renumber` puts the notes in reference order and numbers them 1..n. Call
it (or :func:`save`) before saving.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import PartFactory, XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml

from pcc_desk.cleaning import clean_text
from pcc_desk.importers.docx_reading import XmlElement

if TYPE_CHECKING:
    from docx.document import Document
    from docx.opc.rel import _Relationship
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

# Load an existing footnotes part as XML (the default is opaque bytes). Must run before a file opens.
PartFactory.part_type_for.setdefault(CT.WML_FOOTNOTES, XmlPart)

W_ID = qn("w:id")
W_VAL = qn("w:val")
W_TYPE = qn("w:type")
SEPARATOR_TYPES = ("separator", "continuationSeparator", "continuationNotice")

# settings.xml children that come after w:footnotePr in CT_Settings' sequence (ECMA-376 §17.15.1.78).
_SETTINGS_AFTER_FOOTNOTEPR = tuple(
    qn(tag)
    for tag in (
        "w:endnotePr",
        "w:compat",
        "w:docVars",
        "w:rsids",
        "m:mathPr",
        "w:attachedSchema",
        "w:themeFontLang",
        "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats",
        "w:doNotAutoCompressPictures",
        "w:forceUpgrade",
        "w:captions",
        "w:readModeInkLockDown",
        "w:smartTagType",
        "sl:schemaLibrary",
        "w:shapeDefaults",
        "w:doNotEmbedSmartTags",
        "w:decimalSymbol",
        "w:listSeparator",
    )
)

_EMPTY_FOOTNOTES = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)

# Styles added only when the document lacks them: no fonts, only what makes them footnote styles.
_STYLE_XML = {
    "FootnoteText": (
        f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/>'
        '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'
    ),
    "FootnoteReference": (
        f'<w:style {nsdecls("w")} w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
    ),
    "Hyperlink": (
        f'<w:style {nsdecls("w")} w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>'
    ),
}
_STYLE_NAMES = {
    "FootnoteText": "footnote text",
    "FootnoteReference": "footnote reference",
    "Hyperlink": "hyperlink",
}

URL_RE = re.compile(r"https?://[^\s<>\"“”]+")
_URL_TRAILING = ".,;:)]}'’"


def _el(tag: str, **attrs: str) -> XmlElement:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key), value)
    return element


def _text_run(text: str, style_id: str | None = None) -> XmlElement:
    r = _el("w:r")
    if style_id:
        rpr = _el("w:rPr")
        rpr.append(_el("w:rStyle", **{"w:val": style_id}))
        r.append(rpr)
    t = _el("w:t")
    text = clean_text(text)
    t.text = text
    if text != text.strip():
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    r.append(t)
    return r


def split_urls(text: str) -> list[tuple[str, str | None]]:
    """``text`` as (chunk, url-or-None) pieces: every http(s) URL in it becomes its own linked piece."""
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    for match in URL_RE.finditer(text):
        url = match.group(0).rstrip(_URL_TRAILING)
        if match.start() > pos:
            pieces.append((text[pos : match.start()], None))
        pieces.append((url, url))
        pos = match.start() + len(url)
    if pos < len(text):
        pieces.append((text[pos:], None))
    return pieces


def note_pieces(text: str, urls: Iterable[str] = ()) -> list[tuple[str, str | None]]:
    """What a note says, as (chunk, url-or-None) pieces: its text (whitespace collapsed, URLs in it
    linked in place), then each of ``urls`` not already in the text, linked."""
    text = " ".join(clean_text(text or "").split())
    urls = [" ".join(clean_text(u or "").split()) for u in urls]
    extra = [u for u in urls if u and u not in text]
    pieces = [(" ", None), *split_urls(text)]
    for url in extra:
        pieces += [(" ", None), (url, url)]
    return _merge_plain(pieces)


def note_text(text: str, urls: Iterable[str] = ()) -> str:
    """The words of a note as the Word file holds them (what :func:`read_notes` reads back)."""
    return "".join(chunk for chunk, _url in note_pieces(text, urls)).strip()


def _find_style_id(styles_el: XmlElement, style_id: str, kind: str) -> str | None:
    name = _STYLE_NAMES[style_id]
    for style in styles_el.iterchildren(qn("w:style")):
        if style.get(W_TYPE) != kind:
            continue
        name_el = style.find(qn("w:name"))
        if style.get(qn("w:styleId")) == style_id or (
            name_el is not None and (name_el.get(W_VAL) or "").lower() == name
        ):
            found: str | None = style.get(qn("w:styleId"))
            return found
    return None


class Footnotes:
    """The footnotes of one python-docx ``Document``; constructing it prepares the document."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.part = self._ensure_part()
        self.root = self.part.element
        styles_el = document.styles.element
        self.text_style = self._ensure_style(styles_el, "FootnoteText", "paragraph")
        self.reference_style = self._ensure_style(styles_el, "FootnoteReference", "character")
        self.hyperlink_style = self._ensure_style(styles_el, "Hyperlink", "character")
        self._ensure_settings()
        ids = [int(n.get(W_ID)) for n in self.root.iterchildren(qn("w:footnote"))]
        self._next_id = max([0, *ids]) + 1

    # --- preparing the document ---------------------------------------------------------------

    def _ensure_part(self) -> XmlPart:
        doc_part = self.document.part
        for rel in doc_part.rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                target = rel.target_part
                if isinstance(target, XmlPart):
                    return target
                return self._replace_opaque_part(
                    rel
                )  # opened before this module registered XmlPart
        part = XmlPart(
            PackURI("/word/footnotes.xml"),
            CT.WML_FOOTNOTES,
            parse_xml(_EMPTY_FOOTNOTES),
            doc_part.package,
        )
        doc_part.relate_to(part, RT.FOOTNOTES)
        return part

    @staticmethod
    def _replace_opaque_part(rel: _Relationship) -> XmlPart:
        old = rel.target_part
        part: XmlPart = XmlPart.load(old.partname, old.content_type, old.blob, old.package)
        for old_rel in old.rels.values():
            part.rels.add_relationship(
                old_rel.reltype, old_rel._target, old_rel.rId, old_rel.is_external
            )
        rel._target = part
        return part

    def _ensure_style(self, styles_el: XmlElement, style_id: str, kind: str) -> str:
        found = _find_style_id(styles_el, style_id, kind)
        if found:
            return found
        style = parse_xml(_STYLE_XML[style_id])
        if style_id == "FootnoteText" and _find_normal(styles_el) is None:
            style.remove(style.find(qn("w:basedOn")))
        styles_el.append(style)
        return style_id

    def _ensure_settings(self) -> None:
        settings = self.document.settings.element
        if settings.find(qn("w:footnotePr")) is not None:
            return
        pr = _el("w:footnotePr")
        pr.append(_el("w:footnote", **{"w:id": "-1"}))
        pr.append(_el("w:footnote", **{"w:id": "0"}))
        for child in settings.iterchildren():
            if child.tag in _SETTINGS_AFTER_FOOTNOTEPR:
                child.addprevious(pr)
                return
        settings.append(pr)

    # --- adding ---------------------------------------------------------------------------------

    def clear(self) -> None:
        """Take out every note (not the separators): a template's own notes, which no reference in
        its emptied body points at, so that new notes can be numbered from 1."""
        for note in list(self.root.iterchildren(qn("w:footnote"))):
            if note.get(W_TYPE) not in SEPARATOR_TYPES:
                self.root.remove(note)
        self._next_id = 1

    def add(
        self,
        paragraph: Paragraph | XmlElement,
        text: str,
        *,
        urls: Iterable[str] = (),
        after: Run | None = None,
        note_id: int | None = None,
    ) -> int:
        """Add a footnote: its reference after ``after`` (a Run) or at the end of ``paragraph``
        (a python-docx Paragraph or a ``w:p`` element).

        URLs in ``text`` become live links in place; ``urls`` not already in the text are appended,
        linked (:func:`note_pieces`). ``note_id``: the number it must have (the letter writer's
        numbering); otherwise the next free one. Returns the note's id (:meth:`renumber` numbers the
        notes 1..n in reference order before saving).
        """
        if note_id is None:
            note_id = self._next_id
        elif note_id in {int(n.get(W_ID)) for n in self.root.iterchildren(qn("w:footnote"))}:
            raise ValueError(f"footnote {note_id} exists already")
        self._next_id = max(self._next_id, note_id + 1)
        ref_run = _el("w:r")
        rpr = _el("w:rPr")
        rpr.append(_el("w:rStyle", **{"w:val": self.reference_style}))
        ref_run.append(rpr)
        ref_run.append(_el("w:footnoteReference", **{"w:id": str(note_id)}))
        if after is not None:
            after._r.addnext(ref_run)
        else:
            p: XmlElement = getattr(paragraph, "_p", paragraph)
            p.append(ref_run)
        self.root.append(self._note(note_id, text, urls))
        return note_id

    def _note(self, note_id: int, text: str, urls: Iterable[str]) -> XmlElement:
        note = _el("w:footnote", **{"w:id": str(note_id)})
        p = _el("w:p")
        ppr = _el("w:pPr")
        ppr.append(_el("w:pStyle", **{"w:val": self.text_style}))
        p.append(ppr)
        ref = _el("w:r")
        rpr = _el("w:rPr")
        rpr.append(_el("w:rStyle", **{"w:val": self.reference_style}))
        ref.append(rpr)
        ref.append(_el("w:footnoteRef"))
        p.append(ref)
        for chunk, url in note_pieces(text, urls):
            if url is None:
                p.append(_text_run(chunk))
            else:
                p.append(self._hyperlink(chunk, url))
        note.append(p)
        return note

    def _hyperlink(self, text: str, url: str) -> XmlElement:
        r_id = self.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link = _el("w:hyperlink", **{"r:id": r_id, "w:history": "1"})
        link.append(_text_run(text, self.hyperlink_style))
        return link

    # --- numbering and reading ----------------------------------------------------------------

    def references(self) -> list[XmlElement]:
        """The ``w:footnoteReference`` elements of the body, in document order."""
        found: list[XmlElement] = self.document.element.body.xpath(".//w:footnoteReference")
        return found

    def renumber(self) -> int:
        """Number the notes 1..n in the order they are referenced, and store them in that order.

        Notes no reference points at are dropped. Returns the number of notes.
        """
        notes = {
            n.get(W_ID): n
            for n in self.root.iterchildren(qn("w:footnote"))
            if n.get(W_TYPE) not in SEPARATOR_TYPES
        }
        seen: dict[str, XmlElement] = {}
        ordered = []
        for number, ref in enumerate(self.references(), start=1):
            old_id = ref.get(W_ID)
            if old_id in seen:  # a second reference to one note: it gets its own copy
                note = copy.deepcopy(seen[old_id])
            elif old_id in notes:
                note = seen[old_id] = notes[old_id]
            else:
                raise ValueError(f"footnote reference {old_id} has no note")
            ordered.append((number, ref, note))
        for note in notes.values():
            self.root.remove(note)
        for number, ref, note in ordered:
            ref.set(W_ID, str(number))
            note.set(W_ID, str(number))
            self.root.append(note)
        self._next_id = len(ordered) + 1
        return len(ordered)

    def notes(self) -> dict[int, str]:
        """Note id → its text (without the number), separators left out."""
        return read_notes(self.root)


def _find_normal(styles_el: XmlElement) -> XmlElement | None:
    for style in styles_el.iterchildren(qn("w:style")):
        if style.get(qn("w:styleId")) == "Normal":
            return style
    return None


def _merge_plain(pieces: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    merged: list[tuple[str, str | None]] = []
    for chunk, url in pieces:
        if not chunk:
            continue
        if url is None and merged and merged[-1][1] is None:
            merged[-1] = (merged[-1][0] + chunk, None)
        else:
            merged.append((chunk, url))
    return merged


def read_notes(footnotes_root: XmlElement) -> dict[int, str]:
    found: dict[int, str] = {}
    for note in footnotes_root.iterchildren(qn("w:footnote")):
        if note.get(W_TYPE) in SEPARATOR_TYPES:
            continue
        text = "".join(t.text or "" for t in note.iter(qn("w:t")))
        found[int(note.get(W_ID))] = text.strip()
    return found


def footnotes_part(document: Document) -> XmlPart | None:
    """The document's footnotes part, or None."""
    for rel in document.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            part: XmlPart = rel.target_part
            return part
    return None


def save(document: Document, target: str | os.PathLike[str] | IO[bytes]) -> int:
    """Renumber the notes (LibreOffice pairs them by order) and save to a path or a binary stream.
    Returns the number of notes."""
    count = Footnotes(document).renumber() if footnotes_part(document) is not None else 0
    document.save(str(target) if isinstance(target, str | os.PathLike) else target)
    return count
