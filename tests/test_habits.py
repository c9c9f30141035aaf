"""The checks a commit runs are the checks CI runs, with pinned tools."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _hooks() -> dict[str, dict[str, str]]:
    """The local hooks of .pre-commit-config.yaml (id -> its keys), read without a YAML library."""
    hooks: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in (REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"\s*- id:\s*(\S+)", line):
            current = hooks.setdefault(m.group(1), {})
        elif current is not None and (m := re.match(r"\s+(\w+):\s*(.+)", line)):
            current[m.group(1)] = m.group(2).strip()
    return hooks


def _ci_checks() -> list[str]:
    """The check lines of scripts/test.sh (ruff and mypy, run from .venv/bin)."""
    lines = (REPO / "scripts" / "test.sh").read_text(encoding="utf-8").splitlines()
    return [
        line.strip()
        for line in lines
        if line.strip().startswith((".venv/bin/ruff", ".venv/bin/mypy"))
    ]


def _pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins: dict[str, str] = {}
    for extra in project["optional-dependencies"].values():
        for req in extra:
            name, _, version = req.partition("==")
            if version:
                pins[name.strip().lower()] = version
    return pins


def test_pre_commit_runs_every_check_of_ci():
    entries = {hook["entry"] for hook in _hooks().values()}
    checks = _ci_checks()
    assert checks, "scripts/test.sh runs no ruff check?"
    assert ".venv/bin/mypy" in checks, "scripts/test.sh does not run the type checker"
    for check in checks:
        assert check in entries, f"{check!r} runs in CI but not in .pre-commit-config.yaml"
    # the layers contracts run in the suite (test_layering) and on commit
    assert ".venv/bin/lint-imports" in entries


def test_pre_commit_hooks_are_local_and_use_the_venv_tools():
    hooks = _hooks()
    assert set(hooks) >= {"ruff-check", "ruff-format", "lint-imports", "mypy"}
    for hook_id, hook in hooks.items():
        # nothing is downloaded at commit time: the hooks run the tools installed in .venv
        assert hook["language"] == "unsupported", hook_id
        assert shlex.split(hook["entry"])[0].startswith(".venv/bin/"), hook_id
        # every hook runs on every commit, as its check runs in CI (none waits for a manual stage)
        assert "stages" not in hook, hook_id


def test_check_tools_are_pinned():
    pins = _pins()
    tool_package = {
        "ruff": "ruff",
        "lint-imports": "import-linter",
        "mypy": "mypy",
        "pre-commit": "pre-commit",
    }
    for hook in _hooks().values():
        tool = Path(shlex.split(hook["entry"])[0]).name
        assert tool_package[tool] in pins, f"{tool} is not pinned (==) in pyproject.toml"
    assert "pre-commit" in pins


CORE = [
    "importers",
    "letters",
    "matching",
    "search",
    "storage",
    "backup",
    "locations",
    "services",
    "model",
    "locking",
    "speakers",
    "postgres",
    "vocabulary",
    "errors",
    "dates",
    "paths",
    "letter_values",
    "cleaning",
]
# the flags of `mypy --strict` that mypy accepts per module
STRICT_PER_MODULE = {
    "disallow_any_generics",
    "disallow_subclassing_any",
    "disallow_untyped_calls",
    "disallow_untyped_defs",
    "disallow_incomplete_defs",
    "check_untyped_defs",
    "disallow_untyped_decorators",
    "warn_unused_ignores",
    "warn_return_any",
    "no_implicit_reexport",
    "strict_equality",
    "extra_checks",
}


def _mypy() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def _flags_for(module: str) -> dict[str, object]:
    """The options mypy applies to ``module``: the global ones, then each matching override."""
    config = _mypy()
    flags = {k: v for k, v in config.items() if k != "overrides"}
    for override in config.get("overrides", []):
        patterns = override["module"]
        patterns = [patterns] if isinstance(patterns, str) else patterns
        for pattern in patterns:
            base = pattern.removesuffix(".*")
            if module == pattern or (
                pattern.endswith(".*") and (module == base or module.startswith(base + "."))
            ):
                flags.update({k: v for k, v in override.items() if k != "module"})
    return flags


def test_type_checker_is_configured_for_the_whole_package():
    config = _mypy()
    assert config["python_version"] == "3.11"
    assert config["packages"] == ["pcc_desk"]


def test_core_packages_are_type_checked_strictly():
    for name in CORE:
        for module in (f"pcc_desk.{name}", f"pcc_desk.{name}.submodule"):
            flags = _flags_for(module)
            off = {flag for flag in STRICT_PER_MODULE if flags.get(flag) is not True}
            assert not off, f"{module} is not strict: {sorted(off)}"


def test_front_ends_are_checked_but_not_strict():
    # a per-module `strict = true` would make mypy strict everywhere: the flags are spelled out
    for override in _mypy().get("overrides", []):
        assert "strict" not in override, override["module"]
    for module in ("pcc_desk.gui.app", "pcc_desk.cli"):
        assert _flags_for(module).get("disallow_untyped_defs") is not True, module


def test_test_helpers_live_in_tests_support():
    tests = REPO / "tests"
    strays = [
        path.relative_to(REPO).as_posix()
        for path in tests.rglob("*.py")
        if "support" not in path.relative_to(tests).parts
        and "fixtures" not in path.relative_to(tests).parts
        and not path.name.startswith("test_")
        and path.name != "conftest.py"
    ]
    assert not strays, f"helpers outside tests/support/: {strays}"
    assert (tests / "support" / "__init__.py").is_file()
