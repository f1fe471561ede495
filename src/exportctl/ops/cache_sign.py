"""Where exportctl keeps what it derives from data (the user cache dir), and the per-user secret that
signs each cached file, so that a writer of the cache folder cannot make a process load a file of its own.

Shared by the screening index cache (ops.screen_index) and the compiled registry cache (ops.registry_cache).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import platformdirs

ENV_CACHE = "EXPORTCTL_CACHE_DIR"
ENV_CACHE_KEY = "EXPORTCTL_CACHE_KEY_FILE"


def cache_root() -> Path:
    """$EXPORTCTL_CACHE_DIR, else the user cache dir."""
    return Path(os.environ.get(ENV_CACHE) or platformdirs.user_cache_dir("exportctl"))


def key_secret() -> bytes:
    """The per-user secret the cache files are signed with, kept outside the cache folder (created on first
    use, readable by the user only): a writer of the cache folder cannot sign a file of its own."""
    path = Path(os.environ.get(ENV_CACHE_KEY) or Path(platformdirs.user_data_dir("exportctl")) / "cache.key")
    try:
        secret = path.read_bytes()
        if len(secret) >= 32:
            return secret
    except OSError:
        pass
    secret = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(secret)
    except FileExistsError:
        return path.read_bytes()  # another process made it first
    except OSError:
        pass  # no writable place: this process signs with a secret of its own (its files are rebuilt later)
    return secret


def signature(data: bytes) -> str:
    """HMAC-SHA256 of `data` under the per-user secret (hex)."""
    return hmac.new(key_secret(), data, hashlib.sha256).hexdigest()


def signed_ok(data: bytes, signed: str) -> bool:
    """Whether `signed` is the signature of `data`."""
    return hmac.compare_digest(signed.strip(), signature(data))


def write_signed(path: Path, data: bytes) -> None:
    """Write `data` and its signature (`<name>.sig`) beside it, each replaced atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    sig = path.with_name(f"{path.name}.sig.{os.getpid()}.tmp")
    sig.write_text(signature(data) + "\n", encoding="ascii")
    sig.replace(path.with_name(path.name + ".sig"))
    tmp.replace(path)


def read_signed(path: Path) -> bytes | None:
    """The bytes at `path` when its signature beside it matches, else None (missing, torn or tampered)."""
    try:
        data = path.read_bytes()
        signed = path.with_name(path.name + ".sig").read_text(encoding="ascii")
    except (OSError, UnicodeError):
        return None
    return data if signed_ok(data, signed) else None
