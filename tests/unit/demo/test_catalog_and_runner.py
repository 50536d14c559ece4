"""The demo catalog (every product type, yearly price lists) and the chapter runner, without a database."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from cashtrail.catalog.model import ProductType
from cashtrail.demo.catalog import PRODUCTS, list_price, price_list_drafts
from cashtrail.demo.context import Chapter, DemoContext
from cashtrail.demo.runner import build_demo, chapter_rng, default_chapters, default_counts


def test_the_catalog_holds_products_of_every_type_with_unique_skus():
    assert {p.product_type for p in PRODUCTS} == set(ProductType)
    assert len({p.sku for p in PRODUCTS}) == len(PRODUCTS)


def test_price_lists_exist_per_currency_for_2026_and_from_2027_about_3_percent_dearer():
    drafts = price_list_drafts({p.sku: i for i, p in enumerate(PRODUCTS, start=1)})
    assert sorted((d.code, d.valid_from, d.valid_to) for d in drafts) == [
        (f"STD-{cur}", start, end)
        for cur in ("EUR", "GBP", "USD")
        for start, end in ((date(2026, 1, 1), date(2026, 12, 31)), (date(2027, 1, 1), None))
    ]
    for code in ("STD-EUR", "STD-USD", "STD-GBP"):
        old, new = (next(d for d in drafts if d.code == code and d.valid_from.year == y) for y in (2026, 2027))
        assert len(old.items) == len(new.items) == len(PRODUCTS)
        assert not old.overlaps(new)
        for before, after in zip(old.items, new.items, strict=True):
            assert abs(after.unit_price / before.unit_price - Decimal("1.03")) < Decimal("0.02")
            assert after.unit_price.as_tuple().exponent == -6


def test_list_prices_round_like_a_price_book():
    assert list_price(Decimal("0.00715")) == Decimal("0.0072")
    assert list_price(Decimal("97.955")) == Decimal("97.96")
    assert list_price(Decimal("7095.5")) == Decimal("7096")


def test_the_registered_chapters_run_master_data_first_then_billing():
    assert [c.name for c in default_chapters()] == [
        "users",
        "products",
        "price-lists",
        "payment-terms",
        "customers",
        "order-setup",
        "orders",
        "contracts",
        "indices",
        "billing",
        "entities",
        "projects",
        "invoicing",
        "sending",
        "cashapp",
        "returns",
        "toner-reference",
        "toner-shipments",
        "toner-board",
        "collections-setup",
        "collections",
    ]
    assert [c.label for c in default_counts()][-1] == "audit events"


def test_each_chapter_has_its_own_random_stream_independent_of_the_others():
    first = Chapter("first", "First", lambda app, rng, ctx: None)
    second = Chapter("second", "Second", lambda app, rng, ctx: None)
    assert chapter_rng(1, first).random() == chapter_rng(1, first).random()
    assert chapter_rng(1, first).random() != chapter_rng(1, second).random()
    assert chapter_rng(1, first).random() != chapter_rng(2, first).random()


class RecordingReporter:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def started(self, chapter: Chapter) -> None:
        self.events.append(("started", chapter.name))

    def progressed(self, done: int, total: int) -> None:
        self.events.append(("progressed", (done, total)))

    def finished(self, chapter: Chapter) -> None:
        self.events.append(("finished", chapter.name))


def test_chapters_run_in_order_share_the_context_and_report_progress():
    def first(app: object, rng: random.Random, ctx: DemoContext) -> None:
        ctx.customers.append("C1")
        ctx.progress(1, 1)

    def second(app: object, rng: random.Random, ctx: DemoContext) -> None:
        ctx.customers.append(f"after {ctx.customers[-1]}")

    reporter = RecordingReporter()
    chapters = [Chapter("first", "First", first), Chapter("second", "Second", second)]
    ctx = build_demo(object(), seed=5, customers=3, chapters=chapters, reporter=reporter)  # type: ignore[arg-type]
    assert ctx.customers == ["C1", "after C1"]
    assert (ctx.seed, ctx.customer_count) == (5, 3)
    assert reporter.events == [
        ("started", "first"),
        ("progressed", (1, 1)),
        ("finished", "first"),
        ("started", "second"),
        ("finished", "second"),
    ]
