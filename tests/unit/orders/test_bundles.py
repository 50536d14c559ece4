"""Bundles: exact allocation (fixed split and relative standalone price) and component lines with own triggers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cashtrail.money import Money
from cashtrail.orders.bundles import (
    Allocation,
    Bundle,
    Component,
    ComponentProduct,
    allocate,
    check_bundle,
    expand,
    weights_of,
)
from cashtrail.orders.model import Trigger
from tests.unit.orders.builders import D, line

PRODUCTS = {
    "MFP-C35": ComponentProduct("hardware", "Colour MFP", "standard"),
    "SW-PRINT": ComponentProduct("software", "Print management licence", "standard"),
    "SUB-FLEET": ComponentProduct("subscription", "Fleet portal", "standard"),
    "SVC-INSTALL": ComponentProduct("service", "Installation", "standard"),
    "MNT-MFP": ComponentProduct("maintenance", "Device maintenance", "standard"),
}
OFFICE = Bundle(
    "BDL-OFFICE",
    "Office print bundle",
    Allocation.RELATIVE,
    (
        Component("MFP-C35"),
        Component("SW-PRINT", D("2")),
        Component("SUB-FLEET"),
        Component("SVC-INSTALL"),
        Component("MNT-MFP"),
    ),
)
LIST = {"MFP-C35": D("6450"), "SW-PRINT": D("149"), "SUB-FLEET": D("2.90"), "SVC-INSTALL": D("245"), "MNT-MFP": D("39")}


def test_allocation_adds_up_to_the_cent_and_gives_leftover_cents_to_the_largest_remainders():
    parts = allocate(Money.of("1000.00", "EUR"), [D("3"), D("3"), D("3")])
    assert [p.amount for p in parts] == [D("333.34"), D("333.33"), D("333.33")]
    odd = allocate(Money.of("99.99", "EUR"), [D("6450"), D("298"), D("2.90"), D("245"), D("39")])
    assert sum(p.amount for p in odd) == D("99.99")
    with pytest.raises(ValueError, match="positive sum"):
        allocate(Money.of("1", "EUR"), [D(0)])


def test_a_relative_bundle_splits_its_net_price_by_standalone_prices_into_components_with_their_own_triggers():
    bundle_line = line(1, "BDL-OFFICE", "2", "7000.00", discount="10")  # 12600.00 net
    weights, missing = weights_of(OFFICE, LIST)
    assert missing == []
    components = expand(OFFICE, bundle_line, "EUR", weights, PRODUCTS)
    assert [c.label for c in components] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert [c.trigger for c in components] == [
        Trigger.SHIPMENT,
        Trigger.ACTIVATION,
        Trigger.SCHEDULE,
        Trigger.MILESTONE,
        Trigger.SCHEDULE,
    ]
    assert [c.quantity for c in components] == [D(2), D(4), D(2), D(2), D(2)]
    assert sum(c.net_amount for c in components) == D("12600.00")
    # 6450 of a 7034.90 standalone total (6450 + 2 × 149 + 2.90 + 245 + 39), on 12600.00 net
    assert components[0].net_amount == (D("12600.00") * D("6450") / D("7034.90")).quantize(D("0.01"))
    assert (bundle_line.is_bundle, bundle_line.trigger) == (True, Trigger.NONE)
    assert all(c.parent_line_no == 1 for c in components)


def test_a_fixed_split_uses_the_shares_of_the_definition():
    fixed = Bundle(
        "BDL-START",
        "Starter",
        Allocation.FIXED,
        (Component("MFP-C35", share_percent=D("80")), Component("SVC-INSTALL", share_percent=D("20"))),
    )
    weights, _ = weights_of(fixed, {})
    components = expand(fixed, line(3, "BDL-START", "1", "1000.00"), "EUR", weights, PRODUCTS)
    assert [(c.line_no, c.net_amount, c.unit_price) for c in components] == [
        (3001, D("800.00"), D("800.000000")),
        (3002, D("200.00"), D("200.000000")),
    ]


def test_a_relative_bundle_needs_a_list_price_for_every_component():
    _, missing = weights_of(OFFICE, {"MFP-C35": D("6450")})
    assert missing == ["SW-PRINT", "SUB-FLEET", "SVC-INSTALL", "MNT-MFP"]


def test_a_bundle_definition_is_checked():
    bad = Bundle(
        "BDL-X",
        "Broken",
        Allocation.FIXED,
        (Component("BDL-X", share_percent=D("60")), Component("A", Decimal(0), share_percent=D("30"))),
    )
    assert {e.field for e in check_bundle(bad)} == {"components", "quantity", "share_percent"}
    assert check_bundle(OFFICE) == []
