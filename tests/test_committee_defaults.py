"""The Committee's default details are data (resources/committee-defaults.json), not code: a new
register starts with them, the code's own defaults name nobody."""

from __future__ import annotations

import dataclasses
import json
import logging
import random
from pathlib import Path

import pytest

from pcc_desk import paths
from pcc_desk.services import Desk
from pcc_desk.services import settings as cs
from pcc_desk.services import undo as undo_service

PACKAGE = Path(__file__).resolve().parent.parent / "pcc_desk"
FIRST = ["Léonie", "Siobhán", "Kwame", "Zoë", "Bartholomew", "Ngozi", "Oluwaseun", "Anne-Marie"]
LAST = ["Ní Bhriain", "O'Connor", "Adébáyọ̀", "Smith-Jones", "Øvergaard", "Nguyễn", "Hall"]


def _shipped() -> dict:
    return json.loads(paths.committee_defaults().read_text(encoding="utf-8"))


def _generated(seed: int) -> dict:
    rng = random.Random(seed)

    def person() -> str:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}" + rng.choice(["", " AM", " QPM", " MP"])

    clerk = person()
    return {
        "_about": "generated",
        "committee": rng.choice(["Police and Crime Committee", "Housing Committee", "Комитет"]),
        "chair": person(),
        "chair_role": rng.choice(["Chair", "Chairman of the Committee", "Deputy Chair"]),
        "clerk_name": clerk,
        "clerk_email": f"{clerk.split()[0].lower()}.{seed}@example.org",
        "default_recipient": person(),
        "default_recipient_role": rng.choice(["Commissioner", "Chief Executive", ""]),
        "default_cc": [f"{person()}, Role {n}" for n in range(rng.randint(0, 3))],
        "an_unknown_key": "ignored",
    }


@pytest.fixture
def defaults_file(tmp_path, monkeypatch):
    """Point the app at a committee-defaults file of the test's own."""
    target = tmp_path / "resources" / "committee-defaults.json"
    target.parent.mkdir()
    monkeypatch.setattr(paths, "committee_defaults", lambda: target)
    cs.committee_defaults.cache_clear()
    yield target
    cs.committee_defaults.cache_clear()


def _people_strings(data: dict) -> list[str]:
    keys = ("chair", "clerk_name", "clerk_email", "default_recipient")
    return [data[k] for k in keys if data.get(k)] + list(data.get("default_cc", []))


def test_a_new_register_starts_with_the_shipped_defaults(tmp_path):
    shipped = _shipped()
    with Desk.open(tmp_path / "first-run" / "register.sqlite3") as desk:
        got = cs.get_settings(desk)
    for name, value in shipped.items():
        if name.startswith("_"):
            continue
        assert getattr(got, name) == (tuple(value) if isinstance(value, list) else value), name


def test_the_codes_own_defaults_name_nobody_from_the_data():
    placeholders = dataclasses.asdict(cs.CommitteeSettings())
    text = json.dumps(placeholders, ensure_ascii=False)
    for value in _people_strings(_shipped()):
        assert value not in text
    # nor does any module of the app carry the address as a literal
    email = _shipped()["clerk_email"]
    for module in PACKAGE.rglob("*.py"):
        assert email not in module.read_text(encoding="utf-8"), module


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_a_first_run_register_reads_the_resource_and_keeps_its_own_once_saved(
    tmp_path, defaults_file, seed
):
    data = _generated(seed)
    defaults_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with Desk.open(tmp_path / "new.sqlite3") as desk:
        got = cs.get_settings(desk)
        assert (got.committee, got.chair, got.clerk_name, got.clerk_email) == (
            data["committee"],
            data["chair"],
            data["clerk_name"],
            data["clerk_email"],
        )
        assert got.default_cc == tuple(data["default_cc"])
        assert got.default_recipient == data["default_recipient"]
        # the clerk's own details win over the resource, and undoing them goes back to it
        cs.update_settings(desk, {"chair": f"Chair {seed}", "default_cc": ""})
        assert cs.get_settings(desk).chair == f"Chair {seed}"
        assert cs.get_settings(desk).default_cc == ()
        undo_service.undo(desk)
        assert cs.get_settings(desk) == got


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]", '"a string"'])
def test_a_missing_or_damaged_resource_leaves_neutral_placeholders(
    tmp_path, defaults_file, caplog, content
):
    if content:
        defaults_file.write_text(content, encoding="utf-8")
    caplog.set_level(logging.WARNING)
    with Desk.open(tmp_path / "new.sqlite3") as desk:
        got = cs.get_settings(desk)
    assert got == cs.CommitteeSettings()
    assert "could not be read" in caplog.text
    assert content not in caplog.text or not content


def test_the_new_recommendation_dialog_offers_the_default_recipient(qtbot, tmp_path, defaults_file):
    from pcc_desk.gui.dialogs.new_recommendation import NewRecommendationDialog

    data = _generated(9)
    defaults_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with Desk.open(tmp_path / "new.sqlite3") as desk:
        bench = type("Bench", (), {"desk": desk})()
        dialog = NewRecommendationDialog(bench)
        qtbot.addWidget(dialog)
        assert dialog.addressee_edit.currentText() == data["default_recipient"]
