"""EU VAT for the seller countries Cashtrail supports (BE, FR, NL, ES, DE): dated rates and the per-line decision.

Rates are a dated table: one :class:`VatRate` per country, :class:`RateKind` and validity window (``valid_to``
inclusive, ``None`` open-ended). The table covers supplies from :data:`TABLE_START` (2012-01-01); a rate in force
before that date is entered from it. A supply takes the rate in force on its tax point date.

Sources (checked 2026-11; details and links in ``docs/tax.md``):
- current rates: European Commission, "VAT rates applied in the Member States of the European Union"
  (https://taxation-customs.ec.europa.eu/taxation/vat/vat-directive/vat-rates_en);
- NL reduced 6 % -> 9 % on 2019-01-01 (Belastingplan 2019; business.gov.nl "Increase of the low VAT tariff from
  6 to 9%"); NL standard 19 % -> 21 % on 2012-10-01; NL 0 % on residential solar panels from 2023-01-01;
- FR standard 19.6 % -> 20 % and intermediate 7 % -> 10 % on 2014-01-01 (loi n° 2012-1510, art. 68);
- ES standard 18 % -> 21 % and reduced 8 % -> 10 % on 2012-09-01 (Real Decreto-ley 20/2012, art. 23);
- DE 16 % / 5 % from 2020-07-01 to 2020-12-31 (Zweites Corona-Steuerhilfegesetz); DE 0 % on photovoltaic systems
  from 2023-01-01 (§ 12 (3) UStG, Jahressteuergesetz 2022);
- BE 21 / 12 / 6 / 0 % (Code de la TVA art. 37, arrêté royal n° 20).

The decision (:func:`decide_vat`) for one line, in this order:
1. an exempt product is exempt everywhere (``E``, art. 132);
2. a buyer outside the EU: goods are exported (``G``, art. 146); services to a business are outside the scope of
   EU VAT (``O``, art. 44); services to a consumer stay domestic (art. 45);
3. a business buyer in another member state with a valid VAT number of that state: services are reverse-charged
   (``AE``, art. 196), goods are an exempt intra-Community supply (``K``, art. 138);
4. everything else is domestic at the seller's rate for the product's category (``S``, or ``Z`` when 0 %) - this
   includes B2C sales to another member state (distance-selling thresholds and OSS are out of scope) and a business
   buyer whose VAT number is missing, malformed, of the wrong state or not confirmed by VIES.

Invariants: every decision carries an EN 16931 category code (UNCL 5305 subset S, Z, E, AE, K, G, O) and a rate;
non-domestic decisions carry rate 0 and a VATEX exemption reason code; rates are ``Decimal`` percentages.

>>> rate_on("NL", RateKind.REDUCED, date(2018, 12, 31)), rate_on("NL", RateKind.REDUCED, date(2019, 1, 1))
(Decimal('6'), Decimal('9'))
>>> ctx = TaxContext("BE", "FR", buyer_is_business=True, buyer_vat_number="FR40303265045")
>>> decide_vat(ctx, TaxCategory.STANDARD, date(2026, 11, 23)).category
<VatCategory.REVERSE_CHARGE: 'AE'>
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cashtrail.catalog.model import TaxCategory
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.invoicing.mentions import Treatment, mention
from cashtrail.parties.identifiers import EU_VAT_COUNTRIES, is_country, normalize_vat

__all__ = [
    "RATES",
    "SELLER_COUNTRIES",
    "TABLE_START",
    "RateKind",
    "SupplyKind",
    "TaxContext",
    "Treatment",
    "VatCategory",
    "VatDecision",
    "VatRate",
    "check_rate_table",
    "decide_vat",
    "is_eu",
    "rate_on",
]

TABLE_START = date(2012, 1, 1)
SELLER_COUNTRIES = ("BE", "DE", "ES", "FR", "NL")
_ZERO = Decimal(0)


class RateKind(StrEnum):
    """Which of a country's rates (names follow the Commission's table)."""

    STANDARD = "standard"
    INTERMEDIATE = "intermediate"  # the higher reduced rate: BE 12 %, FR 10 %
    REDUCED = "reduced"  # the main reduced rate: BE 6 %, FR 5.5 %, NL 9 %, ES 10 %, DE 7 %
    SUPER_REDUCED = "super_reduced"  # below 5 %: FR 2.1 %, ES 4 %
    ZERO = "zero"  # a domestic 0 % rate with the right to deduct input VAT


class VatCategory(StrEnum):
    """EN 16931 VAT category codes (BT-118 / BT-151, UNCL 5305 subset)."""

    STANDARD = "S"
    ZERO_RATED = "Z"
    EXEMPT = "E"
    REVERSE_CHARGE = "AE"
    INTRA_COMMUNITY = "K"
    EXPORT = "G"
    OUTSIDE_SCOPE = "O"


class SupplyKind(StrEnum):
    """Goods and services follow different place-of-supply rules."""

    GOODS = "goods"
    SERVICES = "services"


@dataclass(frozen=True, slots=True)
class VatRate:
    """One rate of one country over a validity window (``valid_to`` inclusive)."""

    country: str
    kind: RateKind
    percent: Decimal
    valid_from: date
    valid_to: date | None
    source: str

    def is_valid_on(self, day: date) -> bool:
        """True when ``day`` falls in the validity window."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _r(country: str, kind: RateKind, percent: str, start: date, end: date | None, source: str) -> VatRate:
    return VatRate(country, kind, Decimal(percent), start, end, source)


