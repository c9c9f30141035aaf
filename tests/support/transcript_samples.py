"""Realistic transcripts in the formats clerks get them, written by the tests themselves."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

LA_HEADER = [
    "London Assembly",
    "Police and Crime Committee – 12 October 2022",
    "Transcript of Agenda Item 5 – Question and Answer Session with the Commissioner",
]

# (label, [paragraphs]) in meeting order
LA_TURNS = [
    (
        "Susan Hall AM (Chairman)",
        [
            "Good morning and welcome. Can I welcome Sir Mark Rowley to his first meeting of the Committee as Commissioner?",
        ],
    ),
    (
        "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)",
        [
            "Thank you, Chairman. It’s a privilege to be here, and I’ll be candid with the Committee.",
            "We will rebuild trust in the Met’s neighbourhood policing. We’ll put more officers back into wards, and we’ll publish a turnaround plan by the end of the year.",
            "That is the “new era” I promised Londoners.",
        ],
    ),
    (
        "Caroline Russell AM",
        [
            "Commissioner, on stop and search: what will change for the young people who tell us they don’t trust the Met?",
        ],
    ),
    (
        "The Commissioner",
        [
            "We will publish the data on stop and search every month, and I’ll come back to the Committee in January.",
        ],
    ),
    (
        "Susan Hall AM (Chairman)",
        [
            "Thank you. Mr O’Brien from MOPAC wants to add something on PCC-2024-017.",
        ],
    ),
    (
        "Sir Mark Rowley",
        [
            "Only that we will publish the turnaround plan by the end of the year, as I said.",
        ],
    ),
    (
        "The Chairman",
        [
            "Thank you, Commissioner. That concludes this item.",
        ],
    ),
]

UK_TEXT = """Home Affairs Committee
Oral evidence: Policing in London, HC 275
Wednesday 19 April 2023

Members present: Dame Diana Johnson (Chair); Lee Anderson; Tim Loughton.

Questions 10-14

Witness: Sir Mark Rowley, Commissioner of Police of the Metropolis.

Q10 Chair: Sir Mark, thank you for coming. How far has the turnaround plan got?

Sir Mark Rowley: We have published it, and we are recruiting neighbourhood officers.

Q11 Tim Loughton: What about vetting?

Sir Mark Rowley: We are re-checking every officer’s vetting.
It will take a year.

Q12 Chair: Thank you.
"""


def la_text() -> str:
    lines = [*LA_HEADER, ""]
    for label, paras in LA_TURNS:
        lines.append(f"{label}: {paras[0]}")
        lines.append("")
        for para in paras[1:]:
            lines.append(para)
            lines.append("")
    return "\n".join(lines)


def write_la_txt(folder: Path, name: str = "transcript.txt") -> Path:
    path = folder / name
    path.write_text(la_text(), encoding="utf-8")
    return path


def write_meeting_txt(folder: Path, name: str, date, word: str) -> Path:
    """A short London Assembly transcript of a meeting on ``date`` whose turns say ``word``."""
    path = folder / f"{name}.txt"
    lines = [
        "London Assembly",
        f"Police and Crime Committee – {date.day} {date:%B %Y}",
        f"Transcript of Agenda Item 4 – {name}",
        "",
        f"Susan Hall AM (Chairman): Welcome. We turn to {word} today.",
        "",
        f"Sir Mark Rowley (Commissioner): We will report on {word} and rebuild trust.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_la_docx(folder: Path, name: str = "pcc-transcript.docx", turns_repeat: int = 1) -> Path:
    """A Word transcript with a running header and a page-numbered footer, long enough for several pages."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Police and Crime Committee – 12 October 2022"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    for line in LA_HEADER:
        document.add_paragraph(line)
    for _ in range(turns_repeat):
        for label, paras in LA_TURNS:
            p = document.add_paragraph()
            p.add_run(f"{label}:").bold = True
            p.add_run(f" {paras[0]}")
            for para in paras[1:]:
                document.add_paragraph(para)
    path = folder / name
    document.save(path)
    return path


def docx_to_pdf(docx_path: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) is needed to make the PDF fixture")
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{out_dir}/lo-profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out_dir / (docx_path.stem + ".pdf")
