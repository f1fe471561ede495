"""`exportctl serve`, `exportctl token create|list|revoke`, `exportctl audit verify|export|reviews`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typer

from exportctl.errors import InputError
from exportctl.fronts.cli.output import (
    Format,
    FormatOption,
    emit_object,
    emit_rows,
    handle_errors,
    stdout,
)


def _now() -> str:
    from exportctl.store.audit import iso_utc

    return iso_utc(dt.datetime.now(dt.UTC))


def _actor(by: str | None) -> str:
    """Who the audit trail names: the login name, and the reviewer's name when given."""
    import getpass

    login = f"cli:{getpass.getuser()}"
    name = " ".join((by or "").split())
    return f"{name} ({login})" if name else login


WORKER_PING_SECONDS = 120
# How long an idle keep-alive connection stays open. uvicorn's default, 5 s, is also the idle expiry of
# common clients' pools (httpx's keepalive_expiry): a client sending on a connection it still holds while
# the server closes it at the same moment gets a reset (the one httpx ReadError in nine PostgreSQL bench
# runs; IncompleteReadError from the bench's light client). Longer than the clients', so that they
# close first, as load balancers are advised to be configured (backends keep idle connections longest).
KEEP_ALIVE_SECONDS = 75


@handle_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on (loopback by default)."),
    port: int = typer.Option(8000, "--port", "-p", help="TCP port."),
    log_level: str = typer.Option("warning", "--log-level", help="uvicorn log level."),
    workers: int = typer.Option(
        1, "--workers", "-w", help="Worker processes sharing the port (the audit trail stays one chain)."
    ),
) -> None:
    """Serve the HTTP API (/v1, OpenAPI at /openapi.json) and the web page (/) on the configured store."""
    import uvicorn

    from exportctl.fronts.api.app import create_served_app

    if not 0 < port < 65536:
        raise InputError(f"port must be 1-65535, not {port}", field="port")
    if not 1 <= workers <= 64:
        raise InputError(f"workers must be 1-64, not {workers}", field="workers")
    sys.stderr.write(f"exportctl serving on http://{host}:{port}/ (API /v1, OpenAPI /openapi.json)\n")
    if workers == 1:
        uvicorn.run(
            create_served_app(),
            host=host,
            port=port,
            log_level=log_level,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
        )
        return
    # each worker builds the app from the environment, warm before it accepts; the store serialises audit
    # appends across them
    uvicorn.run(
        "exportctl.fronts.api.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        log_level=log_level,
        workers=workers,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        # uvicorn kills a worker that does not answer its ping within this many seconds; building the check
        # context holds the GIL in single C calls (json.loads of pypinyin's phrase dictionary ...) for
        # seconds on a loaded machine, and at uvicorn's 5 s the worker was killed mid-start with its requests
        timeout_worker_healthcheck=WORKER_PING_SECONDS,
    )


@handle_errors
def token_create(
    scope: list[str] = typer.Option(
        ..., "--scope", "-s", help="read, check, review or admin (repeat for several)."
    ),
    name: str = typer.Option("", "--name", help="A label: who or what uses the token."),
    fmt: Format = FormatOption,
) -> None:
    """Create a token; its secret is printed once and stored only as a hash."""
    from exportctl.ops.audit import engine_of
    from exportctl.store.tokens import create_token

    scopes = [s for item in scope for s in item.split(",")]
    secret, info = create_token(engine_of(), scopes, now=_now(), name=name)
    obj = {"token": secret, **info.to_dict()}

    def render(o: object) -> None:
        stdout.print(f"token {info.id} ({', '.join(info.scopes)}): {secret}")
        sys.stderr.write("Keep it now: it is stored only as a hash and cannot be shown again.\n")

    emit_object(obj, fmt, render)


@handle_errors
def token_list(
    all_: bool = typer.Option(False, "--all", help="Include revoked tokens."),
    fmt: Format = FormatOption,
) -> None:
    """List tokens (ids, names, scopes, times; never the secrets)."""
    from exportctl.ops.audit import engine_of
    from exportctl.store.tokens import list_tokens

    rows = [t.to_dict() for t in list_tokens(engine_of(), include_revoked=all_)]
    for row in rows:
        row["scopes"] = ",".join(row["scopes"])
    emit_rows(
        rows,
        fmt,
        columns=("id", "name", "scopes", "created_at", "revoked_at"),
        title="tokens",
    )


@handle_errors
def token_revoke(
    token_id: str = typer.Argument(..., help="The token id (or a unique prefix of at least 4 characters)."),
    fmt: Format = FormatOption,
) -> None:
    """Revoke a token: requests with it get 401 from then on."""
    from exportctl.ops.audit import engine_of
    from exportctl.store.tokens import revoke_token

    info = revoke_token(engine_of(), token_id, now=_now())
    emit_object(
        info.to_dict(),
        fmt,
        lambda o: stdout.print(f"revoked {info.id} at {info.revoked_at}"),
    )


