"""The HTTP API and the web page: one `create_app()`, one router per resource, versioned under /v1.

Routers only translate HTTP to ops calls and back; every error leaves as the one JSON error shape
(`ExportctlError.to_dict()`), with 401/403/404/409/413/422/429/503 where they apply and 500 (`internal`) for
anything unforeseen, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import TypeAdapter
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportctl import __version__
from exportctl.errors import (
    AuthError,
    ConflictError,
    DataError,
    ExportctlError,
    ForbiddenError,
    InputError,
    NoDataError,
    NotFoundError,
    RateLimitedError,
    RegistryError,
    StoreError,
    TooLargeError,
)
from exportctl.fronts.api.deps import Settings, TokenBucket, TokenCache
from exportctl.fronts.api.encoding import ZstdEncoding
from exportctl.fronts.api.gather import Gatherer
from exportctl.fronts.cli.output import dumps

__all__ = [
    "JSON",
    "JSONObject",
    "answered",
    "create_app",
    "create_served_app",
    "error_response",
    "json_bytes",
    "keyed_fragments",
    "keyed_json_bytes",
    "status_of",
]

DESCRIPTION = """Export controls and tariffs as dated data: license determinations, party screening and duty
stacks for the 2018-2025 US-China measures, each answer for a date (`as_of`, `known_on`) with the data
version and the citations it rests on. **Not legal advice.**

Send `Authorization: Bearer <token>` (make one with `exportctl token create --scope check`). Scopes:
`read` (tariff, timeline, diff, data status), `check` (check, screen), `review` (review decisions),
`admin` (audit trail). Every determination and screening is recorded in the hash-chained audit trail.

