"""Policy is data: no country code, ECCN or legal date as a literal in engine code (issue #15 part 1).

Country sets, ECCN sets and dates live in measures (data/measures) or the rules file
(data/rules/us-ear.yaml). The allow-list names each remaining literal, its file, and why it is not a
legal rule (or which gap it stays for); a new literal fails until it moves to data or is listed here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pycountry

ENGINE = Path(__file__).resolve().parents[2] / "src" / "exportctl" / "engine"
ISO = {c.alpha_2 for c in pycountry.countries}
ECCN = re.compile(r"^\d[A-E]\d{3}")
# screening helpers own engine/screening (names, scripts, gazetteers): not EAR legal rules
SKIP = ("screening",)
REASONS = "a reason-for-control code (15 CFR 742), not a country, though it spells an ISO code"

# (file relative to engine/, literal) -> why it stays in code
ALLOWED: dict[tuple[str, str], str] = {
    ("ear/chart.py", "MT"): REASONS,
    ("ear/chart.py", "NP"): REASONS,
    ("ear/chart.py", "RS"): REASONS,
    ("ear/chart.py", "CC"): REASONS,
    ("ear/chart.py", "AT"): REASONS,
    ("ear/chart.py", "SL"): REASONS,
    ("ear/chart.py", "SI"): REASONS,
    ("ear/chart.py", "CW"): REASONS,
    ("ear/exceptions.py", "MT"): REASONS,
    ("ear/exceptions.py", "RS"): REASONS,
    ("ear/one_exceptions.py", "MT"): REASONS,
    ("ear/one_exceptions.py", "RS"): REASONS,
    ("ear/determine.py", "US"): "the default exporting country of a US determination (an input default)",
    ("ear/one_key.py", "US"): "determine.py's default exporting country, in the one-row path",
    (
        "china/determine.py",
        "CN",
    ): "the exporting country of a PRC determination (the engine's own jurisdiction)",
    ("tariff/stack.py", "US"): "the importing country of the US tariff schedule (the engine's jurisdiction)",
    (
        "tariff/prepared.py",
        "US",
    ): "the importing country of the US tariff schedule, as in stack.py (the same rule)",
}


def _literals(tree: ast.AST) -> list[tuple[str, int, str]]:
    """(kind, line, text) of every suspect literal: ISO country code, ECCN, dt.date with literal ints."""
    found: list[tuple[str, int, str]] = []
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and n.body
        and isinstance(n.body[0], ast.Expr)
        and isinstance(n.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if re.fullmatch(r"[A-Z]{2}", node.value) and node.value in ISO:
                found.append(("country", node.lineno, node.value))
            elif ECCN.match(node.value):
                found.append(("eccn", node.lineno, node.value))
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
            owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else ""
            literal = all(isinstance(a, ast.Constant) and isinstance(a.value, int) for a in node.args)
            if name == "date" and owner in ("dt", "datetime", "") and node.args and literal:
                found.append(("date", node.lineno, ast.unparse(node)))
    return found


def _offences() -> list[str]:
    out = []
    for path in sorted(ENGINE.rglob("*.py")):
        rel = path.relative_to(ENGINE).as_posix()
        if rel.startswith(SKIP):
            continue
        for kind, line, text in _literals(ast.parse(path.read_text(encoding="utf-8"))):
            if (rel, text) not in ALLOWED:
                out.append(f"engine/{rel}:{line}: {kind} literal {text!r}")
    return out


def test_no_legal_literals_in_engine() -> None:
    assert _offences() == []


def test_the_check_finds_what_it_looks_for() -> None:
    code = 'X = ["CN", "3A090", "NS"]\nY = dt.date(2023, 11, 17)\n'
    kinds = sorted(k for k, _, _ in _literals(ast.parse(code)))
    assert kinds == ["country", "date", "eccn"]  # 'NS' is no ISO code


def test_every_allowance_is_still_used() -> None:
    used = set()
    for path in sorted(ENGINE.rglob("*.py")):
        rel = path.relative_to(ENGINE).as_posix()
        used |= {(rel, t) for _, _, t in _literals(ast.parse(path.read_text(encoding="utf-8")))}
    assert sorted(set(ALLOWED) - used) == []
