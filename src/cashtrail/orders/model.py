"""Orders: a header (customer, bill-to and ship-to, PO, contract, currency, sales rep, ship dates) and lines.

A line orders one product: quantity, unit price, discount, tax category, and the *invoice trigger* that decides
when it is billed (on shipment, on activation, on milestone acceptance, on schedule through contract billing, or
manually). A bundle line is expanded into component lines (numbered ``<bundle line> × 1000 + n`` and shown as
``1.2``) that carry the bundle's price split between them; the bundle line itself is never invoiced.

Invariants (:func:`check_order`): a number, a customer and an ISO currency; line numbers unique and within
1–999 for entered lines; positive quantities; non-negative prices; discounts within 0–100 %; milestone shares of
a line add up to 100 %; a scheduled line is a subscription or maintenance. The net amount of a line is quantity ×
unit price × (1 − discount), rounded once (half-up) to the currency's minor unit; a component's net amount is its
allocated share of the bundle's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.money import Money, check_currency

HUNDRED = Decimal(100)
COMPONENT_BASE = 1000  # component n of bundle line b is line b × 1000 + n
MAX_ENTERED_LINE = 999


class OrderStatus(StrEnum):
    ENTERED = "entered"  # being completed and checked; lines may change
    ACCEPTED = "accepted"  # checked and complete; triggers fire
    CANCELLED = "cancelled"


class Trigger(StrEnum):
    """When an order line is invoiced."""

    SHIPMENT = "shipment"  # hardware and consumables: when the shipment file says it left
    ACTIVATION = "activation"  # software and cloud: when it is provisioned / activated
    MILESTONE = "milestone"  # consulting and professional services: when the customer accepts a milestone
    SCHEDULE = "schedule"  # subscriptions and maintenance: handed to contract billing
    MANUAL = "manual"  # when a person says so
    NONE = "none"  # a bundle line: its components are invoiced, never the bundle itself


class LineStatus(StrEnum):
    """Delivery / provisioning status of a line."""

    OPEN = "open"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    PARTIALLY_ACTIVE = "partially_active"
    ACTIVE = "active"
    IN_PROGRESS = "in_progress"  # some milestones accepted
    COMPLETED = "completed"
    HANDED_OVER = "handed_over"  # to contract billing
    EXPANDED = "expanded"  # a bundle: see its components


#: The trigger a line gets when the order does not name one, by catalog product type.
DEFAULT_TRIGGERS: dict[str, Trigger] = {
    "hardware": Trigger.SHIPMENT,
    "consumable": Trigger.SHIPMENT,
    "software": Trigger.ACTIVATION,
    "service": Trigger.MILESTONE,
    "subscription": Trigger.SCHEDULE,
    "maintenance": Trigger.SCHEDULE,
}
SCHEDULED_TYPES = frozenset({"subscription", "maintenance"})
GOODS_TYPES = frozenset({"hardware", "consumable"})


def default_trigger(product_type: str) -> Trigger:
    """The usual trigger of a product type (manual for a type we do not know)."""
    return DEFAULT_TRIGGERS.get(product_type, Trigger.MANUAL)


def supply_of(product_type: str) -> str:
    """``goods`` for hardware and consumables (an intra-Community supply cross-border), else ``services``."""
    return "goods" if product_type in GOODS_TYPES else "services"


def line_label(line_no: int) -> str:
    """How a line number is shown: ``3`` for an entered line, ``3.2`` for the second component of bundle line 3.

    >>> line_label(3), line_label(3002)
    ('3', '3.2')
    """
    if line_no > MAX_ENTERED_LINE:
        return f"{line_no // COMPONENT_BASE}.{line_no % COMPONENT_BASE}"
    return str(line_no)


def parse_line_label(text: str) -> int | None:
    """The line number of a label (``3`` or ``3.2``), or None when it is not one.

    >>> parse_line_label("3.2"), parse_line_label("12"), parse_line_label("x")
    (3002, 12, None)
    """
    head, _, tail = text.strip().partition(".")
    if not head.isdigit() or (tail and not tail.isdigit()):
        return None
    main, sub = int(head), int(tail or 0)
    if not 1 <= main <= MAX_ENTERED_LINE or sub >= COMPONENT_BASE:
        return None
    return main * COMPONENT_BASE + sub if tail else main


def net_amount(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, currency: str) -> Money:
    """quantity × unit price × (1 − discount ÷ 100), rounded once to the currency's minor unit.

    >>> net_amount(Decimal(3), Decimal("19.99"), Decimal("12.5"), "EUR")
    Money('52.47', 'EUR')
    """
    return Money(quantity * unit_price * (HUNDRED - discount_percent) / HUNDRED, currency).rounded()


def net_unit_price(unit_price: Decimal, discount_percent: Decimal) -> Decimal:
    """The unit price after discount, at full precision."""
    return unit_price * (HUNDRED - discount_percent) / HUNDRED


@dataclass(frozen=True)
class Milestone:
    """A billable step of a services line: its code, what it is, and its share of the line (percent)."""

    code: str
    description: str
    percent: Decimal


@dataclass(eq=False)
class OrderLine:
    line_no: int
    sku: str
    product_type: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal = Decimal(0)
    tax_category: str = "standard"
    trigger: str = Trigger.SHIPMENT
    net_amount: Decimal = Decimal(0)
    parent_line_no: int | None = None  # the bundle line this component belongs to
    is_bundle: bool = False
    expected_ship_date: date | None = None  # when the line is due to ship; else the order's
    start_date: date | None = None  # services, subscriptions and maintenance: when they start
    milestones: tuple[Milestone, ...] = ()
    status: str = LineStatus.OPEN
    fulfilled_quantity: Decimal = Decimal(0)  # shipped or activated so far
    delivered_quantity: Decimal = Decimal(0)
    contract_number: str | None = None  # the contract a scheduled line was handed to
    id: int | None = None

    @property
    def label(self) -> str:
        return line_label(self.line_no)

    @property
    def open_quantity(self) -> Decimal:
        """What is still to ship or activate."""
        return self.quantity - self.fulfilled_quantity

    def billing_milestones(self) -> tuple[Milestone, ...]:
        """The line's milestones; a services line without any has one: completion, 100 %."""
        return self.milestones or (Milestone("completion", "Completion", HUNDRED),)

    def snapshot(self) -> dict[str, object]:
        return {
            "sku": self.sku,
            "quantity": _plain(self.quantity),
            "unit_price": _plain(self.unit_price),
            "discount_percent": _plain(self.discount_percent),
            "tax_category": self.tax_category,
            "trigger": self.trigger,
            "net_amount": _plain(self.net_amount),
            "expected_ship_date": self.expected_ship_date,
        }


