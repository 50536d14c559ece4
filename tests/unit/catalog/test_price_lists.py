"""Price lists: validity windows and lookup."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.catalog.model import PriceList, Product, check_price_list, check_product, price_on
from cashtrail.errors import ValidationFailed
from cashtrail.money import Money


def _list(valid_from: date, valid_to: date | None, price: str, currency: str = "EUR") -> PriceList:
    price_list = PriceList(code="STD", name="Standard", currency=currency, valid_from=valid_from, valid_to=valid_to)
    price_list.set_price(1, Decimal(price))
    return price_list


def test_the_price_comes_from_the_list_valid_on_the_day():
    lists = [_list(date(2026, 1, 1), date(2026, 12, 31), "100"), _list(date(2027, 1, 1), None, "103")]
    assert price_on(lists, 1, date(2026, 12, 31), "EUR") == Money.of("100", "EUR")
    assert price_on(lists, 1, date(2027, 1, 1), "EUR") == Money.of("103", "EUR")
    assert price_on(lists, 1, date(2025, 12, 31), "EUR") is None
    assert price_on(lists, 2, date(2026, 6, 1), "EUR") is None
    assert price_on(lists, 1, date(2026, 6, 1), "USD") is None


def test_overlapping_windows_are_detected_including_open_ended_ones():
    assert _list(date(2026, 1, 1), None, "1").overlaps(_list(date(2030, 1, 1), date(2030, 2, 1), "1"))
    assert not _list(date(2026, 1, 1), date(2026, 12, 31), "1").overlaps(_list(date(2027, 1, 1), None, "1"))


def test_a_window_that_ends_before_it_starts_and_a_negative_price_are_refused():
    assert [e.field for e in check_price_list(_list(date(2026, 2, 1), date(2026, 1, 1), "1"))] == ["valid_to"]
    with pytest.raises(ValidationFailed):
        _list(date(2026, 1, 1), None, "-1")


def test_products_need_a_known_type_and_tax_category():
    product = Product(sku=" P1 ", name="Toner", product_type="Consumable", tax_category="luxury")
    assert [e.field for e in check_product(product)] == ["tax_category"]
    assert (product.sku, product.product_type) == ("P1", "consumable")


def test_a_price_read_back_with_more_decimals_is_not_a_change():
    typed, stored = _list(date(2026, 1, 1), None, "6450"), _list(date(2026, 1, 1), None, "6450.000000")
    assert typed.snapshot() == stored.snapshot()
