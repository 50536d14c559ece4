"""Demo chapters for order management, run before billing so the bill runs invoice what the orders trigger.

The price terms of frame agreements with a dozen euro customers and two bundles come first. Then eight months of
orders (March to October 2026) of every type: hardware with toner and installation, software licences, cloud
subscriptions, consulting projects billed on milestones, maintenance, and bundles split into their components.
About a third deviate from the contract or the price list (a price above or below contract, a cap exceeded, a
mandatory installation missing, a discount off the list): a supervisor overrides most, the analyst corrects some,
and a few stay open for the workbench. Accepted orders ship through monthly shipment files, activate, reach
milestones and hand subscriptions and maintenance to contract billing; some October lines are late, with supplier
notes. Every step goes through the real use cases, each at its own instant of the demo clock.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from cashtrail.bootstrap import App
from cashtrail.catalog.model import Product
from cashtrail.catalog.services import apply_product
from cashtrail.clock import FixedClock
from cashtrail.db import orders_tables as ot
from cashtrail.demo.context import DEMO_REASON, Chapter, Count, DemoContext
from cashtrail.errors import ValidationFailed
from cashtrail.identity.model import Actor, Role
from cashtrail.imports.services import run_import
from cashtrail.orders.acceptance_services import accept_order, attach_document, run_credit_check, waive_item
from cashtrail.orders.bundles import Allocation, Bundle, Component
from cashtrail.orders.check_services import override_findings
from cashtrail.orders.entry_services import LineChange, cancel_order, change_line, enter_order
from cashtrail.orders.model import Milestone, Order
from cashtrail.orders.monitoring_services import add_note
from cashtrail.orders.pricing import LineDraft
from cashtrail.orders.queries import order_view
from cashtrail.orders.setup_services import apply_bundle, apply_terms
from cashtrail.orders.terms import ContractTerms, PriceTerm
from cashtrail.orders.trigger_services import record_event
from cashtrail.orders.triggers import OrderEvent

MONTHS = [date(2026, m, 1) for m in range(3, 11)]
ORDERS_PER_MONTH = 6
FRAME_CUSTOMERS = 12
D = Decimal
TERMS = {
    "MFP-A3-C35": PriceTerm("MFP-A3-C35", D("6100.00"), D("3")),
    "MFP-A4-C30": PriceTerm("MFP-A4-C30", D("1800.00")),
    "PRN-A4-M40": PriceTerm("PRN-A4-M40", D("650.00"), requires=("SVC-INSTALL-MFP",)),
    "TNR-C35-K": PriceTerm("TNR-C35-K", D("84.00"), max_quantity=D("60")),
    "SW-PRINTMGMT": PriceTerm("SW-PRINTMGMT", D("139.00")),
    "SW-SCAN-OCR": PriceTerm("SW-SCAN-OCR", D("1100.00")),
    "SUB-CLOUDPRINT": PriceTerm("SUB-CLOUDPRINT", D("3.20")),
    "SVC-INSTALL-MFP": PriceTerm("SVC-INSTALL-MFP", D("245.00")),
    "SVC-INSTALL-LIFT": PriceTerm("SVC-INSTALL-LIFT", D("1380.00")),
    "SVC-TRAINING": PriceTerm("SVC-TRAINING", D("360.00")),
    "MNT-MFP": PriceTerm("MNT-MFP", D("36.00")),
    "BDL-OFFICE-A4": PriceTerm("BDL-OFFICE-A4", D("2350.00"), D("5")),
    "BDL-STARTER": PriceTerm("BDL-STARTER", D("900.00")),
}
BUNDLES = (
    Bundle(
        "BDL-OFFICE-A4",
        "Office print bundle A4",
        Allocation.RELATIVE,
        (
            Component("MFP-A4-C30"),
            Component("SW-PRINTMGMT"),
            Component("SUB-FLEET"),
            Component("SVC-INSTALL-MFP"),
            Component("MNT-MFP"),
        ),
    ),
    Bundle(
        "BDL-STARTER",
        "Starter printer kit",
        Allocation.FIXED,
        (
            Component("PRN-A4-M40", share_percent=D("75")),
            Component("SVC-INSTALL-MFP", share_percent=D("20")),
            Component("DOC-MANUAL", share_percent=D("5")),
        ),
    ),
)
BUNDLE_PRICES = {"BDL-OFFICE-A4": D("2490.00"), "BDL-STARTER": D("960.00")}
PROJECT = (
    Milestone("design", "Design signed off", D(30)),
    Milestone("install", "Installed", D(50)),
    Milestone("handover", "Handed over", D(20)),
)


def at(app: App, day: date, hour: int = 9) -> App:
    """``app`` with the demo clock standing on ``day`` at ``hour`` (UTC), so the audit trail follows the story."""
    return replace(app, clock=FixedClock(datetime.combine(day, time(hour), tzinfo=UTC)))


def actors(ctx: DemoContext) -> tuple[Actor, Actor]:
    """The analyst who enters orders and the supervisor who overrides and approves."""
    analyst = Actor(ctx.usernames(Role.BILLING_ANALYST.value)[0], frozenset({Role.BILLING_ANALYST}))
    return analyst, Actor(ctx.usernames(Role.SUPERVISOR.value)[0], frozenset({Role.SUPERVISOR}))


def euro_customers(app: App, ctx: DemoContext) -> list[str]:
    with app.uow() as uow:
        found = uow.customers.by_numbers(ctx.customers)
    return [n for n in ctx.customers if n in found and found[n].currency == "EUR"]


def create_order_setup(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Bundle products and definitions, and the 2026 frame-agreement price terms of a dozen euro customers."""
    system, start = Actor.system(), at(app, date(2026, 1, 2))
    with app.uow() as uow:
        for bundle in BUNDLES:
            product = Product(sku=bundle.sku, name=bundle.name, product_type="hardware", unit="each")
            apply_product(uow, start.clock, system, product, reason=DEMO_REASON)
        uow.flush()
        for bundle in BUNDLES:
            apply_bundle(uow, start.clock, system, replace(bundle), reason=DEMO_REASON)
        for customer in euro_customers(app, ctx)[:FRAME_CUSTOMERS]:
            terms = ContractTerms(
                f"FRAME-{customer}", customer, "EUR", date(2026, 1, 1), date(2026, 12, 31), "Frame agreement 2026"
            )
            terms.items = dict(TERMS)
            apply_terms(uow, start.clock, system, terms, reason=DEMO_REASON)
        uow.commit()