@dataclass(eq=False)
class Order:
    number: str
    customer_number: str
    currency: str
    order_date: date
    bill_to: str = ""  # the customer invoiced; the ordering customer when blank
    ship_to: str = ""
    po_number: str = ""
    po_date: date | None = None
    contract_number: str | None = None
    sales_rep: str = ""
    requested_ship_date: date | None = None
    expected_ship_date: date | None = None
    tax_exemption_claimed: bool = False
    note: str = ""
    status: str = OrderStatus.ENTERED
    lines: list[OrderLine] = field(default_factory=list)
    entered_by: str = ""
    entered_at: datetime | None = None
    accepted_by: str | None = None
    accepted_at: datetime | None = None
    id: int | None = None

    @property
    def invoiced_customer(self) -> str:
        return self.bill_to or self.customer_number

    def line(self, line_no: int) -> OrderLine | None:
        return next((line for line in self.lines if line.line_no == line_no), None)

    def components_of(self, line_no: int) -> list[OrderLine]:
        return [line for line in self.lines if line.parent_line_no == line_no]

    def billable_lines(self) -> list[OrderLine]:
        """Every line that is invoiced itself (bundles are invoiced through their components)."""
        return [line for line in self.lines if not line.is_bundle]

    def total(self) -> Money:
        """The order's net value (bundles counted once, through their own line)."""
        amount = sum((line.net_amount for line in self.lines if line.parent_line_no is None), Decimal(0))
        return Money(amount, self.currency)

    def expected_date_of(self, line: OrderLine) -> date | None:
        return line.expected_ship_date or self.expected_ship_date or self.requested_ship_date

    def snapshot(self) -> dict[str, object]:
        return {
            "customer_number": self.customer_number,
            "bill_to": self.invoiced_customer,
            "ship_to": self.ship_to,
            "currency": self.currency,
            "order_date": self.order_date,
            "po_number": self.po_number,
            "contract_number": self.contract_number,
            "sales_rep": self.sales_rep,
            "expected_ship_date": self.expected_ship_date,
            "status": self.status,
            "lines": {line.label: line.snapshot() for line in self.lines},
        }


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def check_order(order: Order) -> list[FieldError]:
    """Every structural problem of ``order`` (empty when it is well-formed); prices are checked elsewhere."""
    errors: list[FieldError] = []
    order.number = order.number.strip()
    if not order.number:
        errors.append(FieldError("number", "is required"))
    elif len(order.number) > 24:
        errors.append(FieldError("number", "is longer than 24 characters", value=order.number))
    if not order.customer_number.strip():
        errors.append(FieldError("customer", "is required"))
    try:
        order.currency = check_currency(order.currency)
    except ValidationFailed:
        errors.append(FieldError("currency", "is not an ISO 4217 currency code", value=order.currency))
    if order.po_date is not None and order.po_date > order.order_date:
        errors.append(FieldError("po_date", "is after the order date", value=order.po_date))
    if not order.lines:
        errors.append(FieldError("lines", "an order needs at least one line"))
    errors += check_lines(order.lines)
    return errors


