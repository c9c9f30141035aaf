"""Folders a clerk might point a batch import at, written by the tests themselves.

``make_folder(root, variant, kind)`` writes a folder of letters (Markdown and Word) or transcripts
(text and Word) with the register itself inside it (its database file, the files folder holding the
copy of a file imported before, its backups folder), hidden files and folders, Word lock files, files
of other kinds, sub-folders, the same letter under two names and a damaged file. It returns what a
batch import of the folder should do, worked out from what was written (not from the code under
test): the names to read, in order, and the names to skip, each with the rule that skips it.

Variants change the register's name, the files' names (spaces, capitals, accents), the depth of the
sub-folders and the number of files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REGISTER = "register"  # the register's own file, its files folder or its backups folder
HIDDEN = "hidden"
OFFICE_LOCK = "lock"
OTHER_KIND = "kind"


@dataclass(frozen=True)
class Variant:
    register_name: str
    subfolders: tuple[str, ...]
    stems: tuple[str, ...]  # one new file per stem (letters or transcripts)
    odd: tuple[str, ...]  # files of other kinds


VARIANTS = {
    "plain": Variant(
        "register.sqlite3",
        ("2023",),
        ("a-custody", "b-vetting", "c-stop-and-search"),
        ("notes.csv", "photo.png"),
    ),
    "spaces-and-capitals": Variant(
        "PCC Desk.db",
        ("Letters Sent", "Letters Sent/Older ones"),
        ("Custody Review", "vetting", "Stop And Search", "Zebra crossings"),
        ("Budget.XLSX", "old letter.doc", "README"),
    ),
    "accents-deep": Variant(
        "régistre.sqlite3",
        ("été", "été/2024", "été/2024/mai"),
        ("réponse-garde-à-vue", "Éducation", "naïve-policing"),
        ("scan.tif",),
    ),
}


@dataclass
class Expected:
    folder: Path
    db: Path
    earlier: Path  # a file to import before the batch (the files folder then keeps a copy of it)
    read: list[str] = field(default_factory=list)  # names relative to the folder, in order
    skipped: dict[str, str] = field(default_factory=dict)  # name -> rule
    refused: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def letter_md(day: dt.date, subject: str, asks: list[str]) -> str:
    body = "\n\n".join(
        f"Theme {n}\n\nThe Committee has heard evidence on this. It believes **{ask}** this year."
        for n, ask in enumerate(asks, start=1)
    )
    return (
        "Susan Hall AM\nChairman of the Police and Crime Committee\n\n"
        "Sir Mark Rowley\nCommissioner of Police of the Metropolis\n\n"
        f"{day.day} {day:%B} {day.year}\n\nDear Sir Mark,\n\n{subject}\n\n"
        "I am writing to you on behalf of the Police and Crime Committee.\n\n"
        f"{body}\n\nYours sincerely,\n\nSusan Hall AM\n"
    )


def letter_docx(path: Path, day: dt.date, subject: str, asks: list[str]) -> None:
    import docx

    document = docx.Document()
    for line in (
        "Susan Hall AM",
        "Chairman of the Police and Crime Committee",
        "",
        "Sir Mark Rowley",
        "Commissioner of Police of the Metropolis",
        "",
        f"{day.day} {day:%B} {day.year}",
        "",
        "Dear Sir Mark,",
        subject,
        "I am writing to you on behalf of the Police and Crime Committee.",
    ):
        document.add_paragraph(line)
    for n, ask in enumerate(asks, start=1):
        document.add_heading(f"Theme {n}", level=2)
        paragraph = document.add_paragraph("The Committee has heard evidence on this. It believes ")
        paragraph.add_run(ask).bold = True
        paragraph.add_run(" this year.")
    document.add_paragraph("Yours sincerely,")
    document.add_paragraph("Susan Hall AM")
    document.save(str(path))


def transcript_txt(day: dt.date, topic: str, turns: int) -> str:
    lines = [
        "London Assembly",
        f"Police and Crime Committee – {day.day} {day:%B} {day.year}",
        f"Transcript of Agenda Item 5 – {topic}",
        "",
    ]
    speakers = (
        "Susan Hall AM (Chairman)",
        "Sir Mark Rowley QPM (Commissioner of Police of the Metropolis)",
        "Caroline Russell AM",
    )
    for n in range(turns):
        lines += [f"{speakers[n % 3]}: On {topic.lower()}, point {n + 1} is what we will do.", ""]
    return "\n".join(lines)


def transcript_docx(path: Path, day: dt.date, topic: str, turns: int) -> None:
    import docx

    document = docx.Document()
    for para in transcript_txt(day, topic, turns).split("\n"):
        if para:
            document.add_paragraph(para)
    document.save(str(path))


def _write(kind: str, path: Path, n: int, stem: str) -> None:
    day = dt.date(2023, 1, 10) + dt.timedelta(days=37 * n)
    topic = stem.replace("-", " ").capitalize()
    if kind == "letter":
        asks = [f"the Met should act on {topic.lower()} point {k}" for k in range(1, 2 + n % 3)]
        subject = f"Police and Crime Committee follow-up on {topic.lower()}"
        if path.suffix == ".docx":
            letter_docx(path, day, subject, asks)
        else:
            path.write_text(letter_md(day, subject, asks), encoding="utf-8")
    elif path.suffix == ".docx":
        transcript_docx(path, day, topic, 3 + n % 4)
    else:
        path.write_text(transcript_txt(day, topic, 3 + n % 4), encoding="utf-8")


def make_folder(root: Path, variant: Variant, kind: str, template_db: Path) -> Expected:
    """Write the folder under ``root``; ``kind`` is "letter" or "transcript". The files folder is
    made by importing ``earlier`` into the register (see :func:`import_earlier`)."""
    folder = root / "inbox"
    folder.mkdir(parents=True)
    db = folder / variant.register_name
    shutil.copyfile(template_db, db)
    stem = db.stem
    exp = Expected(folder, db, earlier=root / f"earlier{'.md' if kind == 'letter' else '.txt'}")
    text_suffix = ".md" if kind == "letter" else ".txt"
    places = ("", *variant.subfolders)
    for place in variant.subfolders:
        (folder / place).mkdir(parents=True, exist_ok=True)
    for n, name in enumerate(variant.stems):
        suffix = ".docx" if n % 2 else text_suffix
        rel = f"{places[n % len(places)]}/{name}{suffix}".lstrip("/")
        _write(kind, folder / rel, n, name)
        exp.read.append(rel)
    # the same file again under another name: read, and found already imported
    again = f"{places[-1]}/copy of {variant.stems[0]}{text_suffix}".lstrip("/")
    shutil.copyfile(folder / exp.read[0], folder / again)
    exp.read.append(again)
    pair = sorted((exp.read[0], again), key=str.lower)
    exp.duplicates.append(pair[1])  # the one read second is found already imported
    # a damaged file: read and refused
    broken = f"{places[-1]}/damaged {variant.stems[-1]}.docx".lstrip("/")
    (folder / broken).write_bytes(b"PK\x03\x04 not really a Word file")
    exp.read.append(broken)
    exp.refused.append(broken)
    # the register's own things, each holding a file the importer would otherwise read
    backups_dir = folder / f"{stem}-backups"
    earlier = exp.earlier
    _write(kind, earlier, len(variant.stems) + 3, "earlier matter")
    backups_dir.mkdir()
    shutil.copyfile(template_db, backups_dir / f"{stem}-2024-01-01T0900.sqlite3")
    shutil.copyfile(earlier, backups_dir / f"restored{text_suffix}")
    exp.skipped[f"{stem}-backups/"] = REGISTER
    exp.skipped[f"{stem}-files/"] = REGISTER
    (folder / f"{db.name}.lock").write_bytes(b"")
    exp.skipped[db.name] = REGISTER
    exp.skipped[f"{db.name}.lock"] = REGISTER
    # hidden things and Word's lock files
    shutil.copyfile(earlier, folder / f".hidden{text_suffix}")
    exp.skipped[f".hidden{text_suffix}"] = HIDDEN
    (folder / ".git" / "objects").mkdir(parents=True)
    shutil.copyfile(earlier, folder / ".git" / "objects" / f"blob{text_suffix}")
    exp.skipped[".git/"] = HIDDEN
    lock = f"{places[-1]}/~${variant.stems[0][:6]}.docx".lstrip("/")
    (folder / lock).write_bytes(b"\x00" * 162)
    exp.skipped[lock] = OFFICE_LOCK
    for n, odd in enumerate(variant.odd):
        rel = f"{places[n % len(places)]}/{odd}".lstrip("/")
        (folder / rel).write_bytes(b"something else")
        exp.skipped[rel] = OTHER_KIND
    exp.read.sort(key=str.lower)
    return exp


def import_earlier(exp: Expected, kind: str) -> None:
    """Import ``exp.earlier`` into the folder's register, and keep a copy of it in a files folder
    beside the register, as versions before originals were kept inside the register did (the folder
    of a register upgraded from one of them)."""
    from pcc_desk.services import Desk, letter_import, transcripts

    with Desk.open(exp.db) as desk:
        if kind == "letter":
            letter_import.commit(desk, letter_import.preview(desk, exp.earlier))
        else:
            transcripts.import_transcript(desk, exp.earlier)
    content = exp.earlier.read_bytes()
    sha = hashlib.sha256(content).hexdigest()
    kept = exp.db.parent / f"{exp.db.stem}-files" / sha[:2] / f"{sha}{exp.earlier.suffix.lower()}"
    kept.parent.mkdir(parents=True)
    kept.write_bytes(content)


def without_sidecars(names, db: Path) -> set[str]:
    """SQLite's -wal and -shm files and the register's lock (``.in-use``) exist only while the
    register is open: left out of comparisons."""
    return {n for n in names if n not in (f"{db.name}-wal", f"{db.name}-shm", f"{db.name}.in-use")}
