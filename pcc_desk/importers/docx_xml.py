"""Word's XML names (namespaces, :func:`w`), the lxml element type, and :func:`open_docx`: a file that
passed :func:`pcc_desk.importers.safety.check_file` opened, ISO Strict OOXML included (see
:mod:`docx_reading`).
"""

from __future__ import annotations

import io
import typing
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from pcc_desk.errors import ImportRejected

if TYPE_CHECKING:
    from docx.document import Document


# An lxml element (python-docx's oxml elements are lxml elements): lxml ships no type information
# (lxml-stubs is not installed), so its elements are Any to mypy under any name.
XmlElement: TypeAlias = Any

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
# a page header part's content type (python-docx's CONTENT_TYPE.WML_HEADER, without importing it)
HEADER_PART = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


# ISO/IEC 29500 Strict → Transitional namespaces (what python-docx understands)
_STRICT_TO_TRANSITIONAL = (
    (
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
        b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/math",
        b"http://schemas.openxmlformats.org/officeDocument/2006/math",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/sharedTypes",
        b"http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
        b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/main",
        b"http://schemas.openxmlformats.org/drawingml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/picture",
        b"http://schemas.openxmlformats.org/drawingml/2006/picture",
    ),
)
_STRICT_MARK = b"http://purl.oclc.org/ooxml/"

_registered = False


def register_note_parts() -> None:
    """Load footnotes/endnotes parts as XML (python-docx keeps unknown parts as opaque bytes)."""
    global _registered
    if _registered:
        return
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.part import PartFactory, XmlPart

    for content_type in (CT.WML_FOOTNOTES, CT.WML_ENDNOTES):
        PartFactory.part_type_for.setdefault(content_type, XmlPart)
    _registered = True


def _is_strict(path: Path) -> bool:
    with zipfile.ZipFile(path) as archive:
        try:
            return _STRICT_MARK in archive.read("_rels/.rels")
        except KeyError:
            return False


def _transitional_copy(path: Path) -> io.BytesIO:
    """The package with Strict namespaces rewritten, in memory (its size was checked beforehand)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                for strict, transitional in _STRICT_TO_TRANSITIONAL:
                    data = data.replace(strict, transitional)
            target.writestr(info, data)
    out.seek(0)
    return out


def open_docx(path: Path, *, only: frozenset[str] | None = None) -> Document:
    """A python-docx Document, or a one-line ImportRejected.

    ``only``: the parts to read as XML, by content type (the main document always); every other
    part is kept as its bytes, never parsed. A reader that needs the body and the page headers
    alone (a transcript) so skips the styles, settings and numbering, which python-docx otherwise
    parses on opening (a third of a megabyte of styles in a document made from Word's template:
    about half the time of reading the file). Refusals are the same either way."""
    path = Path(path)
    name = path.name
    register_note_parts()
    import docx

    try:
        source = _transitional_copy(path) if _is_strict(path) else str(path)
        return docx.Document(source) if only is None else _document_of_parts(source, only)
    except ImportRejected:
        raise
    except ValueError as exc:
        message = str(exc)
        if "content type" in message:
            kind = message.rsplit("'", 2)[-2] if message.count("'") >= 2 else ""
            what = (
                "a spreadsheet"
                if "spreadsheet" in kind
                else "a presentation"
                if "presentation" in kind
                else "of another kind"
            )
            raise ImportRejected(f"{name}: this is not a Word document (it is {what}).") from None
        raise ImportRejected(f"{name}: the Word file is damaged and cannot be read.") from None
    except KeyError:
        raise ImportRejected(
            f"{name}: this zip file is not a Word document (it has no main document part)."
        ) from None
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportRejected(f"{name}: the Word file is damaged and cannot be read.") from None
    except Exception as exc:  # lxml XMLSyntaxError and whatever a damaged package raises
        raise ImportRejected(
            f"{name}: the Word file is damaged and cannot be read ({type(exc).__name__})."
        ) from None


def _document_of_parts(source: str | io.BytesIO, only: frozenset[str]) -> Document:
    """``docx.Document(source)`` with only the main document and the parts of ``only`` read as XML
    (python-docx's own package reader and part classes; the others kept as plain parts)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.package import Unmarshaller
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part, PartFactory
    from docx.opc.pkgreader import PackageReader
    from docx.package import Package
    from docx.parts.document import DocumentPart

    wanted = only | {CT.WML_DOCUMENT_MAIN}

    def part(
        partname: PackURI, content_type: str, reltype: str, blob: bytes, package: Package
    ) -> Part:
        if content_type in wanted:
            return typing.cast(Part, PartFactory(partname, content_type, reltype, blob, package))
        return typing.cast(Part, Part.load(partname, content_type, blob, package))

    package = Package()
    # python-docx leaves its package reader unannotated
    reader = PackageReader.from_file(source)  # type: ignore[no-untyped-call]
    Unmarshaller.unmarshal(reader, package, part)  # type: ignore[no-untyped-call]
    document_part = package.main_document_part
    if document_part.content_type != CT.WML_DOCUMENT_MAIN or not isinstance(
        document_part, DocumentPart
    ):  # as docx.Document words it, for open_docx's refusals
        raise ValueError(
            f"file '{source}' is not a Word file, content type is '{document_part.content_type}'"
        )
    return typing.cast("Document", document_part.document)