_EC = "EC, VAT rates applied in the Member States of the EU"
_S, _I, _R, _SR, _Z = RateKind.STANDARD, RateKind.INTERMEDIATE, RateKind.REDUCED, RateKind.SUPER_REDUCED, RateKind.ZERO

RATES: tuple[VatRate, ...] = (
    _r("BE", _S, "21", TABLE_START, None, f"{_EC}; Code TVA art. 37, AR n° 20"),
    _r("BE", _I, "12", TABLE_START, None, f"{_EC}; AR n° 20 tableau B"),
    _r("BE", _R, "6", TABLE_START, None, f"{_EC}; AR n° 20 tableau A"),
    _r("BE", _Z, "0", TABLE_START, None, "AR n° 20 art. 1 (newspapers, as amended by loi du 13/04/2019)"),
    _r("FR", _S, "19.6", TABLE_START, date(2013, 12, 31), "CGI art. 278 before loi n° 2012-1510"),
    _r("FR", _S, "20", date(2014, 1, 1), None, "loi n° 2012-1510 du 29/12/2012 art. 68; CGI art. 278"),
    _r("FR", _I, "7", TABLE_START, date(2013, 12, 31), "loi n° 2011-1978 (7 % rate from 2012-01-01)"),
    _r("FR", _I, "10", date(2014, 1, 1), None, "loi n° 2012-1510 art. 68; CGI art. 279"),
    _r("FR", _R, "5.5", TABLE_START, None, f"{_EC}; CGI art. 278-0 bis"),
    _r("FR", _SR, "2.1", TABLE_START, None, f"{_EC}; CGI art. 281 quater ff."),
    _r("NL", _S, "19", TABLE_START, date(2012, 9, 30), "Wet OB 1968 art. 9 before 2012-10-01"),
    _r("NL", _S, "21", date(2012, 10, 1), None, "Wet OB 1968 art. 9 (Begrotingsakkoord 2013)"),
    _r("NL", _R, "6", TABLE_START, date(2018, 12, 31), "Wet OB 1968 tabel I before Belastingplan 2019"),
    _r("NL", _R, "9", date(2019, 1, 1), None, "Belastingplan 2019; business.gov.nl low VAT tariff 6 to 9 %"),
    _r("NL", _Z, "0", date(2023, 1, 1), None, "Wet OB 1968 tabel II a.10 (solar panels, Belastingplan 2023)"),
    _r("ES", _S, "18", TABLE_START, date(2012, 8, 31), "Ley 37/1992 art. 90 before RDL 20/2012"),
    _r("ES", _S, "21", date(2012, 9, 1), None, "Real Decreto-ley 20/2012 art. 23; Ley 37/1992 art. 90"),
    _r("ES", _R, "8", TABLE_START, date(2012, 8, 31), "Ley 37/1992 art. 91 before RDL 20/2012"),
    _r("ES", _R, "10", date(2012, 9, 1), None, "Real Decreto-ley 20/2012 art. 23; Ley 37/1992 art. 91.uno"),
    _r("ES", _SR, "4", TABLE_START, None, f"{_EC}; Ley 37/1992 art. 91.dos"),
    _r("DE", _S, "19", TABLE_START, date(2020, 6, 30), "UStG § 12 (1)"),
    _r("DE", _S, "16", date(2020, 7, 1), date(2020, 12, 31), "Zweites Corona-Steuerhilfegesetz, UStG § 28"),
    _r("DE", _S, "19", date(2021, 1, 1), None, "UStG § 12 (1)"),
    _r("DE", _R, "7", TABLE_START, date(2020, 6, 30), "UStG § 12 (2)"),
    _r("DE", _R, "5", date(2020, 7, 1), date(2020, 12, 31), "Zweites Corona-Steuerhilfegesetz, UStG § 28"),
    _r("DE", _R, "7", date(2021, 1, 1), None, "UStG § 12 (2)"),
    _r("DE", _Z, "0", date(2023, 1, 1), None, "UStG § 12 (3) (photovoltaic systems, Jahressteuergesetz 2022)"),
)

