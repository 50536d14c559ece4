"""From billed charges to draft documents: VAT per line, units, and the sign of the document.

A billing draft (the charges one invoice groups) becomes a draft invoice, or a draft credit note when its total is
negative (an amendment's reversal lines, say): a credit note prints positive amounts, so its lines are negated.
Each line's VAT is decided by :func:`~cashtrail.invoicing.tax.decide_vat` for the charge's tax category and supply,
with the rate in force at the end of the charge's period (its tax point). Customers are businesses: a customer with
a valid VAT number of another member state is reverse-charged (services) or receives an intra-Community supply
(goods); one without stays domestic.

Units are UN/ECE Recommendation 20 codes: hours (``HUR``) for callout and repair labour, "one" (``C62``) otherwise.
A charge's stored quantity and unit price (six decimals) reproduce its amount in most cases; when they do not
(a prorated fraction), the line bills quantity 1 at the amount and the note keeps the original formula, so
``quantity x price = net`` holds on every line, as EN 16931 requires.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from cashtrail.billing.charges import Charge, ChargeKind
from cashtrail.invoicing.lifecycle import Document
from cashtrail.invoicing.tax import SupplyKind, TaxContext, decide_vat
from cashtrail.invoicing.totals import DocumentKind, Line, TaxRounding
from cashtrail.money import Money, total


def line_from_charge(charge: Charge, context: TaxContext, *, sign: int = 1) -> Line:
    """The invoice line of one charge (``sign`` -1 negates it for a credit note)."""
    vat = decide_vat(replace(context, supply=SupplyKind(charge.supply)), charge.tax_category, charge.period.end)
    amount = charge.amount * sign
    quantity, price = charge.quantity, Money(charge.unit_price * sign, amount.currency)
    note = charge.formula
    if (price * quantity).rounded() != amount or quantity == 0:
        quantity, price = Decimal(1), amount
    labour = charge.kind in (ChargeKind.CALLOUT, ChargeKind.REPAIR) and charge.description.startswith("Labour")
    unit = "HUR" if labour else "C62"
    return Line(
        quantity,
        price,
        vat,
        charge.description,
        unit_code=unit,
        item_id=charge.kind,
        contract_number=charge.contract_number,
        period_start=charge.period.start,
        period_end=charge.period.end,
        note=note,
        category=charge.kind,
    )


def draft_from_charges(
    charges: Sequence[Charge],
    *,
    context: TaxContext,
    customer_number: str,
    currency: str,
    legal_entity: str,
    prepared_by: str,
    source: str,
    buyer_reference: str,
    rounding: TaxRounding = TaxRounding.PER_RATE,
) -> Document:
    """The draft invoice (or credit note, when the charges sum below zero) of one billing draft."""
    negative = total((c.amount for c in charges), currency).amount < 0
    sign = -1 if negative else 1
    lines = [line_from_charge(c, context, sign=sign) for c in charges]
    return Document(
        DocumentKind.CREDIT_NOTE if negative else DocumentKind.INVOICE,
        customer_number,
        currency,
        lines,
        prepared_by,
        sorted({c.contract_number for c in charges}),
        rounding,
        legal_entity=legal_entity,
        source=source,
        buyer_reference=buyer_reference,
        reason="correction of billed periods after a contract amendment" if negative else "",
    )
