"""The issued document as printed: everything a PDF or a UBL file shows, frozen at issue.

An issued invoice or credit note is immutable (see :mod:`cashtrail.invoicing.lifecycle`), and so is what the
customer received: the parties' names and addresses *as they were on the issue date*, the lines, the VAT breakdown,
the totals, the payment reference and the legal mentions. :class:`DocumentSnapshot` holds exactly that; it is built
once when the number is allocated, stored as JSON beside the document, and every rendering (PDF, Peppol UBL, the
workbench preview, an e-mail) reads it instead of the live customer record.

Invariants (checked on construction):
- the lines' nets sum to ``net``; the VAT groups' taxable amounts sum to ``net`` and their tax to ``vat``;
  ``net + vat == gross``; ``payable == gross - prepaid``: the same reconciliation as
  :class:`~cashtrail.invoicing.totals.InvoiceTotals`, to the cent, so a renderer never recomputes a total;
- every amount is a ``Decimal`` in ``currency`` with no more decimals than its minor unit (unit prices may carry
  more);
- a credit note names the invoice it corrects (``preceding``).

:meth:`DocumentSnapshot.to_json` / :meth:`DocumentSnapshot.from_json` round-trip exactly (Decimals as strings,
dates in ISO form).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from cashtrail.errors import InvalidState
from cashtrail.invoicing.mentions import mention
from cashtrail.invoicing.totals import DocumentKind, InvoiceTotals
from cashtrail.money import Money, minor_units

SNAPSHOT_VERSION = 1


@dataclass(frozen=True, slots=True)
class PostalAddress:
    line1: str
    postal_code: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    line2: str = ""


@dataclass(frozen=True, slots=True)
class PartySnapshot:
    """Seller or buyer as printed. ``endpoint`` is the Peppol electronic address (BT-34/BT-49) and
    ``endpoint_scheme`` its EAS code (e.g. ``0208`` Belgian enterprise number, ``9925`` BE VAT, ``EM`` e-mail)."""

    name: str
    address: PostalAddress
    vat_number: str | None = None  # with its country prefix, e.g. BE0123456749
    company_id: str | None = None  # legal registration (BT-30 / BT-47)
    endpoint: str | None = None
    endpoint_scheme: str | None = None
    email: str | None = None
    phone: str | None = None
    number: str | None = None  # our customer number for the buyer; the legal-entity code for the seller
    iban: str | None = None  # the seller's account the customer pays to
    bic: str | None = None
    company_id_scheme: str | None = None  # ISO 6523 ICD of ``company_id`` (0208 BE, 0106 NL KvK, 0002 FR SIREN)
    legal_info: str | None = None  # BT-33, the seller's legal form, capital and register (e.g. "SA, RPM Bruxelles")


@dataclass(frozen=True, slots=True)
class LineSnapshot:
    position: int
    description: str
    quantity: Decimal
    unit_code: str  # UN/ECE Rec 20 (C62 one, HUR hour, MON month, ...)
    unit_price: Decimal  # net, in the document currency, may have more decimals than the currency
    net: Decimal  # rounded to the currency
    vat_category: str  # EN 16931 / UNCL 5305: S, Z, E, AE, K, G, O
    vat_rate: Decimal  # percent
    item_id: str = ""  # seller's item id (SKU) or charge kind
    contract_number: str = ""
    period_start: date | None = None
    period_end: date | None = None
    note: str = ""  # the explanation of how the line was computed (the charge's formula)


@dataclass(frozen=True, slots=True)
class VatGroupSnapshot:
    """One VAT breakdown group (BG-23) with, for non-taxed categories, the VATEX code and printed reason."""

    category: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal
    exemption_code: str = ""
    exemption_reason: str = ""


@dataclass(frozen=True, slots=True)
class PrecedingInvoice:
    """The invoice a credit note corrects (BG-3)."""

    number: str
    issue_date: date


@dataclass(frozen=True, slots=True)
class DocumentSnapshot:
    kind: DocumentKind
    number: str
    issue_date: date
    due_date: date
    currency: str
    language: str  # en, fr, nl, es: the customer's language, for the PDF and e-mail
    seller: PartySnapshot
    buyer: PartySnapshot
    lines: tuple[LineSnapshot, ...]
    vat_groups: tuple[VatGroupSnapshot, ...]
    net: Decimal
    vat: Decimal
    gross: Decimal
    payment_reference: str  # compact structured reference (RF… or 12 OGM digits), BT-83
    payment_reference_display: str  # as printed: RF18 5390 … or +++010/8068/17183+++
    payment_terms: str  # printed terms, BT-20 (e.g. "Net 30 days")
    buyer_reference: str  # BT-10: the customer's PO number, else our contract number, else customer number
    prepaid: Decimal = Decimal(0)
    order_reference: str | None = None  # BT-13: the customer's purchase order
    contract_reference: str | None = None  # BT-12
    period_start: date | None = None  # BG-14, when every line shares one billing period
    period_end: date | None = None
    preceding: PrecedingInvoice | None = None
    mentions: tuple[str, ...] = ()  # legal mentions, already in ``language``
    notes: tuple[str, ...] = ()  # free notes printed under the lines (BT-22)
    version: int = field(default=SNAPSHOT_VERSION)
    delivery_date: date | None = None  # BT-72, when goods were delivered (when it differs from the issue date)
    delivery_address: PostalAddress | None = None  # BG-15, deliver-to address when not the buyer's

    def __post_init__(self) -> None:
        problems = reconciliation_problems(self)
        if problems:
            raise InvalidState(
                "document snapshot does not reconcile", code="invoicing.snapshot_mismatch", problems=problems
            )

    @property
    def payable(self) -> Decimal:
        """The amount due for payment (BT-115)."""
        return self.gross - self.prepaid

    def money(self, amount: Decimal) -> Money:
        """``amount`` in the document currency."""
        return Money(amount, self.currency)

    def to_json(self) -> dict[str, Any]:
        """A JSON-compatible dict (Decimals as strings, dates as ISO strings)."""
        encoded: dict[str, Any] = _encode(asdict(self))
        return encoded

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentSnapshot:
        """The snapshot stored by :meth:`to_json`."""
        decoded: DocumentSnapshot = _decode(cls, data)
        return decoded


def reconciliation_problems(doc: DocumentSnapshot) -> list[str]:
    """Every broken totals invariant of ``doc`` (empty when it reconciles to the cent)."""
    problems = []
    scale = Decimal(1).scaleb(-minor_units(doc.currency))
    if sum((line.net for line in doc.lines), Decimal(0)) != doc.net:
        problems.append("the line nets do not sum to the net total")
    if sum((g.taxable for g in doc.vat_groups), Decimal(0)) != doc.net:
        problems.append("the VAT groups' taxable amounts do not sum to the net total")
    if sum((g.tax for g in doc.vat_groups), Decimal(0)) != doc.vat:
        problems.append("the VAT groups' tax does not sum to the VAT total")
    if doc.net + doc.vat != doc.gross:
        problems.append("net plus VAT differs from the gross total")
    amounts = [doc.net, doc.vat, doc.gross, doc.prepaid, *(line.net for line in doc.lines)]
    if any(a != a.quantize(scale) for a in amounts):
        problems.append("an amount has more decimals than the currency allows")
    if doc.kind == DocumentKind.CREDIT_NOTE and doc.preceding is None:
        problems.append("a credit note must name the invoice it corrects")
    if not doc.lines:
        problems.append("a document needs at least one line")
    return problems


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


_NESTED: dict[str, type] = {
    "seller": PartySnapshot,
    "buyer": PartySnapshot,
    "address": PostalAddress,
    "preceding": PrecedingInvoice,
    "delivery_address": PostalAddress,
}
_SEQUENCES: dict[str, type] = {"lines": LineSnapshot, "vat_groups": VatGroupSnapshot}
_DECIMALS = {"quantity", "unit_price", "net", "vat_rate", "rate", "taxable", "tax", "vat", "gross", "prepaid"}
_DATES = {"issue_date", "due_date", "period_start", "period_end", "delivery_date"}


def _decode(cls: type[Any], data: dict[str, Any]) -> Any:
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        raw = data[f.name]
        if raw is None:
            values[f.name] = None
        elif f.name in _NESTED:
            values[f.name] = _decode(_NESTED[f.name], raw)
        elif f.name in _SEQUENCES:
            values[f.name] = tuple(_decode(_SEQUENCES[f.name], item) for item in raw)
        elif f.name in _DECIMALS:
            values[f.name] = Decimal(raw)
        elif f.name in _DATES or (cls is PrecedingInvoice and f.name == "issue_date"):
            values[f.name] = date.fromisoformat(raw)
        elif f.name in {"mentions", "notes"}:
            values[f.name] = tuple(raw)
        elif f.name == "kind":
            values[f.name] = DocumentKind(raw)
        else:
            values[f.name] = raw
    return cls(**values)


@dataclass(frozen=True, slots=True)
class Heading:
    """What a snapshot needs beyond the totals: number, dates, parties, references and texts."""

    number: str
    issue_date: date
    due_date: date
    language: str
    seller: PartySnapshot
    buyer: PartySnapshot
    payment_reference: str
    payment_reference_display: str
    payment_terms: str
    buyer_reference: str
    order_reference: str | None = None
    contract_reference: str | None = None
    preceding: PrecedingInvoice | None = None
    notes: tuple[str, ...] = ()


def build_snapshot(totals: InvoiceTotals, heading: Heading) -> DocumentSnapshot:
    """The printed form of a document whose ``totals`` were computed from its lines (legal mentions included)."""
    lines = tuple(
        LineSnapshot(
            position=i,
            description=la.line.description,
            quantity=la.line.quantity,
            unit_code=la.line.unit_code,
            unit_price=la.line.unit_price.amount,
            net=la.net.amount,
            vat_category=str(la.line.vat.category),
            vat_rate=la.line.vat.rate,
            item_id=la.line.item_id,
            contract_number=la.line.contract_number,
            period_start=la.line.period_start,
            period_end=la.line.period_end,
            note=la.line.note,
        )
        for i, la in enumerate(totals.lines, start=1)
    )
    groups = tuple(
        VatGroupSnapshot(
            category=str(b.category),
            rate=b.rate,
            taxable=b.taxable.amount,
            tax=b.tax.amount,
            exemption_code=b.exemption_code,
            exemption_reason=mention(b.treatment, heading.language),
        )
        for b in totals.breakdown
    )
    mentions = tuple(dict.fromkeys(g.exemption_reason for g in groups if g.exemption_reason))
    periods = {(line.period_start, line.period_end) for line in lines}
    start, end = periods.pop() if len(periods) == 1 else (None, None)
    h = heading
    return DocumentSnapshot(
        kind=totals.kind,
        number=h.number,
        issue_date=h.issue_date,
        due_date=h.due_date,
        currency=totals.currency,
        language=h.language,
        seller=h.seller,
        buyer=h.buyer,
        lines=lines,
        vat_groups=groups,
        net=totals.net.amount,
        vat=totals.vat.amount,
        gross=totals.gross.amount,
        payment_reference=h.payment_reference,
        payment_reference_display=h.payment_reference_display,
        payment_terms=h.payment_terms,
        buyer_reference=h.buyer_reference,
        order_reference=h.order_reference,
        contract_reference=h.contract_reference,
        period_start=start,
        period_end=end,
        preceding=h.preceding,
        mentions=mentions,
        notes=h.notes,
    )
