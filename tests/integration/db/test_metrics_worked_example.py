"""The worked example of ar.md, stored in the ledger and read back as of the quarter's end: AR at start 1,000,000;
credit sales 1,800,000 (Jul 500,000, Aug 600,000, Sep 700,000); AR at end 1,200,000 of which 900,000 current."""

from __future__ import annotations

from datetime import date

import pytest

from cashtrail.analytics.queries import Scope, refresh_read_model, report
from cashtrail.identity.model import Actor
from cashtrail.ledger.model import Application, ItemKind, OpenItem, apply
from cashtrail.money import Money

END = date(2026, 9, 30)
# (reference, document date, due date, amount, paid, paid on); the 90 days run from 3 July to 30 September
INVOICES = [
    ("JUN", date(2026, 6, 15), date(2026, 6, 30), "1000000", "700000", date(2026, 8, 1)),  # 300,000 overdue
    ("JUL", date(2026, 7, 15), date(2026, 8, 14), "500000", "500000", date(2026, 8, 20)),
    ("AUG", date(2026, 8, 15), date(2026, 10, 5), "600000", "400000", date(2026, 9, 20)),  # 200,000 current
    ("SEP", date(2026, 9, 15), date(2026, 10, 15), "700000", "0", None),  # current
]


@pytest.fixture
def quarter(app):
    with app.uow() as uow:
        for reference, issued, due, amount, paid, paid_on in INVOICES:
            invoice = OpenItem("C1", ItemKind.INVOICE, reference, Money.of(amount, "EUR"), issued, due)
            uow.ledger.add_item(invoice)
            if paid_on is not None:
                cash = Money.of(paid, "EUR")
                payment = OpenItem("C1", ItemKind.PAYMENT, f"PAY-{reference}", -cash, paid_on, paid_on)
                uow.ledger.add_item(payment)
                apply(invoice, payment, cash)
                applied = Application(invoice.id, payment.id, cash, paid_on, "t", "payment", applied_at=app.clock.now())
                uow.ledger.apply(applied, invoice, payment)
        uow.commit()
    refresh_read_model(app.uow())
    return app


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("dso", "60.00"),
        ("dso-count-back", "55.83"),
        ("best-dso", "45.00"),
        ("add", "15.00"),
        ("cei", "84.21"),
        ("percent-current", "75.00"),
    ],
)
def test_the_ar_md_worked_example_from_stored_data(quarter, metric, expected):
    for scope in (None, Scope(customer="C1")):
        assert report(quarter.uow(), Actor.system(), metric, END, days=90, scope=scope)["values"] == {"EUR": expected}


def test_the_aging_of_the_worked_example(quarter):
    values = report(quarter.uow(), Actor.system(), "aging", END)["values"]["EUR"]
    assert values["current"] == "900000.0000"
    assert values["91-120"] == "300000.0000"  # the June invoice, due 30 June: 92 days past due
    assert report(quarter.uow(), Actor.system(), "aging", date(2026, 7, 2))["values"]["EUR"]["1-30"] == "1000000.0000"