_KIND_OF_CATEGORY = {
    TaxCategory.STANDARD: RateKind.STANDARD,
    TaxCategory.REDUCED: RateKind.REDUCED,
    TaxCategory.ZERO: RateKind.ZERO,
}


def _seller_country(country: str) -> str:
    if country not in SELLER_COUNTRIES:
        raise ValidationFailed(
            f"no VAT table for seller country {country!r}", code="invoicing.unsupported_country", country=country
        )
    return country


def rate_on(country: str, kind: RateKind, day: date) -> Decimal:
    """The ``kind`` rate of ``country`` in force on ``day``, as a percentage.

    >>> rate_on("DE", RateKind.STANDARD, date(2020, 8, 1))
    Decimal('16')
    """
    _seller_country(country)
    for rate in RATES:
        if rate.country == country and rate.kind == kind and rate.is_valid_on(day):
            return rate.percent
    raise ValidationFailed(
        f"{country} has no {kind} VAT rate on {day.isoformat()}",
        code="invoicing.no_vat_rate",
        country=country,
        kind=str(kind),
        day=day.isoformat(),
    )


def check_rate_table(rates: tuple[VatRate, ...] = RATES) -> list[FieldError]:
    """Every gap or overlap between consecutive windows of one country and kind (empty when sound)."""
    errors: list[FieldError] = []
    keys = sorted({(r.country, r.kind) for r in rates})
    for country, kind in keys:
        windows = sorted((r for r in rates if (r.country, r.kind) == (country, kind)), key=lambda r: r.valid_from)
        for before, after in zip(windows, windows[1:], strict=False):
            if before.valid_to is None or before.valid_to.toordinal() + 1 != after.valid_from.toordinal():
                errors.append(FieldError(f"{country}.{kind}", "windows overlap or leave a gap", value=after.valid_from))
    return errors


def is_eu(country: str) -> bool:
    """True for an EU member state given by its ISO code (Greece is GR; its VAT prefix is EL).

    >>> is_eu("GR"), is_eu("CH"), is_eu("GB")
    (True, False, False)
    """
    return country != "EL" and (country in EU_VAT_COUNTRIES or country == "GR")


