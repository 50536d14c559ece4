"""Invoice and credit-note totals: rounding per line or per rate, VAT breakdown and reconciliation to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cashtrail.errors import InvalidState, ValidationFailed
from cashtrail.invoicing.tax import Treatment, VatCategory, VatDecision
from cashtrail.invoicing.totals import (
    DocumentKind,
    InvoiceTotals,
    Line,
    TaxRounding,
    compute_totals,
    reconciliation_errors,
    tax_rounding_for,
)
from cashtrail.money import Money

S21 = VatDecision(Treatment.DOMESTIC, VatCategory.STANDARD, Decimal("21"))
S6 = VatDecision(Treatment.DOMESTIC, VatCategory.STANDARD, Decimal("6"))
AE = VatDecision(Treatment.REVERSE_CHARGE, VatCategory.REVERSE_CHARGE, Decimal("0"), "VATEX-EU-AE")


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def line(quantity: str, price: str, vat: VatDecision = S21) -> Line:
    return Line(Decimal(quantity), eur(price), vat)


def test_rounding_per_line_and_per_rate_give_different_vat_and_both_reconcile_to_the_cent():
    lines = [line("1", "2.50"), line("1", "2.50")]  # 0.525 VAT each
    per_rate = compute_totals(lines, currency="EUR", rounding=TaxRounding.PER_RATE)
    per_line = compute_totals(lines, currency="EUR", rounding=TaxRounding.PER_LINE)
    assert per_rate.vat == eur("1.05")  # 5.00 x 21 % = 1.05, rounded once
    assert per_line.vat == eur("1.06")  # 0.525 -> 0.53, twice
    assert [la.vat for la in per_line.lines] == [eur("0.53"), eur("0.53")]
    assert [la.vat for la in per_rate.lines] == [None, None]
    for totals in (per_rate, per_line):
        assert totals.net == eur("5.00")
        assert totals.gross == totals.net + totals.vat
        assert reconciliation_errors(totals) == []


def test_every_supported_seller_country_rounds_per_invoice_and_rate_by_default():
    assert {tax_rounding_for(c) for c in ("BE", "FR", "NL", "ES", "DE", "CH")} == {TaxRounding.PER_RATE}


def test_a_line_net_is_rounded_half_up_once_from_quantity_times_price():
    totals = compute_totals([line("3", "0.335")], currency="EUR")
    assert totals.lines[0].net == eur("1.01")  # 1.005 -> 1.01


def test_the_vat_breakdown_has_one_group_per_category_and_rate_and_sums_to_the_totals():
    lines = [line("2", "100.00"), line("1", "40.00", S6), line("3", "12.34"), line("1", "500.00", AE)]
    totals = compute_totals(lines, currency="EUR")
    groups = [(b.category, b.rate, b.taxable, b.tax, b.exemption_code) for b in totals.breakdown]
    assert groups == [
        ("AE", Decimal(0), eur("500.00"), eur("0.00"), "VATEX-EU-AE"),
        ("S", Decimal(21), eur("237.02"), eur("49.77"), ""),
        ("S", Decimal(6), eur("40.00"), eur("2.40"), ""),
    ]
    assert (totals.net, totals.vat, totals.gross) == (eur("777.02"), eur("52.17"), eur("829.19"))
    assert all(isinstance(m.amount, Decimal) for m in (totals.net, totals.vat, totals.gross))


def test_rates_written_differently_fall_in_the_same_breakdown_group():
    s21_alt = VatDecision(Treatment.DOMESTIC, VatCategory.STANDARD, Decimal("21.00"))
    totals = compute_totals([line("1", "10.00"), line("1", "10.00", s21_alt)], currency="EUR")
    assert len(totals.breakdown) == 1


def test_a_partial_credit_note_shows_positive_amounts_and_reduces_the_receivable():
    invoice = compute_totals([line("5", "120.00"), line("1", "45.50", S6)], currency="EUR")
    credit = compute_totals([line("2", "120.00")], currency="EUR", kind=DocumentKind.CREDIT_NOTE)
    assert (invoice.net, invoice.vat, invoice.gross) == (eur("645.50"), eur("128.73"), eur("774.23"))
    assert (credit.net, credit.vat, credit.gross) == (eur("240.00"), eur("50.40"), eur("290.40"))
    assert credit.kind.type_code == "381"
    assert invoice.kind.type_code == "380"
    assert credit.signed_gross() == eur("-290.40")
    assert credit.signed_net() == eur("-240.00")
    remaining = compute_totals([line("3", "120.00"), line("1", "45.50", S6)], currency="EUR")
    assert invoice.signed_gross() + credit.signed_gross() == remaining.gross
    assert reconciliation_errors(credit) == []


def test_a_discount_line_may_be_negative_but_a_negative_invoice_is_refused():
    discounted = compute_totals([line("1", "100.00"), line("1", "-10.00")], currency="EUR")
    assert (discounted.net, discounted.vat) == (eur("90.00"), eur("18.90"))
    with pytest.raises(ValidationFailed) as info:
        compute_totals([line("-1", "100.00")], currency="EUR")
    assert info.value.code == "invoicing.negative_total"


def test_a_document_without_lines_or_with_a_foreign_currency_line_is_refused():
    with pytest.raises(ValidationFailed, match="at least one line"):
        compute_totals([], currency="EUR")
    with pytest.raises(ValidationFailed) as info:
        compute_totals([line("1", "10.00"), Line(Decimal(1), Money.of("10.00", "USD"), S21)], currency="EUR")
    assert info.value.code == "money.currency_mismatch"


def test_totals_that_do_not_reconcile_cannot_be_built():
    good = compute_totals([line("1", "10.00")], currency="EUR")
    with pytest.raises(InvalidState) as info:
        InvoiceTotals(
            good.kind,
            "EUR",
            good.rounding,
            good.lines,
            good.breakdown,
            good.net,
            good.vat,
            eur("12.11"),
        )
    assert info.value.code == "invoicing.totals_mismatch"
    assert [e.field for e in info.value.fields["problems"]] == ["gross"]


def test_a_currency_without_minor_units_rounds_vat_to_whole_units():
    totals = compute_totals([Line(Decimal(1), Money.of("1001", "JPY"), S21)], currency="JPY")
    assert (totals.vat, totals.gross) == (Money.of("210", "JPY"), Money.of("1211", "JPY"))


def test_a_document_whose_vat_makes_the_total_negative_is_refused():
    from cashtrail.errors import ValidationFailed

    vat6 = VatDecision(Treatment.DOMESTIC, VatCategory.STANDARD, Decimal("6"))
    vat21 = VatDecision(Treatment.DOMESTIC, VatCategory.STANDARD, Decimal("21"))
    # net 157.53 - 138.02 = 19.51, VAT 9.45 - 28.98 = -19.53: the gross would be -0.02
    lines = [
        Line(Decimal("0.239"), Money.of("659.1413", "EUR"), vat6),
        Line(Decimal("131.044"), Money.of("-1.0532", "EUR"), vat21),
    ]
    with pytest.raises(ValidationFailed) as refused:
        compute_totals(lines, currency="EUR")
    assert refused.value.code == "invoicing.negative_total"
