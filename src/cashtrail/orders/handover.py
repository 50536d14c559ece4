"""Scheduled lines (subscriptions and maintenance) are handed over to contract billing when the order is accepted.

Each scheduled line becomes a fee line (``<order>:<line>``, quantity from the line's start date, the net unit
price per month) of a contract of the invoiced customer, billed monthly in advance by the bill run like any
contract: the order's own contract when it is a subscription or maintenance contract of that customer and
currency (extended by an audited amendment), else a contract created for the order (``<order>-S`` for
subscriptions, ``<order>-M`` for maintenance). A line is handed over once: it then names its contract.

The line's start date is its own, else the order's requested ship date, else the order date. Contract billing bills
the periods due in the run months that follow; a period that starts in a month already billed is not billed
retroactively (as for any contract registered late), so hand over before the start month's bill run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from cashtrail.clock import Clock
from cashtrail.contracts.model import Contract, ContractStatus, FeeLine
from cashtrail.contracts.services import amend_contract, register_contract
from cashtrail.contracts.terms import Frequency, Timing
from cashtrail.identity.model import Actor
from cashtrail.orders.model import LineStatus, Order, OrderLine, Trigger, net_unit_price
from cashtrail.ports import UnitOfWork

_SIX = Decimal("0.000001")
SUFFIX = {"subscription": "S", "maintenance": "M"}


def fee_line(order: Order, line: OrderLine) -> FeeLine:
    """The contract fee line of a scheduled order line."""
    start = line.start_date or order.requested_ship_date or order.order_date
    price = net_unit_price(line.unit_price, line.discount_percent).quantize(_SIX, ROUND_HALF_UP)
    return FeeLine(
        line_id=f"{order.number}:{line.label}",
        description=f"{line.description} (order {order.number})"[:200],
        product_sku=line.sku,
        unit_price=price,
        quantity_changes=((start, line.quantity),),
    )


def hand_over(uow: UnitOfWork, clock: Clock, actor: Actor, order: Order) -> list[str]:
    """Hand every scheduled line not handed over yet to contract billing; returns the contracts used. No commit."""
    waiting: dict[str, list[OrderLine]] = defaultdict(list)
    for line in order.billable_lines():
        if line.trigger == Trigger.SCHEDULE and line.contract_number is None:
            waiting[line.product_type].append(line)
    used = []
    for kind, lines in sorted(waiting.items()):
        number = _extend_or_create(uow, clock, actor, order, kind, [fee_line(order, line) for line in lines])
        for line in lines:
            line.contract_number, line.status = number, LineStatus.HANDED_OVER
        used.append(number)
    return used


def _extend_or_create(uow: UnitOfWork, clock: Clock, actor: Actor, order: Order, kind: str, fees: list[FeeLine]) -> str:
    own = uow.contracts.get_by_number(order.contract_number) if order.contract_number else None
    if own is None or not _fits(own, order, kind):
        own = uow.contracts.get_by_number(f"{order.number}-{SUFFIX[kind]}")
    reason = f"order {order.number}: {len(fees)} {kind} line(s) handed over to contract billing"
    if own is not None:
        known = {f.line_id for f in own.fee_lines}
        fresh = [f for f in fees if f.line_id not in known]
        if fresh:
            amend_contract(uow, clock, actor, replace(own, fee_lines=[*own.fee_lines, *fresh]), reason=reason)
        return own.number
    start = min(f.quantity_changes[0][0] for f in fees)
    contract = Contract(
        number=f"{order.number}-{SUFFIX[kind]}",
        customer_number=order.invoiced_customer,
        kind=kind,
        currency=order.currency,
        start_date=start,
        frequency=Frequency.MONTHLY,
        timing=Timing.ADVANCE,
        po_number=order.po_number or None,
        fee_lines=fees,
    )
    register_contract(uow, clock, actor, contract)
    return contract.number


def _fits(contract: Contract, order: Order, kind: str) -> bool:
    return (
        contract.kind == kind
        and contract.customer_number == order.invoiced_customer
        and contract.currency == order.currency
        and contract.status in (ContractStatus.ACTIVE, ContractStatus.IN_AMENDMENT)
    )
