"""Load measure files strictly: every error names the file, the line and the field.

Layout (bundled, under `exportctl/data`):
  measures/<JURISDICTION>/<id>.yaml   one measure per file; the file stem is the measure id
  measures/registry.yaml              optional settings: `coverage: {start: D}`, `families`, `snapshots`
  claims/*.yaml                       claim files: a YAML list of Claim, for reports spanning measures
An extra directory given to `load_registry(extra_dirs=...)` follows the same layout: YAML files below it
are measures, except `registry.yaml` (settings) and files below a `claims/` folder (claim lists).

YAML is composed to a node tree first, so that a pydantic error location (`effects.0.rate_pct`) can be
walked back to the node and its line. Values are validated in pydantic's strict mode: a quoted date,
a number where a list is expected or a date-time where a date is expected is an error, not a guess.
Duplicate mapping keys (which PyYAML would silently collapse) are errors too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from exportctl.errors import RegistryError
from exportctl.model.dates import Interval
from exportctl.registry.schema import Claim, Measure
from exportctl.registry.settings import FamilyCoverage, Settings
from exportctl.registry.vocabulary import context as vocabulary_context

M = TypeVar("M", bound=BaseModel)

SETTINGS_FILE = "registry.yaml"
# libyaml's loader when PyYAML was built with it (about ten times faster); marks are the same
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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


@dataclass(frozen=True)
class LoadedFile:
    """A parsed YAML file: its data and the node tree that locates each value."""

    path: Path
    data: Any
    node: yaml.Node


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


def load_yaml(path: Path) -> LoadedFile:
    """Parse one YAML file to data plus node tree; YAML syntax errors and duplicate keys name the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise RegistryError(f"cannot read: {err}", file=str(path)) from None
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise RegistryError("empty file", file=str(path), line=1)
        _check_duplicates(node, path)
        if _expanded_size(node, {}) > MAX_NODES:  # "billion laughs": aliases of aliases
            raise RegistryError(
                f"YAML aliases expand to more than {MAX_NODES} values", file=str(path), line=1
            )
        try:
            data = loader.construct_document(node)
        except ValueError as err:  # PyYAML builds dates without marks: find the bad one
            bad = _bad_timestamp(node)
            raise RegistryError(
                f"not a date: {bad.value if bad else ''!r} ({err})",
                file=str(path),
                line=_line(bad) if bad else None,
            ) from None
    except RecursionError:  # nesting thousands deep: PyYAML's composer recurses per level
        raise RegistryError("YAML nested too deep", file=str(path), line=1) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise RegistryError(
            f"YAML syntax: {err.problem or err.context}",
            file=str(path),
            line=mark.line + 1 if mark else None,
        ) from None
    finally:
        loader.dispose()
    return LoadedFile(path, data, node)


