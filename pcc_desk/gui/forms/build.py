"""Compile every ``ui/*.ui`` form into ``pcc_desk/gui/forms/ui_*.py`` with ``pyside6-uic``.

Run ``python -m pcc_desk.gui.forms.build`` after editing a form in Qt Designer and commit both files;
``tests/gui/test_forms.py`` fails when a compiled form is stale.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from pcc_desk.paths import ui_dir

FORMS_DIR = Path(__file__).resolve().parent


def uic_command() -> list[str]:
    exe = shutil.which("pyside6-uic") or str(Path(sys.executable).parent / "pyside6-uic")
    return [exe, "--no-autoconnection"]


def compile_form(ui_file: Path) -> str:
    out = subprocess.run([*uic_command(), str(ui_file)], capture_output=True, text=True, check=True)
    # drop the generator's header comment (it names the Qt version), so that the result is stable
    lines = out.stdout.splitlines()
    body = [line for line in lines if not line.startswith("## ") and line.strip() != "#" * len(line.strip()) or not line.strip()]
    return f"# Generated from ui/{ui_file.name} by pcc_desk.gui.forms.build; do not edit.\n" + "\n".join(body).lstrip("\n") + "\n"


def target_for(ui_file: Path) -> Path:
    return FORMS_DIR / f"ui_{ui_file.stem}.py"


def main() -> int:
    for ui_file in sorted(ui_dir().glob("*.ui")):
        target_for(ui_file).write_text(compile_form(ui_file), encoding="utf-8")
        print(target_for(ui_file))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
