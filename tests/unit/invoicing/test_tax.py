"""VAT rates by country and date, and the VAT decision for one invoice line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from cashtrail.catalog.model import TaxCategory
from cashtrail.errors import ValidationFailed
from cashtrail.invoicing.mentions import mention
from cashtrail.invoicing.tax import (
    RATES,
    RateKind,
    SupplyKind,
    TaxContext,
    Treatment,
    VatCategory,
    VatRate,
    check_rate_table,
    decide_vat,
    rate_on,
)

TODAY = date(2026, 11, 23)
FR_VAT = "FR40303265045"
BE_VAT = "BE0403170701"


@pytest.mark.parametrize(
    ("country", "kind", "percent"),
    [
        ("BE", RateKind.STANDARD, "21"),
        ("BE", RateKind.INTERMEDIATE, "12"),
        ("BE", RateKind.REDUCED, "6"),
        ("BE", RateKind.ZERO, "0"),
        ("FR", RateKind.STANDARD, "20"),
        ("FR", RateKind.INTERMEDIATE, "10"),
        ("FR", RateKind.REDUCED, "5.5"),
        ("FR", RateKind.SUPER_REDUCED, "2.1"),
        ("NL", RateKind.STANDARD, "21"),
        ("NL", RateKind.REDUCED, "9"),
        ("NL", RateKind.ZERO, "0"),
        ("ES", RateKind.STANDARD, "21"),
        ("ES", RateKind.REDUCED, "10"),
        ("ES", RateKind.SUPER_REDUCED, "4"),
        ("DE", RateKind.STANDARD, "19"),
        ("DE", RateKind.REDUCED, "7"),
        ("DE", RateKind.ZERO, "0"),
    ],
)
def test_current_rates_are_the_ones_in_force_in_each_country(country, kind, percent):
    assert rate_on(country, kind, TODAY) == Decimal(percent)


@pytest.mark.parametrize(
    ("country", "kind", "last_old_day", "old", "new"),
    [
        ("NL", RateKind.REDUCED, date(2018, 12, 31), "6", "9"),
        ("NL", RateKind.STANDARD, date(2012, 9, 30), "19", "21"),
        ("FR", RateKind.STANDARD, date(2013, 12, 31), "19.6", "20"),
        ("FR", RateKind.INTERMEDIATE, date(2013, 12, 31), "7", "10"),
        ("ES", RateKind.STANDARD, date(2012, 8, 31), "18", "21"),
        ("ES", RateKind.REDUCED, date(2012, 8, 31), "8", "10"),
        ("DE", RateKind.STANDARD, date(2020, 6, 30), "19", "16"),
        ("DE", RateKind.STANDARD, date(2020, 12, 31), "16", "19"),
    ],
)
def test_a_rate_change_applies_from_its_effective_date(country, kind, last_old_day, old, new):
    assert rate_on(country, kind, last_old_day) == Decimal(old)
    assert rate_on(country, kind, date.fromordinal(last_old_day.toordinal() + 1)) == Decimal(new)


def test_every_rate_in_the_table_is_a_decimal_with_a_source():
    assert all(isinstance(r.percent, Decimal) and r.source for r in RATES)


def test_the_rate_table_has_no_gaps_or_overlaps():
    assert check_rate_table() == []


def test_an_overlapping_rate_table_is_reported():
    overlapping = (
        VatRate("NL", RateKind.REDUCED, Decimal(6), date(2012, 1, 1), date(2019, 1, 1), "x"),
        VatRate("NL", RateKind.REDUCED, Decimal(9), date(2019, 1, 1), None, "y"),
    )
    assert [e.field for e in check_rate_table(overlapping)] == ["NL.reduced"]


def test_a_country_without_a_zero_rate_refuses_a_zero_rated_product():
    with pytest.raises(ValidationFailed) as info:
        rate_on("FR", RateKind.ZERO, TODAY)
    assert info.value.code == "invoicing.no_vat_rate"


def test_a_seller_country_without_a_vat_table_is_refused():
    with pytest.raises(ValidationFailed) as info:
        decide_vat(TaxContext("IT", "IT", buyer_is_business=True), TaxCategory.STANDARD, TODAY)
    assert info.value.code == "invoicing.unsupported_country"


@pytest.mark.parametrize(
    ("seller", "category", "code", "percent"),
    [
        ("BE", TaxCategory.STANDARD, VatCategory.STANDARD, "21"),
        ("BE", TaxCategory.REDUCED, VatCategory.STANDARD, "6"),
        ("BE", TaxCategory.ZERO, VatCategory.ZERO_RATED, "0"),
        ("FR", TaxCategory.REDUCED, VatCategory.STANDARD, "5.5"),
        ("NL", TaxCategory.REDUCED, VatCategory.STANDARD, "9"),
        ("ES", TaxCategory.STANDARD, VatCategory.STANDARD, "21"),
        ("DE", TaxCategory.ZERO, VatCategory.ZERO_RATED, "0"),
    ],
)
def test_a_domestic_line_takes_the_seller_rate_for_its_category(seller, category, code, percent):
    decision = decide_vat(TaxContext(seller, seller, buyer_is_business=True), category, TODAY)
    assert (decision.treatment, decision.category, decision.rate) == (Treatment.DOMESTIC, code, Decimal(percent))
    assert decision.exemption_code == ""
    assert decision.mention("en") == ""


def test_a_domestic_line_uses_the_rate_of_its_supply_date():
    ctx = TaxContext("NL", "NL", buyer_is_business=False)
    assert decide_vat(ctx, TaxCategory.REDUCED, date(2018, 6, 1)).rate == Decimal(6)
    assert decide_vat(ctx, TaxCategory.REDUCED, date(2019, 6, 1)).rate == Decimal(9)


def test_an_exempt_product_is_exempt_whoever_buys_it():
    for buyer, vat_number in [("BE", None), ("FR", FR_VAT), ("US", None)]:
        ctx = TaxContext("BE", buyer, buyer_is_business=True, buyer_vat_number=vat_number)
        decision = decide_vat(ctx, TaxCategory.EXEMPT, TODAY)
        assert (decision.category, decision.rate, decision.exemption_code) == ("E", Decimal(0), "VATEX-EU-132")


def test_services_to_a_business_with_a_valid_vat_number_of_another_member_state_are_reverse_charged():
    ctx = TaxContext("BE", "FR", buyer_is_business=True, buyer_vat_number="fr 40 303 265 045")
    decision = decide_vat(ctx, TaxCategory.STANDARD, TODAY)
    assert decision.treatment == Treatment.REVERSE_CHARGE
    assert (decision.category, decision.rate, decision.exemption_code) == ("AE", Decimal(0), "VATEX-EU-AE")


def test_goods_to_a_business_in_another_member_state_are_an_exempt_intra_community_supply():
    ctx = TaxContext("DE", "BE", buyer_is_business=True, buyer_vat_number=BE_VAT, supply=SupplyKind.GOODS)
    decision = decide_vat(ctx, TaxCategory.REDUCED, TODAY)
    assert (decision.category, decision.rate, decision.exemption_code) == ("K", Decimal(0), "VATEX-EU-IC")
    assert "138" in decision.mention("en")


@pytest.mark.parametrize(
    "context",
    [
        TaxContext("BE", "FR", buyer_is_business=True, buyer_vat_number="FR40303265046"),
        TaxContext("BE", "FR", buyer_is_business=True, buyer_vat_number=BE_VAT),
        TaxContext("BE", "FR", buyer_is_business=True, buyer_vat_number=FR_VAT, vat_number_confirmed=False),
        TaxContext("BE", "FR", buyer_is_business=True, buyer_vat_number=None),
        TaxContext("BE", "BE", buyer_is_business=True, buyer_vat_number=BE_VAT),
    ],
    ids=["bad-checksum", "number-of-another-state", "not-confirmed-by-vies", "no-number", "same-country"],
)
def test_a_business_buyer_without_a_valid_foreign_vat_number_is_charged_the_domestic_rate(context):
    decision = decide_vat(context, TaxCategory.STANDARD, TODAY)
    assert (decision.treatment, decision.category, decision.rate) == (Treatment.DOMESTIC, "S", Decimal(21))


def test_goods_exported_to_the_united_states_are_zero_rated_exports():
    ctx = TaxContext("NL", "US", buyer_is_business=True, buyer_vat_number="12-3456789", supply=SupplyKind.GOODS)
    decision = decide_vat(ctx, TaxCategory.STANDARD, TODAY)
    assert (decision.treatment, decision.category, decision.rate) == (Treatment.EXPORT, "G", Decimal(0))
    assert decision.exemption_code == "VATEX-EU-G"


def test_services_to_a_business_outside_the_eu_are_outside_the_scope_of_eu_vat():
    decision = decide_vat(TaxContext("ES", "US", buyer_is_business=True), TaxCategory.STANDARD, TODAY)
    assert (decision.treatment, decision.category, decision.exemption_code) == (
        Treatment.OUTSIDE_SCOPE,
        "O",
        "VATEX-EU-O",
    )


def test_services_to_a_consumer_outside_the_eu_keep_the_seller_rate():
    decision = decide_vat(TaxContext("ES", "US", buyer_is_business=False), TaxCategory.STANDARD, TODAY)
    assert (decision.category, decision.rate) == ("S", Decimal(21))


@pytest.mark.parametrize("supply", list(SupplyKind))
def test_a_cross_border_sale_to_a_consumer_in_the_eu_stays_at_the_seller_rate(supply):
    ctx = TaxContext("NL", "BE", buyer_is_business=False, supply=supply)
    assert decide_vat(ctx, TaxCategory.STANDARD, TODAY).rate == Decimal(21)
    assert decide_vat(ctx, TaxCategory.REDUCED, TODAY).rate == Decimal(9)


def test_a_greek_buyer_is_recognised_by_its_el_vat_prefix():
    ctx = TaxContext("FR", "GR", buyer_is_business=True, buyer_vat_number="EL094259216")
    assert decide_vat(ctx, TaxCategory.STANDARD, TODAY).category == VatCategory.REVERSE_CHARGE


def test_an_unknown_buyer_country_or_tax_category_is_refused():
    with pytest.raises(ValidationFailed, match="country"):
        decide_vat(TaxContext("BE", "XX", buyer_is_business=True), TaxCategory.STANDARD, TODAY)
    with pytest.raises(ValidationFailed, match="tax category"):
        decide_vat(TaxContext("BE", "BE", buyer_is_business=True), "luxury", TODAY)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Reverse charge"),
        ("fr", "Autoliquidation"),
        ("nl", "Verlegging"),
        ("es", "Inversión del sujeto pasivo"),
    ],
)
def test_the_reverse_charge_mention_is_printed_in_the_document_language(language, words):
    ctx = TaxContext("BE", "FR", buyer_is_business=True, buyer_vat_number=FR_VAT)
    text = decide_vat(ctx, TaxCategory.STANDARD, TODAY).mention(language)
    assert text.startswith(words)
    assert "196" in text
    assert "2006/112" in text


@pytest.mark.parametrize(
    ("treatment", "article"),
    [
        (Treatment.INTRA_COMMUNITY_SUPPLY, "138"),
        (Treatment.EXPORT, "146"),
        (Treatment.OUTSIDE_SCOPE, "44"),
        (Treatment.EXEMPT, "132"),
    ],
)
def test_every_untaxed_treatment_has_a_mention_citing_its_article_in_every_language(treatment, article):
    texts = {language: mention(treatment, language) for language in ("en", "fr", "nl", "es")}
    assert all(article in text for text in texts.values())
    assert len(set(texts.values())) == 4


def test_a_mention_in_an_unsupported_language_is_refused():
    with pytest.raises(ValidationFailed) as info:
        mention(Treatment.REVERSE_CHARGE, "de")
    assert info.value.code == "invoicing.unsupported_language"
