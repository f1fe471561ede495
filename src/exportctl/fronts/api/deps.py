"""Settings, authentication, scopes, per-token rate limits and size limits for the API.

A request carries `Authorization: Bearer <token>`; without one it gets 401, with a token lacking the
endpoint's scope 403, and past its token's rate 429, each in the one JSON error shape.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from exportctl.errors import AuthError, ForbiddenError, InputError, RateLimitedError, TooLargeError
from exportctl.store.tokens import SCOPES, TokenInfo

__all__ = [
    "Principal",
    "RateLimitedError",
    "Settings",
    "TokenBucket",
    "TokenCache",
    "TooLargeError",
    "bearer_of",
    "require",
]


def _env_number(name: str, default: float) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{name} must be a number, not {text!r}", field=name) from None


@dataclass(frozen=True)
class Settings:
    """Limits of one app; from EXPORTCTL_API_* environment variables unless given."""

    rate_per_second: float = 50.0  # sustained requests per token
    burst: float = 200.0  # bucket size: requests a token may make at once
    max_body_bytes: int = 20 * 1024 * 1024
    max_batch: int = 10_000  # queries in one check or screen batch
    database_url: str | None = None
    gather_ms: float = 2.0  # single checks wait this long to be answered together (fronts/api/gather.py)
    token_ttl: float = 1.0  # seconds a verified token is trusted without reading the store (TokenCache)

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """Read EXPORTCTL_API_RATE, _BURST, _MAX_BODY, _MAX_BATCH, _GATHER_MS and _TOKEN_TTL; keyword
        overrides win."""
        values: dict[str, Any] = {
            "rate_per_second": _env_number("EXPORTCTL_API_RATE", cls.rate_per_second),
            "burst": _env_number("EXPORTCTL_API_BURST", cls.burst),
            "max_body_bytes": int(_env_number("EXPORTCTL_API_MAX_BODY", cls.max_body_bytes)),
            "max_batch": int(_env_number("EXPORTCTL_API_MAX_BATCH", cls.max_batch)),
            "gather_ms": _env_number("EXPORTCTL_API_GATHER_MS", cls.gather_ms),
            "token_ttl": _env_number("EXPORTCTL_API_TOKEN_TTL", cls.token_ttl),
        }
        values.update(overrides)
        return cls(**values)


@dataclass
class TokenBucket:
    """In-memory token buckets, one per API token (the limit of one process)."""

    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    _levels: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str) -> float | None:
        """Take one request from `key`'s bucket: None when allowed, else the seconds to wait."""
        now = self.clock()
        with self._lock:
            level, last = self._levels.get(key, (self.burst, now))
            level = min(self.burst, level + (now - last) * self.rate)
            if level < 1.0:
                self._levels[key] = (level, now)
                return (1.0 - level) / self.rate if self.rate > 0 else float("inf")
            self._levels[key] = (level - 1.0, now)
            return None


@dataclass
class TokenCache:
    """Tokens verified against the store in the last `ttl` seconds, by the sha256 of their secret (never
    the secret itself): a request with one is admitted without a store read (a query and a thread hop
    were a third of a single check's cost). A token revoked meanwhile (`exportctl token revoke`, from any
    process) is refused once its entry is `ttl` seconds old: within `ttl` seconds, at once with ttl 0.
    Unknown and revoked tokens are never kept: each of their requests reads the store."""

    ttl: float
    clock: Callable[[], float] = time.monotonic
    size: int = 1024  # entries at most (the whole cache is dropped when full: rebuilt within a second)
    _entries: dict[str, tuple[TokenInfo, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, digest: str) -> TokenInfo | None:
        """The token verified under `digest` less than `ttl` seconds ago, else None."""
        found = self._entries.get(digest)
        if found is None:
            return None
        if self.clock() >= found[1]:
            with self._lock:
                self._entries.pop(digest, None)
            return None
        return found[0]

    def put(self, digest: str, info: TokenInfo) -> None:
        """Remember `info` (active, just read from the store) for `ttl` seconds."""
        if self.ttl <= 0 or not info.active:
            return
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()
            self._entries[digest] = (info, self.clock() + self.ttl)

    def clear(self) -> None:
        """Forget every verified token (each is read from the store again)."""
        with self._lock:
            self._entries.clear()


@dataclass(frozen=True)
class Principal:
    """Who is asking: the token's id and scopes; `actor` is what the audit trail records."""

    token: TokenInfo

    @property
    def actor(self) -> str:
        """token:<id> (the name too when the token has one)."""
        return f"token:{self.token.id}" + (f" ({self.token.name})" if self.token.name else "")


def now_utc() -> dt.datetime:
    """The moment of a request (fronts read the clock; the core never does)."""
    return dt.datetime.now(dt.UTC)


def bearer_of(header: str) -> str:
    """The secret of an `Authorization: Bearer <token>` header; AuthError when absent or malformed."""
    scheme, _, value = header.partition(" ")
    if not header:
        raise AuthError(
            "this endpoint needs a token: send 'Authorization: Bearer <token>'", field="authorization"
        )
    if scheme.lower() != "bearer" or not value.strip():
        raise AuthError("the Authorization header must be 'Bearer <token>'", field="authorization")
    return value.strip()


# Declares the bearer scheme in the OpenAPI document (for OpenAPI viewers and clients); checking is ours.
_BEARER_DOC = HTTPBearer(auto_error=False, description="A token from `exportctl token create --scope ...`")


def require(scope: str | None) -> Any:
    """A dependency that admits a request holding a valid token with `scope` (None: any valid token)."""
    if scope is not None and scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    async def dependency(request: Request, _doc: Any = Depends(_BEARER_DOC)) -> Principal:
        # app.AuthFirst authenticated the token and took from its rate before the body was read; async:
        # no I/O here, and a sync dependency costs a hop to the thread pool and back per request
        info = getattr(request.state, "token", None)
        if not isinstance(info, TokenInfo):
            raise AuthError("unknown or revoked token", field="authorization")
        if scope is not None and scope not in info.scopes:
            raise ForbiddenError(
                f"this endpoint needs the {scope!r} scope; the token has {', '.join(info.scopes)}",
                field="scope",
            )
        return Principal(info)

    dependency.__name__ = f"require_{scope or 'token'}"
    return Depends(dependency)
