"""The bundled registry, compiled once and kept on disk: a cold `exportctl` call reads one signed file
instead of composing every measure file's YAML node tree and validating it field by field (~1 s of a
one-row check).

The file is keyed by a sha256 of everything the loaded Registry is a function of: every file under the
bundled measures and claims folders (path and bytes), the vocabulary file, the source of the code that
reads them (`exportctl.registry`, `exportctl.model`), the pydantic and Python versions and the folder it
was read from. Editing, adding or removing any of them gives another key, so a stale file is never read;
it is signed with the per-user secret of the screening cache (ops.cache_sign), so a writer of the cache
folder cannot make answers (or objects) of its own. A missing, torn, unsigned or unreadable file is
rebuilt. It holds the models as loaded (and validated, with the vocabulary) from the files, pickled: read
back they are what a fresh load gives, ~30 ms where validating them again from JSON took ~110-150 ms.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
import sys
from importlib import resources
from pathlib import Path

from exportctl.ops.cache_sign import cache_root, read_signed, write_signed
from exportctl.registry import loader
from exportctl.registry.loader import ClaimEntry, Registry, load_registry
from exportctl.registry.schema import Measure
from exportctl.registry.settings import Settings

FORMAT = "2"  # bump when the cached object's shape changes in a way the code hash would not show


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
    return cache_root() / "registry" / f"{key}.pickle"


def _document(reg: Registry) -> bytes:
    """The registry's parts and its hashes (each a dump of every measure), pickled: ~4x faster to read
    than the same parts as JSON validated again (the models were validated when the files were read;
    the file is only ever read when its signature under the per-user secret matches)."""
    kept = {
        "measures": list(reg.measures.values()),
        "files": dict(reg.files),
        "claims": [(c.claim, c.file, c.measure) for c in reg.claims],
        "settings": reg.settings,
        "hashes": {"content_hash": reg.content_hash, "claims_hash": reg.claims_hash},
    }
    return pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)


def _registry(data: bytes) -> Registry:
    kept = pickle.loads(data)  # noqa: S301 - a signed file of this user's own (cache_sign.read_signed)
    measures: list[Measure] = kept["measures"]
    settings: Settings = kept["settings"]
    if not all(isinstance(m, Measure) for m in measures) or not isinstance(settings, Settings):
        raise ValueError("not a kept registry")
    reg = Registry(
        {m.id: m for m in measures},
        dict(kept["files"]),
        [ClaimEntry(claim, file, measure) for claim, file, measure in kept["claims"]],
        settings,
    )
    reg.__dict__.update(kept["hashes"])  # the cached_property values, computed when the file was written
    return reg


def cached_registry() -> Registry:
    """The bundled registry: from the signed cache file of its content key, else loaded and stored."""
    path = cache_path(registry_key())
    data = read_signed(path)
    if data is not None:
        with contextlib.suppress(Exception):  # another code's file (unpickling fails): rebuilt
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
