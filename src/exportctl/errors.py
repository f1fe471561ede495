"""The one exception tree of exportctl.

Every error a user can cause or meet is one of these. Each carries the offending field (and, for data,
the file and line), so that the CLI prints one clear line (exit 2) and the API one JSON error shape.
"""

from __future__ import annotations

from collections.abc import Sequence


class ExportctlError(Exception):
    """Base of every exportctl error; `code` is stable and machine-readable."""

    code = "error"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        file: str | None = None,
        line: int | None = None,
        suggestions: Sequence[str] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.file = file
        self.line = line
        self.suggestions = list(suggestions)

    def one_line(self) -> str:
        """Render the error as the single line the CLI prints."""
        where = []
        if self.file:
            where.append(self.file + (f":{self.line}" if self.line is not None else ""))
        if self.field:
            where.append(f"field {self.field!r}")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.suggestions:
            text += " (did you mean: " + ", ".join(self.suggestions[:5]) + "?)"
        return text.replace("\n", " ")

    def to_dict(self) -> dict[str, object]:
        """The JSON error shape shared by the CLI's --format json and the HTTP API."""
        return {
            "error": self.code,
            "message": self.message,
            "field": self.field,
            "file": self.file,
            "line": self.line,
            "suggestions": self.suggestions,
        }


class InputError(ExportctlError):
    """A value given by the user is not acceptable (unknown ECCN, country, date, HTS code ...)."""

    code = "invalid_input"


class NotFoundError(InputError):
    """A named thing that does not exist (a review decision, a list entry): HTTP 404, CLI exit 2."""

    code = "not_found"


class ConflictError(InputError):
    """A change asked of something that has moved on since (a review decision no longer current): HTTP 409."""

    code = "conflict"


class CoverageError(InputError):
    """A date after the last day a family of measures is researched through (tariffs: no partial stack).

    Names the day asked, the family (`jurisdiction family`) and its `researched_through`.
    """

    code = "out_of_coverage"

    def __init__(
        self, message: str, *, field: str | None = None, family: str | None = None, last_day: object = None
    ) -> None:
        super().__init__(message, field=field)
        self.family = family
        self.last_day = last_day


class DataError(ExportctlError):
    """A data file is malformed: names file, line and field."""

    code = "invalid_data"


class ValidationFailed(DataError):  # noqa: N818 (reads as the outcome, as in `raise ValidationFailed`)
    """A new data version failed validation (e.g. a list shrank by more than 10%)."""

    code = "validation_failed"


class InvariantFailed(ValidationFailed):
    """A new data version failed an invariant of the activation gate; `field` names the invariant."""

    code = "invariant_failed"


class StoreError(ExportctlError):
    """The data store cannot do what was asked (no such version, nothing to roll back to ...)."""

    code = "store_error"


class NoDataError(StoreError):
    """No active data version: engines fail closed."""

    code = "no_data"


class RegistryError(ExportctlError):
    """A measure file is malformed or the registry is inconsistent."""

    code = "invalid_registry"


class OfflineError(ExportctlError):
    """A network operation was asked for while offline."""

    code = "offline"


class AuthError(ExportctlError):
    """Missing or invalid credentials (HTTP 401)."""

    code = "unauthorized"


class ForbiddenError(ExportctlError):
    """Valid credentials without the needed scope (HTTP 403)."""

    code = "forbidden"


class RateLimitedError(ExportctlError):
    """Too many requests for this token (HTTP 429)."""

    code = "rate_limited"


class TooLargeError(ExportctlError):
    """The request body or batch is larger than the service accepts (HTTP 413)."""

    code = "too_large"


class DamagedDataError(DataError, StoreError):
    """A stored table does not match what was imported (changed at rest, truncated, unreadable).

    Both a DataError (the records are wrong) and a StoreError (the store must be restored: the API
    answers 503). Names the table and the data version; every command fails closed on it.
    """

    code = "data_damaged"

    def __init__(self, message: str, *, table: str | None = None, version: str | None = None) -> None:
        super().__init__(message, field=table or "data_store")
        self.table = table
        self.version = version
