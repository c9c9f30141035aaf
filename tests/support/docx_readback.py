"""Reading a written .docx back for the letter tests: paragraphs, styles, footnote references, notes."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from pcc_desk.letters import footnotes as fn

ALLOWED_PPR = {qn("w:pStyle")}
ALLOWED_RPR = {qn("w:rStyle")}
ALLOWED_RUN_CHILDREN = {
    qn("w:rPr"),
    qn("w:t"),
    qn("w:br"),
    qn("w:footnoteReference"),
    qn("w:footnoteRef"),
}


@dataclass(frozen=True)
class Para:
    style: str  # style name
    text: str
    refs: tuple[int, ...]  # footnote ids referenced, in order
    ends_with_ref: bool
    bold_text: str  # text in the Ask character style
    char_styles: tuple[str, ...]  # character styles of the text runs (not footnote references)


def read(path: Path):
    """(document, paragraphs, notes id → text)."""
    document = docx.Document(str(path))
    names = {s.style_id: s.name for s in document.styles}
    paras = []
    for p in document.element.body.iterchildren(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        style_id = (
            ppr.find(qn("w:pStyle")).get(qn("w:val"))
            if ppr is not None and ppr.find(qn("w:pStyle")) is not None
            else "Normal"
        )
        text, refs, bold, char_styles = [], [], [], []
        runs = p.findall(qn("w:r"))
        for r in runs:
            rstyle = r.find(qn("w:rPr") + "/" + qn("w:rStyle"))
            chunk = "".join(
                t.text or "" if t.tag == qn("w:t") else "\n"
                for t in r
                if t.tag in (qn("w:t"), qn("w:br"))
            )
            text.append(chunk)
            if rstyle is not None and names.get(rstyle.get(qn("w:val"))) == "Ask":
                bold.append(chunk)
            if rstyle is not None and r.find(qn("w:footnoteReference")) is None:
                char_styles.append(names.get(rstyle.get(qn("w:val")), rstyle.get(qn("w:val"))))
            for ref in r.findall(qn("w:footnoteReference")):
                refs.append(int(ref.get(qn("w:id"))))
        ends = bool(runs) and runs[-1].find(qn("w:footnoteReference")) is not None
        paras.append(
            Para(
                names.get(style_id, style_id),
                "".join(text),
                tuple(refs),
                ends,
                "".join(bold),
                tuple(dict.fromkeys(char_styles)),
            )
        )
    part = fn.footnotes_part(document)
    notes = fn.read_notes(part.element) if part is not None else {}
    return document, paras, notes


def formatting_noise(document) -> list[str]:
    """Direct formatting in the body or the notes: anything but a style on a paragraph or run."""
    found = []
    roots = [document.element.body]
    part = fn.footnotes_part(document)
    if part is not None:
        roots.append(part.element)
    for root in roots:
        for p in root.iter(qn("w:p")):
            ppr = p.find(qn("w:pPr"))
            if ppr is not None:
                extra = {c.tag for c in ppr} - ALLOWED_PPR
                # the separators' own spacing is Word's convention
                if extra and p.getparent().get(qn("w:type")) is None:
                    found.append(f"pPr {extra}")
            for r in p.iter(qn("w:r")):
                rpr = r.find(qn("w:rPr"))
                if rpr is not None and {c.tag for c in rpr} - ALLOWED_RPR:
                    found.append(f"rPr {[c.tag for c in rpr]}")
                odd = (
                    {c.tag for c in r}
                    - ALLOWED_RUN_CHILDREN
                    - {qn("w:separator"), qn("w:continuationSeparator")}
                )
                if odd:
                    found.append(f"run {odd}")
    return found


def to_pdf(paths: list[Path], outdir: Path) -> list[Path]:
    """Convert with LibreOffice headless, all files in one call, on a profile of its own (so a
    LibreOffice already running, or another test converting at the same time, cannot swallow it)."""
    profile = (outdir / ".lo-profile").resolve().as_uri()
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return [outdir / (p.stem + ".pdf") for p in paths]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_footnotes(text: str) -> dict[int, str]:
    """Footnotes as LibreOffice printed them: a number alone on its line, the note on the next."""
    lines = [line for line in text.splitlines() if line.strip()]
    found = {}
    for i, line in enumerate(lines[:-1]):
        following = lines[i + 1]
        if following.startswith("\f"):  # a page number in the footer, then the next page
            continue
        if re.fullmatch(r"\d{1,3}", line.strip()) and int(line) not in found:
            found[int(line)] = following.strip()
    return found


def pdf_fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout


def pandoc_markdown(path: Path) -> str:
    return subprocess.run(
        ["pandoc", str(path), "-t", "markdown", "--wrap=none"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def have_office() -> bool:
    return all(shutil.which(tool) for tool in ("soffice", "pdftotext", "pdffonts", "pandoc"))


def make_custom_template(path):
    """A clerk's own letterhead: other fonts, margins and heading style; no Ask or Quotation style."""
    document = docx.Document()
    for child in list(document.element.body):
        if not child.tag.endswith("sectPr"):
            document.element.body.remove(child)
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(3.5)
    section.top_margin = Cm(4)
    normal = document.styles["Normal"]
    normal.font.name = "DejaVu Serif"
    normal.font.size = Pt(11)
    heading = document.styles.add_style("Theme Heading", 1)
    heading.base_style = normal
    heading.font.italic = True
    heading.font.name = "DejaVu Sans"
    section.header.paragraphs[0].text = "Custom Letterhead Ltd"
    document.save(str(path))
    return path
