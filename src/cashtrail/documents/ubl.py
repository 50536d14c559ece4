"""Write an issued document as a Peppol BIS Billing 3.0 UBL 2.1 ``Invoice`` (380) or ``CreditNote`` (381).

The input is the frozen :class:`~cashtrail.invoicing.snapshot.DocumentSnapshot`; nothing is recomputed, every
amount is the snapshot's, written with the document currency's minor-unit decimals. Element order follows the
UBL 2.1 maindoc schemas; the mapping to EN 16931 business terms is in ``docs/documents.md``.

Choices the snapshot leaves open:
- one document note (Peppol R002): the snapshot's notes and legal mentions joined by line breaks;
- payment means: 58 (SEPA credit transfer) when the seller has an IBAN and the document is in EUR, 30 (credit
  transfer) for an IBAN in another currency, with the structured reference as PaymentID; an invoice without a
  seller IBAN gets no PaymentMeans, because EN 16931 BR-61 requires an account for both codes. A credit note has
  no PaymentMeans at all: the seller collects nothing on it (its due date, if any, is not a payment instruction);
- a line with a negative unit price (a discount) is written with negated quantity and price, because EN 16931
  BR-27 forbids a negative item price; the line net is unchanged;
- a document with "not subject to VAT" lines (O) carries no VAT numbers (BR-O-02) and no VAT rates (BR-O-05);
- an intra-Community supply (K) gets a Delivery with the delivery date (else the issue date: art. 226(7) of
  Directive 2006/112/EC asks for the supply date only where it differs) and the deliver-to country (BR-IC-11/12).

Invariants: :func:`render_ubl` either returns a document that passes :mod:`cashtrail.documents.ubl_rules`, or
raises :class:`~cashtrail.documents.errors.PeppolRulesBroken` listing every rule broken; it never writes an empty
element.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from lxml import etree

from cashtrail.documents.content import legal_mentions
from cashtrail.documents.errors import PeppolRulesBroken
from cashtrail.documents.ubl_rules import (
    CUSTOMIZATION_ID,
    EXEMPTION_CODES,
    NOT_SUBJECT,
    PROFILE_ID,
    snapshot_problems,
    tree_problems,
)
from cashtrail.invoicing.snapshot import DocumentSnapshot, LineSnapshot, PartySnapshot, PostalAddress
from cashtrail.money import minor_units

CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ROOT_NS = {
    "invoice": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "credit_note": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
}
_ROOT_NAME = {"invoice": "Invoice", "credit_note": "CreditNote"}
# Characters XML 1.0 cannot carry (most C0 controls, lone surrogates, U+FFFE/U+FFFF): dropped from texts.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LINE_NAME = {"invoice": ("InvoiceLine", "InvoicedQuantity"), "credit_note": ("CreditNoteLine", "CreditedQuantity")}


def render_ubl(snapshot: DocumentSnapshot) -> bytes:
    """The Peppol BIS 3.0 UBL of ``snapshot`` as UTF-8 bytes; raises ``PeppolRulesBroken`` if it cannot be valid."""
    problems = snapshot_problems(snapshot)
    if problems:
        raise _broken(snapshot, problems)
    root = _Writer(snapshot).document()
    problems = tree_problems(root, snapshot.currency)
    if problems:
        raise _broken(snapshot, problems)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def _broken(snapshot: DocumentSnapshot, problems: list[Any]) -> PeppolRulesBroken:
    rules = ", ".join(sorted({p.field for p in problems}))
    return PeppolRulesBroken(f"{snapshot.number} breaks Peppol BIS 3.0 rules: {rules}", errors=problems)


def _number(value: Decimal) -> str:
    """A decimal in plain notation without trailing zeros (quantities, prices, rates)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


