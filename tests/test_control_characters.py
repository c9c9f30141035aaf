"""Control characters (a form feed as PDF-to-text writes them, a vertical tab, any C0/C1 control) are
cleaned on the way into the register, keeping the text, and again on the way out, so that data an older
version stored with them still exports: every exporter is run on a register whose every text holds them,
and its file is read back."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
import sqlite3
import zipfile

import docx
import openpyxl
import pytest
from sqlalchemy import Enum, String, select
from support import letter_register as reg

from pcc_desk.cleaning import clean_text
from pcc_desk.cli import main as cli_main
from pcc_desk.letters import render
from pcc_desk.letters.export import neutralise
from pcc_desk.model import Base, Position, Recommendation, Response, Setting, Status
from pcc_desk.services import letters, register, settings

CONTROLS = [
    chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
]
LINE_BREAKS = {"\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"}
# what XML 1.0 (so .docx and .xlsx) cannot hold, and what a cleaned text never holds
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# columns that are not prose: identifiers, hashes, paths and JSON lists
NOT_PROSE = {"ref", "sha256", "stored_path", "urls", "cc", "key", "value"}


# --- the rule itself --------------------------------------------------------------------------------


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_each_control_character_becomes_one_newline_or_space_and_the_words_stay(char):
    for text in (f"Publish{char}the plan", f"{char}Publish the plan", f"Publish the plan{char}"):
        cleaned = clean_text(text)
        assert len(cleaned) == len(text)  # one for one: offsets into the text stay valid
        assert cleaned.replace(char, "") == cleaned
        assert cleaned.split() == text.replace(char, " ").split()
        assert ("\n" in cleaned) if char in LINE_BREAKS else (" " in cleaned)
        assert not ILLEGAL.search(cleaned)


def test_tabs_newlines_and_ordinary_text_are_left_alone():
    text = "Line one\tcolumn\nLine two\r\nSir Mark’s “plan” – café, naïve, 日本, emoji 🚓"
    assert clean_text(text) is text


@pytest.mark.parametrize("char", ["\ud800", "\udcff", "\udfff", "\ufffe", "\uffff"])
def test_lone_surrogates_and_non_characters_become_the_replacement_character(char):
    assert clean_text(f"a{char}b") == "a\ufffdb"


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_each_control_character_can_be_written_to_a_spreadsheet_cell_and_a_word_run(char):
    book = openpyxl.Workbook()
    book.active["A1"] = neutralise(f"{char}ask{char}")
    run = render._run(f"ask{char}text")
    assert "ask" in "".join(run.itertext())


# --- on the way in ----------------------------------------------------------------------------------


def _stored_prose(db_path) -> list[tuple[str, str, str]]:
    """(table, column, value) of every prose text column in the register file."""
    found = []
    conn = sqlite3.connect(db_path)
    try:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String) or isinstance(column.type, Enum):
                    continue
                for (value,) in conn.execute(f'SELECT "{column.name}" FROM "{table.name}"'):
                    if isinstance(value, str):
                        found.append((table.name, column.name, value))
    finally:
        conn.close()
    return found


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_text_typed_or_imported_is_stored_without_control_characters(desk, db_path, tmp_path, seed):
    rng = random.Random(seed)

    def dirty(words: str, controls=CONTROLS) -> str:
        parts = words.split(" ")
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(parts) + 1)
            parts.insert(at, "".join(rng.sample(controls, rng.randint(1, 3))))
        return " ".join(parts)

    def in_file(words: str) -> str:  # a NUL byte makes a file binary: refused, as it should be
        return dirty(words, CONTROLS[1:])

    typed = {
        "text": dirty("Publish the timescales for the reform"),
        "context": dirty("The Committee asks that the Met publish the timescales"),
        "theme": dirty("Delivering the mission"),
        "addressee": dirty("Sir Mark Rowley"),
        "notes": dirty("Chased by email in June"),
    }
    rec = register.add_recommendation(desk, made=dt.date(2023, 3, 17), **typed)
    register.log_response(
        desk,
        rec.ref,
        received=dt.date(2023, 5, 2),
        position=Position.ACCEPTED,
        text=dirty("We will publish quarterly updates from the autumn"),
        from_whom=dirty("Deputy Commissioner Dame Lynne Owens"),
        evidence=dirty("Page two of the reply"),
        note=dirty("Logged from the reply"),
    )
    register.edit_recommendation(desk, rec.ref, notes=dirty("Edited after the meeting"))
    register.change_status(desk, rec.ref, Status.FOLLOW_UP_NEEDED, dirty("Not enough"))
    settings.update_settings(
        desk, {"chair": dirty("Susan Hall AM"), "committee": dirty("Police and Crime Committee")}
    )
    # a letter and a transcript exported to text by a PDF tool: page breaks are form feeds
    letter = tmp_path / "letter.txt"
    letter.write_text(
        "17 March 2023\n\nDear Sir Mark,\n\nTurnaround Plan\n\nNeighbourhood policing\n\n"
        + in_file("The Committee notes the plan.")
        + " **"
        + in_file(
            "The Committee asks the Met to publish its neighbourhood policing figures every quarter."
        )
        + "**\n\n\x0cYours sincerely,\n\nSusan Hall AM\nChairman",
        encoding="utf-8",
    )
    from pcc_desk.services import letter_import, transcripts

    letter_import.commit(desk, letter_import.preview(desk, letter))
    transcript = tmp_path / "pcc-2022-10-12-transcript.txt"
    transcript.write_text(
        "Police and Crime Committee – 12 October 2022\n\nTranscript of Agenda Item 5\n\n"
        + "Susan Hall AM (Chairman): "
        + in_file("Commissioner, what is your ambition for the size of the Met?")
        + "\n\x0c\nSir Mark Rowley QPM (Commissioner of Police of the Metropolis): "
        + in_file("We are recruiting hard, but we will not cut corners on vetting.")
        + "\n",
        encoding="utf-8",
    )
    transcripts.import_transcript(desk, transcript)

    stored = _stored_prose(db_path)
    assert [(t, c) for t, c, v in stored if ILLEGAL.search(v)] == []
    everything = " ".join(v for _, _, v in stored)
    for phrase in (
        "Publish the timescales for the reform",
        "Delivering the mission",
        "Sir Mark Rowley",
        "We will publish quarterly updates from the autumn",
        "Dame Lynne Owens",
        "publish its neighbourhood policing figures every quarter",
        "we will not cut corners on vetting",
        "Edited after the meeting",
    ):
        assert all(word in everything for word in phrase.split()), phrase
    chair = json.loads(
        sqlite3.connect(db_path).execute("SELECT value FROM settings").fetchone()[0]
    )["chair"]
    assert chair.split() == ["Susan", "Hall", "AM"]


def test_text_in_undecodable_bytes_on_the_command_line_is_stored_with_a_replacement(cli, db_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, LC_ALL="C.UTF-8", PCC_DESK_DB=str(db_path))
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pcc_desk",
            "add",
            "--text",
            b"Publish the plan \xff now",
            "--made",
            "2023-03-17",
        ],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr
    texts = [v for t, c, v in _stored_prose(db_path) if (t, c) == ("recommendations", "text")]
    assert texts == ["Publish the plan \ufffd now"]


# --- on the way out: data stored by an older version ------------------------------------------------


def _inject_old_data(db_path, rng: random.Random, every: bool) -> dict[str, list[str]]:
    """Put control characters into every prose text of the register, straight into the file (as an
    older PCC Desk stored them); returns the original words of the asks and responses."""
    originals: dict[str, list[str]] = {"asks": [], "responses": []}
    conn = sqlite3.connect(db_path)
    try:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if (
                    not isinstance(column.type, String)
                    or isinstance(column.type, Enum)
                    or column.primary_key
                    or column.name in NOT_PROSE
                    or not [c for c in table.primary_key.columns]
                ):
                    continue
                pk = next(iter(table.primary_key.columns)).name
                rows = conn.execute(
                    f'SELECT "{pk}", "{column.name}" FROM "{table.name}"'
                ).fetchall()
                for key, value in rows:
                    if not value:
                        continue
                    if (table.name, column.name) == ("recommendations", "text"):
                        originals["asks"].append(value)
                    if (table.name, column.name) == ("responses", "text"):
                        originals["responses"].append(value)
                    chunk = "".join(CONTROLS) if every else rng.choice(CONTROLS)
                    spaces = [i for i, ch in enumerate(value) if ch == " "] or [len(value)]
                    at = rng.choice([0, len(value), *spaces])
                    conn.execute(
                        f'UPDATE "{table.name}" SET "{column.name}" = ? WHERE "{pk}" = ?',
                        (value[:at] + chunk + value[at:], key),
                    )
        stored = json.loads(
            conn.execute("SELECT value FROM settings WHERE key = 'committee'").fetchone()[0]
            if conn.execute("SELECT 1 FROM settings WHERE key = 'committee'").fetchone()
            else "{}"
        )
        stored.update(chair="Susan\x0cHall AM", committee="Police and\x0bCrime Committee\x01")
        conn.execute(
            "INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES ('committee', ?, CURRENT_TIMESTAMP)",
            (json.dumps(stored),),
        )
        conn.commit()
    finally:
        conn.close()
    return originals


def _xml_parts_are_clean(path) -> str:
    """All the text of a .docx/.xlsx's XML parts; fails if any holds a character XML forbids."""
    texts = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                text = archive.read(name).decode("utf-8")
                assert not ILLEGAL.search(text), name
                assert not re.search(
                    r"&#(x0*[0-8bcef]|x0*1[0-9a-f]|0*([0-8]|1[1-9]|2[0-9]|3[01]));", text, re.I
                ), name
                texts.append(re.sub(r"<[^>]+>", " ", text))
    return " ".join(texts)


