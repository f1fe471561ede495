"""Load measure files strictly: every error names the file, the line and the field.

Layout (bundled, under `exportctl/data`):
  measures/<JURISDICTION>/<id>.yaml   one measure per file; the file stem is the measure id
  measures/registry.yaml              optional settings: `coverage: {start: D}`, `families`, `snapshots`
  claims/*.yaml                       claim files: a YAML list of Claim, for reports spanning measures
An extra directory given to `load_registry(extra_dirs=...)` follows the same layout: YAML files below it
are measures, except `registry.yaml` (settings) and files below a `claims/` folder (claim lists).

Each file is read by `registry.strict_yaml` (the node tree that locates each value, pydantic's strict mode,
duplicate keys refused); this module gathers the files into a Registry and checks what spans files.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from exportctl.errors import RegistryError
from exportctl.model.dates import Interval
from exportctl.registry.schema import Claim, Measure
from exportctl.registry.settings import FamilyCoverage, Settings
from exportctl.registry.strict_yaml import LoadedFile, load_yaml, validate_loaded
from exportctl.registry.vocabulary import context as vocabulary_context

SETTINGS_FILE = "registry.yaml"
CLAIMS_DIR = "claims"


@dataclass(frozen=True)
class ClaimEntry:
    """A claim with where it was recorded: a measure (its `claims` key) or a claim file."""

    claim: Claim
    file: str
    measure: str | None = None

    @property
    def measures(self) -> list[str]:
        """The measures the claim is about (its own list, else the measure that holds it)."""
        if self.claim.measures:
            return list(self.claim.measures)
        return [self.measure] if self.measure else []


@dataclass(eq=False)
class Registry:
    """All measures (by id, sorted) and claims; immutable once loaded."""

    measures: dict[str, Measure]
    files: dict[str, str]  # measure id -> file it was read from
    claims: list[ClaimEntry]
    settings: Settings = field(default_factory=Settings)
    load_errors: list[RegistryError] = field(default_factory=list)  # only when loaded with collect=True
    # compile caches, keyed by (known_on, scenario hash); see compile.py
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the canonical JSON of every measure and the settings: what answers depend on.

        Claims are commentary on the record and are left out, so that recording a news claim does not
        change the id of every regime (`claims_hash` covers them).
        """
        doc = {
            "measures": [m.model_dump(mode="json", exclude={"claims"}) for m in self.measures.values()],
            "settings": self.settings.model_dump(mode="json"),
        }
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()

    @cached_property
    def claims_hash(self) -> str:
        """sha256 of the canonical JSON of every claim, in measures and in claim files."""
        doc = sorted(([c.measure, c.claim.model_dump(mode="json")] for c in self.claims), key=str)
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()

    @cached_property
    def coverage(self) -> Interval:
        """The first day the registry speaks for (`registry.yaml` coverage.start, else the earliest
        effective), open-ended: the end is per family (`family_coverage`, `last_day`)."""
        start = self.settings.coverage.get("start")
        if start is None:
            starts = [d for m in self.measures.values() for d in _starts(m)]
            start = min(starts) if starts else None
        return Interval(start, None)

    @cached_property
    def families(self) -> dict[tuple[str, str], FamilyCoverage]:
        """The families of `registry.yaml`, by (jurisdiction, family)."""
        return {(f.jurisdiction, f.family): f for f in self.settings.families}

    def family_coverage(self, jurisdiction: str, family: str) -> FamilyCoverage | None:
        """One family's coverage (None when `registry.yaml` does not list it)."""
        return self.families.get((jurisdiction, family))

    def jurisdiction_families(self, jurisdiction: str) -> list[FamilyCoverage]:
        """Every family of a jurisdiction, earliest `researched_through` first."""
        found = [f for (j, _), f in self.families.items() if j == jurisdiction]
        return sorted(found, key=lambda f: (f.researched_through, f.family))

    @cached_property
    def last_day(self) -> dt.date | None:
        """The one day where a single day is still needed (a date field's max, a summary): the earliest
        family's `researched_through`, so that no family is claimed past its research. None without
        families. Answers themselves use each family's own day (`family_coverage`)."""
        days = [f.researched_through for f in self.settings.families]
        return min(days) if days else None

    @cached_property
    def known_through(self) -> dt.date | None:
        """The latest day anything in the registry became known: the default `known_on`."""
        days = [m.known_on for m in self.measures.values()]
        days += [a.known_on for m in self.measures.values() for a in m.actions if a.known_on]
        return max(days) if days else None

    def measure(self, measure_id: str) -> Measure:
        """The measure with this id, or RegistryError naming close ids."""
        try:
            return self.measures[measure_id]
        except KeyError:
            close = difflib.get_close_matches(measure_id, list(self.measures), n=5)
            raise RegistryError(f"no measure {measure_id!r}", field="measure", suggestions=close) from None


