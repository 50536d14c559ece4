"""The seller country's legal texts: which documents carry which, in every document language."""

from __future__ import annotations

import pytest

from cashtrail.errors import ValidationFailed
from cashtrail.invoicing.mentions import CountryText, country_mentions, country_texts
from cashtrail.invoicing.tax import SELLER_COUNTRIES
from cashtrail.parties.identifiers import LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("country", SELLER_COUNTRIES)
def test_every_seller_country_tells_an_invoice_reader_about_late_payment_in_every_language(
    country: str, language: str
) -> None:
    texts = country_mentions(country, language)

    assert CountryText.LATE_PAYMENT in country_texts(country)
    assert len(texts) == len(country_texts(country))
    assert all(text.strip() for text in texts)
    assert any("40" in text for text in texts)  # the EUR 40 recovery indemnity of Directive 2011/7/EU


def test_a_french_invoice_states_the_penalty_rate_the_indemnity_and_the_discount_terms() -> None:
    late, discount = country_mentions("FR", "fr")

    assert "L441-10" in late
    assert "10 points" in late
    assert "40 €" in late
    assert "D441-5" in late
    assert "escompte" in discount


def test_a_credit_note_carries_no_late_payment_text() -> None:
    for country in SELLER_COUNTRIES:
        assert CountryText.LATE_PAYMENT not in country_texts(country, credit_note=True)


def test_a_belgian_credit_note_with_vat_says_the_vat_is_to_be_repaid_where_deducted() -> None:
    (text,) = country_mentions("BE", "nl", credit_note=True, vat_charged=True)

    assert text.startswith("Btw terug te storten aan de Staat")
    assert country_mentions("BE", "nl", credit_note=True, vat_charged=False) == ()


def test_a_spanish_credit_note_says_it_is_a_factura_rectificativa() -> None:
    assert country_mentions("ES", "es", credit_note=True) == (
        "Factura rectificativa (artículo 15 del Real Decreto 1619/2012).",
    )
    assert "rectificativa" in country_mentions("ES", "en", credit_note=True)[0]


def test_the_texts_differ_by_language() -> None:
    texts = {language: country_mentions("BE", language) for language in LANGUAGES}

    assert len({t for t in texts.values()}) == len(LANGUAGES)


def test_an_unsupported_language_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        country_mentions("BE", "de")
    assert caught.value.code == "invoicing.unsupported_language"


def test_a_country_without_texts_gets_none() -> None:
    assert country_mentions("US", "en") == ()
