"""PDF bombs: files of well under 2 MB whose streams inflate to hundreds of MB, or that are made to
exhaust memory or spin. Each reading of a PDF runs in a child process bounded in decompressed size,
memory and time: a bomb is refused with one line by the bound that stops it, the register and the
files folder are left as they were, and ordinary PDFs read exactly as before."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import re
import subprocess
import sys

import pytest
from sqlalchemy import func, select
from support import pdf_bombs as bombs
from support.originals import kept_files

from pcc_desk.errors import Cancelled, ImportRejected
from pcc_desk.importers import pdf_reading, pdf_sandbox
from pcc_desk.importers.pdf_sandbox import Limits
from pcc_desk.model import Document, Recommendation, Segment
from pcc_desk.services import letter_import, transcripts
from pcc_desk.services.reading import read_response_letter as read_response_text

LINES = ["17 March 2023", "Dear Sir Mark,", "The Committee asks the Met to publish its plan."]


@pytest.fixture(scope="session")
def bomb_dir(tmp_path_factory):
    """Every bomb made once per session (compressed as they are made: never held inflated)."""
    folder = tmp_path_factory.mktemp("bombs")
    made = {
        "text-300mb": bombs.text_bomb(folder / "text-300mb.pdf", 300),
        "text-60mb": bombs.text_bomb(folder / "text-60mb.pdf", 60, seed=1),
        "zeros-500mb": bombs.zeros_bomb(folder / "zeros-500mb.pdf", 500),
        "zeros-40mb-indirect-length": bombs.zeros_bomb(
            folder / "zeros-40mb.pdf", 40, length_ref=True
        ),
        "double-flate-500mb": bombs.double_flate_bomb(folder / "double.pdf", 500),
        "font-200mb": bombs.font_bomb(folder / "font.pdf", 200),
        "split-12x20mb": bombs.text_bomb(folder / "split.pdf", 240, streams=12, seed=2),
    }
    for name, path in made.items():
        assert path.stat().st_size < 2 * 1024 * 1024, name  # small on disk: that is the point
    return made


BOMBS = [
    "text-300mb",
    "text-60mb",
    "zeros-500mb",
    "zeros-40mb-indirect-length",
    "double-flate-500mb",
    "font-200mb",
    "split-12x20mb",
]


def _count(desk, model) -> int:
    with desk.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def _files(desk) -> list[str]:
    """The files the register keeps (inside it: no files folder beside it)."""
    assert not desk.location.files_dir.exists()
    return sorted(kept_files(desk))


@pytest.mark.parametrize("bomb", BOMBS)
def test_a_pdf_bomb_is_refused_by_its_size_before_any_library_reads_it(
    desk, bomb_dir, bomb, tmp_path
):
    path = bomb_dir[bomb]
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for importer in (
        lambda: letter_import.preview(desk, path),
        lambda: transcripts.import_transcript(desk, path, date=dt.date(2022, 10, 12), title="T"),
        lambda: read_response_text(path),
    ):
        with pytest.raises(ImportRejected) as refused:
            importer()
        message = str(refused.value)
        assert message.startswith(f"{path.name}: this PDF could not be read safely: ")
        assert re.search(r"expands? to more than", message) and "\n" not in message
    assert _count(desk, Document) == 0 and _count(desk, Segment) == 0 and _files(desk) == []
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("inflated_mb", [3, 6])
def test_text_made_to_exhaust_memory_is_refused_at_the_memory_bound(
    bomb_dir, tmp_path, inflated_mb
):
    """Small enough to pass the size bound, but every repeated line becomes objects in memory."""
    path = bombs.text_bomb(tmp_path / f"text-{inflated_mb}mb.pdf", inflated_mb, seed=inflated_mb)
    limits = Limits(memory_mb=160, seconds=600)
    with pytest.raises(ImportRejected, match=r"needed more than 160 MB of memory"):
        pdf_sandbox.read_pdf_lines(path, limits=limits)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("inflated_mb", [8, 16])
def test_a_stream_that_spins_is_refused_at_the_time_bound(tmp_path, inflated_mb):
    path = bombs.zeros_bomb(tmp_path / f"zeros-{inflated_mb}mb.pdf", inflated_mb)
    limits = Limits(seconds=2, seconds_per_mb=0)
    with pytest.raises(ImportRejected, match=r"took longer than 2 seconds"):
        pdf_sandbox.read_pdf_lines(path, limits=limits)
    assert multiprocessing.active_children() == []


def test_the_time_allowed_grows_with_what_the_pdf_holds():
    limits = Limits(seconds=60, seconds_per_mb=45, max_seconds=900)
    assert limits.time_for(0) == 60
    assert limits.time_for(2 * 1_048_576) == 150
    assert limits.time_for(10**10) == 900


@pytest.mark.parametrize("pages", [1, 3, 12])
def test_ordinary_pdfs_read_the_same_in_the_child(tmp_path, pages):
    path = bombs.letter_pdf(tmp_path / f"letter-{pages}.pdf", LINES, pages=pages)
    assert pdf_sandbox.read_pdf_lines(path) == pdf_reading.read_pdf_lines(path)
    kept = pdf_sandbox.read_pdf_lines(path, keep_furniture=True)
    assert kept == pdf_reading.read_pdf_lines(path, keep_furniture=True)
    assert {line.page for line in kept} == set(range(1, pages + 1))


def test_a_refusal_inside_the_child_is_its_own_one_line(tmp_path):
    blank = bombs.Pdf()
    blank.page([blank.stream(bombs.flate([b""]), ["FlateDecode"])])
    path = blank.write(tmp_path / "scan.pdf")
    with pytest.raises(ImportRejected, match=r"^scan\.pdf: the PDF has no text to read"):
        pdf_sandbox.read_pdf_lines(path)
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + os.urandom(3000))
    with pytest.raises(ImportRejected, match=r"^damaged\.pdf: "):
        pdf_sandbox.read_pdf_lines(damaged)


def test_a_letter_pdf_imports_through_the_child_and_a_bomb_after_it_changes_nothing(
    desk, bomb_dir, tmp_path
):
    path = bombs.letter_pdf(tmp_path / "letter.pdf", LINES)
    letter_import.commit(desk, letter_import.preview(desk, path))
    assert _count(desk, Document) == 1 and len(_files(desk)) == 1
    before = (_count(desk, Document), _count(desk, Recommendation), _files(desk))
    with pytest.raises(ImportRejected, match="could not be read safely"):
        letter_import.preview(desk, bomb_dir["zeros-500mb"])
    assert (_count(desk, Document), _count(desk, Recommendation), _files(desk)) == before


class _CancelAfter:
    def __init__(self, checks: int) -> None:
        self.left = checks

    def check(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise Cancelled("Cancelled; nothing was saved.")


def test_cancel_ends_the_child_at_once(tmp_path):
    path = bombs.zeros_bomb(tmp_path / "slow.pdf", 16)
    with pytest.raises(Cancelled):
        pdf_sandbox.run(pdf_sandbox.page_texts, path, token=_CancelAfter(5))
    assert multiprocessing.active_children() == []


def test_the_size_scan_counts_without_holding_what_it_counts(bomb_dir):
    scan = pdf_sandbox.scan_streams(
        bomb_dir["zeros-40mb-indirect-length"], Limits(stream_mb=64, total_mb=64)
    )
    assert scan.streams == 1 and 40 * 1_048_576 <= scan.decompressed <= 41 * 1_048_576
    with pytest.raises(ImportRejected, match="more than 30 MB"):
        pdf_sandbox.scan_streams(bomb_dir["zeros-40mb-indirect-length"], Limits(stream_mb=30))
    with pytest.raises(ImportRejected, match="more than 100 MB"):
        pdf_sandbox.scan_streams(bomb_dir["split-12x20mb"], Limits(stream_mb=64, total_mb=100))


# --- nothing of the PDF libraries reaches the terminal or the log ------------------------------------


def _warning_pdf(path):
    """A page without a MediaBox: pdfminer logs a warning that names the file."""
    pdf = bombs.Pdf()
    pdf.page([pdf.stream(bombs.flate([bombs.text_lines(LINES)]), ["FlateDecode"])])
    pdf.objects[-1] = pdf.objects[-1].replace(b"/MediaBox [0 0 595 842] ", b"")
    return pdf.write(path)


@pytest.mark.parametrize("level", ["WARNING", "DEBUG"])
def test_pdf_library_warnings_and_file_names_stay_off_the_terminal(tmp_path, level):
    name = "Casework Smith v Met 2023"
    path = _warning_pdf(tmp_path / f"{name}.pdf")
    env = dict(os.environ, PCC_DESK_LOG=level, PCC_DESK_DATA_DIR=str(tmp_path / "data"))
    for args in (
        ["import-letter", str(path), "--dry-run"],
        ["import-transcript", str(path), "--date", "2022-10-12", "--title", "T"],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "pcc_desk", "--db", str(tmp_path / "r.sqlite3"), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert "pdfminer" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
        noise = [
            line
            for line in proc.stderr.splitlines()
            if name in line and not line.startswith(("pcc-desk: ", "["))
        ]
        assert noise == [], proc.stderr
        assert str(tmp_path) not in proc.stderr


@pytest.mark.parametrize("inflated_mb", [700, 1500])
def test_a_bomb_past_the_memory_bound_is_one_line_on_the_command_line(tmp_path, inflated_mb):
    path = bombs.runlength_bomb(tmp_path / f"runlength-{inflated_mb}.pdf", inflated_mb)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pcc_desk",
            "--db",
            str(tmp_path / "r.sqlite3"),
            "import-letter",
            str(path),
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, PCC_DESK_DATA_DIR=str(tmp_path / "data")),
        timeout=600,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"pcc-desk: {path.name}: this PDF could not be read safely: reading it needed more than 512 MB of memory."
    ]
