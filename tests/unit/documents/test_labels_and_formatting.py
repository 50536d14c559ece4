"""Document labels exist in all four languages and every template key has one; numbers, amounts and dates are
formatted the way a reader in the customer's country expects."""

from __future__ import annotations

import re
import string
from datetime import date
from decimal import Decimal

import pytest

from cashtrail.documents.formatting import Formatter, group_iban
from cashtrail.documents.labels import CATALOGUE, SELLER_OVERRIDES, Labels, locale_for
from cashtrail.documents.pdf import TEMPLATES
from cashtrail.errors import ValidationFailed
from cashtrail.money import Money


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_label_has_four_non_empty_translations_with_the_same_fields(key: str) -> None:
    texts = CATALOGUE[key]

    assert len(texts) == 4
    assert all(text.strip() for text in texts)
    assert len({frozenset(_fields(text)) for text in texts}) == 1


def test_seller_overrides_replace_existing_labels_only() -> None:
    assert {key for key, _, _ in SELLER_OVERRIDES} <= set(CATALOGUE)
    assert Labels("es", "ES")("credit_note") == "Factura rectificativa"
    assert Labels("es", "BE")("credit_note") == "Nota de crédito"


def test_every_label_a_template_uses_is_in_the_catalogue() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r"\bt(?:\.colon)?\('([a-z_A-Z]+)'", template.read_text(encoding="utf-8")))
    prefixes = {key for key in used if key.endswith("_")}  # t('kind_' ~ item.kind): a family of labels

    assert used
    assert used - prefixes - set(CATALOGUE) == set()
    assert all(any(key.startswith(prefix) for key in CATALOGUE) for prefix in prefixes)


def test_labels_fill_their_fields_and_french_puts_a_space_before_the_colon() -> None:
    assert (
        Labels("nl")("corrects", number="INV-1", date="31 maart 2026") == "Corrigeert factuur INV-1 van 31 maart 2026"
    )
    assert Labels("fr").colon("payment_terms") == "Conditions de paiement\u00a0:"
    assert Labels("en").colon("payment_terms") == "Payment terms:"


def test_an_unsupported_language_is_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Labels("de")
    assert caught.value.code == "documents.unsupported_language"


@pytest.mark.parametrize(
    ("language", "country", "locale"),
    [
        ("fr", "BE", "fr_BE"),
        ("fr", "FR", "fr_FR"),
        ("nl", "BE", "nl_BE"),
        ("nl", "NL", "nl_NL"),
        ("es", "ES", "es_ES"),
        ("en", "IE", "en_IE"),
        ("en", "GB", "en_GB"),
        ("en", "FR", "en_FR"),
        ("fr", "US", "fr_FR"),  # CLDR has no fr_US: the language's home locale
        ("es", "DE", "es_ES"),
        ("nl", "US", "nl_NL"),
    ],
)
def test_the_locale_is_the_document_language_in_the_buyers_country(language: str, country: str, locale: str) -> None:
    assert str(locale_for(language, country)) == locale


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    ("locale", "amount"),
    [
        ("fr_BE", "1 234,50 €"),
        ("nl_BE", "€ 1.234,50"),
        ("nl_NL", "€ 1.234,50"),
        ("es_ES", "1.234,50 €"),
        ("en_IE", "€1,234.50"),
    ],
)
def test_amounts_follow_the_readers_locale_with_the_currency_decimals(locale: str, amount: str) -> None:
    f = Formatter(locale_for(*locale.split("_")), "EUR")

    assert _plain(f.money(Decimal("1234.5"))) == amount
    assert _plain(f.money(Money.of("1234.5", "EUR"))) == amount


def test_unit_prices_and_quantities_keep_every_decimal() -> None:
    f = Formatter(locale_for("fr", "BE"), "EUR")

    assert _plain(f.price(Decimal("0.0123"))) == "0,0123 €"
    assert _plain(f.price(Decimal("250"))) == "250,00 €"
    assert f.number(Decimal("1.750")) == "1,75"
    assert f.number(Decimal("12")) == "12"


def test_a_currency_without_minor_units_prints_none() -> None:
    f = Formatter(locale_for("en", "IE"), "JPY")

    assert f.money(Decimal("1500")) == "JP¥1,500"


def test_dates_and_rates_are_written_in_the_document_language() -> None:
    assert Formatter(locale_for("fr", "BE"), "EUR").date(date(2026, 4, 30)) == "30 avril 2026"
    assert Formatter(locale_for("nl", "NL"), "EUR").date(date(2026, 4, 30)) == "30 april 2026"
    assert Formatter(locale_for("es", "ES"), "EUR").date(date(2026, 4, 30)) == "30 de abril de 2026"
    assert _plain(Formatter(locale_for("fr", "FR"), "EUR").percent(Decimal("5.5"))) == "5,5 %"
    assert Formatter(locale_for("en", "IE"), "EUR").percent(Decimal("21")) == "21%"


def test_a_float_is_refused() -> None:
    with pytest.raises(TypeError):
        Formatter(locale_for("en", "IE"), "EUR").money(12.5)  # type: ignore[arg-type]


def test_an_iban_is_printed_in_groups_of_four() -> None:
    assert group_iban("FR1420041010050500013M02606") == "FR14 2004 1010 0505 0001 3M02 606"
