"""zstd content-encoding of large text answers, for clients whose Accept-Encoding names zstd.

A 1,000-query batch answers ~3 MB of JSON in which each distinct answer repeats under many ids: zstd
(level 3, as the audit trail keeps the same bytes, store.audit_payloads) writes it as ~40 kB in about a
millisecond, and reading it back costs the client less than a millisecond. httpx (with zstandard
installed), urllib3 2 and current browsers and curl send `Accept-Encoding: ... zstd`. gzip is not
offered: on the same answer it costs ~11 ms of the server's CPU for ~380 kB. An answer is encoded only
when it is one body of at least MIN_BYTES, of a text media type, not encoded already; anything else
(single checks, streamed and binary downloads) is sent as it is. The bytes decoded are the bytes the
route answered.
"""

from __future__ import annotations

import zstandard
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MIN_BYTES", "ZstdEncoding", "accepts_zstd", "header_names"]

MIN_BYTES = 32 * 1024  # smaller answers (a single check's ~3 kB) gain less than their encoding costs
LEVEL = 3
TEXT_TYPES = ("application/json", "application/x-ndjson", "text/csv")


def accepts_zstd(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header names zstd with a q-value above 0 (RFC 9110 §12.5.3)."""
    return header_names(accept_encoding, "zstd")


def header_names(header: str | None, token: str) -> bool:
    """Whether an Accept or Accept-Encoding header names `token` (a media type or a coding, any case) with
    a q-value above 0 (RFC 9110 §12.4.2); a q-value that is no number refuses it."""
    for part in (header or "").split(","):
        name, *params = (p.strip() for p in part.split(";"))
        if name.lower() != token.lower():
            continue
        q = next((p.split("=", 1)[1].strip() for p in params if p.lower().startswith("q=")), "1")
        try:
            return float(q) > 0
        except ValueError:
            return False
    return False


def _textual(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in TEXT_TYPES or (media.startswith("application/") and media.endswith("+json"))


class ZstdEncoding:
    """ASGI middleware: a large one-body text answer is sent zstd-encoded to a client accepting zstd."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; encode its answer as above."""
        if scope["type"] != "http" or not accepts_zstd(Headers(scope=scope).get("accept-encoding")):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        passing = False

        async def encoding_send(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                if "content-encoding" in headers or not _textual(headers.get("content-type", "")):
                    passing = True
                    await send(message)
                else:
                    start = message  # held until the body says whether it is one large body
                return
            assert start is not None  # http.response.body after http.response.start
            body = message.get("body", b"")
            passing = True
            if message.get("more_body", False) or len(body) < MIN_BYTES:
                await send(start)
                await send(message)
                return
            encoded = zstandard.ZstdCompressor(level=LEVEL).compress(body)
            headers = MutableHeaders(raw=list(start["headers"]))
            headers["content-encoding"] = "zstd"
            headers["content-length"] = str(len(encoded))
            headers.add_vary_header("Accept-Encoding")
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": encoded, "more_body": False})

        await self.app(scope, receive, encoding_send)