def _bad_timestamp(node: yaml.Node) -> yaml.Node | None:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:timestamp":
            try:
                yaml.SafeLoader("").construct_yaml_timestamp(node)
            except ValueError:
                return node
        return None
    children = (
        [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else list(node.value)
    )
    for child in children:
        found = _bad_timestamp(child)
        if found is not None:
            return found
    return None


MAX_NODES = 200_000  # the largest measure file has a few thousand


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values the document has once every alias is expanded (memoised: linear in the nodes)."""
    if id(node) not in memo:
        if isinstance(node, yaml.MappingNode):
            memo[id(node)] = 1 + sum(_expanded_size(v, memo) + 1 for _, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            memo[id(node)] = 1 + sum(_expanded_size(v, memo) for v in node.value)
        else:
            memo[id(node)] = 1
    return memo[id(node)]


def _check_duplicates(
    node: yaml.Node, path: Path, done: set[int] | None = None, open_: set[int] | None = None
) -> None:
    # Aliases share nodes: each node is walked once (nested aliases cannot blow up the walk), and an
    # alias to a node still open is a recursive structure, refused with its line.
    done = set() if done is None else done
    open_ = set() if open_ is None else open_
    if id(node) in open_:
        raise RegistryError("recursive YAML alias", file=str(path), line=_line(node))
    if id(node) in done or isinstance(node, yaml.ScalarNode):
        return
    open_.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                raise RegistryError(
                    f"duplicate key {name!r}", file=str(path), line=key.start_mark.line + 1, field=name
                )
            seen.add(name)
            _check_duplicates(value, path, done, open_)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicates(item, path, done, open_)
    open_.discard(id(node))
    done.add(id(node))


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


def validate_loaded(
    model: type[M], loaded: LoadedFile, path: Path, context: dict[str, Any] | None = None
) -> M:
    """Validate parsed YAML against `model` strictly; the first error names file, line and field.

    `context` is pydantic's validation context (the vocabulary, for measure files)."""
    if not isinstance(loaded.data, dict):
        raise RegistryError(
            f"expected a mapping of {model.__name__} fields, got {type(loaded.data).__name__}",
            file=str(path),
            line=_line(loaded.node),
        )
    try:
        return model.model_validate(loaded.data, strict=True, context=context)
    except ValidationError as err:
        first = err.errors()[0]
        loc = _untagged(loaded.node, tuple(first["loc"]))
        _, line = locate(loaded.node, loc)
        dotted = ".".join(str(p) for p in loc) or None
        message = _message(first, loc)
        more = len(err.errors()) - 1
        if more:
            message += f" (and {more} more error{'s' if more > 1 else ''} in this file)"
        raise RegistryError(
            message, file=str(path), line=line, field=dotted, suggestions=_suggest(first)
        ) from None


def _suggest(error: Any) -> list[str]:
    """For a value outside a fixed list (status, authority, kind ...), the allowed values closest to it."""
    if error["type"] != "literal_error" or not isinstance(error.get("input"), str):
        return []
    allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
    return difflib.get_close_matches(error["input"], allowed, n=5, cutoff=0.5)


def _message(error: Any, loc: tuple[Any, ...]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key {loc[-1]!r}"
    if kind == "missing":
        return f"missing required key {loc[-1]!r}"
    if kind in ("date_type", "date_from_datetime_inexact", "date_from_datetime_parsing") or (
        kind.startswith("date") and isinstance(error.get("input"), str | dt.datetime)
    ):
        return f"not a date: {error.get('input')!r} (write an unquoted YYYY-MM-DD)"
    if kind == "literal_error":
        return f"{error['msg']}, got {error.get('input')!r}"
    return f"{error['msg']} (got {error.get('input')!r})" if "input" in error else str(error["msg"])


def _untagged(node: yaml.Node, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """A pydantic location without the tags of discriminated unions: ('effects', 0, 'tariff', 'rate_pct')
    names the effect whose `kind` is 'tariff'; the file has no key 'tariff', so it is dropped."""
    out: list[Any] = []
    current: yaml.Node | None = node
    tagged: yaml.Node | None = None  # the mapping whose tag was dropped (a tag comes once, first)
    for part in loc:
        if isinstance(current, yaml.MappingNode):
            keys = {str(k.value): v for k, v in current.value}
            kind = keys.get("kind")
            if tagged is not current and isinstance(kind, yaml.ScalarNode) and str(kind.value) == str(part):
                tagged = current
                continue
            current = keys.get(str(part))
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and part < len(current.value):
            current = current.value[part]
        else:
            current = None
        out.append(part)
    return tuple(out)


def locate(node: yaml.Node, loc: Sequence[Any]) -> tuple[yaml.Node, int | None]:
    """Walk a pydantic error location through the YAML node tree; return the deepest node and its line."""
    current = node
    line = _line(node)
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if str(key.value) == str(part):
                    # for an unknown key the key's own line is the one to show
                    nxt, line = value, key.start_mark.line + 1
                    break
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and part < len(current.value):
            nxt = current.value[part]
            line = _line(nxt)
        if nxt is None:
            break
        current = nxt
    return current, line


def _line(node: yaml.Node | None) -> int | None:
    if node is None or node.start_mark is None:
        return None
    return int(node.start_mark.line) + 1