def _lines(kind: str, rng: random.Random, month: date) -> list[LineDraft]:
    """The lines of an order of ``kind``, at contract prices (deviations are applied afterwards)."""
    start = (month + timedelta(days=40)).replace(day=1)
    if kind == "hardware":
        return [
            LineDraft(1, "MFP-A3-C35", D(rng.randint(1, 3))),
            LineDraft(2, "TNR-C35-K", D(rng.choice([6, 10, 20]))),
            LineDraft(3, "SVC-INSTALL-MFP", D(1)),
        ]
    if kind == "software":
        return [LineDraft(1, "SW-PRINTMGMT", D(rng.choice([10, 25, 40]))), LineDraft(2, "SW-SCAN-OCR", D(1))]
    if kind == "subscription":
        return [LineDraft(1, "SUB-CLOUDPRINT", D(rng.choice([20, 50, 120])), start_date=start)]
    if kind == "consulting":
        days = D(rng.randint(4, 12))
        return [LineDraft(1, "SVC-INSTALL-LIFT", days, milestones=PROJECT), LineDraft(2, "SVC-TRAINING", D(2))]
    if kind == "maintenance":
        return [LineDraft(1, "MNT-MFP", D(rng.randint(3, 12)), start_date=start)]
    return [LineDraft(1, rng.choice(["BDL-OFFICE-A4", "BDL-STARTER"]), D(rng.randint(1, 2)), start_date=start)]


KINDS = ("hardware", "software", "subscription", "consulting", "maintenance", "bundle")


def _deviate(kind: str, lines: list[LineDraft], rng: random.Random) -> tuple[list[LineDraft], str | None]:
    """Sometimes make the order deviate from its contract, the way real orders do."""
    roll = rng.random()
    if roll > 0.35:
        return lines, None
    first = lines[0]
    term = TERMS.get(first.sku)
    if roll < 0.15 and term is not None:
        factor = D(rng.choice(["0.92", "0.95", "1.04"]))
        price = (term.unit_price * factor).quantize(D("0.01"))
        return [replace(first, unit_price=price), *lines[1:]], "price"
    if roll < 0.22 and kind == "hardware":
        return [lines[0], replace(lines[1], quantity=D(70)), lines[2]], "cap"
    if roll < 0.28:
        return [LineDraft(1, "PRN-A4-M40", D(rng.randint(1, 4)))], "component"
    return [replace(first, discount_percent=D(rng.choice([5, 8])))], "discount"


