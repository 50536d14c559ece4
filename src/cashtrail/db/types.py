"""Column types that keep money exact and instants in UTC on both SQLite and PostgreSQL.

SQLite's ``Numeric`` goes through float (sqlalchemy issue #4017), so :class:`DecimalText` stores the exact
decimal string there and ``NUMERIC(p, s)`` on PostgreSQL. Both refuse a value that would lose digits at the
column's scale instead of rounding it silently. :class:`UtcDateTime` stores ``timestamptz`` on PostgreSQL and
naive UTC on SQLite, and always hands back aware UTC datetimes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Integer, Numeric, String
from sqlalchemy.types import TypeDecorator, TypeEngine

from cashtrail.clock import ensure_utc

#: Surrogate primary keys: BIGINT on PostgreSQL, INTEGER (rowid alias, autoincrementing) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


class DecimalText(TypeDecorator[Decimal]):
    """An exact decimal: NUMERIC(precision, scale) on PostgreSQL, TEXT on SQLite."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 19, scale: int = 4) -> None:
        super().__init__()
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)

    def __repr__(self) -> str:  # rendered into migrations, so it must carry the arguments
        return f"{type(self).__name__}({self.precision}, {self.scale})"

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(self.precision + 2))
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float) or not isinstance(value, Decimal | int):
            raise TypeError(f"refusing to store {type(value).__name__} {value!r} as an exact decimal")
        quantized = Decimal(value).quantize(self._quantum)
        if quantized != value:
            raise ValueError(f"{value} has more than {self.scale} decimal places for this column")
        if len(quantized.as_tuple().digits) > self.precision:
            raise ValueError(f"{value} has more than {self.precision} digits for this column")
        return str(quantized) if dialect.name == "sqlite" else quantized

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).quantize(self._quantum) if isinstance(value, str) else Decimal(value)


class UtcDateTime(TypeDecorator[datetime]):
    """An instant: ``timestamptz`` on PostgreSQL, naive UTC on SQLite; aware UTC in Python."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        aware = ensure_utc(value)
        return aware.replace(tzinfo=None) if dialect.name == "sqlite" else aware

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        instant: datetime = value
        if instant.tzinfo is None:
            return instant.replace(tzinfo=UTC)
        return ensure_utc(instant)
