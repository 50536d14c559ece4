"""Typed domain errors with stable codes.

Every error Cashtrail raises on purpose descends from :class:`CashtrailError` and belongs to one family
(``NotFound``, ``Conflict``, ``InvalidState``, ``ValidationFailed``, ``PermissionDenied``). The doors map the
family to an HTTP status, a flash message or an exit code in one place each; domain code never knows about HTTP.
A ``code`` is stable API: clients may switch on it, so never rename one.
"""

from __future__ import annotations

from typing import Any


class CashtrailError(Exception):
    """Root of every deliberate Cashtrail error.

    Families also inherit a built-in (``LookupError``, ``ValueError``) so generic callers can catch them; the
    Cashtrail base comes first in the bases so its keyword-taking ``__init__`` wins the MRO.
    """

    code: str = "cashtrail.error"
    title: str = "Cashtrail error"

    def __init__(self, detail: str, *, code: str | None = None, **fields: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code
        self.fields: dict[str, Any] = fields

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly view (code, title, detail and typed fields)."""
        return {"code": self.code, "title": self.title, "detail": self.detail, **self.fields}


class NotFound(CashtrailError, LookupError):
    """The thing asked for does not exist."""

    code = "not_found"
    title = "Not found"


class Conflict(CashtrailError):
    """The request clashes with what is stored (a duplicate key, a stale version)."""

    code = "conflict"
    title = "Conflict"


class InvalidState(CashtrailError):
    """The entity is not in a state that allows this action."""

    code = "invalid_state"
    title = "Invalid state"


class ValidationFailed(CashtrailError, ValueError):
    """Input is malformed or breaks a business rule; ``errors`` lists every problem found."""

    code = "validation_failed"
    title = "Validation failed"

    def __init__(
        self, detail: str, *, code: str | None = None, errors: list[FieldError] | None = None, **fields: Any
    ) -> None:
        super().__init__(detail, code=code, **fields)
        self.errors: list[FieldError] = list(errors or [])

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        if self.errors:
            data["errors"] = [e.as_dict() for e in self.errors]
        return data


class PermissionDenied(CashtrailError):
    """The actor lacks the permission the use case needs, or segregation of duties forbids it."""

    code = "permission_denied"
    title = "Permission denied"


class AuthenticationFailed(CashtrailError):
    """Credentials or token are missing, wrong or revoked."""

    code = "authentication_failed"
    title = "Authentication failed"


class FieldError:
    """One problem with one field, optionally located in a file row (1-based, header is row 1)."""

    __slots__ = ("field", "message", "value", "row", "source")

    def __init__(
        self,
        field: str,
        message: str,
        *,
        value: object = None,
        row: int | None = None,
        source: str | None = None,
    ) -> None:
        self.field = field
        self.message = message
        self.value = value
        self.row = row
        self.source = source

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly view; absent location parts are omitted."""
        data: dict[str, Any] = {"field": self.field, "message": self.message}
        if self.value is not None:
            data["value"] = str(self.value)
        if self.row is not None:
            data["row"] = self.row
        if self.source is not None:
            data["source"] = self.source
        return data

    def __str__(self) -> str:
        where = ":".join(p for p in (self.source, f"row {self.row}" if self.row else None) if p)
        prefix = f"{where}: " if where else ""
        shown = f" (got {self.value!r})" if self.value not in (None, "") else ""
        return f"{prefix}{self.field}: {self.message}{shown}"

    def __repr__(self) -> str:
        return f"FieldError({self!s})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FieldError) and self.as_dict() == other.as_dict()

    def __hash__(self) -> int:
        return hash(str(self))
