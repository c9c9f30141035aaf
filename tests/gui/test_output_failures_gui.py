"""The Letters screen when the file cannot be written (disk full, read-only disk, a template that is not
a Word file): one line in a message box, no "something went wrong" dialog, the old file untouched."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

import pcc_desk.storage.files  # noqa: F401  (the atomic writes patched below)
from pcc_desk import storage
from pcc_desk.paths import resources_dir
from pcc_desk.services import letter_import

SAMPLE = "pcc-letter-2023-03-17-turnaround-plan.md"
OLD = b"the previous export\n"


@pytest.fixture
def screen(qtbot, window, desk, tmp_path, monkeypatch):
    path = tmp_path / SAMPLE
    shutil.copy(resources_dir() / "samples" / SAMPLE, path)
    refs = letter_import.commit(desk, letter_import.preview(desk, path)).refs
    screen = window.show_screen("letters")
    qtbot.waitUntil(screen.is_loaded, timeout=20_000)
    screen.tick(list(refs[:3]))
    shown: list[str] = []
    monkeypatch.setattr(
        "pcc_desk.gui.workbench.show_error", lambda _parent, error, *a: shown.append(str(error))
    )
    screen.shown = shown
    return screen


def _fail_replace_into(monkeypatch, folder: Path, code: int) -> None:
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).parent == folder:
            raise OSError(code, os.strerror(code))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(storage.files.os, "replace", replace)


@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only")]
)
@pytest.mark.parametrize(
    ("action", "name"),
    [
        ("write_letter", "letter.docx"),
        ("export_tracker", "tracker.xlsx"),
        ("export_tracker", "tracker.csv"),
        ("export_actions", "actions.docx"),
    ],
)
def test_a_write_that_fails_is_one_line_and_the_old_file_stays(
    qtbot, screen, tmp_path, monkeypatch, action, name, code, words
):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / name
    target.write_bytes(OLD)
    _fail_replace_into(monkeypatch, folder, code)
    getattr(screen, action)(target)
    qtbot.waitUntil(lambda: bool(screen.shown), timeout=30_000)
    assert len(screen.shown) == 1
    message = screen.shown[0]
    assert "\n" not in message and name in message and words in message
    assert target.read_bytes() == OLD
    assert [p.name for p in folder.iterdir()] == [name]


def test_a_template_that_is_not_a_word_file_is_one_line(qtbot, screen, tmp_path):
    template = tmp_path / "letterhead.docx"
    template.write_bytes(os.urandom(3000))
    screen.set_template(template)
    target = tmp_path / "letter.docx"
    target.write_bytes(OLD)
    screen.write_letter(target)
    qtbot.waitUntil(lambda: bool(screen.shown), timeout=30_000)
    assert "\n" not in screen.shown[0] and "letterhead.docx" in screen.shown[0]
    assert target.read_bytes() == OLD
