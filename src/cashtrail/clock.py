"""Time: UTC-aware instants and business dates.

Instants (when something happened) are aware ``datetime`` objects in UTC and come only from a :class:`Clock`.
Business time (invoice, due and posting dates, periods) is ``datetime.date``, derived from an instant in an
explicit timezone. Services take a ``Clock`` so tests can pass a :class:`FixedClock`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Source of the current instant."""

    def now(self) -> datetime:
        """The current instant, aware, in UTC."""
        ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move; for tests and deterministic demos."""

    def __init__(self, instant: datetime) -> None:
        self._instant = ensure_utc(instant)

    def now(self) -> datetime:
        return self._instant

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._instant += delta

    def set(self, instant: datetime) -> None:
        """Jump to ``instant``."""
        self._instant = ensure_utc(instant)


def utc_now() -> datetime:
    """The current instant from the system clock (for adapters that have no injected clock)."""
    return SystemClock().now()


def ensure_utc(instant: datetime) -> datetime:
    """Return ``instant`` converted to UTC; naive datetimes are refused because their zone is unknown.

    >>> ensure_utc(datetime(2026, 1, 1, 12, tzinfo=ZoneInfo("Europe/Brussels"))).hour
    11
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant!r}: instants must be timezone-aware")
    return instant.astimezone(UTC)


def business_date(instant: datetime, tz: str = "UTC") -> date:
    """The calendar date of ``instant`` in the timezone ``tz``.

    >>> business_date(datetime(2026, 1, 1, 23, 30, tzinfo=UTC), "Europe/Brussels")
    datetime.date(2026, 1, 2)
    """
    return ensure_utc(instant).astimezone(ZoneInfo(tz)).date()
