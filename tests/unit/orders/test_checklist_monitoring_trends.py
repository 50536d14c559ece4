"""The acceptance checklist, the late-lines worklist and the discrepancy trend."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cashtrail.orders.checklist import (
    ChecklistItem,
    ChecklistMark,
    OrderDocument,
    acceptance_blockers,
    checklist,
    required_items,
)
from cashtrail.orders.model import OrderStatus
from cashtrail.orders.monitoring import late_lines
from cashtrail.orders.trends import DiscrepancyFact, months_between, series, totals_by, trend_rows
from tests.unit.orders.builders import D, line, order

AT = datetime(2026, 11, 2, 9, tzinfo=UTC)


def test_a_tax_exemption_claim_adds_the_certificate_to_the_checklist():
    plain = order(line(1, "MFP", "1", "10"))
    assert ChecklistItem.TAX_EXEMPTION_CERTIFICATE not in required_items(plain)
    plain.tax_exemption_claimed = True
    assert ChecklistItem.TAX_EXEMPTION_CERTIFICATE in required_items(plain)


def test_the_order_is_blocked_until_every_item_is_attached_waived_or_passed_and_no_finding_is_open():
    o = order(line(1, "MFP", "1", "10"))
    docs = [OrderDocument("purchase_order", "po.pdf", "application/pdf", 10, "ab", "ann", AT)]
    marks = [ChecklistMark("credit_check", "passed", "within limit", "ann", AT)]
    entries = checklist(o, docs, marks)
    assert {e.item: e.status for e in entries} == {
        "signed_contract_or_quote": "missing",
        "purchase_order": "attached",
        "tax_exemption_certificate": "not_required",
        "credit_check": "passed",
    }
    assert acceptance_blockers(entries, 2) == [
        "signed contract or quote missing",
        "2 open finding(s) need a correction or a supervisor's override",
    ]
    waived = [*marks, ChecklistMark("signed_contract_or_quote", "waived", "framework signed 2024", "sam", AT)]
    assert acceptance_blockers(checklist(o, docs, waived), 0) == []


def test_late_lines_are_open_shipping_lines_past_their_expected_date_most_overdue_first():
    first = order(
        line(1, "MFP", "2", "10", expected=date(2026, 11, 1)),
        line(2, "SVC", "1", "10", product_type="service", expected=date(2026, 10, 1)),
        line(3, "TONER", "5", "1", expected=date(2026, 11, 20)),
        number="SO-1",
    )
    first.lines[0].fulfilled_quantity = D(1)
    second = order(line(1, "PRN", "1", "10", expected=date(2026, 10, 30)), number="SO-2")
    cancelled = order(line(1, "PRN", "1", "10", expected=date(2026, 10, 1)), number="SO-3")
    cancelled.status = OrderStatus.CANCELLED
    late = late_lines([first, second, cancelled], date(2026, 11, 10))
    assert [(x.order_number, x.label, x.days_late, x.open_quantity) for x in late] == [
        ("SO-2", "1", 11, D(1)),
        ("SO-1", "1", 9, D(1)),
    ]


def test_discrepancies_are_counted_per_month_and_by_type_customer_and_sales_rep():
    facts = [
        DiscrepancyFact(date(2026, 10, 3), "price_below_contract", "C1", "rita", "overridden", "SO-1"),
        DiscrepancyFact(date(2026, 10, 9), "price_below_contract", "C2", "rita", "open", "SO-2"),
        DiscrepancyFact(date(2026, 11, 1), "missing_component", "C1", "", "resolved", "SO-3"),
    ]
    rows = trend_rows(facts)
    assert [(r.month, r.code, r.customer, r.sales_rep, r.count) for r in rows] == [
        ("2026-10", "price_below_contract", "C1", "rita", 1),
        ("2026-10", "price_below_contract", "C2", "rita", 1),
        ("2026-11", "missing_component", "C1", "-", 1),
    ]
    months = months_between(date(2026, 10, 1), date(2026, 12, 1))
    assert series(rows, months, "code") == {"price_below_contract": [2, 0, 0], "missing_component": [0, 1, 0]}
    assert series(rows, months, "customer", top=1) == {"C1": [1, 1, 0], "other": [1, 0, 0]}
    assert totals_by(rows, "sales_rep") == [("rita", 2), ("-", 1)]
