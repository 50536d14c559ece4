"""What every CLI command shares: the wired app, the acting user, error mapping and output helpers.

Errors map to exit codes in one place: validation 2, not found 3, conflict or invalid state 4, permission or
authentication 5, anything unexpected 1. Messages go to stderr; data goes to stdout (as JSON with ``--json``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from cashtrail.bootstrap import App, bootstrap
from cashtrail.errors import (
    AuthenticationFailed,
    CashtrailError,
    Conflict,
    InvalidState,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from cashtrail.identity.model import Actor
from cashtrail.money import Money

out = Console()
err = Console(stderr=True)

EXIT_CODES: list[tuple[type[CashtrailError], int]] = [
    (ValidationFailed, 2),
    (NotFound, 3),
    (Conflict, 4),
    (InvalidState, 4),
    (PermissionDenied, 5),
    (AuthenticationFailed, 5),
]


@cache
def get_app() -> App:
    """The application wired from ``CASHTRAIL_*`` settings (once per process)."""
    return bootstrap()


def actor(app: App) -> Actor:
    """The CLI's actor: the user named by ``CASHTRAIL_USER`` (with their roles), else the system."""
    username = os.environ.get("CASHTRAIL_USER")
    if not username:
        return Actor.system()
    with app.uow() as uow:
        user = uow.users.get_by_username(username)
        if user is None or not user.active:
            raise AuthenticationFailed(f"CASHTRAIL_USER={username} is not an active user", code="auth.unknown_user")
        return Actor.of(user)


def exit_code_for(exc: CashtrailError) -> int:
    """The process exit code for a domain error family."""
    for family, code in EXIT_CODES:
        if isinstance(exc, family):
            return code
    return 1


@contextmanager
def handled() -> Iterator[None]:
    """Turn domain errors into a clear message on stderr and a non-zero exit code."""
    try:
        yield
    except CashtrailError as exc:
        err.print(f"[bold red]error[/] [dim]{exc.code}[/]: {exc.detail}", highlight=False)
        for problem in getattr(exc, "errors", [])[:200]:
            err.print(f"  - {problem}", highlight=False, markup=False)
        raise typer.Exit(exit_code_for(exc)) from None


def to_jsonable(value: Any) -> Any:
    """JSON-friendly form: Decimals and dates as strings (never floats), enums by value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Money):
        return {"amount": str(value.amount), "currency": value.currency}
    if isinstance(value, Decimal | date | datetime):
        return str(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def emit(data: Any, *, as_json: bool, render: Callable[[Any], None]) -> None:
    """Print ``data`` as JSON on stdout when asked, else through the human ``render`` function."""
    if as_json:
        typer.echo(json.dumps(to_jsonable(data), indent=2, ensure_ascii=False))
    else:
        render(data)


def table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """Render rows as a Rich table."""
    grid = Table(title=title)
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*("" if v is None else str(v) for v in row))
    out.print(grid)
