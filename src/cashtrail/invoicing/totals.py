"""Invoice totals: line nets, the VAT breakdown per category and rate, and the document totals.

Rounding happens once per document edge, HALF_UP to the currency's minor unit:
- each line net is ``quantity x unit price``, rounded;
- VAT is rounded either per invoice and rate (:attr:`TaxRounding.PER_RATE`: the sum of the nets at one
  category and rate, times the rate, rounded once) or per line (:attr:`TaxRounding.PER_LINE`: each line's VAT
  rounded, then summed). The seller country picks the method (:data:`TAX_ROUNDING_BY_COUNTRY`), default per rate:
  it is what EN 16931 checks (BR-CO-17: breakdown VAT = taxable amount x rate, rounded), so a per-line invoice may
  differ from it by a cent per line and be refused by a strict validator. The Dutch and German tax authorities also
  accept per-line rounding; a seller may choose it explicitly.

Sign convention: a document shows its amounts as printed. An invoice (UNCL 1001 code 380) and a credit note (381)
both have a net total of zero or more; single lines may be negative (a discount, a correction). The receivable
effect is given by :meth:`InvoiceTotals.signed_gross`: positive for an invoice, negative for a credit note. A
negative invoice is refused: issue a credit note instead. This is the form Peppol BIS Billing 3.0 prefers.

Invariants, checked on every :class:`InvoiceTotals` (to the cent, no tolerance):
- sum of line nets = sum of breakdown taxable amounts = net total;
- sum of breakdown VAT = VAT total; net total + VAT total = gross total.

>>> from cashtrail.invoicing.tax import Treatment, VatCategory, VatDecision
>>> vat21 = VatDecision(Treatment.DOMESTIC, VatCategory.STANDARD, Decimal("21"))
>>> totals = compute_totals([Line(Decimal("3"), Money.of("19.99", "EUR"), vat21)], currency="EUR")
>>> totals.net, totals.vat, totals.gross
(Money('59.97', 'EUR'), Money('12.59', 'EUR'), Money('72.56', 'EUR'))
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from cashtrail.errors import FieldError, InvalidState, ValidationFailed
from cashtrail.invoicing.tax import Treatment, VatCategory, VatDecision
from cashtrail.money import Money, Rounding, check_currency, total

_HUNDRED = Decimal(100)


class TaxRounding(StrEnum):
    """Where VAT is rounded."""

    PER_LINE = "per_line"
    PER_RATE = "per_rate"  # once per invoice, category and rate


# Every supported seller country uses the EN 16931 method by default; see the module docstring and docs/tax.md.
TAX_ROUNDING_BY_COUNTRY: dict[str, TaxRounding] = {
    "BE": TaxRounding.PER_RATE,
    "DE": TaxRounding.PER_RATE,
    "ES": TaxRounding.PER_RATE,
    "FR": TaxRounding.PER_RATE,
    "NL": TaxRounding.PER_RATE,
}


def tax_rounding_for(country: str) -> TaxRounding:
    """The VAT rounding method of a seller country (per invoice and rate unless the table says otherwise).

    >>> tax_rounding_for("BE"), tax_rounding_for("US")
    (<TaxRounding.PER_RATE: 'per_rate'>, <TaxRounding.PER_RATE: 'per_rate'>)
    """
    return TAX_ROUNDING_BY_COUNTRY.get(country, TaxRounding.PER_RATE)


class DocumentKind(StrEnum):
    """Invoice or credit note, with its UNCL 1001 type code."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"

    @property
    def type_code(self) -> str:
        """The UNCL 1001 document type code (BT-3)."""
        return "380" if self == DocumentKind.INVOICE else "381"


@dataclass(frozen=True, slots=True)
class Line:
    """One invoice line as billed: a quantity at a unit price, with its VAT decision."""

    quantity: Decimal
    unit_price: Money
    vat: VatDecision
    description: str = ""
    unit_code: str = "C62"  # UN/ECE Recommendation 20 unit of the quantity
    item_id: str = ""  # the seller's item id: a SKU, or the charge kind
    contract_number: str = ""
    period_start: date | None = None
    period_end: date | None = None
    note: str = ""  # how the line was computed (a charge's formula)
    category: str = ""  # what is sold, for the revenue account: a charge kind (fee, usage, ...) or a product type

    def net(self) -> Money:
        """``quantity x unit price`` rounded to the currency's minor unit (BT-131)."""
        return (self.unit_price * self.quantity).rounded(Rounding.HALF_UP)

    def tax_on(self, net: Money) -> Money:
        """VAT on ``net`` at this line's rate, unrounded."""
        return net * (self.vat.rate / _HUNDRED)


@dataclass(frozen=True, slots=True)
class LineAmounts:
    """A line with its rounded net, and its rounded VAT when VAT is rounded per line."""

    line: Line
    net: Money
    vat: Money | None


