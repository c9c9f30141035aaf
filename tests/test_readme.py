"""The README's promises are checked: every command and option it shows exists, and its Quick start
commands are the scripts CI runs."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from pcc_desk.cli import build_parser

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _shell_lines() -> list[str]:
    lines = []
    for block in re.findall(r"```(?:sh|bash|shell)\n(.*?)```", README, flags=re.S):
        joined = block.replace("\\\n", " ")
        lines += [line.split("#")[0].strip() for line in joined.splitlines()]
    return [line for line in lines if line.startswith("pcc-desk")]


def _subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return parser, action.choices


def test_every_command_and_option_the_readme_shows_exists():
    parser, commands = _subparsers()
    lines = _shell_lines()
    assert len(lines) >= 30
    for line in lines:
        words = [w for w in re.sub(r"\[[^\]]*\]", " ", line).split()[1:]]  # optional parts aside
        command = next((w for w in words if not w.startswith("-")), None)
        if command is None or (words and words[0].startswith("--") and command not in commands):
            target = parser
        else:
            assert command in commands, f"README shows an unknown command: {line}"
            target = commands[command]
            actions = [a for a in target._actions if isinstance(a, argparse._SubParsersAction)]
            if actions:  # an action of a command (`team upload`): its own options
                rest = [w for w in words[words.index(command) + 1 :] if not w.startswith("-")]
                assert rest and rest[0] in actions[0].choices, (
                    f"README shows an unknown action: {line}"
                )
                target = actions[0].choices[rest[0]]
        known = {opt for action in target._actions for opt in action.option_strings}
        known |= {opt for action in parser._actions for opt in action.option_strings}
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", line):
            assert option in known, f"README shows an unknown option {option}: {line}"


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    quick = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", quick, flags=re.S)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["bash scripts/start.sh", "bash scripts/test.sh"]
    assert "bash scripts/test.sh" in (REPO / ".ci" / "run").read_text()
    for script in ("scripts/start.sh", "scripts/test.sh"):
        assert (REPO / script).exists()


def test_the_screenshots_the_readme_shows_are_there():
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (REPO / image).exists(), image