class _Writer:
    """Builds one UBL tree from one snapshot; ``el`` skips blank values so no element is ever empty."""

    def __init__(self, doc: DocumentSnapshot) -> None:
        self.doc = doc
        self.kind = str(doc.kind)
        self.scale = Decimal(1).scaleb(-minor_units(doc.currency))
        categories = {g.category for g in doc.vat_groups}
        self.not_subject = NOT_SUBJECT in categories
        self.root: Any = etree.Element(
            f"{{{ROOT_NS[self.kind]}}}{_ROOT_NAME[self.kind]}",
            nsmap={None: ROOT_NS[self.kind], "cac": CAC, "cbc": CBC},
        )

    # --- element helpers ---

    def cbc(self, parent: Any, name: str, value: object, **attributes: str) -> Any:
        text = value.isoformat() if isinstance(value, date) else ("" if value is None else str(value))
        text = _NOT_XML.sub("", text)
        if not text.strip():
            return None
        element = etree.SubElement(parent, f"{{{CBC}}}{name}", attributes)
        element.text = text
        return element

    def cac(self, parent: Any, name: str) -> Any:
        return etree.SubElement(parent, f"{{{CAC}}}{name}")

    def amount(self, parent: Any, name: str, value: Decimal) -> None:
        self.cbc(parent, name, str(value.quantize(self.scale)), currencyID=self.doc.currency)

    # --- the document ---

    def document(self) -> Any:
        self.header()
        self.references()
        self.party(self.cac(self.root, "AccountingSupplierParty"), self.doc.seller, seller=True)
        self.party(self.cac(self.root, "AccountingCustomerParty"), self.doc.buyer, seller=False)
        self.delivery()
        self.payment()
        self.tax_total()
        self.monetary_total()
        for line in self.doc.lines:
            self.line(line)
        return self.root

    def header(self) -> None:
        doc, root = self.doc, self.root
        self.cbc(root, "CustomizationID", CUSTOMIZATION_ID)
        self.cbc(root, "ProfileID", PROFILE_ID)
        self.cbc(root, "ID", doc.number)
        self.cbc(root, "IssueDate", doc.issue_date)
        if self.kind == "invoice":
            self.cbc(root, "DueDate", doc.due_date)
            self.cbc(root, "InvoiceTypeCode", doc.kind.type_code)
        else:
            self.cbc(root, "CreditNoteTypeCode", doc.kind.type_code)
        self.cbc(root, "Note", "\n".join(_notes(doc)))
        self.cbc(root, "DocumentCurrencyCode", doc.currency)
        self.cbc(root, "BuyerReference", doc.buyer_reference)
        self.period(root, doc.period_start, doc.period_end)

    def period(self, parent: Any, start: date | None, end: date | None) -> None:
        if start is None and end is None:
            return
        period = self.cac(parent, "InvoicePeriod")
        self.cbc(period, "StartDate", start)
        self.cbc(period, "EndDate", end)

    def references(self) -> None:
        doc, root = self.doc, self.root
        if doc.order_reference:
            self.cbc(self.cac(root, "OrderReference"), "ID", doc.order_reference)
        if doc.preceding is not None:
            invoice = self.cac(self.cac(root, "BillingReference"), "InvoiceDocumentReference")
            self.cbc(invoice, "ID", doc.preceding.number)
            self.cbc(invoice, "IssueDate", doc.preceding.issue_date)
        if doc.contract_reference:
            self.cbc(self.cac(root, "ContractDocumentReference"), "ID", doc.contract_reference)

    def party(self, parent: Any, p: PartySnapshot, *, seller: bool) -> None:
        party = self.cac(parent, "Party")
        self.cbc(party, "EndpointID", p.endpoint, schemeID=p.endpoint_scheme or "")
        if not seller and p.number:
            self.cbc(self.cac(party, "PartyIdentification"), "ID", p.number)
        self.cbc(self.cac(party, "PartyName"), "Name", p.name)
        self.address(self.cac(party, "PostalAddress"), p.address)
        if p.vat_number and not self.not_subject:
            scheme = self.cac(party, "PartyTaxScheme")
            self.cbc(scheme, "CompanyID", p.vat_number)
            self.cbc(self.cac(scheme, "TaxScheme"), "ID", "VAT")
        legal = self.cac(party, "PartyLegalEntity")
        self.cbc(legal, "RegistrationName", p.name)
        scheme_id = {"schemeID": p.company_id_scheme} if p.company_id_scheme else {}
        self.cbc(legal, "CompanyID", p.company_id, **scheme_id)
        if seller:
            self.cbc(legal, "CompanyLegalForm", p.legal_info)
        if p.phone or p.email:
            contact = self.cac(party, "Contact")
            self.cbc(contact, "Telephone", p.phone)
            self.cbc(contact, "ElectronicMail", p.email)

    def address(self, element: Any, a: PostalAddress) -> None:
        self.cbc(element, "StreetName", a.line1)
        self.cbc(element, "AdditionalStreetName", a.line2)
        self.cbc(element, "CityName", a.city)
        self.cbc(element, "PostalZone", a.postal_code)
        self.cbc(self.cac(element, "Country"), "IdentificationCode", a.country)

    def delivery(self) -> None:
        doc = self.doc
        needs = "K" in {g.category for g in doc.vat_groups}
        if not needs and doc.delivery_date is None and doc.delivery_address is None:
            return
        delivery = self.cac(self.root, "Delivery")
        day = doc.delivery_date or (doc.issue_date if needs and doc.period_start is None else None)
        self.cbc(delivery, "ActualDeliveryDate", day)
        if needs or doc.delivery_address is not None:
            location = self.cac(delivery, "DeliveryLocation")
            self.address(self.cac(location, "Address"), doc.delivery_address or doc.buyer.address)

    def payment(self) -> None:
        doc = self.doc
        if self.kind == "invoice" and doc.seller.iban:
            means = self.cac(self.root, "PaymentMeans")
            self.cbc(means, "PaymentMeansCode", "58" if doc.currency == "EUR" else "30")
            self.cbc(means, "PaymentID", doc.payment_reference)
            account = self.cac(means, "PayeeFinancialAccount")
            self.cbc(account, "ID", doc.seller.iban.replace(" ", ""))
            self.cbc(account, "Name", doc.seller.name)
            if doc.seller.bic:
                self.cbc(self.cac(account, "FinancialInstitutionBranch"), "ID", doc.seller.bic)
        if doc.payment_terms.strip():
            self.cbc(self.cac(self.root, "PaymentTerms"), "Note", doc.payment_terms)

    def tax_total(self) -> None:
        total = self.cac(self.root, "TaxTotal")
        self.amount(total, "TaxAmount", self.doc.vat)
        for group in self.doc.vat_groups:
            subtotal = self.cac(total, "TaxSubtotal")
            self.amount(subtotal, "TaxableAmount", group.taxable)
            self.amount(subtotal, "TaxAmount", group.tax)
            category = self.cac(subtotal, "TaxCategory")
            self.cbc(category, "ID", group.category)
            if group.category != NOT_SUBJECT:
                self.cbc(category, "Percent", _number(group.rate))
            if group.category in EXEMPTION_CODES or group.category == "E":
                self.cbc(category, "TaxExemptionReasonCode", group.exemption_code)
                self.cbc(category, "TaxExemptionReason", group.exemption_reason)
            self.cbc(self.cac(category, "TaxScheme"), "ID", "VAT")

    def monetary_total(self) -> None:
        doc = self.doc
        total = self.cac(self.root, "LegalMonetaryTotal")
        self.amount(total, "LineExtensionAmount", doc.net)
        self.amount(total, "TaxExclusiveAmount", doc.net)
        self.amount(total, "TaxInclusiveAmount", doc.gross)
        if doc.prepaid:
            self.amount(total, "PrepaidAmount", doc.prepaid)
        self.amount(total, "PayableAmount", doc.payable)

    def line(self, line: LineSnapshot) -> None:
        line_name, quantity_name = _LINE_NAME[self.kind]
        element = self.cac(self.root, line_name)
        # BR-27: the item price may not be negative; a discount line carries a negative quantity instead.
        sign = -1 if line.unit_price < 0 else 1
        self.cbc(element, "ID", line.position)
        self.cbc(element, "Note", line.note)
        self.cbc(element, quantity_name, _number(sign * line.quantity), unitCode=line.unit_code)
        self.amount(element, "LineExtensionAmount", line.net)
        self.period(element, line.period_start, line.period_end)
        item = self.cac(element, "Item")
        self.cbc(item, "Name", line.description)
        if line.item_id:
            self.cbc(self.cac(item, "SellersItemIdentification"), "ID", line.item_id)
        category = self.cac(item, "ClassifiedTaxCategory")
        self.cbc(category, "ID", line.vat_category)
        if line.vat_category != NOT_SUBJECT:
            self.cbc(category, "Percent", _number(line.vat_rate))
        self.cbc(self.cac(category, "TaxScheme"), "ID", "VAT")
        price = self.cac(element, "Price")
        self.cbc(price, "PriceAmount", self.price(sign * line.unit_price), currencyID=self.doc.currency)

    def price(self, value: Decimal) -> str:
        """A unit price with at least the currency's decimals, and any further ones it carries."""
        rounded = value.quantize(self.scale)
        return str(rounded) if rounded == value else _number(value)


def _notes(doc: DocumentSnapshot) -> list[str]:
    """The document note's paragraphs: free notes, then the legal mentions (the snapshot's and the country's)."""
    return list(dict.fromkeys(text for text in (*doc.notes, *legal_mentions(doc)) if text.strip()))
