"""Aging of open items into buckets by days past due, per currency."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cashtrail.analytics.aging import BucketScheme, OpenItem, age_items, days_past_due, items_in_bucket
from cashtrail.errors import ValidationFailed
from cashtrail.money import Money

AS_OF = date(2026, 6, 30)


def _item(item_id: str, days_late: int, amount: str, currency: str = "EUR") -> OpenItem:
    return OpenItem(item_id, AS_OF - timedelta(days=days_late), Money.of(amount, currency))


def test_the_default_scheme_has_the_six_buckets_of_ar_md() -> None:
    assert BucketScheme.default().labels == ("current", "1-30", "31-60", "61-90", "91-120", "121+")


@pytest.mark.parametrize(
    ("days", "label"),
    [(-10, "current"), (0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (120, "91-120"), (121, "121+")],
)
def test_each_bucket_edge_falls_in_exactly_one_bucket(days: int, label: str) -> None:
    scheme = BucketScheme.default()
    assert scheme.bucket_for(days).label == label
    assert sum(1 for bucket in scheme.buckets if bucket.contains(days)) == 1


def test_an_item_due_on_the_as_of_date_is_current_and_one_day_later_is_one_day_past_due() -> None:
    assert days_past_due(AS_OF, AS_OF) == 0
    assert days_past_due(AS_OF - timedelta(days=1), AS_OF) == 1


def test_aging_sums_items_into_buckets_per_currency_without_mixing() -> None:
    items = [
        _item("A", 0, "100"),
        _item("B", 1, "10.005"),
        _item("C", 30, "20"),
        _item("D", 121, "5"),
        _item("E", 45, "70", "USD"),
    ]
    aging = age_items(items, AS_OF)
    assert aging.currencies == ("EUR", "USD")
    assert aging.amount("EUR", "current") == Money.of("100", "EUR")
    assert aging.amount("EUR", "1-30") == Money.of("30.005", "EUR")
    assert aging.amount("EUR", "31-60") == Money.zero("EUR")
    assert aging.amount("EUR", "121+") == Money.of("5", "EUR")
    assert aging.total("EUR") == Money.of("135.005", "EUR")
    assert aging.current("EUR") == Money.of("100", "EUR")
    assert aging.amount("USD", "31-60") == Money.of("70", "USD")


def test_a_credit_nets_inside_its_own_bucket() -> None:
    aging = age_items([_item("INV", 10, "100"), _item("CN", 12, "-40")], AS_OF)
    assert aging.amount("EUR", "1-30") == Money.of("60", "EUR")


def test_a_custom_scheme_gives_its_own_buckets() -> None:
    scheme = BucketScheme((0, 15, 45))
    assert scheme.labels == ("current", "1-15", "16-45", "46+")
    aging = age_items([_item("A", 16, "1"), _item("B", 46, "2")], AS_OF, scheme)
    assert aging.amount("EUR", "16-45") == Money.of("1", "EUR")
    assert aging.amount("EUR", "46+") == Money.of("2", "EUR")


@pytest.mark.parametrize("bounds", [(), (1, 30), (0, 30, 30), (0, 60, 30)])
def test_bounds_that_do_not_start_at_zero_or_do_not_increase_are_refused(bounds: tuple[int, ...]) -> None:
    with pytest.raises(ValidationFailed) as caught:
        BucketScheme(bounds)
    assert caught.value.code == "aging.bad_bounds"


def test_asking_for_an_unknown_bucket_is_an_error() -> None:
    with pytest.raises(ValidationFailed):
        age_items([], AS_OF).amount("EUR", "1-45")


def test_an_unknown_currency_ages_to_zero_everywhere() -> None:
    assert age_items([], AS_OF).total("EUR") == Money.zero("EUR")


def test_drill_down_lists_the_items_of_one_bucket() -> None:
    items = [_item("A", 31, "1"), _item("B", 60, "1"), _item("C", 61, "1")]
    found = items_in_bucket(items, AS_OF, "31-60", BucketScheme.default())
    assert [i.item_id for i in found] == ["A", "B"]
