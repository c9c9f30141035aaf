"""The committed compiled forms match ui/*.ui (run ``python -m pcc_desk.gui.forms.build`` after editing)."""

from __future__ import annotations

from pcc_desk.gui.forms import build
from pcc_desk.paths import ui_dir


def test_compiled_forms_are_up_to_date():
    forms = sorted(ui_dir().glob("*.ui"))
    assert {f.stem for f in forms} >= {"response_form", "settings"}
    for ui_file in forms:
        target = build.target_for(ui_file)
        assert target.exists(), f"{target.name} is missing: run python -m pcc_desk.gui.forms.build"
        assert target.read_text(encoding="utf-8") == build.compile_form(ui_file), (
            f"{target.name} is stale: run python -m pcc_desk.gui.forms.build"
        )