@dataclass(frozen=True, slots=True)
class TaxContext:
    """Who sells to whom: what the VAT decision needs to know about the parties and the supply.

    ``vat_number_confirmed`` carries the answer of a VIES check when one was made; ``False`` forces domestic VAT
    even for a well-formed number.
    """

    seller_country: str
    buyer_country: str
    buyer_is_business: bool
    buyer_vat_number: str | None = None
    vat_number_confirmed: bool = True
    supply: SupplyKind = SupplyKind.SERVICES

    def buyer_has_valid_foreign_vat_number(self) -> bool:
        """True when the buyer holds a valid, confirmed VAT number of its own (other) member state."""
        if not self.buyer_vat_number or not self.vat_number_confirmed or self.buyer_country == self.seller_country:
            return False
        try:
            normalize_vat(self.buyer_vat_number, self.buyer_country)
        except ValueError:
            return False
        return True


@dataclass(frozen=True, slots=True)
class VatDecision:
    """The VAT a line carries: treatment, EN 16931 category, rate in percent and VATEX reason when not taxed."""

    treatment: Treatment
    category: VatCategory
    rate: Decimal
    exemption_code: str = ""

    def mention(self, language: str) -> str:
        """The legal mention to print in ``language``; empty for domestic lines."""
        return mention(self.treatment, language)


_NOT_TAXED = {
    Treatment.EXEMPT: VatDecision(Treatment.EXEMPT, VatCategory.EXEMPT, _ZERO, "VATEX-EU-132"),
    Treatment.EXPORT: VatDecision(Treatment.EXPORT, VatCategory.EXPORT, _ZERO, "VATEX-EU-G"),
    Treatment.OUTSIDE_SCOPE: VatDecision(Treatment.OUTSIDE_SCOPE, VatCategory.OUTSIDE_SCOPE, _ZERO, "VATEX-EU-O"),
    Treatment.REVERSE_CHARGE: VatDecision(Treatment.REVERSE_CHARGE, VatCategory.REVERSE_CHARGE, _ZERO, "VATEX-EU-AE"),
    Treatment.INTRA_COMMUNITY_SUPPLY: VatDecision(
        Treatment.INTRA_COMMUNITY_SUPPLY, VatCategory.INTRA_COMMUNITY, _ZERO, "VATEX-EU-IC"
    ),
}


def _cross_border(context: TaxContext) -> Treatment | None:
    goods = context.supply == SupplyKind.GOODS
    if not is_eu(context.buyer_country):
        if goods:
            return Treatment.EXPORT
        return Treatment.OUTSIDE_SCOPE if context.buyer_is_business else None
    if context.buyer_is_business and context.buyer_has_valid_foreign_vat_number():
        return Treatment.INTRA_COMMUNITY_SUPPLY if goods else Treatment.REVERSE_CHARGE
    return None


def decide_vat(context: TaxContext, category: TaxCategory | str, on: date) -> VatDecision:
    """The VAT treatment of one line of a product of ``category`` supplied on ``on`` (see the module rules)."""
    seller = _seller_country(context.seller_country)
    if not is_country(context.buyer_country):
        raise ValidationFailed(
            f"not a country code: {context.buyer_country!r}",
            code="invoicing.bad_country",
            country=context.buyer_country,
        )
    if category not in TaxCategory.__members__.values():
        raise ValidationFailed(f"unknown tax category {category!r}", code="invoicing.bad_tax_category")
    tax_category = TaxCategory(category)
    if tax_category == TaxCategory.EXEMPT:
        return _NOT_TAXED[Treatment.EXEMPT]
    treatment = _cross_border(context)
    if treatment is not None:
        return _NOT_TAXED[treatment]
    rate = rate_on(seller, _KIND_OF_CATEGORY[tax_category], on)
    code = VatCategory.STANDARD if rate > 0 else VatCategory.ZERO_RATED
    return VatDecision(Treatment.DOMESTIC, code, rate)
