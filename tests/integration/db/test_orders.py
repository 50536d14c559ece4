"""Order management against a real database: entry priced from the contract, findings and their override,
the acceptance checklist, bundles, and nothing written when an order is refused."""

from __future__ import annotations

import pytest

from cashtrail.errors import PermissionDenied, ValidationFailed
from cashtrail.orders.acceptance_services import accept_order, run_credit_check
from cashtrail.orders.check_services import override_findings
from cashtrail.orders.entry_services import LineChange, apply_order, change_line, enter_order
from cashtrail.orders.errors import AcceptanceBlocked, OrderInvalid, OrderNotEditable, SegregationOfDuties
from cashtrail.orders.queries import order_view
from tests.integration.db.orders_support import ANN, SAM, D, complete_checklist, draft, header, shop


@pytest.fixture
def books(app):
    return shop(app)


def _audit(app, action):  # noqa: ANN001, ANN202
    with app.uow() as uow:
        return [e for e in uow.audit.page(after_id=None, limit=1000, entity_type="order") if e.action == action]


def test_an_order_without_prices_is_priced_as_the_contract_says_and_has_no_finding(books):
    order = enter_order(books.uow(), books.clock, ANN, header(), [draft(1, "MFP-C35", "2"), draft(2, "TNR-K", "10")])
    mfp, toner = order.lines
    assert (mfp.unit_price, mfp.discount_percent, mfp.net_amount) == (D("6000.00"), D("5"), D("11400.00"))
    assert (toner.unit_price, toner.trigger, mfp.trigger) == (D("80.00"), "shipment", "shipment")
    view = order_view(books.uow(), books.clock, ANN, "SO-1")
    assert view.findings == []
    assert view.blockers == ["signed contract or quote missing", "purchase order missing", "credit check missing"]


def test_a_price_deviation_blocks_acceptance_until_a_supervisor_overrides_it_with_a_reason(books):
    enter_order(books.uow(), books.clock, ANN, header(), [draft(1, "MFP-C35", "1", "6200.00", discount_percent=D(0))])
    complete_checklist(books, "SO-1")
    [finding] = order_view(books.uow(), books.clock, ANN, "SO-1").findings
    assert (finding.finding.code, finding.finding.expected, finding.finding.actual) == (
        "price_above_contract",
        "5700.00",
        "6200.00",
    )
    with pytest.raises(AcceptanceBlocked) as blocked:
        accept_order(books.uow(), books.clock, ANN, "SO-1")
    assert blocked.value.fields["reasons"] == ["1 open finding(s) need a correction or a supervisor's override"]
    with pytest.raises(PermissionDenied):
        override_findings(books.uow(), books.clock, ANN, "SO-1", None, "customer agreed")
    with pytest.raises(ValidationFailed):
        override_findings(books.uow(), books.clock, SAM, "SO-1", None, "  ")
    [overridden] = override_findings(books.uow(), books.clock, SAM, "SO-1", [finding.id], "list price agreed by sales")
    assert (overridden.status, overridden.overridden_by) == ("overridden", "sam")
    [event] = _audit(books, "order.finding_overridden")
    assert (event.actor, event.reason) == ("sam", "list price agreed by sales")
    assert accept_order(books.uow(), books.clock, ANN, "SO-1").order.status == "accepted"


def test_a_supervisor_may_not_override_findings_of_an_order_they_entered(books):
    enter_order(books.uow(), books.clock, SAM, header(), [draft(1, "MFP-C35", "1", "6200.00")])
    with pytest.raises(SegregationOfDuties):
        override_findings(books.uow(), books.clock, SAM, "SO-1", None, "fine")


