"""A letter's asks, addressees, status rows, footnotes and footnote links are written a table at a
time (not object by object): the rows are what the register keeps for any ask, cleaned of control
characters as every row is, and taken out again by undo."""

from __future__ import annotations

import dataclasses
import random
import re
import sqlite3

import pytest
from support.letter_corpus import write_letters

from pcc_desk.services import Desk, letter_import

CONTROLS = "\x07\x0b\x0c\x1b\x85"
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _dirty(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    at = rng.randrange(len(words))
    words[at] = rng.choice(CONTROLS).join((words[at], ""))
    return " ".join(words)


def _rows(db_path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize(("asks", "seed"), [(2, 1), (7, 2)])
def test_an_edited_letter_with_control_characters_is_saved_clean(db_path, tmp_path, asks, seed):
    rng = random.Random(seed)
    (path,) = write_letters(tmp_path / "letters", 1, asks, seed)
    with Desk.open(db_path) as desk:
        preview = letter_import.preview(desk, path)
        letter = preview.letter
        edited = dataclasses.replace(
            letter,
            asks=tuple(
                dataclasses.replace(
                    ask,
                    text=_dirty(rng, ask.text),
                    context=_dirty(rng, ask.context or "Context of the ask"),
                    addressees=(_dirty(rng, "Sir Mark Rowley"), "MOPAC"),
                )
                for ask in letter.asks
            ),
            footnotes=tuple(
                dataclasses.replace(
                    note,
                    text=_dirty(rng, note.text),
                    urls=(_dirty(rng, "https://www.london.gov.uk/a b"),),
                )
                for note in letter.footnotes
            ),
        )
        result = letter_import.commit(desk, preview, letter=edited)
        assert len(result.refs) == asks
        stored = {
            "recommendations": _rows(
                db_path, "SELECT text, context, addressee FROM recommendations"
            ),
            "addressees": _rows(db_path, "SELECT name FROM addressees"),
            "footnotes": _rows(db_path, "SELECT text, urls FROM footnotes"),
            "status_changes": _rows(db_path, "SELECT note FROM status_changes"),
        }
        assert len(stored["recommendations"]) == asks
        assert len(stored["addressees"]) == 2 * asks
        assert len(stored["footnotes"]) == len(letter.footnotes)
        assert _rows(db_path, "SELECT count(*) FROM recommendation_footnotes") == [(asks,)]
        for table, rows in stored.items():
            for row in rows:
                assert not any(ILLEGAL.search(value) for value in row), (table, row)
        # (a control character is a space: the words are kept)
        assert {" ".join(name.split()) for (name,) in stored["addressees"]} == {
            "Sir Mark Rowley",
            "MOPAC",
        }
        assert {
            " ".join(a.split()).replace(" ;", ";") for _t, _c, a in stored["recommendations"]
        } == {"Sir Mark Rowley; MOPAC"}
        letter_import.undo_import(desk, result.document_id)
    for table in ("recommendations", "addressees", "footnotes", "status_changes"):
        assert _rows(db_path, f"SELECT count(*) FROM {table}") == [(0,)], table
