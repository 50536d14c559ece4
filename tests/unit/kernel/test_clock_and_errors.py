"""Clock and error kernel."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from cashtrail.clock import FixedClock, business_date, ensure_utc
from cashtrail.errors import CashtrailError, FieldError, NotFound, ValidationFailed


def test_naive_datetimes_are_refused_as_instants():
    with pytest.raises(ValueError, match="naive"):
        ensure_utc(datetime(2026, 1, 1, 12))  # noqa: DTZ001 - the point of the test


def test_a_fixed_clock_stands_still_until_advanced():
    clock = FixedClock(datetime(2026, 3, 28, 23, 30, tzinfo=UTC))
    assert clock.now() == clock.now()
    clock.advance(timedelta(hours=1))
    assert clock.now() == datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


def test_the_business_date_depends_on_the_entity_timezone():
    late_evening_utc = datetime(2026, 6, 30, 22, 30, tzinfo=UTC)
    assert business_date(late_evening_utc, "UTC") == date(2026, 6, 30)
    assert business_date(late_evening_utc, "Europe/Madrid") == date(2026, 7, 1)
    assert business_date(late_evening_utc, "America/New_York") == date(2026, 6, 30)


def test_error_families_are_also_builtin_exceptions_with_stable_codes():
    class InvoiceNotFound(NotFound):
        code = "invoice.not_found"

    exc = InvoiceNotFound("invoice F-1 not found", number="F-1")
    assert isinstance(exc, LookupError)
    assert isinstance(exc, CashtrailError)
    assert exc.as_dict() == {
        "code": "invoice.not_found",
        "title": "Not found",
        "detail": "invoice F-1 not found",
        "number": "F-1",
    }
    assert isinstance(ValidationFailed("bad"), ValueError)


def test_a_field_error_names_the_file_row_and_field():
    problem = FieldError("vat_number", "checksum is invalid", value="BE0403170702", row=7, source="customers.csv")
    assert str(problem) == "customers.csv:row 7: vat_number: checksum is invalid (got 'BE0403170702')"
    assert ValidationFailed("file rejected", errors=[problem]).as_dict()["errors"][0]["row"] == 7
