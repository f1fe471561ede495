"""The bundled registry, compiled once and kept on disk: a cold `exportctl` call reads one signed JSON
document validated in one pass by pydantic's Rust core, instead of composing every measure file's YAML
node tree and validating it field by field (~1 s of a one-row check).

The file is keyed by a sha256 of everything the loaded Registry is a function of: every file under the
bundled measures and claims folders (path and bytes), the vocabulary file, the source of the code that
reads them (`exportctl.registry`, `exportctl.model`), the pydantic and Python versions and the folder it
was read from. Editing, adding or removing any of them gives another key, so a stale file is never read;
it is signed with the per-user secret of the screening cache (ops.cache_sign), so a writer of the cache
folder cannot make answers of its own. A missing, torn, unsigned or invalid file is rebuilt. The document
is validated by the same models (and vocabulary) as the files, so what it holds is what they hold.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from exportctl.ops.cache_sign import cache_root, read_signed, write_signed
from exportctl.registry import loader
from exportctl.registry.loader import ClaimEntry, Registry, load_registry
from exportctl.registry.schema import Claim, Measure
from exportctl.registry.settings import Settings
from exportctl.registry.vocabulary import context as vocabulary_context

FORMAT = "1"  # bump when the cached object's shape changes in a way the code hash would not show


def _code_dirs() -> list[Path]:
    root = Path(str(resources.files("exportctl")))
    return [root / "registry", root / "model"]


def registry_key() -> str:
    """The content key of the bundled registry: changes when any file it is read from (or by) changes."""
    import pydantic

    h = hashlib.sha256(f"{FORMAT}|{sys.version}|{pydantic.VERSION}".encode())
    mdir, cdir = loader.bundled_dirs()  # read at call time: what load_registry reads
    vocab = Path(str(resources.files("exportctl.data") / "vocabulary"))
    for folder, patterns in ((mdir, ("*.y*ml",)), (cdir, ("*.y*ml",)), (vocab, ("*",))):
        h.update(f"\0dir:{folder}".encode())
        if not folder.is_dir():
            continue
        for pattern in patterns:
            for path in sorted(folder.rglob(pattern)):
                if path.is_file():
                    h.update(f"\0{path.relative_to(folder)}\0".encode())
                    h.update(path.read_bytes())
    for folder in _code_dirs():
        for path in sorted(folder.glob("*.py")):
            h.update(f"\0code:{path.name}\0".encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:32]


def cache_path(key: str) -> Path:
    """Where the registry compiled under `key` is kept."""
    return cache_root() / "registry" / f"{key}.json"


class _Entry(BaseModel):
    claim: Claim
    file: str
    measure: str | None = None


class _Kept(BaseModel):
    """The document kept: the registry's parts, and its hashes (each a dump of every measure)."""

    measures: list[Measure] = Field(default_factory=list)
    files: dict[str, str] = Field(default_factory=dict)
    claims: list[_Entry] = Field(default_factory=list)
    settings: Settings = Field(default_factory=Settings)
    hashes: dict[str, str] = Field(default_factory=dict)


_KEPT: TypeAdapter[_Kept] | None = None


def _adapter() -> TypeAdapter[_Kept]:
    global _KEPT
    if _KEPT is None:
        _KEPT = TypeAdapter(_Kept)
    return _KEPT


def _entry(c: ClaimEntry) -> dict[str, Any]:
    return {"claim": c.claim.model_dump(mode="json"), "file": c.file, "measure": c.measure}


def _document(reg: Registry) -> bytes:
    doc: dict[str, Any] = {
        "measures": [m.model_dump(mode="json") for m in reg.measures.values()],
        "files": reg.files,
        "claims": [
            {"claim": c.claim.model_dump(mode="json"), "file": c.file, "measure": c.measure}
            for c in reg.claims
        ],
        "settings": reg.settings.model_dump(mode="json"),
        "hashes": {"content_hash": reg.content_hash, "claims_hash": reg.claims_hash},
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _registry(data: bytes) -> Registry:
    kept = _adapter().validate_json(data, context=vocabulary_context())
    reg = Registry(
        {m.id: m for m in kept.measures},
        dict(kept.files),
        [ClaimEntry(c.claim, c.file, c.measure) for c in kept.claims],
        kept.settings,
    )
    reg.__dict__.update(kept.hashes)  # the cached_property values, computed when the file was written
    return reg


def cached_registry() -> Registry:
    """The bundled registry: from the signed cache file of its content key, else loaded and stored."""
    path = cache_path(registry_key())
    data = read_signed(path)
    if data is not None:
        with contextlib.suppress(ValidationError, ValueError):  # one other code wrote: rebuilt
            return _registry(data)
    reg = load_registry()
    with contextlib.suppress(OSError):  # a read-only cache only costs a reload next time
        write_signed(path, _document(reg))
    return reg


@functools.lru_cache(maxsize=1)
def bundled_registry() -> Registry:
    """The bundled registry, loaded once per process (strict: a broken file is a RegistryError); kept
    compiled on disk between processes under a hash of its files."""
    return cached_registry()
