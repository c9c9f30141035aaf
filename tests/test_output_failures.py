"""Writing a letter or an export fails for reasons outside PCC Desk: the disk is full, the folder is on
a read-only disk, the letter template is not a Word file. Each is one line (exit code 2) from the
command line, never a traceback, and the file that was there before is byte for byte unchanged.

The disk really fills up and really is read-only where this machine lets a test mount a small tmpfs
(as root in CI); the same failures are also injected at each step of the atomic write everywhere."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import random
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

import pcc_desk.storage.files  # noqa: F401  (the atomic writes patched below)
from pcc_desk import storage
from pcc_desk.cli import main as cli_main
from pcc_desk.letters.writer import default_template
from pcc_desk.services import register, settings

OLD = b"the clerk's previous file, which must survive\n"
WORDS = [
    "police",
    "vetting",
    "neighbourhood",
    "recruitment",
    "standards",
    "victims",
    "Turnaround",
    "Commissioner",
    "MOPAC",
    "timescales",
    "abstractions",
    "misconduct",
    "reform",
    "partnership",
    "mental",
    "health",
    "youth",
    "services",
    "data",
]
LETTERS = "abcdefghijklmnopqrstuvwxyz"
OUTPUTS = [
    ("export", "tracker.xlsx"),
    ("export", "tracker.docx"),
    ("export", "tracker.csv"),
    ("summary-of-actions", "actions.docx"),
    ("draft-letter", "letter.docx"),
]


@pytest.fixture
def big_register(desk, db_path):
    """Enough casework that every output is far larger than a few KB."""
    rng = random.Random(5)
    refs = [
        register.add_recommendation(
            desk,
            " ".join(
                rng.choice(WORDS) if rng.random() < 0.5 else "".join(rng.choices(LETTERS, k=7))
                for _ in range(400)
            ),
            theme=rng.choice(WORDS).capitalize(),
            addressee="Sir Mark Rowley",
            made=__import__("datetime").date(2023, 3, 17),
        ).ref
        for _ in range(40)
    ]
    return db_path, refs


def _command(what: str, out: Path, refs: list[str], extra=()) -> list[str]:
    if what == "draft-letter":
        return ["draft-letter", "--refs", ",".join(refs), "--out", str(out), *extra]
    return [what, "--out", str(out), *extra]


def _run(db_path: Path, args: list[str], capsys) -> tuple[int, str]:
    rc = cli_main(["--db", str(db_path), *args])
    captured = capsys.readouterr()
    return rc, captured.err


def _assert_one_line_and_old_file_kept(rc: int, err: str, target: Path, *words: str) -> None:
    assert rc == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pcc-desk: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], lines[0]
    assert target.read_bytes() == OLD
    assert sorted(p.name for p in target.parent.iterdir()) == [
        target.name
    ]  # no temporary file left


# --- a real small disk ------------------------------------------------------------------------------


def _can_mount() -> bool:
    if shutil.which("mount") is None or os.geteuid() != 0:
        return False
    probe = Path(tempfile.mkdtemp(prefix="pcc-mount-probe-"))
    try:
        ok = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(probe)], capture_output=True
            ).returncode
            == 0
        )
        if ok:
            subprocess.run(["umount", str(probe)], check=True)
        return ok
    finally:
        probe.rmdir()


CAN_MOUNT = _can_mount()
needs_mount = pytest.mark.skipif(not CAN_MOUNT, reason="cannot mount a tmpfs here (needs root)")


@contextlib.contextmanager
def small_disk(folder: Path, size_kb: int, old_name: str, read_only: bool = False):
    """``folder`` as a tmpfs of ``size_kb`` holding ``old_name`` (the old file); read-only if asked."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)], check=True
    )
    try:
        (folder / old_name).write_bytes(OLD)
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@needs_mount
@pytest.mark.parametrize("size_kb", [8, 20, 36])
@pytest.mark.parametrize(("what", "name"), OUTPUTS, ids=[n for _, n in OUTPUTS])
def test_a_full_disk_is_one_line_and_the_old_file_stays(
    big_register, tmp_path, capsys, what, name, size_kb
):
    db_path, refs = big_register
    with small_disk(tmp_path / "usb", size_kb, name) as folder:
        target = folder / name
        rc, err = _run(db_path, _command(what, target, refs), capsys)
        _assert_one_line_and_old_file_kept(rc, err, target, name, "disk is full", "unchanged")


@needs_mount
@pytest.mark.parametrize(("what", "name"), OUTPUTS, ids=[n for _, n in OUTPUTS])
def test_a_read_only_disk_is_one_line_and_the_old_file_stays(
    big_register, tmp_path, capsys, what, name
):
    db_path, refs = big_register
    with small_disk(tmp_path / "cdrom", 512, name, read_only=True) as folder:
        target = folder / name
        rc, err = _run(db_path, _command(what, target, refs), capsys)
        _assert_one_line_and_old_file_kept(rc, err, target, name, "read-only")


@needs_mount
def test_a_full_disk_in_a_real_process_prints_one_line(big_register, tmp_path, run_cli):
    db_path, refs = big_register
    with small_disk(tmp_path / "usb", 12, "letter.docx") as folder:
        proc = run_cli(*_command("draft-letter", folder / "letter.docx", refs), db=db_path)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert proc.stderr.strip().count("\n") == 0 and "disk is full" in proc.stderr
        assert (folder / "letter.docx").read_bytes() == OLD


# --- the same failures at each step of the atomic write -------------------------------------------


