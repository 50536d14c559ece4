"""Demo chapter for returns, run after invoicing: RMAs against invoiced order lines in November 2026.

Dead-on-arrival devices credited within their SLA (a credit note drafted on the invoice that billed the shipment
and approved by the supervisor), a defective unit repaired, a wrong item replaced too late (an SLA breach), a
commercial return rejected, a partial credit that bills the kept unit again, and returns still open: one approved
but never received (in breach by now) and one just requested.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from cashtrail.bootstrap import App
from cashtrail.clock import FixedClock
from cashtrail.db import orders_tables as ot
from cashtrail.demo.context import Chapter, Count, DemoContext
from cashtrail.demo.orders import actors, at
from cashtrail.identity.model import Actor
from cashtrail.invoicing.approval_services import approve_invoice
from cashtrail.orders.errors import RmaRefused
from cashtrail.orders.model import Order, OrderLine
from cashtrail.orders.queries import order_view
from cashtrail.orders.rma import Rma
from cashtrail.orders.rma_services import RmaRequest, close_rma, decide_rma, receive_rma, request_rma


@dataclass(frozen=True)
class Story:
    """One return: its type and wished disposition, and how its days go (None: the step never happens)."""

    rma_type: str
    disposition: str
    reason: str
    decide_after: timedelta | None = timedelta(hours=3)
    receive_after: timedelta | None = timedelta(days=1)
    close_after: timedelta | None = timedelta(days=2)
    approve: bool = True
    quantity: Decimal = Decimal(1)


STORIES = (
    Story("dead_on_arrival", "credit", "does not power on after installation"),
    Story("dead_on_arrival", "credit", "paper feed unit broken on delivery"),
    Story("defective", "repair", "colour banding after two weeks", close_after=timedelta(days=6)),
    Story("wrong_item", "replace", "A4 model delivered instead of A3", close_after=timedelta(days=7)),
    Story("unwanted", "credit", "customer ordered one too many", approve=False, receive_after=None, close_after=None),
    Story("damaged_in_transit", "credit", "crate dropped by the carrier", close_after=None, receive_after=None),
    Story("defective", "credit", "toner leaks", quantity=Decimal(1)),
    Story("defective", "replace", "fuser noise", decide_after=None, receive_after=None, close_after=None),
)
FIRST_DAY = date(2026, 11, 2)


def _candidates(app: App) -> list[tuple[Order, OrderLine]]:
    with app.uow() as uow:
        orders = uow.orders.page(after_id=None, limit=100_000, status="accepted")
    return [
        (o, line)
        for o in orders
        for line in o.billable_lines()
        if line.trigger == "shipment" and line.fulfilled_quantity >= 1
    ]


def _serial(app: App, order: Order, line: OrderLine) -> tuple[str, ...]:
    view = order_view(app.uow(), app.clock, Actor.system(), order.number)
    serials = [s for e in view.events if e.line_no == line.line_no for s in e.serials]
    return (serials[-1],) if serials else ()


def create_returns(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """The returns of November, each through request, decision, receipt and closing as its story says."""
    with app.uow() as uow:
        if uow.rmas.page(after_id=None, limit=1):
            return  # built on an earlier run of the demo
    analyst, supervisor = actors(ctx)
    candidates = _candidates(app)
    rng.shuffle(candidates)
    for step, story in enumerate(STORIES):
        day = FIRST_DAY + timedelta(days=3 * step)
        rma = _request(app, analyst, candidates, story, day)
        if rma is not None:
            _play(app, rma, story, (analyst, supervisor), day)
        ctx.progress(step + 1, len(STORIES))


def _request(
    app: App, analyst: Actor, candidates: list[tuple[Order, OrderLine]], story: Story, day: date
) -> Rma | None:
    """The story's RMA on the next order line that can take it (invoiced, not returned yet)."""
    clock = at(app, day, 9)
    while candidates:
        order, line = candidates.pop()
        request = RmaRequest(
            order.number,
            line.line_no,
            story.rma_type,
            story.reason,
            story.quantity,
            story.disposition,
            _serial(app, order, line) if story.quantity == 1 else (),
        )
        try:
            return request_rma(clock.uow(), clock.clock, analyst, request)
        except RmaRefused:
            continue  # not on an issued invoice yet, or returned already: try the next line
    return None


def _play(app: App, rma: Rma, story: Story, people: tuple[Actor, Actor], day: date) -> None:
    """Decide, receive and close the RMA at the story's moments (each step on its own demo clock)."""
    analyst, supervisor = people
    start = datetime.combine(day, time(9), tzinfo=UTC)
    if story.decide_after is None:
        return
    note = "" if story.approve else "outside the 14-day return window"
    decide_rma(
        app.uow(), FixedClock(start + story.decide_after), supervisor, rma.number, approve=story.approve, note=note
    )
    if story.receive_after is None:
        return
    receive_rma(app.uow(), FixedClock(start + story.receive_after), analyst, rma.number)
    if story.close_after is None:
        return
    clock = FixedClock(start + story.close_after)
    closed = close_rma(app.uow(), clock, analyst, rma.number, story.disposition, "done")
    for credit_id in closed.credit_note_ids:
        approve_invoice(app.uow(), clock, supervisor, credit_id)


CHAPTERS = [Chapter("returns", "Returns of November: credits, repairs, replacements and SLA breaches", create_returns)]
COUNTS = [Count("RMAs", ot.rmas, ot.rmas.c.status)]
