"""Repeated asks: a later letter's ask that repeats an earlier one is shown at import (--dry-run
--json) and listed by `pcc-desk repeats`; an ask on the same theme that asks something else is not."""

from __future__ import annotations

import json

import pytest
from support.letter_fixtures import SAMPLE
from support.replies import LATER_LETTER as LATER

from pcc_desk.services import Desk, letter_import, repeats
from pcc_desk.vocabulary import LinkKind


def _registers(tmp_path):
    db = tmp_path / "r.sqlite3"
    desk = Desk.open(db)
    try:
        letter_import.commit(desk, letter_import.preview(desk, SAMPLE))
    finally:
        desk.close()
    later = tmp_path / "later.md"
    later.write_text(LATER, encoding="utf-8")
    return db, later


def test_dry_run_json_shows_each_repeat_and_nothing_for_new_asks(cli, tmp_path):
    db, later = _registers(tmp_path)
    out = json.loads(
        cli("import-letter", str(later), "--dry-run", "--json", db=db, check_rc=0).stdout
    )
    recs = out["recommendations"]
    assert len(recs) == 4
    assert [r["ref"] for r in recs[0]["repeats"]][:1] == ["PCC-2023-03-17/01"]
    assert recs[0]["repeats"][0]["score"] >= 0.5
    assert recs[1]["repeats"] == []  # same theme (neighbourhood officers), another ask
    assert [r["ref"] for r in recs[2]["repeats"]][:1] == ["PCC-2023-03-17/08"]
    assert recs[3]["repeats"] == []
    text = cli("import-letter", str(later), "--dry-run", db=db, check_rc=0).stdout
    assert "asked before: PCC-2023-03-17/01 (2023-03-17), Awaiting response" in text


def test_repeats_lists_the_pairs_of_the_whole_register(cli, tmp_path):
    db, later = _registers(tmp_path)
    assert "No ask of the register" in cli("repeats", db=db, check_rc=0).stdout
    cli("import-letter", str(later), db=db, check_rc=0)
    pairs = json.loads(cli("repeats", "--json", db=db, check_rc=0).stdout)
    found = {(p["ref"], p["repeats"]["ref"]) for p in pairs}
    assert found == {
        ("PCC-2024-06-12/01", "PCC-2023-03-17/01"),
        ("PCC-2024-06-12/03", "PCC-2023-03-17/08"),
    }
    text = cli("repeats", db=db, check_rc=0).stdout
    assert "PCC-2024-06-12/01 (2024-06-12) asked before: PCC-2023-03-17/01 (2023-03-17)" in text


@pytest.mark.backends("sqlite", "postgresql")
def test_confirm_and_chain_on_either_backend(desk):
    import datetime as dt

    from pcc_desk.services import register

    a = register.add_recommendation(desk, "Publish vetting data", made=dt.date(2023, 3, 17)).ref
    b = register.add_recommendation(
        desk, "Publish vetting data again", made=dt.date(2024, 6, 12)
    ).ref
    c = register.add_recommendation(desk, "Publish it a third time", made=dt.date(2025, 1, 9)).ref
    repeats.confirm(desk, b, a)
    repeats.confirm(desk, c, b, LinkKind.SUPERSEDES)
    chain = repeats.chain(desk, c)
    assert [x.ref for x in chain] == [a, b, c]
    assert repeats.chain_sentence(chain) == (
        "first asked 17 March 2023; asked again 12 June 2024; asked again 9 January 2025"
    )
    assert repeats.linked_refs(desk) == {a, b, c}


def test_asks_of_one_letter_are_never_repeats_of_each_other(tmp_path):
    db, _later = _registers(tmp_path)
    desk = Desk.open(db)
    try:
        assert repeats.likely_repeats(desk) == []
    finally:
        desk.close()


def test_a_confirmed_repeat_is_stored_chained_and_undone_in_one_step(cli, tmp_path):
    db, later = _registers(tmp_path)
    cli("import-letter", str(later), db=db, check_rc=0)
    done = cli("repeats", "--confirm", "PCC-2024-06-12/01", "PCC-2023-03-17/01", db=db, check_rc=0)
    assert "first asked 17 March 2023; asked again 12 June 2024" in done.stdout
    pairs = json.loads(cli("repeats", "--json", db=db, check_rc=0).stdout)
    assert [p["ref"] for p in pairs] == ["PCC-2024-06-12/03"]  # the confirmed one is not offered
    desk = Desk.open(db)
    try:
        chain = repeats.chain(desk, "PCC-2023-03-17/01")
        assert [a.ref for a in chain] == ["PCC-2023-03-17/01", "PCC-2024-06-12/01"]
        assert repeats.linked_refs(desk) == {"PCC-2023-03-17/01", "PCC-2024-06-12/01"}
    finally:
        desk.close()
    wrong = cli("repeats", "--confirm", "PCC-2023-03-17/02", "PCC-2024-06-12/02", db=db)
    assert wrong.returncode == 2 and "made after" in wrong.stderr
    cli("undo", db=db, check_rc=0)
    desk = Desk.open(db)
    try:
        assert repeats.chain(desk, "PCC-2023-03-17/01") == ()
    finally:
        desk.close()


def test_a_follow_up_letter_about_a_repeated_ask_says_when_it_was_first_made(tmp_path):
    import datetime as dt

    from support import docx_readback as rb

    from pcc_desk.services import register
    from pcc_desk.services.letters import Selection, draft_letter

    db, later = _registers(tmp_path)
    desk = Desk.open(db)
    try:
        letter_import.commit(desk, letter_import.preview(desk, later))
        repeats.confirm(desk, "PCC-2024-06-12/01", "PCC-2023-03-17/01")
        register.add_recommendation(desk, "An ask of its own", made=dt.date(2024, 6, 12))
        result = draft_letter(
            desk,
            Selection(refs=("PCC-2024-06-12/01", "PCC-2024-06-12/02")),
            tmp_path / "follow-up.docx",
            today=dt.date(2024, 9, 1),
        )
    finally:
        desk.close()
    _doc, paras, _notes = rb.read(result.path)
    text = "\n".join(p.text for p in paras)
    sentence = "The Committee first made this recommendation in its letter of 17 March 2023."
    assert text.count(sentence) == 1
    # said under the repeated ask (after its recap), not under the other one
    assert text.index("further detail on timescales") < text.index(sentence)
    assert text.index(sentence) < text.index("abstracted from neighbourhood duties")


def test_the_index_is_reused_while_the_asks_are_unchanged_and_rebuilt_when_one_changes(tmp_path):
    import datetime as dt

    from pcc_desk.services import register

    desk = Desk.open(tmp_path / "r.sqlite3")
    try:
        a = register.add_recommendation(
            desk, "Publish the vetting backlog figures each quarter", made=dt.date(2023, 3, 17)
        ).ref
        first = repeats.RepeatFinder(desk)
        assert repeats.RepeatFinder(desk).index is first.index  # nothing changed: not rebuilt
        wording = "Publish the stop and search outcome data by borough every month"
        assert first.earlier(wording) == []
        register.edit_recommendation(
            desk, a, text="Publish stop and search outcome data by borough each month"
        )
        again = repeats.RepeatFinder(desk)
        assert again.index is not first.index
        assert [e.ref for e in again.earlier(wording)] == [a]  # the edited wording is found
    finally:
        desk.close()
