"""`show --json` gives the versions; `edit REF ... --if-version N` refuses with exit code 3 and one
line naming who changed the recommendation and when; other refusals keep exit code 2."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pcc_desk.model import Position
from pcc_desk.services import Desk, journal, register, settings, undo

MADE = dt.date(2023, 3, 1)


def _register_with_a_colleague(db_path, edits: int):
    """A recommendation (with a response) that alice edited ``edits`` times; its ref."""
    with Desk.open(db_path) as alice:
        alice.user = "alice"
        ref = register.add_recommendation(alice, "Publish the plan", made=MADE).ref
        register.log_response(
            alice,
            ref,
            received=MADE + dt.timedelta(days=20),
            position=Position.OTHER,
            text="Noted.",
        )
        for n in range(edits):
            register.edit_recommendation(alice, ref, notes=f"alice's note {n}")
    return ref


@pytest.mark.parametrize("edits", [0, 1, 3])
def test_show_json_gives_the_version_of_the_recommendation_and_its_responses(cli, db_path, edits):
    ref = _register_with_a_colleague(db_path, edits)
    shown = json.loads(cli("show", ref, "--json", db=db_path, check_rc=0).stdout)
    # added (1), the response moved its status (2), then one per edit
    assert shown["version"] == 2 + edits
    assert [r["version"] for r in shown["responses"]] == [1]


@pytest.mark.parametrize("edits_since", [1, 2])
def test_edit_if_version_refuses_with_exit_code_3_naming_who_and_when(cli, db_path, edits_since):
    ref = _register_with_a_colleague(db_path, 0)
    seen = json.loads(cli("show", ref, "--json", db=db_path, check_rc=0).stdout)["version"]
    with Desk.open(db_path) as alice:
        alice.user = "alice"
        for n in range(edits_since):
            register.edit_recommendation(alice, ref, text=f"alice's words {n}")
        when = journal.when(undo.recent(alice, limit=1)[0].at)  # alice's latest change

    out = cli("edit", ref, "--text", "bob's words", "--if-version", str(seen), db=db_path)

    assert out.returncode == 3
    day, clock = when.split(", ")
    assert out.stderr.strip() == (
        f"pcc-desk: {ref} was changed by alice at {clock} on {day} since version {seen}; "
        "nothing was saved."
    )
    assert out.stdout == ""
    after = json.loads(cli("show", ref, "--json", db=db_path, check_rc=0).stdout)
    assert after["text"] == f"alice's words {edits_since - 1}"
    assert after["version"] == seen + edits_since

    # from the version now shown, the same edit is saved
    cli(
        "edit",
        ref,
        "--text",
        "bob's words",
        "--if-version",
        str(after["version"]),
        db=db_path,
        check_rc=0,
    )
    assert json.loads(cli("show", ref, "--json", db=db_path).stdout)["text"] == "bob's words"


def test_other_refusals_keep_exit_code_2(cli, db_path):
    ref = _register_with_a_colleague(db_path, 0)
    assert (
        cli("edit", "PCC-1999-01-01/01", "--text", "x", "--if-version", "1", db=db_path).returncode
        == 2
    )
    assert cli("edit", ref, "--text", "", "--if-version", "2", db=db_path).returncode == 2


def test_exit_code_3_from_the_installed_command(run_cli, db_path):
    ref = _register_with_a_colleague(db_path, 1)
    out = run_cli("edit", ref, "--notes", "mine", "--if-version", "2", db=db_path)
    assert out.returncode == 3, out.stderr
    assert out.stderr.count("\n") == 1 and "changed by alice" in out.stderr
    assert "Traceback" not in out.stderr


def test_settings_set_if_version_refuses_with_exit_code_3(cli, db_path):
    seen = json.loads(cli("settings", "--json", db=db_path, check_rc=0).stdout)["version"]
    with Desk.open(db_path) as alice:
        alice.user = "alice"
        settings.update_settings(alice, {"chair": "Susan Hall AM"})
    out = cli("settings", "--set", "chair=Marina Ahmad AM", "--if-version", str(seen), db=db_path)
    assert out.returncode == 3
    assert out.stderr.startswith("pcc-desk: The Committee's details were changed by alice at ")
    assert out.stderr.strip().endswith(f"since version {seen}; nothing was saved.")
    assert settings_chair(db_path) == "Susan Hall AM"
    assert cli("settings", "--set", "version=9", db=db_path).returncode == 2  # not a detail
    now = json.loads(cli("settings", "--json", db=db_path).stdout)["version"]
    cli(
        "settings",
        "--set",
        "chair=Marina Ahmad AM",
        "--if-version",
        str(now),
        db=db_path,
        check_rc=0,
    )
    assert settings_chair(db_path) == "Marina Ahmad AM"


def settings_chair(db_path) -> str:
    with Desk.open(db_path) as desk:
        return settings.get_settings(desk).chair
