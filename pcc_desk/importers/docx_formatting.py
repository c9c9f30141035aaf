"""Bold and italic as Word shows them: direct formatting, else the character and paragraph styles
(each through its ``basedOn`` chain) with OOXML toggle semantics, else the document defaults.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pcc_desk.importers.docx_runs import _int
from pcc_desk.importers.docx_xml import XmlElement, w

if TYPE_CHECKING:
    from docx.document import Document


# --- formatting ------------------------------------------------------------------------------------

_FALSE = {"0", "false", "off", "none"}


def _on_off(el: XmlElement) -> bool | None:
    if el is None:
        return None
    val = el.get(w("val"))
    return val is None or val.lower() not in _FALSE


def _rpr_value(rpr: XmlElement, prop: str) -> bool | None:
    if rpr is None:
        return None
    return _on_off(rpr.find(w(prop)))


@dataclass
class _Style:
    style_id: str
    kind: str
    name: str
    based_on: str | None
    rpr: XmlElement
    outline: bool


class Formatting:
    """Bold and italic as Word resolves them, and which paragraphs are headings."""

    def __init__(self, document: Document) -> None:
        self.styles: dict[str, _Style] = {}
        self.defaults: XmlElement = None
        self.default_paragraph: str | None = None
        try:
            root = (
                document.part._styles_part.element
            )  # python-docx supplies default styles when none
        except Exception:
            root = None
        if root is None:
            return
        doc_defaults = root.find(w("docDefaults"))
        if doc_defaults is not None:
            self.defaults = doc_defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
        for el in root.findall(w("style")):
            style_id = el.get(w("styleId")) or ""
            name_el, based_el = el.find(w("name")), el.find(w("basedOn"))
            ppr = el.find(w("pPr"))
            outline = (
                ppr is not None
                and ppr.find(w("outlineLvl")) is not None
                and _int(ppr.find(w("outlineLvl")).get(w("val"))) in range(0, 9)
            )
            style = _Style(
                style_id=style_id,
                kind=el.get(w("type")) or "paragraph",
                name=(name_el.get(w("val")) if name_el is not None else style_id) or "",
                based_on=based_el.get(w("val")) if based_el is not None else None,
                rpr=el.find(w("rPr")),
                outline=outline,
            )
            self.styles[style_id] = style
            if style.kind == "paragraph" and _on_off_attr(el.get(w("default"))):
                self.default_paragraph = style_id

    def _chain(self, style_id: str | None) -> Iterator[_Style]:
        seen = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            style_id = style.based_on

    def _style_value(self, style_id: str | None, prop: str) -> bool | None:
        for style in self._chain(style_id):
            value = _rpr_value(style.rpr, prop)
            if value is not None:
                return value
        return None

    def paragraph_style(self, p: XmlElement) -> str | None:
        ppr = p.find(w("pPr"))
        pstyle = ppr.find(w("pStyle")) if ppr is not None else None
        return pstyle.get(w("val")) if pstyle is not None else self.default_paragraph

    def resolve(self, r: XmlElement, p: XmlElement, prop: str) -> bool:
        """``prop`` ("b" or "i") of run ``r`` in paragraph ``p``."""
        rpr = r.find(w("rPr"))
        direct = _rpr_value(rpr, prop)
        if direct is not None:
            return direct
        rstyle = rpr.find(w("rStyle")) if rpr is not None else None
        char_value = self._style_value(rstyle.get(w("val")) if rstyle is not None else None, prop)
        para_value = self._style_value(self.paragraph_style(p), prop)
        if char_value is None and para_value is None:
            return bool(_rpr_value(self.defaults, prop))
        return bool(char_value) ^ bool(para_value)  # toggle properties: each style level flips

    def is_heading(self, p: XmlElement) -> bool:
        ppr = p.find(w("pPr"))
        if (
            ppr is not None
            and ppr.find(w("outlineLvl")) is not None
            and _int(ppr.find(w("outlineLvl")).get(w("val"))) in range(0, 9)
        ):
            return True
        for style in self._chain(self.paragraph_style(p)):
            if re.match(r"(?i)^heading\s*\d$", style.name) or style.outline:
                return True
        return False


def _on_off_attr(value: str | None) -> bool:
    return value is not None and value.lower() not in _FALSE
