"""Country, language and tax identifiers for parties, validated with python-stdnum and Babel.

VAT numbers are stored compact and, for EU member states, with their country prefix (``BE0403170701``), the form
VIES and Peppol use. Other countries use their national tax number (US: EIN ``12-3456789``).
"""

from __future__ import annotations

from functools import cache

import stdnum
from babel import Locale
from stdnum.exceptions import ValidationError as StdnumError

LANGUAGES = ("en", "fr", "nl", "es")
EU_VAT_COUNTRIES = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)


@cache
def _countries() -> frozenset[str]:
    codes = (str(code) for code in Locale("en").territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def is_country(code: str) -> bool:
    """True for an ISO 3166-1 alpha-2 code, upper case.

    >>> is_country("BE"), is_country("XX"), is_country("be")
    (True, False, False)
    """
    return code in _countries()


def country_name(code: str, language: str = "en") -> str:
    """The country's name in ``language``."""
    return str(Locale(language).territories.get(code, code))


def vat_prefix(country: str) -> str:
    """The VAT prefix of an EU country (Greece uses EL)."""
    return "EL" if country == "GR" else country


def normalize_vat(number: str, country: str) -> str:
    """Validate ``number`` as the tax number of ``country`` and return its stored form.

    Raises ``ValueError`` with a human reason when the number is not valid for the country.

    >>> normalize_vat("be 0403.170.701", "BE")
    'BE0403170701'
    >>> normalize_vat("0403170701", "BE")
    'BE0403170701'
    >>> normalize_vat("FR40303265045", "BE")
    Traceback (most recent call last):
    ...
    ValueError: VAT number FR40303265045 belongs to FR, not BE
    """
    raw = number.strip()
    if not raw:
        raise ValueError("VAT number is empty")
    prefix = vat_prefix(country)
    if country in EU_VAT_COUNTRIES | {"GR"}:
        compact = "".join(ch for ch in raw.upper() if ch.isalnum())
        if compact[:2].isalpha() and compact[:2] != prefix:
            raise ValueError(f"VAT number {compact} belongs to {compact[:2]}, not {country}")
        if not compact.startswith(prefix):
            compact = prefix + compact
        module = stdnum.get_cc_module(country.lower(), "vat")
        if module is None:  # pragma: no cover - stdnum has a VAT module for every EU member state
            raise ValueError(f"no VAT validator for {country}")
        try:
            return prefix + str(module.validate(compact[2:]))
        except StdnumError as exc:
            raise ValueError(f"not a valid {country} VAT number: {exc}") from None
    module = stdnum.get_cc_module(country.lower(), "vat") or stdnum.get_cc_module(country.lower(), "ein")
    if module is None:
        return raw.upper()  # no validator for this country: keep what the user typed, trimmed
    try:
        valid = str(module.validate(raw))
    except StdnumError as exc:
        raise ValueError(f"not a valid {country} tax number: {exc}") from None
    formatter = getattr(module, "format", None)
    return str(formatter(valid)) if formatter else valid


def normalize_iban(number: str) -> str:
    """Validate an IBAN (ISO 13616 structure and mod-97 check digits) and return it compact.

    The country-specific bank-code check is off: python-stdnum's bank registries are incomplete and reject real,
    well-formed accounts (see ``docs/decisions.md``).

    >>> normalize_iban("BE68 5390 0754 7034")
    'BE68539007547034'
    """
    from stdnum import iban

    try:
        return str(iban.validate(number, check_country=False))
    except StdnumError as exc:
        raise ValueError(f"not a valid IBAN: {exc}") from None
