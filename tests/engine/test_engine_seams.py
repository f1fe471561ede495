"""The engines share one skeleton, engine/common (issue #15 part 3): the PRC engine imports none of the
EAR engine's modules, and engine/common imports neither engine."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "src" / "exportctl" / "engine"


def imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (function-level imports too)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    """'file: module' for each import of a forbidden package by a file of `package`."""
    return [
        f"engine/{path.relative_to(ENGINE).as_posix()}: {module}"
        for path in sorted((ENGINE / package).rglob("*.py"))
        for module in sorted(imports(path))
        if any(module == f or module.startswith(f + ".") for f in forbidden)
    ]


def test_china_imports_nothing_of_the_ear_engine() -> None:
    assert offenders("china", ("exportctl.engine.ear",)) == []


def test_common_imports_neither_engine() -> None:
    assert offenders("common", ("exportctl.engine.ear", "exportctl.engine.china")) == []


def test_the_scan_sees_imports_inside_functions(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text("def f():\n    from exportctl.engine import ear\n    import exportctl.engine.ear.parties\n")
    assert {"exportctl.engine.ear", "exportctl.engine.ear.parties"} <= imports(f)
