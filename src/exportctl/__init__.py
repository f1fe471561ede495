"""exportctl: export controls and tariffs as dated data. Not legal advice.

The library surface the fronts use, importable from the top:

    import exportctl
    exportctl.check(destination="CN", eccn="3A090", as_of=datetime.date(2025, 5, 1))   # one determination
    exportctl.check_table(orders)                                              # a polars table of them
    exportctl.screen(["Huawei Technologies Co., Ltd."])                        # party screening
    exportctl.tariff("8481.80.1030", "CN", "2025-06-15")                       # a duty stack
    exportctl.diff("2025-05-01", "2025-07-15")                                 # what changed

Names are loaded on first use so that `exportctl --help` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from exportctl.errors import (
    AuthError,
    DataError,
    ExportctlError,
    ForbiddenError,
    InputError,
    InvariantFailed,
    NoDataError,
    OfflineError,
    RegistryError,
    StoreError,
    ValidationFailed,
)

__version__ = "0.1.0"
ENGINE_VERSION = "exportctl-engine-1"

# public name -> "module:attribute"
_LAZY = {
    "check": "exportctl.ops.check:check_one",
    "check_table": "exportctl.ops.check:check_table",
    "check_file": "exportctl.ops.check:check_file",
    "screen": "exportctl.ops.screen:screen_names",
    "screen_table": "exportctl.ops.screen:screen_table",
    "screen_file": "exportctl.ops.screen:screen_file",
    "tariff": "exportctl.ops.tariff:lookup",
    "tariff_table": "exportctl.ops.tariff:run_batch",
    "tariff_history": "exportctl.ops.tariff_history:history",
    "timeline": "exportctl.ops.registry:timeline",
    "diff": "exportctl.ops.registry:diff",
    "regime": "exportctl.ops.registry:regime",
    "data_status": "exportctl.ops.data:status",
    "load_registry": "exportctl.registry:load_registry",
    "compile_regime": "exportctl.registry:compile_regime",
    "load_scenario": "exportctl.registry:load_scenario",
    "active_dataset": "exportctl.store:active_dataset",
    "open_store": "exportctl.store:open_store",
}

__all__ = [
    "ENGINE_VERSION",
    "AuthError",
    "DataError",
    "ExportctlError",
    "ForbiddenError",
    "InputError",
    "InvariantFailed",
    "NoDataError",
    "OfflineError",
    "RegistryError",
    "StoreError",
    "ValidationFailed",
    "__version__",
    "active_dataset",
    "check",
    "check_file",
    "check_table",
    "compile_regime",
    "data_status",
    "diff",
    "load_registry",
    "load_scenario",
    "open_store",
    "regime",
    "screen",
    "screen_file",
    "screen_table",
    "tariff",
    "tariff_history",
    "tariff_table",
    "timeline",
]

if TYPE_CHECKING:
    from exportctl.ops.check import check_file, check_table
    from exportctl.ops.check import check_one as check
    from exportctl.ops.data import status as data_status
    from exportctl.ops.registry import diff, regime, timeline
    from exportctl.ops.screen import screen_file, screen_table
    from exportctl.ops.screen import screen_names as screen
    from exportctl.ops.tariff import lookup as tariff
    from exportctl.ops.tariff import run_batch as tariff_table
    from exportctl.ops.tariff_history import history as tariff_history
    from exportctl.registry import compile_regime, load_registry, load_scenario
    from exportctl.store import active_dataset, open_store


def __getattr__(name: str) -> Any:
    """Load a public function on first use."""
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'exportctl' has no attribute {name!r}")
    module, attr = target.split(":")
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
