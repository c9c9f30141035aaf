"""Render the README's picture of a follow-up letter: docs/letter-page-1.png and -2.png.

    .venv/bin/python scripts/render_letter_pages.py

Imports the Committee's letter of 17 March 2023 (resources/samples) into a temporary register, logs two
responses, imports a transcript of the 12 October 2022 meeting (the tests' sample) and attaches quotes,
drafts the follow-up letter on the first six asks with the shipped letterhead, and renders it with
LibreOffice (soffice → PDF → pdftoppm). Needs LibreOffice and poppler-utils.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from support.transcript_samples import write_la_txt  # noqa: E402  (the tests' sample transcript)

from pcc_desk import paths  # noqa: E402
from pcc_desk.model import Assessment, Implementation, Position  # noqa: E402
from pcc_desk.services import Desk, letter_import, quotes, register, transcripts  # noqa: E402
from pcc_desk.services.letters import Selection, draft_letter  # noqa: E402

DOCS = REPO / "docs"
DAY = dt.date(2023, 7, 14)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["PCC_DESK_DATA_DIR"] = str(folder / "data")
        with Desk.open(folder / "register.sqlite3") as desk:
            refs = letter_import.commit(desk, letter_import.preview(desk, paths.sample_letter())).refs
            register.log_response(desk, refs[0], received=dt.date(2023, 5, 2), position=Position.PARTLY_ACCEPTED,
                                  text="The final Turnaround Plan sets out our new performance framework. We will "
                                       "publish quarterly updates on our progress against it from the autumn.",
                                  assessment=Assessment.PARTLY_ADDRESSED, implementation=Implementation.IN_PROGRESS)
            register.log_response(desk, refs[4], received=dt.date(2023, 5, 9), position=Position.ACCEPTED,
                                  text="We are not lowering our standards: every recruit is vetted to the national standard.",
                                  assessment=Assessment.ADDRESSED)
            transcript = transcripts.import_transcript(desk, write_la_txt(folder)).transcript
            for words in ("We will rebuild trust in the Met’s neighbourhood policing",
                          "We’ll put more officers back into wards"):
                quotes.create_quote(desk, transcript.id, words, refs=[refs[5]])
            letter = draft_letter(desk, Selection(refs=tuple(refs[:6])), folder / "follow-up-letter.docx",
                                  letter_date=DAY, today=DAY)
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