@dataclass(frozen=True, slots=True)
class VatBreakdown:
    """One VAT breakdown group (EN 16931 BG-23): category, rate, taxable amount (BT-116) and VAT (BT-117)."""

    category: VatCategory
    rate: Decimal
    taxable: Money
    tax: Money
    treatment: Treatment
    exemption_code: str = ""


@dataclass(frozen=True, slots=True)
class InvoiceTotals:
    """The amounts of one document; construction checks that they reconcile to the cent."""

    kind: DocumentKind
    currency: str
    rounding: TaxRounding
    lines: tuple[LineAmounts, ...]
    breakdown: tuple[VatBreakdown, ...]
    net: Money
    vat: Money
    gross: Money

    def __post_init__(self) -> None:
        errors = reconciliation_errors(self)
        if errors:
            raise InvalidState("invoice totals do not reconcile", code="invoicing.totals_mismatch", problems=errors)

    def signed_gross(self) -> Money:
        """The effect on the receivable: the gross total, negative for a credit note."""
        return -self.gross if self.kind == DocumentKind.CREDIT_NOTE else self.gross

    def signed_net(self) -> Money:
        """The effect on revenue: the net total, negative for a credit note."""
        return -self.net if self.kind == DocumentKind.CREDIT_NOTE else self.net


def reconciliation_errors(totals: InvoiceTotals) -> list[FieldError]:
    """Every broken totals invariant (empty when the document reconciles to the cent)."""
    cur = totals.currency
    errors: list[FieldError] = []
    if total((la.net for la in totals.lines), cur) != totals.net:
        errors.append(FieldError("net", "differs from the sum of the line nets", value=totals.net))
    if total((b.taxable for b in totals.breakdown), cur) != totals.net:
        errors.append(FieldError("net", "differs from the sum of the taxable amounts", value=totals.net))
    if total((b.tax for b in totals.breakdown), cur) != totals.vat:
        errors.append(FieldError("vat", "differs from the sum of the VAT breakdown", value=totals.vat))
    if totals.net + totals.vat != totals.gross:
        errors.append(FieldError("gross", "differs from net plus VAT", value=totals.gross))
    amounts = [totals.net, totals.vat, totals.gross, *(la.net for la in totals.lines)]
    if any(m != m.rounded() for m in amounts):
        errors.append(FieldError("amounts", "are not rounded to the currency's minor unit"))
    return errors


def _line_amounts(lines: Sequence[Line], currency: str, rounding: TaxRounding) -> tuple[LineAmounts, ...]:
    result = []
    for line in lines:
        net = line.net()
        if net.currency != currency:
            raise ValidationFailed(
                f"line in {net.currency} on a {currency} document",
                code="money.currency_mismatch",
                line=line.description,
            )
        vat = line.tax_on(net).rounded(Rounding.HALF_UP) if rounding == TaxRounding.PER_LINE else None
        result.append(LineAmounts(line, net, vat))
    return tuple(result)


def _breakdown(amounts: Iterable[LineAmounts], currency: str, rounding: TaxRounding) -> tuple[VatBreakdown, ...]:
    groups: dict[tuple[VatCategory, Decimal], list[LineAmounts]] = {}
    for la in amounts:
        groups.setdefault((la.line.vat.category, la.line.vat.rate.normalize()), []).append(la)
    result = []
    for (category, rate), members in sorted(groups.items(), key=lambda kv: (kv[0][0], -kv[0][1])):
        taxable = total((la.net for la in members), currency)
        if rounding == TaxRounding.PER_LINE:
            tax = total((la.vat or Money.zero(currency) for la in members), currency)
        else:
            tax = (taxable * (rate / _HUNDRED)).rounded(Rounding.HALF_UP)
        first = members[0].line.vat
        result.append(VatBreakdown(category, rate, taxable, tax, first.treatment, first.exemption_code))
    return tuple(result)


def compute_totals(
    lines: Sequence[Line],
    *,
    currency: str,
    rounding: TaxRounding = TaxRounding.PER_RATE,
    kind: DocumentKind = DocumentKind.INVOICE,
) -> InvoiceTotals:
    """Compute and reconcile the totals of a document of ``kind`` from its ``lines`` (amounts as printed)."""
    currency = check_currency(currency)
    if not lines:
        raise ValidationFailed("a document needs at least one line", code="invoicing.no_lines")
    amounts = _line_amounts(lines, currency, rounding)
    breakdown = _breakdown(amounts, currency, rounding)
    net = total((la.net for la in amounts), currency)
    if net.amount < 0:
        raise ValidationFailed(
            f"the net total of a {kind} must not be negative; issue a credit note instead",
            code="invoicing.negative_total",
            net=str(net),
        )
    vat = total((b.tax for b in breakdown), currency)
    if (net + vat).amount < 0:  # possible when negative lines sit in a higher VAT rate than the positive ones
        raise ValidationFailed(
            f"the total of a {kind} must not be negative; issue a credit note instead",
            code="invoicing.negative_total",
            gross=str(net + vat),
        )
    return InvoiceTotals(kind, currency, rounding, amounts, breakdown, net, vat, net + vat)
