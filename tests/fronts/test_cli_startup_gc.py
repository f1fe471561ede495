"""The CLI pauses the garbage collector while it loads, and always gives it back (fronts.cli.startup)."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from exportctl.fronts.cli import startup


@pytest.fixture
def restored() -> Iterator[None]:
    """The test process's collector as it was."""
    was = gc.isenabled()
    yield
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_then_resumed_with_what_was_loaded_frozen(restored: None) -> None:
    gc.enable()
    gc.unfreeze()
    startup.pause_gc()
    assert not gc.isenabled()
    startup.resume_gc()
    assert gc.isenabled() and gc.get_freeze_count() > 0
    startup.resume_gc()  # once only
    assert gc.isenabled()


def test_a_collector_off_before_is_left_off(restored: None) -> None:
    gc.disable()
    startup.pause_gc()
    startup.resume_gc()
    assert not gc.isenabled()  # the embedding program turned it off: not ours to turn on


PROBE = """
import gc, sys
import typer
from exportctl.fronts.cli import main
seen = []
real = typer.Typer.__call__
def call(self, *a, **k):
    seen.append(gc.isenabled())
    return real(self, *a, **k)
typer.Typer.__call__ = call
sys.argv = ["exportctl", *sys.argv[1:]]
try:
    main.run()
except SystemExit:
    pass
print(seen, gc.isenabled())
"""


@pytest.mark.parametrize(
    ("argv", "during"),
    [(("--version",), True), (("tariff", "--help"), True), (("check", "--help"), False)],
)
def test_commands_run_collected_except_check_which_resumes_itself(
    argv: tuple[str, ...], during: bool
) -> None:
    out = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True)
    # a command other than check runs with the collector on; check turns it on once its data is loaded
    assert out.stdout.strip().splitlines()[-1].split("]")[0] == f"[{during}"
