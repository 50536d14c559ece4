"""The ledger's invariants checked over everything stored (house style E3: problems are returned, not raised).

- every currency's journal sums to zero (each entry balances, so the whole journal does);
- AR control per currency equals the sum of the open amounts of the open items.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from cashtrail.identity.model import Actor, Permission
from cashtrail.ledger.model import Account
from cashtrail.ports import UnitOfWork


def ledger_problems(uow: UnitOfWork, actor: Actor) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Balances per currency (journal total, AR control, open items, bank, suspense) and every broken invariant."""
    actor.require(Permission.AR_READ)
    with uow:
        balances = uow.ledger.balances()
        open_totals = uow.ledger.open_totals()
    per_currency: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (account, currency), amount in balances.items():
        per_currency[currency]["journal"] += amount
        per_currency[currency][Account(account).name.lower()] += amount
    for currency, amount in open_totals.items():
        per_currency[currency]["open_items"] += amount
    problems = []
    for currency, figures in sorted(per_currency.items()):
        if figures["journal"] != 0:
            problems.append(f"{currency}: the journal does not balance (off by {figures['journal']})")
        if figures["ar_control"] != figures["open_items"]:
            problems.append(
                f"{currency}: AR control {figures['ar_control']} differs from the open items {figures['open_items']}"
            )
    shown = {c: {k: str(v) for k, v in sorted(f.items())} for c, f in sorted(per_currency.items())}
    return shown, problems
