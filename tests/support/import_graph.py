"""PCC Desk's imports read from its source (ast, nothing imported): which happen when a module is
imported (its top level, ``TYPE_CHECKING`` blocks left out) and which wait inside a function, and the
heavy libraries each module loads when it is imported.

    .venv/bin/python tests/support/import_graph.py     # lists the function-level imports, judged
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "pcc_desk"


@dataclass(frozen=True)
class Import:
    importer: str  # the module the statement is in
    target: str  # the module it loads (pcc_desk.services.register, docx.opc.constants, sqlalchemy)
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for path in sorted(PACKAGE.rglob("*.py"))
        if "forms" not in path.relative_to(PACKAGE).parts
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(node: ast.Import | ast.ImportFrom, importer: str, is_package: bool) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        parts = importer.split(".")
        parent = parts if is_package else parts[:-1]
        parent = parent[: len(parent) - (node.level - 1)]
        base = ".".join([*parent, base] if base else parent)
    known = modules()
    out = []
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        out.append(sub if sub in known else _lazy_exports(base).get(alias.name, base))
    return out


@cache
def _lazy_exports(module: str) -> dict[str, str]:
    """Names a module hands out through a module-level ``__getattr__`` (PEP 562), with the module
    each is imported from: ``from pcc_desk.services import Desk`` loads ``pcc_desk.services.desk``."""
    path = modules().get(module)
    if path is None:
        return {}
    exports: dict[str, str] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module and not inner.level:
                    for alias in inner.names:
                        exports[alias.asname or alias.name] = inner.module
    return exports


@cache
def imports() -> tuple[Import, ...]:
    found: list[Import] = []
    for name, path in modules().items():
        is_package = path.name == "__init__.py"

        def walk(node: ast.AST, in_function: bool, name: str = name, is_package: bool = is_package):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.If) and _is_type_checking(child):
                    for other in child.orelse:
                        walk(other, in_function)
                    continue
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    walk(child, True)
                elif isinstance(child, ast.Import | ast.ImportFrom):
                    for target in _targets(child, name, is_package):
                        found.append(Import(name, target, child.lineno, in_function))
                else:
                    walk(child, in_function)

        walk(ast.parse(path.read_text(encoding="utf-8")), False)
    return tuple(found)


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


@cache
def loads(module: str) -> frozenset[str]:
    """Every module importing ``module`` loads: its parent packages too, and of a library the
    dotted names down to the module imported ("docx", "docx.opc", "docx.opc.constants"), not what
    the library imports in turn."""
    seen: set[str] = set()
    stack = [module]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(p for p in _parents(current) if p not in seen)
        if not current.startswith("pcc_desk"):
            continue
        for imp in imports():
            if imp.importer == current and not imp.in_function:
                stack.append(imp.target)
    return frozenset(seen)


def heavy_loaded_by(module: str, heavy: frozenset[str] | set[str]) -> frozenset[str]:
    return frozenset(m for m in loads(module) if m in heavy)


def function_level() -> list[Import]:
    return [imp for imp in imports() if imp.in_function]


def judge(
    imp: Import,
    heavy: set[str],
    cycles: dict[tuple[str, str], str],
    platform_only: dict[str, str] | None = None,
) -> str:
    """Why an import waits inside a function: a heavy library, a cycle, a module some systems
    lack, or "" (no reason)."""
    if (imp.importer, imp.target) in cycles:
        return "cycle"
    if imp.target.split(".")[0] in (platform_only or {}):
        return "platform"
    deferred = heavy_loaded_by(imp.target, heavy) - heavy_loaded_by(imp.importer, heavy)
    return "defers " + ", ".join(sorted(deferred)) if deferred else ""


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    from pcc_desk import lazy

    for imp in function_level():
        reason = judge(imp, set(lazy.HEAVY), lazy.CYCLES, lazy.PLATFORM_ONLY) or "NO REASON"
        print(f"{modules()[imp.importer].relative_to(REPO)}:{imp.line} {imp.target}  [{reason}]")