def _starts(m: Measure) -> Iterable[dt.date]:
    if m.status in ("proposed", "threatened"):
        return []
    days = [e.effective for e in m.effects] + [a.effective for a in m.actions]
    if m.dates.effective:
        days.append(m.dates.effective)
    return days


def bundled_dirs() -> tuple[Path, Path]:
    """The bundled measures and claims directories inside the installed package."""
    root = Path(str(resources.files("exportctl") / "data"))
    return root / "measures", root / CLAIMS_DIR


def load_registry(
    extra_dirs: Sequence[str | Path] = (), *, bundled: bool = True, collect: bool = False
) -> Registry:
    """Load the bundled measures and claims plus any extra directories; strict, errors name file and line.

    With `collect=True` file errors are gathered in `Registry.load_errors` instead of raised (for lint).
    """
    errors: list[RegistryError] = []
    measure_files: list[Path] = []
    claim_files: list[Path] = []
    settings_files: list[Path] = []
    roots: list[tuple[Path, Path | None]] = []
    if bundled:
        mdir, cdir = bundled_dirs()
        roots.append((mdir, cdir))
    for extra in extra_dirs:
        path = Path(extra)
        if not path.is_dir():
            raise RegistryError(f"not a directory: {path}", field="extra_dirs", file=str(path))
        roots.append((path, None))
    for root, claims_dir in roots:
        if root.is_dir():
            for path in sorted(root.rglob("*.y*ml")):
                rel = path.relative_to(root).parts
                if path.name == SETTINGS_FILE and len(rel) == 1:
                    settings_files.append(path)
                elif CLAIMS_DIR in rel[:-1]:
                    claim_files.append(path)
                else:
                    measure_files.append(path)
        if claims_dir is not None and claims_dir.is_dir():
            claim_files.extend(sorted(claims_dir.rglob("*.y*ml")))

    measures: dict[str, Measure] = {}
    files: dict[str, str] = {}
    claims: list[ClaimEntry] = []
    for path in measure_files:
        try:
            measure = load_measure_file(path)
        except RegistryError as err:
            errors.append(err)
            continue
        if measure.id in measures:
            errors.append(
                RegistryError(
                    f"duplicate measure id {measure.id!r} (also in {files[measure.id]})",
                    file=str(path),
                    line=1,
                    field="id",
                )
            )
            continue
        measures[measure.id] = measure
        files[measure.id] = str(path)
        claims.extend(ClaimEntry(c, str(path), measure.id) for c in measure.claims)
    for path in claim_files:
        try:
            claims.extend(ClaimEntry(c, str(path)) for c in load_claim_file(path))
        except RegistryError as err:
            errors.append(err)
    settings = Settings()
    for path in settings_files:
        try:
            settings = validate_loaded(Settings, load_yaml(path), path)
        except RegistryError as err:
            errors.append(err)
    errors.extend(_family_errors(measures, files, settings, bundled_dirs()[0] if bundled else None))
    if errors and not collect:
        raise errors[0]
    ordered = {k: measures[k] for k in sorted(measures)}
    claims.sort(key=lambda c: (c.claim.id, c.file))
    return Registry(ordered, {k: files[k] for k in ordered}, claims, settings, errors)


def _family_errors(
    measures: dict[str, Measure], files: dict[str, str], settings: Settings, bundled_root: Path | None
) -> list[RegistryError]:
    """A measure naming a family `registry.yaml` does not list; a bundled measure naming none."""
    if not settings.families:
        return []
    known = {(f.jurisdiction, f.family) for f in settings.families}
    errors = []
    for mid, measure in measures.items():
        path = Path(files[mid])
        if measure.family is None:
            if bundled_root is not None and path.is_relative_to(bundled_root):
                text = f"measure {mid!r} names no family"
                errors.append(RegistryError(text, file=str(path), line=1, field="family"))
        elif (measure.jurisdiction, measure.family) not in known:
            listed = sorted(f"{j}/{f}" for j, f in known if j == measure.jurisdiction)
            text = f"measure {mid!r}: family {measure.family!r} is not one of {listed}"
            errors.append(RegistryError(text, file=str(path), line=1, field="family"))
    return errors


def load_measure_file(path: str | Path) -> Measure:
    """Load and validate one measure file; its vocabulary words are checked (registry.vocabulary)."""
    return validate_loaded(Measure, load_yaml(Path(path)), Path(path), context=vocabulary_context())


def load_claim_file(path: str | Path) -> list[Claim]:
    """Load a claim file: a YAML list of claims."""
    loaded = load_yaml(Path(path))
    if not isinstance(loaded.data, list):
        raise RegistryError("a claim file is a YAML list of claims", file=str(path), line=1)
    return [
        validate_loaded(Claim, LoadedFile(loaded.path, item, node), loaded.path)
        for item, node in zip(loaded.data, loaded.node.value, strict=True)
    ]
