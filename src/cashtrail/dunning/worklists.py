"""The collector's daily worklist: which accounts to work first, by a documented priority score.

score = exposure × promise factor × risk factor × dispute factor, where
- exposure = Σ over overdue, undisputed open items of open amount × days past due, in thousands
  (amount-days ÷ 1,000): a large amount a little late and a small amount very late both count;
- promise factor = 1 + 0.5 × promises broken in the last 180 days; 0.2 while an open promise is not yet due
  (nothing to chase until its date);
- risk factor = 1 + risk ÷ 100 (risk 0 … 100 from the collections profile);
- dispute factor = 1 + 0.25 × open disputes past their SLA (the collector chases the department).
Accounts with no exposure are left off the list. The score is rounded to 2 decimals; ties go to the larger
overdue amount, then the customer number.

>>> account = AccountFacts("C1", Decimal("1000"), Decimal("30000"), 1, False, 20, 0)
>>> priority_score(account)
Decimal('54.00')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from cashtrail.analytics.metrics import round2


@dataclass(frozen=True)
class AccountFacts:
    """What the score of one customer account is built from (amounts in the customer's currency)."""

    customer_number: str
    overdue: Decimal  # overdue, undisputed open amount
    amount_days: Decimal  # Σ overdue open amount × days past due
    broken_promises: int
    promise_pending: bool
    risk: int
    disputes_past_sla: int


def priority_score(account: AccountFacts) -> Decimal:
    """The account's priority (higher first)."""
    exposure = account.amount_days / Decimal(1000)
    promise = Decimal("0.2") if account.promise_pending else 1 + Decimal("0.5") * account.broken_promises
    risk = 1 + Decimal(account.risk) / 100
    dispute = 1 + Decimal("0.25") * account.disputes_past_sla
    return round2(exposure * promise * risk * dispute)


@dataclass(frozen=True)
class WorklistEntry:
    facts: AccountFacts
    score: Decimal


def worklist(accounts: Iterable[AccountFacts]) -> list[WorklistEntry]:
    """Accounts with exposure, highest score first."""
    entries = [WorklistEntry(a, priority_score(a)) for a in accounts if a.amount_days > 0]
    return sorted(entries, key=lambda e: (-e.score, -e.facts.overdue, e.facts.customer_number))