Large JSON, JSON Lines and CSV answers (32 kB or more) are sent zstd-encoded to a client whose
`Accept-Encoding` names `zstd`. A batch check sent with `Accept: application/vnd.exportctl.distinct+json`
answers each distinct answer once: `{"answers": [...], "answer_of": {"<id>": <index>}}`."""


def _plain(obj: Any) -> Any:
    if isinstance(obj, set | frozenset):
        return sorted(obj)
    if isinstance(obj, Decimal):
        return float(obj)
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json", exclude_none=True)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def json_bytes(content: Any) -> bytes:
    """The JSON of an answer: sorted keys, ISO dates, UTF-8 kept, as `exportctl ... --format json` (the
    same values; compact, written by orjson: a 1,000-answer batch in milliseconds, not a second). What
    orjson cannot write (an integer past 64 bits) is written by the CLI's encoder."""
    try:
        return orjson.dumps(content, default=_plain, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return dumps(content).encode("utf-8")


def keyed_json_bytes(answers: Mapping[str, Mapping[str, Any]]) -> bytes:
    """json_bytes(answers) of a batch's {id: answer}, each answer written once however many ids share it.

    A batch's ids asking one question get copies of one answer (ops.batch.check_keyed: shallow copies,
    their values the very same objects; with shared=True the one object): answers whose values are the
    same objects are written alike, so each is written once and placed under every id as an orjson
    Fragment: the same bytes as json_bytes, without writing 3 MB for 80 distinct answers."""
    try:
        return orjson.dumps(keyed_fragments(answers), option=JSON_OPTIONS)
    except TypeError:  # what orjson cannot write: json_bytes writes the whole with the CLI's encoder
        return json_bytes(answers)


JSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS  # json_bytes's


def keyed_fragments(answers: Mapping[str, Mapping[str, Any]]) -> dict[str, orjson.Fragment]:
    """Each id's answer as the orjson Fragment of its JSON (json_bytes's options), one Fragment object per
    distinct JSON text (an answer whose values are the objects of one written before is not written
    again); TypeError for what orjson cannot write."""
    written: dict[tuple[Any, ...], orjson.Fragment] = {}
    texts: dict[bytes, orjson.Fragment] = {}  # equal answers of other objects: one Fragment too
    # the very same answer object under several ids (check_keyed(shared=True)) is looked up once
    objects: dict[int, orjson.Fragment] = {}
    keyed: dict[str, orjson.Fragment] = {}
    for qid, answer in answers.items():
        fragment = objects.get(id(answer))
        if fragment is None:
            same = (tuple(answer), *map(id, answer.values()))
            fragment = written.get(same)
            if fragment is None:
                text = orjson.dumps(answer, default=_plain, option=JSON_OPTIONS)
                fragment = texts.get(text)
                if fragment is None:
                    fragment = texts[text] = orjson.Fragment(text)
                written[same] = fragment
            objects[id(answer)] = fragment
        keyed[qid] = fragment
    return keyed


class JSON(JSONResponse):
    """JSON with sorted keys and ISO dates: the values `exportctl ... --format json` prints (json_bytes).

    A JSONResponse, so the OpenAPI document shows each route's answer as the object it returns (a plain
    Response class would document it as a string)."""

    def render(self, content: Any) -> bytes:
        """Encode as json_bytes."""
        return json_bytes(content)


class JSONObject(JSONResponse):
    """As JSON, for routes whose OpenAPI document declares the response's model (`responses[200].model`,
    `response_model=None`): a JSONResponse, so the document shows that model, not a string."""

    def render(self, content: Any) -> bytes:
        """Encode as json_bytes."""
        return json_bytes(content)


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
        (NotFoundError, 404),
        (ConflictError, 409),
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
    ctx = first.get("ctx")  # a vocabulary's suggestions (fronts/api/vocab.py)
    suggestions = list(ctx.get("suggestions") or []) if isinstance(ctx, dict) else []
    return error_response(InputError(message, field=field, suggestions=suggestions), 422)


def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # Starlette's "error parsing the body" (bytes that are not UTF-8 JSON, a broken multipart form):
        # a bad body, as invalid JSON is, in the one shape
        return error_response(InputError(f"the body cannot be read: {exc.detail}", field="body"), 422)
    codes = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
    err = ExportctlError(str(exc.detail))
    err.code = codes.get(exc.status_code, "http_error")
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(_allowed(request))
    return JSON(err.to_dict(), status_code=exc.status_code, headers=headers or None)


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _matches(app: Any, scope: Scope, method: str) -> Match:
    """The best match any route of the app gives this path with `method` (included routers too)."""
    probe = {**scope, "method": method}
    best = Match.NONE
    for route in app.router.routes:
        match, _ = route.matches(probe)
        if match == Match.FULL:
            return Match.FULL
        if match == Match.PARTIAL:
            best = Match.PARTIAL
    return best


ROUTED_PATHS = 4096  # paths whose answer _routed keeps per app (all dropped when full)


def _routed(app: Any, scope: Scope) -> bool:
    """Whether an API route (under /v1) answers this path, with any method (kept per path: matching every
    route of the app for every request cost as much as the routing itself)."""
    path = str(scope.get("path", ""))
    if not path.startswith("/v1/"):
        return False
    known: dict[str, bool] = app.state.routed
    found = known.get(path)
    if found is None:
        found = _matches(app, scope, "GET") != Match.NONE
        if len(known) >= ROUTED_PATHS:
            known.clear()
        known[path] = found
    return found


def _allowed(request: Request) -> list[str]:
    """Every method some route answers on this path (GET and POST /v1/diff are two routes: Starlette's
    own Allow names only the first one's)."""
    return [m for m in METHODS if _matches(request.app, request.scope, m) == Match.FULL]


def _typed(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ExportctlError)
    return error_response(exc)


def _internal(_request: Request, exc: Exception) -> Response:
    err = ExportctlError(f"internal error ({type(exc).__name__}); no answer was given")
    err.code = "internal"
    return error_response(err, 500)


PUBLIC_PATHS = frozenset({"/v1/health"})


class AuthFirst:
    """Check the token (and take from its rate) before anything reads the body: a request without a valid
    token gets 401 unread, whatever its body, and is rate-limited by client address (one bucket per
    address), so neither an 18 MB body nor a flood of anonymous requests costs more than a header check.
    The token found is left in the request's state for the route's scope check (deps.require)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass an authenticated request on; answer any other under /v1 with 401 or 429."""
        path = scope.get("path", "")
        if scope["type"] != "http" or path in PUBLIC_PATHS or not _routed(scope["app"], scope):
            await self.app(scope, receive, send)  # the page, the document, and 404s for unknown paths
            return
        from exportctl.fronts.api.deps import bearer_of
        from exportctl.store.tokens import TokenInfo, token_hash

        state = scope["app"].state
        headers = dict(scope.get("headers") or [])
        refused: ExportctlError | None = None
        info: TokenInfo | None = None
        try:
            secret = bearer_of(headers.get(b"authorization", b"").decode("latin-1"))
            digest = token_hash(secret)
            info = state.tokens.get(digest)  # verified within the last token_ttl seconds
            if info is None:
                info = await _verified(state, digest, secret)
                if info is None:
                    refused = AuthError("unknown or revoked token", field="authorization")
        except AuthError as err:
            refused = err
        if refused is not None or info is None:
            client = scope.get("client") or ("unknown", 0)
            wait = state.buckets.take(f"anonymous:{client[0]}")
            if wait is not None:
                refused = RateLimitedError(
                    f"rate limit exceeded for requests without a valid token: retry in {wait:.2f} s",
                    field="authorization",
                )
            answer = error_response(refused or AuthError("no valid token", field="authorization"))
            await answer(scope, receive, send)
            return
        wait = state.buckets.take(info.id)
        if wait is not None:
            limited = RateLimitedError(
                f"rate limit exceeded for token {info.id}: retry in {wait:.2f} s", field="authorization"
            )
            await error_response(limited)(scope, receive, send)
            return
        scope.setdefault("state", {})["token"] = info
        await self.app(scope, receive, send)


async def _verified(state: Any, digest: str, secret: str) -> Any:
    """The token of `secret` read from the store (TokenInfo, or None when unknown or revoked) and kept in
    the token cache. Requests that miss the cache together share one read: when a token's cache entry
    expired under load, each of fifty requests read the store on a thread of its own (a tenth of the
    service's time); now the first reads and the others await its answer. A read that fails leaves each
    waiter to read for itself."""
    from anyio import to_thread

    from exportctl.store.tokens import authenticate

    pending: dict[str, asyncio.Future[Any]] = state.token_reads
    running = pending.get(digest)
    if running is not None:
        await asyncio.wait([running])
        if not running.cancelled() and running.exception() is None:
            return running.result()
        return await to_thread.run_sync(authenticate, state.engine, secret)
    mine: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    pending[digest] = mine
    try:
        info = await to_thread.run_sync(authenticate, state.engine, secret)
        if info is not None:
            state.tokens.put(digest, info)
        mine.set_result(info)
        return info
    except BaseException:
        mine.cancel()
        raise
    finally:
        if pending.get(digest) is mine:
            del pending[digest]


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
    app.state.tokens = TokenCache(settings.token_ttl)
    app.state.token_reads = {}  # token digest -> the store read under way for it (_verified)
    app.state.routed = {}  # path -> an API route answers it (_routed)
    app.state.contexts = {}
    app.state.gatherer = Gatherer(window=settings.gather_ms / 1000)
    app.state.context_lock = threading.Lock()
    app.state.version_asking = threading.Lock()  # held by the request asking the active version (app_context)
    ensure_token_table(app.state.engine)
    ensure_audit_tables(app.state.engine)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(ExportctlError, _typed)
    app.add_exception_handler(Exception, _internal)
    app.add_middleware(ZstdEncoding)  # innermost: encodes the routes' large answers (fronts/api/encoding.py)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(AuthFirst)  # added last, runs first: no body is read before the token is checked
    for router in ROUTERS:
        app.include_router(router, prefix="/v1")
    static = web_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html")

    # The document is built now, with the vocabularies drawn from the data (fronts/api/vocab.py): what it
    # states is fixed for the life of the app, and its first reader does not wait for it.
    app.openapi()
    return app


def _warm(app: Any) -> None:
    from exportctl.fronts.api.routers.common import app_context
    from exportctl.ops.warm import warm_screening

    # no data yet (an empty store without a pack ...): the requests meet it and say so
    with contextlib.suppress(ExportctlError):
        # and the spans of days it answers alike (ops/day_spans.py, ~0.2 s): read here, not by the first
        # request whose question is new on its day
        app_context(app).day_spans()
        # and the scorer's readings tables (Hangul, kana, ...: ~1-3 s on their first name, ops/warm.py)
        warm_screening(app_context(app))


@contextlib.asynccontextmanager
async def _warm_at_start(app: Any) -> AsyncIterator[None]:
    """Start building the check context (data, registry, screening indexes) as the app starts; requests
    that come before it is built wait for it (check_context's lock), /v1/health answers at once."""
    threading.Thread(target=_warm, args=(app,), name="exportctl-warm", daemon=True).start()
    yield


def create_served_app() -> FastAPI:
    """create_app(), warming as it starts: `exportctl serve`'s app, so that each worker process builds its
    check context at startup instead of on the first requests it happens to take (under load, a cold
    worker answered its first clients in tens of seconds while the warm one was idle)."""
    app = create_app()
    app.router.lifespan_context = _warm_at_start
    return app
