"""The public surface: every name in __all__ resolves, and every public function is documented."""

from __future__ import annotations

import inspect

import exportctl


def test_all_names_resolve_and_are_documented() -> None:
    for name in exportctl.__all__:
        value = getattr(exportctl, name)
        if inspect.isfunction(value) or inspect.isclass(value):
            assert (value.__doc__ or "").strip(), f"exportctl.{name} has no docstring"


def test_every_lazy_name_is_public() -> None:
    assert set(exportctl._LAZY) <= set(exportctl.__all__)


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        exportctl.no_such_thing  # noqa: B018
    except AttributeError as err:
        assert "no_such_thing" in str(err)
    else:
        raise AssertionError("expected AttributeError")


def test_errors_carry_the_field() -> None:
    err = exportctl.InputError("unknown ECCN", field="eccn", suggestions=["3A090"])
    assert err.to_dict()["field"] == "eccn"
    assert "did you mean: 3A090" in err.one_line()
