"""Grouping billable charges into draft invoices, and comparing a run with the previous one.

The contract's grouping rule decides the invoice a charge lands on: one per contract, one per bill-to customer
and currency (consolidated), one per contract and site, or one per contract and asset. A draft whose total is under
the contract's minimum invoice amount is deferred: its charges stay unbilled and roll into a later run.

The preview diff matches each charge with the previous run's charge of the same contract and source (its key
without the period) and reports new, changed and disappeared charges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cashtrail.billing.charges import Charge
from cashtrail.contracts.model import Contract, Grouping
from cashtrail.money import Money, total


@dataclass
class DraftInvoice:
    group_key: str
    customer_number: str
    currency: str
    lines: list[Charge] = field(default_factory=list)
    deferred: bool = False

    @property
    def total(self) -> Money:
        return total((c.amount for c in self.lines), self.currency)

    @property
    def contract_numbers(self) -> list[str]:
        return sorted({c.contract_number for c in self.lines})


def group_key(charge: Charge, contract: Contract) -> str:
    """The invoice a charge belongs to under its contract's grouping rule."""
    currency = charge.amount.currency
    if contract.grouping == Grouping.PER_CUSTOMER:
        return f"customer:{charge.customer_number}:{currency}"
    if contract.grouping == Grouping.PER_SITE:
        return f"site:{contract.number}:{charge.site or '-'}"
    if contract.grouping == Grouping.PER_ASSET:
        return f"asset:{contract.number}:{charge.asset or '-'}"
    return f"contract:{contract.number}"


def group_charges(charges: Iterable[Charge], contracts: Mapping[str, Contract]) -> list[DraftInvoice]:
    """Draft invoices for ``charges``, ordered by group key; those under the minimum amount are deferred."""
    drafts: dict[str, DraftInvoice] = {}
    for charge in charges:
        contract = contracts.get(charge.contract_number)
        # A pending charge of an order (or of a contract outside the shard's window) groups on its own reference.
        key = group_key(charge, contract) if contract else f"{charge.kind}:{charge.contract_number}"
        draft = drafts.setdefault(key, DraftInvoice(key, charge.customer_number, charge.amount.currency))
        draft.lines.append(charge)
    for draft in drafts.values():
        minimum = max(
            (contracts[n].minimum_invoice_amount for n in draft.contract_numbers if n in contracts), default=Decimal(0)
        )
        draft.deferred = draft.total.amount < minimum
    return [drafts[k] for k in sorted(drafts)]


_PERIOD = re.compile(r":\d{4}-\d{2}(-\d{2}\.\.\d{4}-\d{2}-\d{2})?:")


def source_key(charge: Charge) -> str:
    """The charge's key without its period, so April's and May's fee for the same device match."""
    return _PERIOD.sub(":", charge.key)


@dataclass(frozen=True)
class Change:
    status: str  # new, changed, disappeared
    contract_number: str
    key: str
    description: str
    previous: Money | None
    current: Money | None


def diff_runs(previous: Sequence[Charge], current: Sequence[Charge]) -> list[Change]:
    """New, changed and disappeared charges between two runs (unchanged ones are left out)."""
    before = {source_key(c): c for c in previous}
    after = {source_key(c): c for c in current}
    changes: list[Change] = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is None and new is not None:
            changes.append(Change("new", new.contract_number, key, new.description, None, new.amount))
        elif new is None and old is not None:
            changes.append(Change("disappeared", old.contract_number, key, old.description, old.amount, None))
        elif old is not None and new is not None and old.amount != new.amount:
            changes.append(Change("changed", new.contract_number, key, new.description, old.amount, new.amount))
    return changes
