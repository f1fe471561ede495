"""The HTTP API and the web page: one `create_app()`, one router per resource, versioned under /v1.

Routers only translate HTTP to ops calls and back; every error leaves as the one JSON error shape
(`ExportctlError.to_dict()`), with 401/403/413/422/429/503 where they apply and 500 (`internal`) for
anything unforeseen, never a traceback.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import TypeAdapter
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportctl import __version__
from exportctl.errors import (
    AuthError,
    DataError,
    ExportctlError,
    ForbiddenError,
    InputError,
    NoDataError,
    RateLimitedError,
    RegistryError,
    StoreError,
    TooLargeError,
)
from exportctl.fronts.api.deps import Settings, TokenBucket
from exportctl.fronts.cli.output import dumps

__all__ = ["JSON", "JSONObject", "answered", "create_app", "error_response", "status_of"]

DESCRIPTION = """Export controls and tariffs as dated data: license determinations, party screening and duty
stacks for the 2018-2025 US-China measures, each answer for a date (`as_of`, `known_on`) with the data
version and the citations it rests on. **Not legal advice.**

Send `Authorization: Bearer <token>` (make one with `exportctl token create --scope check`). Scopes:
`read` (tariff, timeline, diff, data status), `check` (check, screen), `review` (review decisions),
`admin` (audit trail). Every determination and screening is recorded in the hash-chained audit trail."""


class JSON(Response):
    """JSON with sorted keys and ISO dates: the same bytes `exportctl ... --format json` prints."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Encode with the CLI's stable JSON."""
        return dumps(content).encode("utf-8")


class JSONObject(JSONResponse):
    """As JSON, for routes whose OpenAPI document declares the response's model (`responses[200].model`,
    `response_model=None`): a JSONResponse, so the document shows that model, not a string."""

    def render(self, content: Any) -> bytes:
        """Encode with the CLI's stable JSON."""
        return dumps(content).encode("utf-8")


_PLAIN = TypeAdapter(dict[str, Any])


def answered(content: Mapping[str, Any]) -> JSONObject:
    """An answer of a route whose `response_model` is its type (ops.answers): the OpenAPI document is
    generated from that type, while the bytes are those of the plain dict, encoded as FastAPI encodes a
    `dict[str, Any]` result. A Response is sent as it is: FastAPI neither re-validates nor re-shapes it."""
    return JSONObject(_PLAIN.dump_python(dict(content), mode="json"))


def status_of(err: ExportctlError) -> int:
    """The HTTP status of an error class."""
    for cls, status in (
        (AuthError, 401),
        (ForbiddenError, 403),
        (TooLargeError, 413),
        (RateLimitedError, 429),
        (InputError, 422),
        (NoDataError, 503),
        (StoreError, 503),
        (RegistryError, 500),
        (DataError, 500),
    ):
        if isinstance(err, cls):
            return status
    return 500


def error_response(err: ExportctlError, status: int | None = None) -> Response:
    """The one JSON error shape, with WWW-Authenticate on 401 and Retry-After on 429."""
    code = status or status_of(err)
    headers = {"WWW-Authenticate": "Bearer"} if code == 401 else {}
    if code == 429:
        headers["Retry-After"] = "1"
    return JSON(err.to_dict(), status_code=code, headers=headers)


def _field(loc: tuple[Any, ...]) -> str | None:
    # drop FastAPI's location ("body", "query") and the union tags of the check/screen bodies
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "one", "batch")]
    return ".".join(parts) or None


def _validation(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    field = _field(tuple(first.get("loc", ())))
    message = str(first.get("msg", "invalid request"))
    if first.get("type") == "json_invalid":
        message, field = "the body is not valid JSON", "body"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})"
    return error_response(InputError(message, field=field), 422)


def _http(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
    err = ExportctlError(str(exc.detail))
    err.code = codes.get(exc.status_code, "http_error")
    return JSON(err.to_dict(), status_code=exc.status_code, headers=getattr(exc, "headers", None))


def _typed(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ExportctlError)
    return error_response(exc)


def _internal(_request: Request, exc: Exception) -> Response:
    err = ExportctlError(f"internal error ({type(exc).__name__}); no answer was given")
    err.code = "internal"
    return error_response(err, 500)


class BodyLimit:
    """Refuse bodies over `limit` bytes with 413 (by Content-Length, or counted when chunked)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on unless its body is too large."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_large = TooLargeError(f"request body larger than {self.limit} bytes", field="body")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await error_response(too_large)(scope, receive, send)
            return
        if length is not None:
            await self.app(scope, receive, send)
            return
        # No Content-Length (chunked): read the body here, counting, then replay it to the app.
        chunks: list[bytes] = []
        seen = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, receive, send)
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await error_response(too_large)(scope, receive, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def web_dir() -> Path:
    """The folder of the web page's static files (shipped inside the package)."""
    return Path(str(resources.files("exportctl.fronts.web")))


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API (/v1), its OpenAPI document (/openapi.json) and the web page (/).

    FastAPI's /docs and /redoc pages are off: they load their scripts from a CDN, and the service
    works offline. Any OpenAPI viewer can read /openapi.json.
    """
    from exportctl.fronts.api.routers import ROUTERS
    from exportctl.ops.audit import engine_of
    from exportctl.store.audit import ensure_audit_tables
    from exportctl.store.tokens import ensure_token_table

    settings = settings or Settings.from_env()
    app = FastAPI(
        title="exportctl",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=[{"name": r.tags[0]} for r in ROUTERS if r.tags],
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine_of(settings.database_url)
    app.state.buckets = TokenBucket(settings.rate_per_second, settings.burst)
    app.state.contexts = {}
    app.state.context_lock = threading.Lock()
    ensure_token_table(app.state.engine)
    ensure_audit_tables(app.state.engine)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(ExportctlError, _typed)
    app.add_exception_handler(Exception, _internal)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    for router in ROUTERS:
        app.include_router(router, prefix="/v1")
    static = web_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html")

    return app
