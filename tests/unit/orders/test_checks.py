"""The contract consistency check: every deviation class, list prices, and re-checks that keep overrides."""

from __future__ import annotations

from decimal import Decimal

from cashtrail.orders.checks import Finding, FindingCode, StoredFinding, check_order_prices, reconcile
from cashtrail.orders.terms import PriceTerm
from tests.unit.orders.builders import D, line, order, terms

FRAME = terms(
    PriceTerm("MFP-C35", D("6000.00"), D("5")),  # 5700.00 net
    PriceTerm("SVC-INSTALL", D("245.00")),
    PriceTerm("TONER-K", D("80.00"), max_quantity=D("40")),
    PriceTerm("MFP-M45", D("4500.00"), requires=("SVC-INSTALL",)),
)
LIST = {"MFP-C35": D("6450"), "SVC-INSTALL": D("245"), "PAPER": D("4.50"), "TONER-K": D("89")}


def codes(findings: list[Finding]) -> list[tuple[str, int | None, str]]:
    return [(f.code, f.line_no, f.subject) for f in findings]


def check(o, *, t=FRAME, elsewhere=None):  # noqa: ANN001, ANN202
    return check_order_prices(o, terms=t, list_prices=LIST, ordered_elsewhere=elsewhere or {})


def test_a_line_priced_as_the_contract_says_has_no_finding():
    assert check(order(line(1, "MFP-C35", "2", "6000.00", discount="5"))) == []


def test_a_different_list_price_and_discount_with_the_same_net_price_is_no_deviation():
    assert check(order(line(1, "MFP-C35", "1", "5700.00"))) == []


def test_a_price_above_the_contract_is_a_finding_with_expected_and_actual_net_prices():
    [finding] = check(order(line(1, "MFP-C35", "1", "6000.00")))
    assert (finding.code, finding.line_no, finding.expected, finding.actual) == (
        FindingCode.PRICE_ABOVE_CONTRACT,
        1,
        "5700.00",
        "6000.00",
    )
    assert "the contract says 5700.00" in finding.message


def test_a_discount_beyond_the_contract_is_a_price_below_contract():
    [finding] = check(order(line(1, "MFP-C35", "1", "6000.00", discount="10")))
    assert (finding.code, finding.expected, finding.actual) == (FindingCode.PRICE_BELOW_CONTRACT, "5700.00", "5400.00")


def test_half_a_cent_of_difference_is_no_deviation_but_a_cent_is():
    assert check(order(line(1, "SVC-INSTALL", "1", "245.004"))) == []
    assert codes(check(order(line(1, "SVC-INSTALL", "1", "245.01")))) == [
        (FindingCode.PRICE_ABOVE_CONTRACT, 1, "SVC-INSTALL")
    ]


def test_a_product_not_on_the_contract_is_a_finding_and_is_compared_with_the_list_price():
    found = check(order(line(1, "PAPER", "10", "4.00")))
    assert codes(found) == [
        (FindingCode.PRODUCT_NOT_ON_CONTRACT, 1, "PAPER"),
        (FindingCode.PRICE_BELOW_LIST, 1, "PAPER"),
    ]


def test_a_product_with_neither_a_contract_nor_a_list_price_says_so():
    assert codes(check(order(line(1, "MYSTERY", "1", "1.00")))) == [
        (FindingCode.PRODUCT_NOT_ON_CONTRACT, 1, "MYSTERY"),
        (FindingCode.NO_LIST_PRICE, 1, "MYSTERY"),
    ]


def test_an_order_without_a_contract_is_checked_against_the_list_only():
    found = check(order(line(1, "MFP-C35", "1", "6500.00"), contract=None), t=None)
    assert codes(found) == [(FindingCode.PRICE_ABOVE_LIST, 1, "MFP-C35")]


def test_the_cap_counts_this_order_and_the_other_orders_under_the_contract():
    ok = order(line(1, "TONER-K", "15", "80.00"), line(2, "TONER-K", "5", "80.00"))
    assert check(ok, elsewhere={"TONER-K": D("20")}) == []
    [finding] = check(ok, elsewhere={"TONER-K": D("21")})
    assert (finding.code, finding.line_no, finding.expected, finding.actual) == (
        FindingCode.QUANTITY_ABOVE_CAP,
        1,
        "40",
        "41",
    )


def test_a_product_ordered_without_its_mandatory_component_is_a_finding():
    [finding] = check(order(line(1, "MFP-M45", "1", "4500.00")))
    assert (finding.code, finding.line_no, finding.subject) == (FindingCode.MISSING_COMPONENT, 1, "SVC-INSTALL")
    with_it = order(line(1, "MFP-M45", "1", "4500.00"), line(2, "SVC-INSTALL", "1", "245.00", product_type="service"))
    assert check(with_it) == []


def test_a_contract_without_terms_of_the_order_date_or_of_another_customer_or_currency_is_a_header_finding():
    assert codes(check(order(line(1, "PAPER", "1", "4.50")), t=None)) == [
        (FindingCode.NO_CONTRACT_TERMS, None, "FRAME-1")
    ]
    foreign = terms(PriceTerm("PAPER", D("4.50")), customer="C9", currency="USD")
    found = codes(check(order(line(1, "PAPER", "1", "4.50")), t=foreign))
    # terms in another currency are not used for prices: the line is compared with the list instead
    assert found == [
        (FindingCode.CONTRACT_OF_OTHER_CUSTOMER, None, "FRAME-1"),
        (FindingCode.CURRENCY_MISMATCH, None, "FRAME-1"),
    ]


def test_bundle_components_are_not_price_checked_but_count_for_required_products():
    bundle = line(1, "MFP-M45", "1", "4500.00")
    bundle.is_bundle = True
    component = line(1001, "SVC-INSTALL", "1", "1.00", product_type="service")
    component.parent_line_no = 1
    assert check(order(bundle, component)) == []


def test_a_recheck_keeps_overrides_of_the_same_deviation_and_resolves_what_went_away():
    first = check(order(line(1, "MFP-C35", "1", "6000.00"), line(2, "PAPER", "1", "4.50")))
    stored = [StoredFinding(f, status="overridden" if f.code == "price_above_contract" else "open") for f in first]
    again = check(order(line(1, "MFP-C35", "1", "6000.00")))
    new, gone = reconcile(stored, again)
    assert new == []
    assert [s.finding.code for s in gone] == [FindingCode.PRODUCT_NOT_ON_CONTRACT]
    changed = check(order(line(1, "MFP-C35", "1", "6100.00")))
    new, gone = reconcile(stored, changed)
    assert [(f.code, f.actual) for f in new] == [(FindingCode.PRICE_ABOVE_CONTRACT, "6100.00")]
    assert Decimal(gone[0].finding.actual) == Decimal("6000.00")
