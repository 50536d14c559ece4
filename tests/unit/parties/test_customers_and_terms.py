"""Customer validation and payment terms, without a database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.money import Money
from cashtrail.parties.identifiers import normalize_iban, normalize_vat
from cashtrail.parties.model import PaymentTerms, TermsBasis, check_customer, check_payment_terms
from tests.factories import customer_draft


@pytest.mark.parametrize(
    ("raw", "country", "stored"),
    [
        ("BE 0403.170.701", "BE", "BE0403170701"),
        ("FR40303265045", "FR", "FR40303265045"),
        ("NL004495445B01", "NL", "NL004495445B01"),
        ("ESA13585625", "ES", "ESA13585625"),
        ("DE136695976", "DE", "DE136695976"),
        ("12-3456789", "US", "12-3456789"),
    ],
)
def test_vat_numbers_are_validated_per_country_and_stored_compact_with_prefix(raw, country, stored):
    assert normalize_vat(raw, country) == stored


@pytest.mark.parametrize(
    ("raw", "country"),
    [("BE0403170702", "BE"), ("FR40303265046", "FR"), ("DE136695977", "DE"), ("NL004495445B01", "BE"), ("", "BE")],
)
def test_invalid_or_foreign_vat_numbers_are_refused(raw, country):
    with pytest.raises(ValueError, match=r"."):
        normalize_vat(raw, country)


def test_ibans_are_checked_by_mod_97():
    assert normalize_iban("nl91 abna 0417 1643 00") == "NL91ABNA0417164300"
    with pytest.raises(ValueError, match="IBAN"):
        normalize_iban("NL92ABNA0417164300")


def test_check_customer_reports_every_problem_at_once():
    draft = customer_draft(
        country="XX", language="de", currency="EUX", vat_number="123", credit_limit=Decimal("-1"), iban="BE00"
    )
    fields = [e.field for e in check_customer(draft)]
    assert fields == ["country", "language", "currency", "iban", "credit_limit", "bill_to_country"]


def test_check_customer_normalizes_codes():
    draft = customer_draft(country=" be ", language="NL", currency="eur")
    assert check_customer(draft) == []
    assert (draft.country, draft.language, draft.currency) == ("BE", "nl", "EUR")


def test_net_and_end_of_month_terms_give_the_due_date():
    assert PaymentTerms("N60", "Net 60", days=60).due_date(date(2026, 12, 15)) == date(2027, 2, 13)
    eom = PaymentTerms("EOM0", "End of month", TermsBasis.END_OF_MONTH, 0)
    assert eom.due_date(date(2028, 2, 3)) == date(2028, 2, 29)


def test_the_cash_discount_applies_only_within_its_window():
    terms = PaymentTerms("2/10N30", "2% 10 net 30", days=30, discount_percent=Decimal(2), discount_days=10)
    invoice = Money.of("1234.56", "EUR")
    assert terms.discount_on(invoice, date(2026, 1, 1), date(2026, 1, 11)).rounded() == Money.of("24.69", "EUR")
    assert terms.discount_on(invoice, date(2026, 1, 1), date(2026, 1, 12)).is_zero()
    assert check_payment_terms(PaymentTerms("X", "x", days=10, discount_percent=Decimal(2), discount_days=20))
