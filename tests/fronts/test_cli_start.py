"""Cold start: a command line imports only the module of its command (fronts.cli.main._app_for)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from exportctl.fronts.cli.main import COMMAND_MODULES, MODULE_OF

PROBE = """
import sys
from exportctl.fronts.cli.main import _app_for
app = _app_for(sys.argv[1:])
names = sorted(c.name or "" for c in app.registered_commands)
names += sorted(g.name or "" for g in app.registered_groups)
cli = [m for m in sys.modules if m.startswith("exportctl.fronts.cli.") and m.count(".") == 3]
loaded = sorted(m.rsplit(".", 1)[1] for m in cli)
print(names, loaded, "exportctl.engine.screening" in sys.modules)
"""


def _probe(*argv: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_check_loads_the_check_command_only_and_no_screening_engine() -> None:
    # check_render is the check command's own terminal rendering (split out of check.py), no other command
    assert (
        _probe("check", "book.csv", "-o", "out.parquet")
        == "['check'] ['check', 'check_render', 'main', 'output', 'startup'] False"
    )


@pytest.mark.parametrize("argv", [(), ("--help",), ("--version",), ("nosuchcommand",)])
def test_without_a_known_command_every_command_is_there(argv: tuple[str, ...]) -> None:
    out = _probe(*argv)
    assert all(f"'{name}'" in out for name in MODULE_OF), out


def test_every_module_is_reachable_by_its_commands() -> None:
    assert set(MODULE_OF.values()) == set(COMMAND_MODULES)
