"""Grouping into draft invoices and the run-to-run preview diff."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.billing.charges import fee_charges
from cashtrail.billing.grouping import diff_runs, group_charges
from cashtrail.contracts.model import Contract, Device, Grouping
from cashtrail.contracts.terms import month_period
from cashtrail.money import Money


def _contract(number: str, grouping: str, customer: str = "C1", **kw: object) -> Contract:
    contract = Contract(
        number=number,
        customer_number=customer,
        kind="mps",
        currency="EUR",
        start_date=date(2026, 1, 1),
        base_fee_per_device=Decimal("40"),
        grouping=grouping,
        devices=[
            Device(f"{number}-A", "MX", "HQ", date(2026, 1, 1)),
            Device(f"{number}-B", "MX", "Depot", date(2026, 1, 1)),
        ],
    )
    for name, value in kw.items():
        setattr(contract, name, value)
    return contract


def _draft_keys(*contracts: Contract) -> list[tuple[str, Money]]:
    charges = [c for k in contracts for c in fee_charges(k, month_period("2026-04"))]
    return [(d.group_key, d.total) for d in group_charges(charges, {k.number: k for k in contracts})]


def test_consolidated_contracts_share_one_invoice_per_customer_and_currency():
    assert _draft_keys(_contract("K1", Grouping.PER_CUSTOMER), _contract("K2", Grouping.PER_CUSTOMER)) == [
        ("customer:C1:EUR", Money.of("160.00", "EUR"))
    ]


def test_per_site_and_per_asset_split_one_contract_into_several_invoices():
    assert [k for k, _ in _draft_keys(_contract("K1", Grouping.PER_SITE))] == ["site:K1:Depot", "site:K1:HQ"]
    assert [k for k, _ in _draft_keys(_contract("K1", Grouping.PER_ASSET))] == ["asset:K1:K1-A", "asset:K1:K1-B"]


def test_a_draft_under_the_minimum_invoice_amount_is_deferred():
    contract = _contract("K1", Grouping.PER_CONTRACT, minimum_invoice_amount=Decimal("100"))
    [draft] = group_charges(fee_charges(contract, month_period("2026-04")), {"K1": contract})
    assert (draft.total, draft.deferred) == (Money.of("80.00", "EUR"), True)


def test_the_preview_diff_lists_new_changed_and_disappeared_charges():
    march = _contract("K1", Grouping.PER_CONTRACT)
    april = _contract(
        "K1",
        Grouping.PER_CONTRACT,
        base_fee_per_device=Decimal("42"),
        devices=[Device("K1-A", "MX", "HQ", date(2026, 1, 1)), Device("K1-C", "MX", "HQ", date(2026, 4, 1))],
    )
    changes = diff_runs(fee_charges(march, month_period("2026-03")), fee_charges(april, month_period("2026-04")))
    assert [(c.status, c.key, c.previous, c.current) for c in changes] == [
        ("changed", "K1:fee:K1-A", Money.of("40.00", "EUR"), Money.of("42.00", "EUR")),
        ("disappeared", "K1:fee:K1-B", Money.of("40.00", "EUR"), None),
        ("new", "K1:fee:K1-C", None, Money.of("42.00", "EUR")),
    ]
