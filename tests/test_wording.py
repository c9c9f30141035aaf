"""The wording of letters, edited by a clerk: the settings service, the writer's rule, the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from pcc_desk.errors import InvalidInput
from pcc_desk.letters import writer
from pcc_desk.services import Desk
from pcc_desk.services import settings as cs


def _stored_row(desk: Desk) -> str:
    from sqlalchemy import text

    with desk.reading() as session:
        return session.execute(
            text("SELECT value FROM settings WHERE key = 'committee'")
        ).scalar_one_or_none()


def test_wording_entries_list_every_key_with_label_default_and_placeholders(desk):
    entries = cs.wording_entries(desk)
    assert [e.key for e in entries] == list(writer.wording())
    opening = next(e for e in entries if e.key == "opening")
    assert opening.label == "Opening paragraph"
    assert opening.text == opening.default == writer.wording()["opening"]
    assert not opening.overridden
    names = [p.name for p in opening.placeholders]
    assert (
        names[:6] == list(writer.COMMON_PLACEHOLDERS)
        and "originals" in names
        and "meeting" not in names
    )
    assert all(p.meaning for e in entries for p in e.placeholders)


def test_an_override_is_saved_and_read_back(db_path):
    with Desk.open(db_path) as desk:
        entry = cs.set_wording(
            desk, "opening", "On behalf of the {committee}, I follow up {originals}."
        )
        assert entry.overridden and entry.text.startswith("On behalf of")
    with Desk.open(db_path) as desk:
        assert cs.get_settings(desk).wording == {
            "opening": "On behalf of the {committee}, I follow up {originals}."
        }
        opening = next(e for e in cs.wording_entries(desk) if e.key == "opening")
        assert (
            opening.overridden
            and opening.text == "On behalf of the {committee}, I follow up {originals}."
        )
        assert opening.default == writer.wording()["opening"]


def test_an_invalid_placeholder_is_refused_naming_it_and_nothing_is_written(desk):
    cs.set_wording(desk, "closing", "Please reply by {reply_by}.")
    before = _stored_row(desk)
    with pytest.raises(InvalidInput) as error:
        cs.set_wording(desk, "closing", "Please reply by {deadline}.")
    message = str(error.value)
    assert "{deadline}" in message and "{reply_by}" in message and "\n" not in message
    with pytest.raises(InvalidInput, match=r"'opening' uses \{meeting\}"):
        cs.set_wording(
            desk, "opening", "At the meeting on {meeting}"
        )  # a placeholder of another paragraph
    with pytest.raises(InvalidInput, match="brace"):
        cs.set_wording(desk, "opening", "Dear {committee")
    with pytest.raises(InvalidInput, match="'openning' is not a letter wording"):
        cs.set_wording(desk, "openning", "Hello")
    with pytest.raises(InvalidInput):
        cs.save_settings(
            desk,
            dataclasses.replace(
                cs.get_settings(desk), chair="X", wording={"sign_off": "{committee!r}"}
            ),
        )
    assert _stored_row(desk) == before
    assert cs.get_settings(desk).chair == "Susan Hall AM"


def test_restore_default_removes_the_override(desk):
    cs.set_wording(desk, "sign_off", "Yours faithfully,")
    cs.set_wording(desk, "closing", "Please reply by {reply_by}.")
    entry = cs.restore_wording(desk, "sign_off")
    assert not entry.overridden and entry.text == writer.wording()["sign_off"]
    assert cs.get_settings(desk).wording == {"closing": "Please reply by {reply_by}."}
    assert "sign_off" not in json.loads(_stored_row(desk))["wording"]


def test_only_overridden_keys_are_stored(desk):
    defaults = writer.wording()
    cs.save_settings(
        desk,
        dataclasses.replace(
            cs.get_settings(desk), wording={**defaults, "sign_off": "Yours faithfully,"}
        ),
    )
    assert cs.get_settings(desk).wording == {"sign_off": "Yours faithfully,"}
    cs.set_wording(desk, "sign_off", defaults["sign_off"])  # the default again: no override left
    assert cs.get_settings(desk).wording == {}


def test_every_placeholder_the_check_allows_is_filled_by_the_writer():
    """The rule the editor checks is the one the writer fills: each wording using all of its
    placeholders composes into a letter with none left unfilled."""
    overrides = {
        key: " ".join(f"<{key}.{p}={{{p}}}>" for p in writer.placeholders_for(key))
        for key in writer.wording()
    }
    quote = writer.QuoteInput(
        "We will publish it.", speaker="Sir Mark Rowley", meeting=dt.date(2022, 10, 12)
    )
    other = writer.QuoteInput("We hear you.", speaker="Sophie Linden", meeting=dt.date(2022, 11, 9))
    unknown = writer.QuoteInput("Noted.", meeting=dt.date(2022, 12, 1))
    elsewhere = tuple(  # the same three, given to another committee
        dataclasses.replace(q, text=f"Elsewhere: {q.text}", committee="Home Affairs Committee")
        for q in (quote, other, unknown)
    )
    items = (
        writer.ItemInput(
            "R1",
            "Theme A",
            "Publish the plan",
            dt.date(2023, 3, 17),
            dt.date(2023, 5, 17),
            quotes=(quote, other, unknown, *elsewhere),
        ),
        writer.ItemInput(
            "R2",
            "",
            "Report on demand",
            dt.date(2023, 3, 17),
            dt.date(2023, 5, 17),
            response=writer.ResponseInput(dt.date(2023, 5, 2), "We will.", from_whom="MOPAC"),
            follow_up_needed=True,
        ),
        writer.ItemInput(
            "R3",
            "Theme A",
            "Review boards",
            dt.date(2023, 3, 17),
            dt.date(2023, 5, 17),
            response=writer.ResponseInput(dt.date(2023, 5, 3), "Done."),
            first_asked=dt.date(2022, 1, 10),  # it repeats an ask of an earlier letter
        ),
    )
    base = dict(
        committee="PCC",
        sender="Chair",
        sender_role="Chairman",
        recipient="Sir Mark Rowley",
        recipient_role="Commissioner",
        date=dt.date(2023, 7, 14),
        items=items,
        cc=("A, B",),
        reply_by=dt.date(2023, 8, 14),
        clerk_name="Clerk",
        clerk_email="c@x.uk",
        wording=overrides,
    )
    texts = []
    for originals in (
        (writer.OriginalLetter(dt.date(2023, 3, 17), "Turnaround"),),
        (
            writer.OriginalLetter(dt.date(2023, 3, 17), "A"),
            writer.OriginalLetter(dt.date(2023, 4, 1), ""),
        ),
        (),
    ):
        texts += [b.text for b in writer.compose(writer.LetterInput(originals=originals, **base))]
        texts += [
            p.text
            for b in writer.compose(writer.LetterInput(originals=originals, **base))
            for p in b.parts
            if isinstance(p, writer.Note)
        ]
    filled = " ".join(texts)
    for key in writer.wording():
        for p in writer.placeholders_for(key):
            assert f"<{key}.{p}=" in filled, (key, p)
    assert "{" not in filled


def test_cli_shows_and_changes_the_committees_details(cli, db_path):
    shown = cli("settings", "--json", db=db_path, check_rc=0)
    assert json.loads(shown.stdout)["chair"] == "Susan Hall AM"
    cli(
        "settings",
        "--set",
        "chair=Jane Doe AM",
        "--set",
        "default_cc=A, Role; B, Role",
        db=db_path,
        check_rc=0,
    )
    table = cli("settings", db=db_path, check_rc=0).stdout
    assert "Jane Doe AM" in table and "A, Role; B, Role" in table
    with Desk.open(db_path) as desk:
        assert cs.get_settings(desk).default_cc == ("A, Role", "B, Role")
        before = _stored_row(desk)
    for bad in (
        ["--set", "chairman=X"],
        ["--set", "clerk_email=not an address"],
        ["--set", "chair"],
        ["--set", "letter_template=/nowhere/letterhead.docx"],
    ):
        failed = cli("settings", *bad, db=db_path, check_rc=2)
        assert failed.stdout == "" and len(failed.stderr.strip().splitlines()) == 1, failed.stderr
    with Desk.open(db_path) as desk:
        assert _stored_row(desk) == before


def test_cli_lists_sets_and_restores_wording(cli, db_path):
    listed = json.loads(cli("wording", "--json", db=db_path, check_rc=0).stdout)
    assert [e["key"] for e in listed] == list(writer.wording())
    assert "Opening paragraph" in cli("wording", db=db_path, check_rc=0).stdout
    cli("wording", "sign_off", "Yours faithfully,", db=db_path, check_rc=0)
    shown = cli("wording", "sign_off", db=db_path, check_rc=0).stdout
    assert "Yours faithfully," in shown and "the Committee's own" in shown
    with Desk.open(db_path) as desk:
        assert cs.get_settings(desk).wording == {"sign_off": "Yours faithfully,"}
        before = _stored_row(desk)
    failed = cli("wording", "closing", "Reply by {deadline}.", db=db_path, check_rc=2)
    assert "{deadline}" in failed.stderr and len(failed.stderr.strip().splitlines()) == 1
    cli("wording", "closng", "Reply soon.", db=db_path, check_rc=2)
    cli("wording", "sign_off", "Yours,", "--default", db=db_path, check_rc=2)
    with Desk.open(db_path) as desk:
        assert _stored_row(desk) == before
    cli("wording", "sign_off", "--default", db=db_path, check_rc=0)
    with Desk.open(db_path) as desk:
        assert cs.get_settings(desk).wording == {}


def test_the_wording_is_read_and_checked_without_loading_word():
    """letters.wording (what Settings and `pcc-desk wording` use) needs no python-docx."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pcc_desk.letters import wording, compose\n"
        "words = wording.wording({'sign_off': 'Yours, {committee}'})\n"
        "wording.check_wording('recap', '{made}: {ask}')\n"
        "assert words['sign_off'] == 'Yours, {committee}'\n"
        "print(sorted(m for m in sys.modules if m == 'docx' or m.startswith('docx.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