def create_orders(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Eight months of orders through entry, checking, overrides, the checklist, acceptance and fulfilment."""
    with app.uow() as uow:
        if uow.orders.page(after_id=None, limit=1):
            return  # built on an earlier run of the demo
    analyst, supervisor = actors(ctx)
    customers = euro_customers(app, ctx)
    framed = set(customers[:FRAME_CUSTOMERS])
    serial = 0
    for step, month in enumerate(MONTHS):
        shipments: list[list[str]] = []
        for n in range(ORDERS_PER_MONTH):
            serial += 1
            kind = KINDS[(serial + rng.randint(0, 1)) % len(KINDS)]
            held = month == MONTHS[-1] and n in (0, 3)  # October: two orders wait for the supplier
            kind = "hardware" if held and n == 0 else "bundle" if held else kind
            customer = customers[(serial * 7) % min(len(customers), FRAME_CUSTOMERS + 6)]
            day = month + timedelta(days=rng.randint(0, 17))
            number = f"SO-2026-{serial:04d}"
            lines, deviation = _deviate(kind, _lines(kind, rng, month), rng)
            if customer not in framed:  # no contract: bundles have no list price, so the analyst types one
                lines = [replace(x, unit_price=x.unit_price or BUNDLE_PRICES.get(x.sku)) for x in lines]
            header = Order(
                number=number,
                customer_number=customer,
                currency="EUR",
                order_date=day,
                po_number=f"PO-{rng.randint(100000, 999999)}",
                po_date=day - timedelta(days=rng.randint(0, 3)),
                contract_number=f"FRAME-{customer}" if customer in framed else None,
                sales_rep=rng.choice(["rita.verhoeven", "karim.benali", "lena.schmidt", "pablo.ortiz"]),
                expected_ship_date=day + timedelta(days=rng.randint(5, 15)),
            )
            entered = enter_order(at(app, day).uow(), at(app, day).clock, analyst, header, lines)
            last = month == MONTHS[-1]
            if _settle(app, entered, deviation, (analyst, supervisor), rng, day, leave_open=last and n in (1, 4)):
                shipments += _fulfil(app, entered, analyst, rng, day, hold=held)
        _ship(app, analyst, month, shipments)
        ctx.progress(step + 1, len(MONTHS))
    _cancel_one(app, analyst, customers[0])


def _settle(
    app: App,
    order: Order,
    deviation: str | None,
    people: tuple[Actor, Actor],
    rng: random.Random,
    day: date,
    *,
    leave_open: bool,
) -> bool:
    """Checklist, findings and acceptance; returns whether the order was accepted."""
    analyst, supervisor = people
    clock = at(app, day, 11)
    for item, name in (("signed_contract_or_quote", "quote-signed.pdf"), ("purchase_order", f"{order.po_number}.pdf")):
        content = f"%PDF-1.4\n% demo {item} for {order.number}\n".encode()
        attach_document(
            clock.uow(),
            clock.clock,
            analyst,
            order.number,
            filename=name,
            content=content,
            item=item,
            content_type="application/pdf",
        )
    if not run_credit_check(clock.uow(), clock.clock, analyst, order.number).passed:
        reason = "long-standing customer; pays by direct debit"
        waive_item(clock.uow(), clock.clock, analyst, order.number, "credit_check", reason)
    later = at(app, day, 15)
    if _open(app, order.number) and deviation == "price" and order.contract_number and rng.random() < 0.4:
        price = TERMS[order.lines[0].sku].unit_price
        change = LineChange(unit_price=price)
        change_line(later.uow(), later.clock, analyst, order.number, 1, change, reason="back to the contract price")
    if _open(app, order.number):
        if leave_open:
            return False  # waits in the workbench for a supervisor's decision
        reasons = ["price agreed by the sales director", "one-off volume deal", "customer installs the devices itself"]
        override_findings(later.uow(), later.clock, supervisor, order.number, None, rng.choice(reasons))
    accepting = at(app, day + timedelta(days=1), 10)
    accept_order(accepting.uow(), accepting.clock, analyst, order.number)
    return True


def _open(app: App, number: str) -> bool:
    return bool(order_view(app.uow(), app.clock, Actor.system(), number).open_findings)


def _fulfil(app: App, order: Order, analyst: Actor, rng: random.Random, day: date, *, hold: bool) -> list[list[str]]:
    """Activations and milestones now; shipment rows for the month's file (none when the line is held up)."""
    rows: list[list[str]] = []
    for line in order.billable_lines():
        when = min(day + timedelta(days=rng.randint(3, 9)), date(2026, 10, 31))
        event_app = at(app, when, 14)
        if line.trigger == "shipment" and not hold:
            delivered = when + timedelta(days=2)
            serials = (
                ";".join(f"{line.sku[:3]}{rng.randint(100000, 999999)}" for _ in range(int(line.quantity)))
                if line.product_type == "hardware"
                else ""
            )
            rows.append(
                [
                    f"SH-{order.number[-4:]}-{line.label}",
                    order.number,
                    line.label,
                    str(line.quantity),
                    when.isoformat(),
                    delivered.isoformat() if delivered < date(2026, 11, 1) else "",
                    rng.choice(["DHL", "UPS", "bpost"]),
                    f"TRK{rng.randint(10**8, 10**9)}",
                    serials,
                ]
            )
        elif line.trigger == "activation":
            record_event(
                event_app.uow(),
                event_app.clock,
                analyst,
                order.number,
                OrderEvent(line.line_no, "activation", f"KEY-{order.number[-4:]}-{line.label}", when, line.quantity),
            )
        elif line.trigger == "milestone":
            for i, milestone in enumerate(line.billing_milestones()):
                reached = day + timedelta(days=12 + 18 * i)
                if reached <= date(2026, 10, 31) and rng.random() < 0.9:
                    done = at(app, reached, 16)
                    record_event(
                        done.uow(),
                        done.clock,
                        analyst,
                        order.number,
                        OrderEvent(line.line_no, "milestone", milestone.code, reached),
                    )
    if hold:
        late_app = at(app, day + timedelta(days=20), 9)
        add_note(
            late_app.uow(),
            late_app.clock,
            analyst,
            order.number,
            text="supplier backorder: new date promised for week 48",
            kind="supplier",
            line_no=next(x.line_no for x in order.billable_lines() if x.trigger == "shipment"),
        )
    return rows


SHIPMENT_HEADER = [
    "shipment",
    "order",
    "line",
    "quantity",
    "shipped_on",
    "delivered_on",
    "carrier",
    "tracking",
    "serials",
]


def _ship(app: App, analyst: Actor, month: date, rows: list[list[str]]) -> None:
    """The month's shipment file from the warehouse, imported as the analyst."""
    if not rows:
        return
    day = min((month + timedelta(days=32)).replace(day=1) - timedelta(days=1), date(2026, 10, 31))
    late = at(app, day, 18)
    numbered = [(i, row) for i, row in enumerate(rows, start=2)]
    try:
        run_import(
            late.uow(),
            late.clock,
            analyst,
            "order-shipments",
            f"shipments-{month:%Y-%m}.csv",
            SHIPMENT_HEADER,
            numbered,
        )
    except ValidationFailed as refused:  # pragma: no cover - a bug in the demo data, said loudly
        raise RuntimeError(f"demo shipments refused: {[str(e) for e in refused.errors]}") from refused


def _cancel_one(app: App, analyst: Actor, customer: str) -> None:
    day = date(2026, 10, 20)
    clock = at(app, day)
    header = Order(
        number="SO-2026-9001",
        customer_number=customer,
        currency="EUR",
        order_date=day,
        po_number="PO-CANCELLED",
        sales_rep="karim.benali",
    )
    enter_order(clock.uow(), clock.clock, analyst, header, [LineDraft(1, "MFP-A3-C35", D(2))])
    cancel_order(clock.uow(), clock.clock, analyst, header.number, reason="customer chose a lease instead")


CHAPTERS = [
    Chapter("order-setup", "Frame agreements' price terms and bundles", create_order_setup),
    Chapter("orders", "Eight months of orders: checks, overrides, acceptance, shipments, milestones", create_orders),
]
COUNTS = [
    Count("orders", ot.orders, ot.orders.c.status),
    Count("order lines", ot.order_lines, ot.order_lines.c.trigger),
    Count("order findings", ot.order_findings, ot.order_findings.c.status),
    Count("order events", ot.order_events, ot.order_events.c.kind),
]