def check_lines(lines: Sequence[OrderLine]) -> list[FieldError]:
    """Problems of the lines: numbering, quantities, prices, discounts, triggers and milestones."""
    errors: list[FieldError] = []
    numbers = [line.line_no for line in lines]
    for number in sorted({n for n in numbers if numbers.count(n) > 1}):
        errors.append(FieldError("line", "appears twice", value=line_label(number)))
    for line in lines:
        where = f"lines[{line.label}]"
        if line.parent_line_no is None and not 1 <= line.line_no <= MAX_ENTERED_LINE:
            errors.append(FieldError(f"{where}.line", f"must be between 1 and {MAX_ENTERED_LINE}"))
        if line.quantity <= 0:
            errors.append(FieldError(f"{where}.quantity", "must be more than zero", value=line.quantity))
        if line.unit_price < 0:
            errors.append(FieldError(f"{where}.unit_price", "must not be negative", value=line.unit_price))
        if not 0 <= line.discount_percent <= HUNDRED:
            errors.append(FieldError(f"{where}.discount_percent", "must be 0–100", value=line.discount_percent))
        errors += _check_trigger(line, where)
    return errors


def _check_trigger(line: OrderLine, where: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if line.trigger not in Trigger.__members__.values():
        errors.append(FieldError(f"{where}.trigger", f"must be one of {', '.join(Trigger)}", value=line.trigger))
    elif line.trigger == Trigger.SCHEDULE and line.product_type not in SCHEDULED_TYPES:
        errors.append(FieldError(f"{where}.trigger", "only subscriptions and maintenance are billed on schedule"))
    elif line.trigger == Trigger.NONE and not line.is_bundle:
        errors.append(FieldError(f"{where}.trigger", "only a bundle line has no trigger of its own"))
    if line.milestones:
        if line.trigger != Trigger.MILESTONE:
            errors.append(FieldError(f"{where}.milestones", "only a line billed on milestones has milestones"))
        shares = sum((m.percent for m in line.milestones), Decimal(0))
        if shares != HUNDRED or any(m.percent <= 0 for m in line.milestones):
            errors.append(FieldError(f"{where}.milestones", "shares must be positive and add up to 100", value=shares))
        codes = [m.code for m in line.milestones]
        if len(set(codes)) != len(codes):
            errors.append(FieldError(f"{where}.milestones", "codes must be unique"))
    return errors


def parse_milestones(text: str) -> tuple[Milestone, ...]:
    """Milestones written ``CODE:percent:description;…`` (the description is optional); ValueError names the bad one.

    >>> [(m.code, m.percent, m.description) for m in parse_milestones("M1:30:Design; M2:70")]
    [('M1', Decimal('30'), 'Design'), ('M2', Decimal('70'), 'M2')]
    """
    found: list[Milestone] = []
    for item in filter(None, (piece.strip() for piece in text.split(";"))):
        code, _, rest = item.partition(":")
        percent, _, description = rest.partition(":")
        try:
            share = Decimal(percent.strip())
        except ArithmeticError:
            raise ValueError(f"milestone {item!r} is not CODE:percent[:description]") from None
        if not code.strip() or not share.is_finite():
            raise ValueError(f"milestone {item!r} is not CODE:percent[:description]")
        found.append(Milestone(code.strip(), description.strip() or code.strip(), share))
    return tuple(found)


def format_milestones(milestones: Sequence[Milestone]) -> str:
    """The text form read by :func:`parse_milestones`."""
    return "; ".join(f"{m.code}:{_plain(m.percent)}:{m.description}" for m in milestones)
