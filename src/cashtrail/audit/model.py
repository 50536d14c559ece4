"""Audit events: who changed what, when and why.

Every state-changing use case appends one event per entity it changes, in the same transaction as the change,
so a change and its record commit or roll back together. Events are never updated or deleted. ``changes`` is a
diff ``{field: [before, after]}`` of JSON-friendly values (Decimals and dates as strings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any


@dataclass(eq=False)
class AuditEvent:
    """One recorded change."""

    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, Any] = field(default_factory=dict)
    reason: str | None = None
    id: int | None = None


def jsonable(value: object) -> object:
    """A JSON-friendly form of a snapshot value (Decimal, date and enums become strings)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        # By value, not by scale: 50000 typed and 50000.0000 read back from NUMERIC(19,4) are the same amount.
        return format(value.normalize(), "f")
    if isinstance(value, date | datetime):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def diff(before: dict[str, object] | None, after: dict[str, object] | None) -> dict[str, Any]:
    """``{field: [before, after]}`` for every field whose value differs; a create has ``before`` None.

    >>> diff({"a": 1, "b": 2}, {"a": 1, "b": 3})
    {'b': [2, 3]}
    >>> diff(None, {"a": Decimal("1.50")})
    {'a': [None, '1.5']}
    >>> diff({"a": Decimal("50000.0000")}, {"a": Decimal("50000")})
    {}
    """
    old = before or {}
    new = after or {}
    changed: dict[str, Any] = {}
    for key in sorted(set(old) | set(new)):
        a, b = jsonable(old.get(key)), jsonable(new.get(key))
        if a != b:
            changed[key] = [a, b]
    return changed
