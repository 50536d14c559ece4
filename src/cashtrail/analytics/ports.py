"""What the metric queries need from storage: the AR read model (integer amounts in ten-thousandths) as of a date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol


class ArFactsRepository(Protocol):
    def refresh(self) -> int:
        """Bring the read model up to date with the ledger; returns the rows added or changed."""
        ...

    def compact(self) -> int:
        """Merge repeated rows of the read model's day deltas (figures unchanged); returns the rows left."""
        ...

    def open_by_due_date(self, as_of: date, customers: Sequence[str] | None = None) -> dict[tuple[str, str, date], int]:
        """``{(currency, kind, due date): open amount × 10⁴}`` of the items as they stood at the end of ``as_of``."""
        ...

    def sales_by_day(
        self, start: date, end: date, customers: Sequence[str] | None = None
    ) -> dict[tuple[str, date], int]:
        """``{(currency, document date): invoices less credit notes × 10⁴}`` issued in ``[start, end]``."""
        ...

    def account_balances(self, accounts: Sequence[str], as_of: date) -> dict[tuple[str, str], Decimal]:
        """``{(account, currency): balance}`` of the journal at the end of ``as_of``."""
        ...

    def customers_by(self, *, collector: str | None = None, country: str | None = None) -> list[str]:
        """Customer numbers of a collector's portfolio or of a country."""
        ...

    def promise_outcomes(self, due_until: date, customers: Sequence[str] | None = None) -> list[tuple[date, bool]]:
        """``(promised on, kept)`` for every evaluated or due promise with its date on or before ``due_until``."""
        ...

    def dispute_spans(
        self, resolved_from: date, resolved_to: date, customers: Sequence[str] | None = None
    ) -> list[tuple[date, date]]:
        """``(opened on, resolved on)`` of the disputes resolved in the window."""
        ...
