"""Bounded subset-sum: the fewest open items whose amounts add up to a payment, oldest first.

Amounts are positive Decimals compared exactly (in minor units). The search tries sizes 2, 3, … up to
``max_items`` and stops at the first size with a solution; it keeps going just far enough to tell whether that
solution is the only one of its size (an ambiguous combination is only ever a suggestion). A node budget bounds the
work per payment, so a customer with many open items never stalls a batch.

>>> from decimal import Decimal as D
>>> fewest_summing([D("10"), D("20"), D("5"), D("15")], D("25"), 4)
((0, 3), False)
>>> fewest_summing([D("10"), D("20"), D("7")], D("37"), 4)
((0, 1, 2), True)
>>> fewest_summing([D("10"), D("20")], D("11"), 4) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

_BUDGET = 50_000


def fewest_summing(
    amounts: Sequence[Decimal], target: Decimal, max_items: int, *, budget: int = _BUDGET
) -> tuple[tuple[int, ...], bool] | None:
    """Indexes of the first (in order) smallest combination of 2+ amounts equal to ``target``, and its uniqueness."""
    cents = [int(a * 100) for a in amounts]
    goal = int(target * 100)
    if goal <= 0 or any(c <= 0 for c in cents):
        return None
    for size in range(2, min(max_items, len(cents)) + 1):
        found: list[tuple[int, ...]] = []
        _search(cents, goal, size, 0, (), found, [budget])
        if found:
            return found[0], len(found) == 1
    return None


def _search(
    cents: list[int],
    left: int,
    size: int,
    start: int,
    chosen: tuple[int, ...],
    found: list[tuple[int, ...]],
    budget: list[int],
) -> None:
    """Depth-first over increasing indexes; stops after two solutions or when the budget runs out."""
    if len(found) >= 2 or budget[0] <= 0:
        return
    budget[0] -= 1
    if len(chosen) == size - 1:
        for k in range(start, len(cents)):
            if cents[k] == left:
                found.append((*chosen, k))
                if len(found) >= 2:
                    return
        return
    for k in range(start, len(cents) - (size - len(chosen)) + 1):
        if cents[k] < left:
            _search(cents, left - cents[k], size, k + 1, (*chosen, k), found, budget)
            if len(found) >= 2 or budget[0] <= 0:
                return
