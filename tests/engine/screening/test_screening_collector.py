"""collector.collector_paused: automatic collection off inside, back on after only when it was on."""

from __future__ import annotations

import gc

import pytest

from exportctl.engine.screening.collector import collector_paused


def test_paused_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested (screen inside screen_rows): the inner one leaves it off
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_back_on_after_an_error() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_another_callers_pause_is_left_alone() -> None:
    gc.disable()  # as the CLI's start does (fronts/cli/startup.py)
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