@handle_errors
def audit_verify(
    results: Path | None = typer.Argument(
        None, help="A results file of `exportctl check BOOK -o FILE`: re-hashed against its run's records."
    ),
    seq: int | None = typer.Option(
        None, "--seq", help="The run's audit record (check_run) to check the file against (default: found)."
    ),
    fmt: Format = FormatOption,
) -> None:
    """Recompute the hash chain; exit 1 naming the first edited, deleted or moved record. With a results
    file, also check it byte for byte against the records of the run that wrote it (exit 1 naming the
    rows that differ)."""
    from rich.markup import escape

    from exportctl.ops.audit import verify

    result = verify()
    if results is not None:
        from exportctl.ops.audit_runs import verify_output

        result["file"] = verify_output(results, seq=seq)
        result["ok"] = bool(result["ok"] and result["file"]["ok"])

    def render(o: object) -> None:
        if result["first_bad_seq"] is None:
            stdout.print(f"ok: {result['records']} records, chain intact")
        else:
            stdout.print(f"[bold red]BROKEN[/] at record {result['first_bad_seq']}: {result['problem']}")
        got = result.get("file")
        if got is None:
            return
        if got["ok"]:
            what = f"{got['rows']:,} rows, {got['chunks']} chunks, sha256 {got['sha256'][:16]}..."
            stdout.print(
                f"ok: {got['file']} is the file of audit record {got['run_seq']} ({what})", markup=False
            )
        else:
            name, problem = escape(got["file"]), escape(got["problem"])
            stdout.print(f"[bold red]DIFFERS[/] {name}: {problem}")

    emit_object(result, fmt, render)
    raise typer.Exit(0 if result["ok"] else 1)


@handle_errors
def audit_export(
    start: str | None = typer.Option(None, "--from", help="First day (YYYY-MM-DD, UTC), inclusive."),
    end: str | None = typer.Option(None, "--to", help="Last day (YYYY-MM-DD, UTC), inclusive."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="csv or jsonl."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Export the records made between two days, with their hashes, as csv or jsonl."""
    from exportctl.ops.audit import export

    if output is None:
        count = export(sys.stdout, fmt.lower(), start, end)
    else:
        with output.open("w", encoding="utf-8", newline="") as fh:
            count = export(fh, fmt.lower(), start, end)
        sys.stderr.write(f"wrote {count} records to {output}\n")


@handle_errors
def audit_review(
    party: str = typer.Argument(..., help="The screened name, as it was screened."),
    list_id: str = typer.Option(..., "--list", help="The hit's list (e.g. EL, SDN)."),
    entity_id: str = typer.Option(..., "--entity-id", help="The entry's id on that list."),
    decision: str = typer.Option(..., "--decision", help="match or false_positive."),
    note: str = typer.Option("", "--note", help="Why."),
    by: str = typer.Option(None, "--by", help="The reviewer's name (recorded beside the login name)."),
    fmt: Format = FormatOption,
) -> None:
    """Record a decision on a screening hit (kept in the audit trail, shown on later hits). A
    false_positive suppresses the hit of that party on that entry until the entry changes."""
    from exportctl.ops.reviews import review

    done = review(
        party=party, list_id=list_id, entity_id=entity_id, decision=decision, note=note,
        actor=_actor(by), at=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    emit_object(
        done,
        fmt,
        lambda o: stdout.print(
            f"recorded {decision} on {list_id} {entity_id} (audit record {done['audit_seq']})"
        ),
    )


@handle_errors
def audit_withdraw(
    review_id: int = typer.Argument(..., help="The id of the decision (see `exportctl audit reviews`)."),
    reason: str = typer.Option("", "--reason", help="Why it is taken back."),
    by: str = typer.Option(None, "--by", help="The reviewer's name (recorded beside the login name)."),
    fmt: Format = FormatOption,
) -> None:
    """Take back a review decision (recorded in the audit trail): a suppressed hit alerts again."""
    from exportctl.ops.reviews import withdraw

    done = withdraw(review_id, reason=reason, actor=_actor(by), at=dt.datetime.now(dt.UTC))
    emit_object(
        done,
        fmt,
        lambda o: stdout.print(f"withdrew review {review_id} (audit record {done['audit_seq']})"),
    )


@handle_errors
def audit_reviews(
    limit: int = typer.Option(50, "--limit", help="How many, newest first."),
    fmt: Format = FormatOption,
) -> None:
    """List review decisions on screening hits, newest first."""
    from exportctl.ops.reviews import REVIEW_COLUMNS, reviews

    emit_rows(reviews(limit=limit), fmt, columns=REVIEW_COLUMNS, title="review decisions")


def register(app: typer.Typer) -> None:
    """Add `serve`, `token` and `audit` to the main app."""
    token_app = typer.Typer(help="API tokens: create (shown once), list, revoke.", no_args_is_help=True)
    audit_app = typer.Typer(
        help="The audit trail: verify the hash chain, export records, list reviews.",
        no_args_is_help=True,
    )
    app.add_typer(token_app, name="token")
    app.add_typer(audit_app, name="audit")
    app.command("serve")(serve)
    token_app.command("create")(token_create)
    token_app.command("list")(token_list)
    token_app.command("revoke")(token_revoke)
    audit_app.command("verify")(audit_verify)
    audit_app.command("export")(audit_export)
    audit_app.command("review")(audit_review)
    audit_app.command("withdraw")(audit_withdraw)
    audit_app.command("reviews")(audit_reviews)