def _inject(monkeypatch, step: str, code: int, folder: Path) -> None:
    """Make ``step`` of the atomic write into ``folder`` fail with ``code`` (as the OS would)."""
    error = OSError(code, os.strerror(code))

    def ours(path) -> bool:
        return Path(path).resolve().parent == folder.resolve()

    if step == "create":
        real_mkstemp = tempfile.mkstemp

        def mkstemp(*args, **kwargs):
            if ours(Path(kwargs.get("dir", ".")) / "x"):
                raise error
            return real_mkstemp(*args, **kwargs)

        monkeypatch.setattr(storage.files.tempfile, "mkstemp", mkstemp)
    elif step == "fsync":
        monkeypatch.setattr(storage.files.os, "fsync", lambda fd: (_ for _ in ()).throw(error))
    elif step == "replace":
        real_replace = os.replace

        def replace(src, dst, *args, **kwargs):
            if ours(dst):
                raise error
            return real_replace(src, dst, *args, **kwargs)

        monkeypatch.setattr(storage.files.os, "replace", replace)


@pytest.mark.parametrize("step", ["create", "fsync", "replace"])
@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "disk is full"),
        (errno.EROFS, "read-only"),
        (errno.EIO, "disk reported an error"),
        (errno.EDQUOT, "quota"),
    ],
    ids=["ENOSPC", "EROFS", "EIO", "EDQUOT"],
)
@pytest.mark.parametrize(("what", "name"), OUTPUTS, ids=[n for _, n in OUTPUTS])
def test_each_step_of_the_write_failing_is_one_line_and_the_old_file_stays(
    big_register, tmp_path, capsys, monkeypatch, what, name, step, code, words
):
    db_path, refs = big_register
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / name
    target.write_bytes(OLD)
    _inject(monkeypatch, step, code, folder)
    rc, err = _run(db_path, _command(what, target, refs), capsys)
    _assert_one_line_and_old_file_kept(rc, err, target, name, words)


# --- a letter template that is not one -------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _template_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(default_template()) as source:
        return {name: source.read(name) for name in source.namelist()}


def _bad_templates(seed: int) -> dict[str, bytes]:
    rng = random.Random(seed)
    good = default_template().read_bytes()
    parts = _template_parts()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", parts["[Content_Types].xml"])
        archive.writestr("word/document.xml", bytes(300 * 1024 * 1024))
    return {
        "random-bytes.docx": rng.randbytes(rng.randint(1, 5000)),
        "empty.docx": b"",
        "text.dotx": b"Dear Sir Mark, this is not a template at all.\n" * rng.randint(1, 50),
        "truncated.docx": good[: rng.randrange(100, len(good) - 100)],
        "flipped.docx": bytes(b ^ 0xFF if rng.random() < 0.01 else b for b in good),
        "no-content-types.docx": _zip(
            {k: v for k, v in parts.items() if k != "[Content_Types].xml"}
        ),
        "garbage-body.docx": _zip(
            {**parts, "word/document.xml": rng.randbytes(rng.randint(10, 3000))}
        ),
        "garbage-styles.docx": _zip({**parts, "word/styles.xml": b"<w:styles><unclosed"}),
        "wrong-root-styles.docx": _zip(
            {**parts, "word/styles.xml": b'<?xml version="1.0"?><nothing/>'}
        ),
        "garbage-settings.docx": _zip({**parts, "word/settings.xml": rng.randbytes(200)}),
        "garbage-rels.docx": _zip({**parts, "word/_rels/document.xml.rels": b"<Relationships"}),
        "spreadsheet.docx": _zip(
            {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
        ),
        "bomb.docx": bomb.getvalue(),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_a_template_that_is_not_a_word_file_is_one_line_and_the_old_letter_stays(
    big_register, tmp_path, capsys, seed
):
    db_path, refs = big_register
    target = tmp_path / "out" / "letter.docx"
    target.parent.mkdir()
    target.write_bytes(OLD)
    for name, data in _bad_templates(seed).items():
        template = tmp_path / "templates" / name
        template.parent.mkdir(exist_ok=True)
        template.write_bytes(data)
        rc, err = _run(
            db_path, _command("draft-letter", target, refs, ("--template", str(template))), capsys
        )
        assert rc == 2, (name, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, (name, err)
        assert name in err and "template" in err, (name, err)
        assert target.read_bytes() == OLD, name
        assert sorted(p.name for p in target.parent.iterdir()) == ["letter.docx"]


def test_a_template_set_in_settings_that_went_bad_is_one_line(big_register, desk, tmp_path, capsys):
    db_path, refs = big_register
    template = tmp_path / "our-letterhead.docx"
    shutil.copy(default_template(), template)
    settings.update_settings(desk, {"letter_template": str(template)})
    template.write_bytes(b"PK\x03\x04 overwritten by a sync client")
    target = tmp_path / "out" / "letter.docx"
    target.parent.mkdir()
    target.write_bytes(OLD)
    rc, err = _run(db_path, _command("draft-letter", target, refs), capsys)
    _assert_one_line_and_old_file_kept(rc, err, target, "our-letterhead.docx", "template")


@pytest.mark.parametrize("code", [errno.EACCES, errno.EIO])
def test_a_template_that_cannot_be_read_is_one_line(
    big_register, tmp_path, capsys, monkeypatch, code
):
    db_path, refs = big_register
    template = tmp_path / "locked.docx"
    shutil.copy(default_template(), template)
    real_read = Path.read_bytes

    def read_bytes(self):
        if self.name == template.name:
            raise OSError(code, os.strerror(code), str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    target = tmp_path / "out" / "letter.docx"
    target.parent.mkdir()
    target.write_bytes(OLD)
    rc, err = _run(
        db_path, _command("draft-letter", target, refs, ("--template", str(template))), capsys
    )
    _assert_one_line_and_old_file_kept(rc, err, target, "locked.docx", "cannot be read")
