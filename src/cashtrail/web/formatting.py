"""Display formatting for the templates (English, Babel-free for now).

Amounts come in as ``Decimal`` and are quantized, half-up, to the currency's minor unit (two places when no
currency is given); they never pass through ``float``. Instants are stored in UTC and shown in the installation's
timezone (``CASHTRAIL_TIMEZONE``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from babel import Locale

from cashtrail.errors import ValidationFailed
from cashtrail.money import minor_units

DASH = "—"
_LABELS = {"vat_number": "VAT number", "iban": "IBAN", "bill_to": "Bill-to", "ship_to": "Ship-to"}


def amount(value: Decimal | int | str | None, currency: str | None = None) -> str:
    """``value`` with thousands separators and the currency's decimals; a dash for None.

    >>> amount(Decimal("50000"), "EUR"), amount(Decimal("-1234.565")), amount(Decimal("1234.5"), "JPY")
    ('50,000.00', '-1,234.57', '1,235')
    """
    if value is None:
        return DASH
    if isinstance(value, float):
        raise TypeError("amounts are Decimal, never float")
    try:
        places = minor_units(currency) if currency else 2
    except ValidationFailed:
        places = 2
    exact = value if isinstance(value, Decimal) else Decimal(value)
    return f"{exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,}"


def figure(value: Decimal | int | str | None, places: int = 2) -> str:
    """A count or measure (pages, percentages) with thousands separators and at most ``places`` decimals.

    >>> figure("120000.0000"), figure("12000.50000000"), figure(140000), figure("0.0080000", 6), figure(None)
    ('120,000', '12,000.5', '140,000', '0.008', '—')
    """
    if value is None or value == "":
        return DASH
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{number:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def when(instant: datetime | None, zone: ZoneInfo) -> str:
    """An instant as ``YYYY-MM-DD HH:MM`` in ``zone``; a dash for None."""
    if instant is None:
        return DASH
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def audit_value(value: object) -> str:
    """A value from an audit diff, compact: lists joined by ``;``, dicts by their non-empty values.

    >>> audit_value([{"kind": "bill_to", "line2": "", "city": "Gent"}]), audit_value(None), audit_value("")
    ('bill_to, Gent', '—', '(empty)')
    """
    if value is None:
        return DASH
    if value == "":
        return "(empty)"
    if isinstance(value, list | tuple):
        return "; ".join(audit_value(v) for v in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values() if v not in (None, ""))
    return str(value)


def label(name: str) -> str:
    """A field, role or action name for people: ``payment_terms_code`` → ``Payment terms code``.

    >>> label("billing_analyst"), label("customer.updated"), label("vat_number")
    ('Billing analyst', 'Customer updated', 'VAT number')
    """
    if name in _LABELS:
        return _LABELS[name]
    words = name.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


@cache
def countries() -> tuple[tuple[str, str], ...]:
    """ISO 3166 alpha-2 codes with their English names, sorted by name."""
    names = {str(code): str(name) for code, name in Locale("en").territories.items()}
    pairs = ((code, name) for code, name in names.items() if len(code) == 2 and code.isalpha())
    return tuple(sorted(pairs, key=lambda pair: pair[1]))


def country_name(code: str | None) -> str:
    """The English name of a country code (the code itself when unknown).

    >>> country_name("BE")
    'Belgium'
    """
    if not code:
        return DASH
    return dict(countries()).get(code, code)


def path_segment(value: object) -> str:
    """``value`` quoted for use as one URL path segment (slashes included).

    >>> path_segment("C/01 x")
    'C%2F01%20x'
    """
    return quote(str(value), safe="")


def toner_url(key: str) -> str:
    """The workbench page of the toner reconciliation keyed ``AGREEMENT@PERIOD`` (a billing charge's origin).

    >>> toner_url("MPS/1@2026-Q1")
    '/toner/MPS%2F1/2026-Q1'
    """
    agreement, _, period = str(key).rpartition("@")
    return f"/toner/{path_segment(agreement)}/{path_segment(period)}"


def url_with(path: str, **params: object) -> str:
    """``path`` with a query string of the non-empty ``params``.

    >>> url_with("/customers", search="acme", country="", after=None)
    '/customers?search=acme'
    """
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path