def _words_found(originals: list[str], text: str) -> None:
    words = set(re.findall(r"\w+", text))
    for value in originals:
        missing = [w for w in re.findall(r"\w+", value) if w not in words]
        assert not missing, (value, missing)


@pytest.fixture(
    params=[
        ("every control in every text", True, 11),
        ("one control each", False, 12),
        ("one control each", False, 13),
    ],
    ids=lambda p: f"{p[0]}-{p[2]}",
)
def old_register(request, desk, db_path):
    _label, every, seed = request.param
    reg.build(desk)
    originals = _inject_old_data(db_path, random.Random(seed), every)
    return desk, originals


def test_every_export_of_a_register_holding_control_characters_is_written_and_reads_back(
    old_register, tmp_path
):
    desk, originals = old_register
    today = dt.date(2023, 9, 1)

    out = letters.export_tracker(desk, tmp_path / "tracker.xlsx", today=today).path
    _xml_parts_are_clean(out)
    cells = [
        str(c.value)
        for row in openpyxl.load_workbook(out).active.iter_rows()
        for c in row
        if c.value
    ]
    _words_found(originals["asks"], " ".join(cells))
    _words_found(originals["responses"], " ".join(cells))
    assert not any(ILLEGAL.search(c) for c in cells)

    out = letters.export_tracker(desk, tmp_path / "tracker.csv", today=today).path
    with open(out, encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    _words_found(originals["asks"], " ".join(cells))
    assert not any(ILLEGAL.search(c) for c in cells)

    out = letters.export_tracker(desk, tmp_path / "tracker.docx", today=today).path
    text = _xml_parts_are_clean(out)
    _words_found(originals["asks"], text)
    _words_found(originals["responses"], text)
    docx.Document(str(out))

    out = letters.summary_of_actions(desk, tmp_path / "actions.docx", today=today).path
    _words_found(originals["asks"], _xml_parts_are_clean(out))

    drafted = letters.draft_letter(
        desk, letters.Selection(refs=tuple(reg.refs())), tmp_path / "letter.docx", today=today
    )
    text = _xml_parts_are_clean(drafted.path)
    assert drafted.footnotes > 0 and drafted.quotes > 0
    assert "Susan Hall AM" in " ".join(text.split())
    document = docx.Document(str(drafted.path))
    assert document.core_properties.title and not ILLEGAL.search(document.core_properties.title)


def test_the_command_line_edits_shows_and_exports_a_register_holding_control_characters(
    old_register, db_path, tmp_path, capsys
):
    desk, _originals = old_register
    ref = reg.refs()[0]
    assert cli_main(["--db", str(db_path), "show", ref]) == 0
    assert cli_main(["--db", str(db_path), "edit", ref, "--notes", "Checked\x0cagain"]) == 0
    assert (
        cli_main(
            [
                "--db",
                str(db_path),
                "respond",
                ref,
                "--received",
                "2023-06-01",
                "--position",
                "accepted",
                "--text",
                "A second\x0breply.",
            ]
        )
        == 0
    )
    for fmt in ("xlsx", "docx", "csv"):
        assert cli_main(["--db", str(db_path), "export", "--out", str(tmp_path / f"t.{fmt}")]) == 0
    assert (
        cli_main(
            ["--db", str(db_path), "draft-letter", "--refs", ref, "--out", str(tmp_path / "l.docx")]
        )
        == 0
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err
    with desk.reading() as session:
        rec = session.scalars(select(Recommendation).where(Recommendation.ref == ref)).one()
        assert rec.notes == "Checked\nagain"
        newest = session.scalars(
            select(Response)
            .where(Response.recommendation_id == rec.id)
            .order_by(Response.received.desc())
        ).first()
        assert newest.text == "A second\nreply."
        assert session.get(Setting, "committee") is not None


@pytest.mark.parametrize("seed", [21, 22])
def test_changes_typed_with_control_characters_can_be_undone_and_redone(db_path, capsys, seed):
    """The journal keeps what was stored (cleaned), so undo does not find the text "changed since"."""
    rng = random.Random(seed)

    def dirty(words: str) -> str:
        at = rng.choice([i for i, ch in enumerate(words) if ch == " "])
        return words[:at] + rng.choice(CONTROLS[1:]) + words[at:]

    def run(*args: str) -> int:
        return cli_main(["--db", str(db_path), *args])

    assert run("add", "--text", dirty("Publish the plan now"), "--made", "2023-03-17") == 0
    ref = "PCC-2023-03-17/01"
    changes = [
        (
            "edit",
            ref,
            "--text",
            dirty("Publish the revised plan"),
            "--notes",
            dirty("Chased in June"),
        ),
        (
            "respond",
            ref,
            "--received",
            "2023-05-02",
            "--position",
            "accepted",
            "--text",
            dirty("We will do it soon"),
        ),
        ("status", ref, "closed-implemented", "--note", dirty("Verified at the meeting")),
        ("due", ref, "2023-09-30", "--reason", dirty("Extension agreed with MOPAC")),
        ("settings", "--set", f"chair={dirty('Susan Hall AM')}"),
    ]
    for change in changes:
        assert run(*change) == 0, change
        assert run("undo") == 0, change
        assert run("redo") == 0, change
    capsys.readouterr()
    for _ in changes:
        assert run("undo") == 0
    assert "changed since" not in capsys.readouterr().err
