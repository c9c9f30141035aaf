"""Render the README's picture of a follow-up letter: docs/letter-page-1.png and -2.png.

    .venv/bin/python scripts/render_letter_pages.py

Builds the test register (the Committee's letter of 17 March 2023, responses, transcript quotes) in a
temporary database, drafts the follow-up letter with the shipped letterhead, and renders it with
LibreOffice (soffice → PDF → pdftoppm). Needs LibreOffice and poppler-utils.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import letter_register  # noqa: E402  (the tests' realistic register)

from pcc_desk.services import Desk  # noqa: E402
from pcc_desk.services.letters import Selection, draft_letter  # noqa: E402

DOCS = REPO / "docs"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Desk.open(folder / "register.sqlite3") as desk:
            refs = letter_register.build(desk)
            letter = draft_letter(desk, Selection(refs=tuple(refs)), folder / "follow-up-letter.docx",
                                  letter_date=dt.date(2023, 7, 14), today=dt.date(2023, 7, 14))
        profile = (folder / "lo-profile").as_uri()
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(folder), str(letter.path)], check=True, capture_output=True, timeout=240)
        subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "2", str(folder / "follow-up-letter.pdf"),
                        str(folder / "page")], check=True)
        DOCS.mkdir(exist_ok=True)
        for n in (1, 2):
            page = next(folder.glob(f"page-{n}.png"), None) or next(folder.glob(f"page-0{n}.png"))
            shutil.copyfile(page, DOCS / f"letter-page-{n}.png")
            print(DOCS / f"letter-page-{n}.png")


if __name__ == "__main__":
    main()
