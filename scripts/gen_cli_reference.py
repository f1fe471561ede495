"""Write docs/cli.md from the CLI's own --help, so the reference cannot drift from the code.

Usage: python scripts/gen_cli_reference.py [--check]   (--check exits 1 when docs/cli.md is stale)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer

from exportctl.fronts.cli.main import app

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _walk(cmd: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    out = [(path, cmd)]
    commands: dict[str, Any] = getattr(cmd, "commands", None) or {}
    for name in sorted(commands):
        sub = commands[name]
        if not getattr(sub, "hidden", False):
            out += _walk(sub, [*path, name])
    return out


def render() -> str:
    """The whole reference as Markdown: every command with its usage, help and options."""
    root = typer.main.get_command(app)
    lines = [
        "# Command-line reference",
        "",
        "Generated from `exportctl --help` by `scripts/gen_cli_reference.py`; a test fails when it is stale.",
        "exportctl is not legal advice.",
        "",
    ]
    for path, cmd in _walk(root, ["exportctl"]):
        ctx = cmd.context_class(cmd, info_name=" ".join(path))
        lines += [f"## `{' '.join(path)}`", ""]
        lines += [(cmd.help or "").strip().split("\n\n")[0], ""]
        lines += ["```", cmd.get_usage(ctx).strip(), "```", ""]
        params = [p for p in cmd.get_params(ctx) if p.param_type_name == "option" and not p.hidden]
        args = [p for p in cmd.get_params(ctx) if p.param_type_name == "argument"]
        if args or params:
            lines += ["| option | help |", "| --- | --- |"]
            for a in args:
                lines.append(f"| `{(a.name or '').upper()}` | {(getattr(a, 'help', None) or 'argument')} |")
            for p in params:
                names = ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts])
                text = (p.help or "").replace("|", "\\|").replace("\n", " ")
                lines.append(f"| {names} | {text} |")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def undocumented() -> list[str]:
    """Commands and options that have no help text."""
    root = typer.main.get_command(app)
    missing: list[str] = []
    for path, cmd in _walk(root, ["exportctl"]):
        name = " ".join(path)
        if not (cmd.help or cmd.short_help):
            missing.append(name)
        for p in cmd.params:
            if p.param_type_name == "option" and not p.hidden and not p.help and p.name != "help":
                missing.append(f"{name} {p.opts[0]}")
    return missing


def main() -> int:
    """Write the reference, or with --check report whether it is current."""
    text = render()
    if "--check" in sys.argv[1:]:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print(f"{DOC} is stale: run python scripts/gen_cli_reference.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
