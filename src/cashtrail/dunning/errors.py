"""Errors of the dunning domain, each with a stable code."""

from __future__ import annotations

from datetime import date

from cashtrail.errors import ValidationFailed


class ReferenceRateMissing(ValidationFailed):
    """No central-bank reference rate is on file for a half-year the interest period touches."""

    code = "dunning.reference_rate_missing"

    def __init__(self, half_year: date) -> None:
        super().__init__(
            f"no reference rate for the half-year starting {half_year.isoformat()}",
            half_year=half_year.isoformat(),
        )
        self.half_year = half_year


class InvalidPolicy(ValidationFailed):
    """A dunning policy, rate table or provision matrix is inconsistent."""

    code = "dunning.invalid_policy"
