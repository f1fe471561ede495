"""Screening profiles: which lists and which threshold a business unit screens with.

The bundled profiles are data (data/screening/profiles.yml); a user file of the same shape, given as
`--profiles FILE` or named by $EXPORTCTL_SCREEN_PROFILES, adds profiles or replaces bundled ones by name.
Unknown keys, an empty list of lists or a threshold outside (0, 1] are errors naming the file and field.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from exportctl.errors import DataError, InputError

ENV_PROFILES = "EXPORTCTL_SCREEN_PROFILES"
BUNDLED = Path(__file__).resolve().parents[1] / "data" / "screening" / "profiles.yml"
_KEYS = {"description", "lists", "threshold"}

__all__ = ["BUNDLED", "ENV_PROFILES", "Profile", "load_profiles", "profile", "require_lists"]


@dataclass(frozen=True)
class Profile:
    """One screening profile: its name, what it is for, the lists it screens and its alert threshold."""

    name: str
    description: str
    lists: tuple[str, ...]
    threshold: float
    source: str  # the file it came from

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for output."""
        return {
            "name": self.name,
            "description": self.description,
            "lists": list(self.lists),
            "threshold": self.threshold,
            "source": self.source,
        }


def _read(path: Path) -> dict[str, Profile]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError("profiles file not found", file=str(path), field="profiles") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise DataError(f"cannot read the profiles file: {err}", file=str(path), field="profiles") from None
    if not isinstance(raw, dict) or set(raw) != {"profiles"} or not isinstance(raw["profiles"], dict):
        raise DataError("a profiles file holds one key, 'profiles': {name: {...}}", file=str(path))
    out: dict[str, Profile] = {}
    for name, spec in raw["profiles"].items():
        where = f"profiles.{name}"
        if not isinstance(spec, dict):
            raise DataError("a profile is a mapping", file=str(path), field=where)
        unknown = set(spec) - _KEYS
        if unknown:
            raise DataError(f"unknown keys {sorted(unknown)}", file=str(path), field=where)
        lists = spec.get("lists")
        if not isinstance(lists, list) or not lists or not all(isinstance(x, str) and x for x in lists):
            raise DataError("'lists' must be a non-empty list of list codes", file=str(path), field=where)
        threshold = spec.get("threshold")
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, int | float)
            or not 0.0 < float(threshold) <= 1.0
        ):
            raise DataError("'threshold' must be a number in (0, 1]", file=str(path), field=where)
        out[str(name)] = Profile(
            name=str(name),
            description=" ".join(str(spec.get("description") or "").split()),
            lists=tuple(dict.fromkeys(lists)),
            threshold=float(threshold),
            source=str(path) if path != BUNDLED else "bundled",
        )
    return out


def load_profiles(user_file: Path | str | None = None) -> dict[str, Profile]:
    """The bundled profiles, overridden by the user's file (argument, else $EXPORTCTL_SCREEN_PROFILES)."""
    profiles = _read(BUNDLED)
    chosen = user_file or os.environ.get(ENV_PROFILES, "").strip() or None
    if chosen:
        profiles.update(_read(Path(chosen)))
    return profiles


def profile(name: str, user_file: Path | str | None = None) -> Profile:
    """The named profile, or InputError listing the known names."""
    profiles = load_profiles(user_file)
    found = profiles.get(name)
    if found is None:
        raise InputError(
            f"unknown screening profile {name!r}; known: {', '.join(sorted(profiles))}",
            field="profile",
            suggestions=sorted(profiles),
        )
    return found


def require_lists(prof: Profile, available: Iterable[str], version: str) -> None:
    """Fail closed when the profile names a list the data version lacks."""
    have = set(available)
    missing = [x for x in prof.lists if x not in have]
    if missing:
        raise DataError(
            f"profile {prof.name!r} names list(s) {', '.join(missing)} that data version "
            f"{version[:12]} lacks: screening would miss them",
            field="profile",
        )