def test_correcting_the_price_resolves_the_finding_and_a_recheck_keeps_overrides_of_the_same_deviation(books):
    enter_order(books.uow(), books.clock, ANN, header(), [draft(1, "MFP-C35", "1", "6200.00"), draft(2, "TNR-K", "50")])
    view = order_view(books.uow(), books.clock, ANN, "SO-1")
    assert sorted(f.finding.code for f in view.open_findings) == ["price_above_contract", "quantity_above_cap"]
    cap = next(f for f in view.findings if f.finding.code == "quantity_above_cap")
    override_findings(books.uow(), books.clock, SAM, "SO-1", [cap.id], "one-off peak")
    change_line(books.uow(), books.clock, ANN, "SO-1", 1, LineChange(unit_price=D("6000.00")), reason="contract price")
    after = {f.finding.code: f.status for f in order_view(books.uow(), books.clock, ANN, "SO-1").findings}
    assert after == {"price_above_contract": "resolved", "quantity_above_cap": "overridden"}


def test_a_missing_mandatory_component_and_a_product_off_contract_are_findings(books):
    enter_order(books.uow(), books.clock, ANN, header(), [draft(1, "PRN-A4", "1")])
    enter_order(
        books.uow(), books.clock, ANN, header("SO-2", customer="C2", contract=None), [draft(1, "TNR-K", "1", "70")]
    )
    codes = {f.finding.code for f in order_view(books.uow(), books.clock, ANN, "SO-1").findings}
    assert codes == {"missing_component"}
    codes = {f.finding.code for f in order_view(books.uow(), books.clock, ANN, "SO-2").findings}
    assert codes == {"price_below_list"}


def test_a_bundle_is_expanded_into_components_that_carry_the_bundle_price(books):
    order = enter_order(books.uow(), books.clock, ANN, header(), [draft(1, "BDL-OFFICE", "2")])
    labels = [(x.label, x.sku, x.trigger) for x in order.lines]
    assert labels == [
        ("1", "BDL-OFFICE", "none"),
        ("1.1", "MFP-C35", "shipment"),
        ("1.2", "SW-PRINT", "activation"),
        ("1.3", "SUB-FLEET", "schedule"),
        ("1.4", "SVC-INSTALL", "milestone"),
        ("1.5", "MNT-MFP", "schedule"),
    ]
    assert order.lines[0].net_amount == D("12600.00")  # 2 × 7000.00 less 10 %
    assert sum(x.net_amount for x in order.lines[1:]) == D("12600.00")
    assert order_view(books.uow(), books.clock, ANN, "SO-1").findings == []


def test_a_refused_order_writes_nothing(books):
    with books.uow() as uow:
        before = (len(uow.orders.page(after_id=None, limit=100)), len(uow.audit.page(after_id=None, limit=10_000)))
    with pytest.raises(OrderInvalid) as refused:
        enter_order(
            books.uow(),
            books.clock,
            ANN,
            header(customer="C404"),
            [draft(1, "MFP-C35", "0"), draft(2, "NOPE", "1")],
        )
    fields = {e.field for e in refused.value.errors}
    assert fields == {"customer", "lines[1].quantity", "lines[2].sku"}
    with books.uow() as uow:
        after = (len(uow.orders.page(after_id=None, limit=100)), len(uow.audit.page(after_id=None, limit=10_000)))
    assert after == before


def test_an_accepted_order_cannot_change_and_the_credit_check_compares_the_limit(books):
    enter_order(books.uow(), books.clock, ANN, header(), [draft(1, "MFP-C35", "2")])
    check = run_credit_check(books.uow(), books.clock, ANN, "SO-1")
    assert check.passed  # 11400.00 within C1's 50000 limit
    complete_checklist(books, "SO-1")
    accept_order(books.uow(), books.clock, ANN, "SO-1")
    with pytest.raises(OrderNotEditable), books.uow() as uow:
        apply_order(uow, books.clock, ANN, header(), [draft(1, "MFP-C35", "3")])
    big = enter_order(books.uow(), books.clock, ANN, header("SO-2"), [draft(1, "MFP-C35", "9")])
    assert not run_credit_check(books.uow(), books.clock, ANN, big.number).passed
