"""Readable builders for order tests: an order with lines written as tuples."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from cashtrail.orders.model import Milestone, Order, OrderLine, OrderStatus, default_trigger, net_amount
from cashtrail.orders.terms import ContractTerms, PriceTerm

D = Decimal


def line(
    line_no: int,
    sku: str,
    quantity: str,
    price: str,
    *,
    product_type: str = "hardware",
    discount: str = "0",
    trigger: str | None = None,
    milestones: Sequence[tuple[str, str]] = (),
    tax_category: str = "standard",
    expected: date | None = None,
) -> OrderLine:
    return OrderLine(
        line_no=line_no,
        sku=sku,
        product_type=product_type,
        description=f"{sku} product",
        quantity=D(quantity),
        unit_price=D(price),
        discount_percent=D(discount),
        tax_category=tax_category,
        trigger=trigger or default_trigger(product_type),
        net_amount=net_amount(D(quantity), D(price), D(discount), "EUR").amount,
        milestones=tuple(Milestone(code, code.title(), D(share)) for code, share in milestones),
        expected_ship_date=expected,
    )


def order(
    *lines: OrderLine,
    number: str = "SO-1",
    contract: str | None = "FRAME-1",
    status: str = OrderStatus.ENTERED,
    order_date: date = date(2026, 11, 2),
    customer: str = "C1",
) -> Order:
    return Order(
        number=number,
        customer_number=customer,
        currency="EUR",
        order_date=order_date,
        po_number="PO-77",
        contract_number=contract,
        sales_rep="rita",
        status=status,
        lines=list(lines),
    )


def terms(*items: PriceTerm, contract: str = "FRAME-1", customer: str = "C1", currency: str = "EUR") -> ContractTerms:
    return ContractTerms(
        contract_number=contract,
        customer_number=customer,
        currency=currency,
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
        items={item.sku: item for item in items},
    )
