"""Customer use cases against a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cashtrail.errors import PermissionDenied, ValidationFailed
from cashtrail.identity.model import Actor, Role
from cashtrail.parties.errors import CustomerExists
from cashtrail.parties.services import get_customer, list_customers, register_customer, update_customer
from tests import factories


def test_a_registered_customer_round_trips_with_exact_decimals_and_an_audit_event(app, system):
    factories.customer(app, credit_limit=Decimal("12345.6789"), vat_number="be 0403.170.701")
    stored = get_customer(app.uow(), system, "C0001")
    assert stored.credit_limit == Decimal("12345.6789")
    assert stored.vat_number == "BE0403170701"
    assert [a.city for a in stored.addresses] == ["Brussel"]
    with app.uow() as uow:
        events = uow.audit.for_entity("customer", "C0001")
    assert [e.action for e in events] == ["customer.created"]
    assert events[0].changes["credit_limit"] == [None, "12345.6789"]
    assert events[0].occurred_at.tzinfo is not None


def test_a_duplicate_customer_number_is_refused_and_nothing_changes(app, system):
    factories.customer(app, legal_name="First NV")
    with pytest.raises(CustomerExists):
        register_customer(app.uow(), app.clock, system, factories.customer_draft(legal_name="Second NV"))
    assert get_customer(app.uow(), system, "C0001").legal_name == "First NV"


def test_an_invalid_vat_number_is_refused_with_its_field_and_nothing_is_written(app, system):
    factories.payment_terms(app)
    with pytest.raises(ValidationFailed) as caught:
        register_customer(app.uow(), app.clock, system, factories.customer_draft(vat_number="BE0403170702"))
    assert [e.field for e in caught.value.errors] == ["vat_number"]
    assert list_customers(app.uow(), system) == []


def test_an_update_records_only_the_changed_fields_with_the_reason(app, system):
    factories.customer(app)
    _, outcome = update_customer(
        app.uow(), app.clock, system, "C0001", {"credit_limit": Decimal("1000")}, reason="credit review"
    )
    assert outcome == "updated"
    with app.uow() as uow:
        last = uow.audit.for_entity("customer", "C0001")[-1]
    assert last.changes == {"credit_limit": ["50000", "1000"]}
    assert last.reason == "credit review"


def test_an_unchanged_update_writes_no_audit_event(app, system):
    factories.customer(app)
    _, outcome = update_customer(app.uow(), app.clock, system, "C0001", {"legal_name": "Acme Lifts NV"})
    assert outcome == "unchanged"
    with app.uow() as uow:
        assert len(uow.audit.for_entity("customer", "C0001")) == 1


def test_an_auditor_cannot_register_a_customer(app):
    factories.payment_terms(app)
    auditor = Actor("audrey", frozenset({Role.AUDITOR}))
    with pytest.raises(PermissionDenied):
        register_customer(app.uow(), app.clock, auditor, factories.customer_draft())


def test_customers_page_by_cursor_and_filter_by_country(app, system):
    for i in range(5):
        factories.customer(app, number=f"C{i:04d}", country="NL" if i % 2 else "BE", vat_number=None)
    first = list_customers(app.uow(), system, limit=2)
    second = list_customers(app.uow(), system, after_id=first[-1].id, limit=2)
    assert [c.number for c in first + second] == ["C0000", "C0001", "C0002", "C0003"]
    assert [c.number for c in list_customers(app.uow(), system, country="nl")] == ["C0001", "C0003"]


def test_decimal_columns_refuse_values_they_would_round(app, system):
    factories.payment_terms(app)
    with pytest.raises(Exception, match="decimal places"):
        factories.customer(app, credit_limit=Decimal("1.23456"))
