"""exportctl: export controls and tariffs as dated data. Not legal advice."""

from __future__ import annotations

__version__ = "0.1.0"
ENGINE_VERSION = "exportctl-engine-1"
