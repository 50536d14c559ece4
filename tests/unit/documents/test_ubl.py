"""Peppol BIS 3.0 UBL from issued-document snapshots: every generated document passes the UBL 2.1 XSD and the CEN
EN 16931 rules (real validator), and carries what the snapshot says, where Peppol wants it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from cashtrail.documents.ubl import CAC, CBC, render_ubl
from cashtrail.documents.ubl_rules import CUSTOMIZATION_ID, PROFILE_ID
from cashtrail.documents.ubl_validation import Flag, validate_ubl
from cashtrail.invoicing.snapshot import DocumentSnapshot
from tests.factories import document_snapshot

NS = {"cac": CAC, "cbc": CBC}

# Domestic sales of each seller country with the standard and the reduced rate (the factory's default lines).
DOMESTIC = {
    "BE": {"buyer_vat": "BE0403170701", "language": "nl"},
    "FR": {"buyer_vat": "FR40303265045", "language": "fr"},
    "NL": {"buyer_vat": "NL004495445B01", "language": "nl", "buyer_company_id": "12345678"},
    "ES": {"buyer_vat": "ESJ99216582", "language": "es"},
    "DE": {"buyer_vat": "DE136695976", "language": "en"},
}
CROSS_BORDER = {
    "reverse_charge_AE": {"buyer_country": "FR", "buyer_vat": "FR40303265045"},
    "intra_community_goods_K": {"buyer_country": "NL", "buyer_vat": "NL004495445B01", "supply": "goods"},
    "export_goods_G": {"buyer_country": "US", "buyer_vat": None, "supply": "goods"},
    "outside_scope_O": {"buyer_country": "CH", "buyer_vat": None},
    "exempt_E": {"lines": (("Lift safety training, 2 days", "2", "450.00", "exempt"),)},
    "multi_rate": {
        "lines": (
            ("Maintenance fee", "1", "250.00", "standard"),
            ("Spare part", "3", "12.10", "reduced"),
            ("Training", "1", "300.00", "exempt"),
            ("Newspaper subscription", "12", "1.99", "zero"),
        )
    },
    "many_lines": {"lines": tuple((f"Meter read {i}: pages", str(i), "0.0123", "standard") for i in range(1, 151))},
}
SCENARIOS = {
    **{
        f"domestic_{country}": {"seller_country": country, "buyer_country": country, **kw}
        for country, kw in DOMESTIC.items()
    },
    **CROSS_BORDER,
}


def _tree(xml: bytes) -> etree._Element:
    return etree.fromstring(xml)


def _assert_valid(xml: bytes) -> None:
    report = validate_ubl(xml)
    assert [(f.rule_id, f.message) for f in report.fatal] == []
    assert report.is_valid


@pytest.mark.parametrize("kind", ["invoice", "credit_note"])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_generated_document_passes_the_ubl_xsd_and_the_en16931_rules(scenario: str, kind: str) -> None:
    snapshot = document_snapshot(kind=kind, **SCENARIOS[scenario])

    xml = render_ubl(snapshot)

    _assert_valid(xml)
    root = _tree(xml)
    assert etree.QName(root).localname == ("Invoice" if kind == "invoice" else "CreditNote")
    assert root.findtext("cbc:CustomizationID", namespaces=NS) == CUSTOMIZATION_ID
    assert root.findtext("cbc:ProfileID", namespaces=NS) == PROFILE_ID


@pytest.mark.parametrize("scenario", ["domestic_BE", "reverse_charge_AE", "multi_rate"])
def test_the_totals_and_vat_breakdown_are_the_snapshots_to_the_cent(scenario: str) -> None:
    snapshot = document_snapshot(**SCENARIOS[scenario])
    root = _tree(render_ubl(snapshot))

    totals = root.find("cac:LegalMonetaryTotal", NS)
    assert Decimal(totals.findtext("cbc:LineExtensionAmount", namespaces=NS)) == snapshot.net
    assert Decimal(totals.findtext("cbc:TaxInclusiveAmount", namespaces=NS)) == snapshot.gross
    assert Decimal(totals.findtext("cbc:PayableAmount", namespaces=NS)) == snapshot.payable
    assert totals.find("cbc:PrepaidAmount", NS) is None
    subtotals = root.findall("cac:TaxTotal/cac:TaxSubtotal", NS)
    assert [
        (s.findtext("cac:TaxCategory/cbc:ID", namespaces=NS), Decimal(s.findtext("cbc:TaxAmount", namespaces=NS)))
        for s in subtotals
    ] == [(g.category, g.tax) for g in snapshot.vat_groups]
    line_nets = [Decimal(x.text) for x in root.findall("cac:InvoiceLine/cbc:LineExtensionAmount", NS)]
    assert line_nets == [line.net for line in snapshot.lines]


def test_every_amount_is_written_with_the_currency_decimals_and_its_currency() -> None:
    root = _tree(render_ubl(document_snapshot(currency="USD", buyer_country="US", buyer_vat=None)))

    amounts = [e for e in root.iter() if e.get("currencyID") is not None and "PriceAmount" not in e.tag]
    assert amounts
    assert {e.get("currencyID") for e in root.iter() if e.get("currencyID")} == {"USD"}
    assert all(len(e.text.split(".")[1]) == 2 for e in amounts)


def test_a_credit_note_references_the_invoice_it_corrects_and_credits_quantities() -> None:
    snapshot = document_snapshot(kind="credit_note")
    root = _tree(render_ubl(snapshot))

    reference = root.find("cac:BillingReference/cac:InvoiceDocumentReference", NS)
    assert reference.findtext("cbc:ID", namespaces=NS) == snapshot.preceding.number
    assert reference.findtext("cbc:IssueDate", namespaces=NS) == snapshot.preceding.issue_date.isoformat()
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    assert len(root.findall("cac:CreditNoteLine/cbc:CreditedQuantity", NS)) == len(snapshot.lines)
    assert root.find("cac:PaymentMeans", NS) is None  # the seller collects nothing on a credit note


def test_an_invoice_asks_for_sepa_credit_transfer_to_the_seller_iban_with_the_structured_reference() -> None:
    snapshot = document_snapshot()
    root = _tree(render_ubl(snapshot))

    means = root.find("cac:PaymentMeans", NS)
    assert means.findtext("cbc:PaymentMeansCode", namespaces=NS) == "58"
    assert means.findtext("cbc:PaymentID", namespaces=NS) == snapshot.payment_reference
    assert means.findtext("cac:PayeeFinancialAccount/cbc:ID", namespaces=NS) == snapshot.seller.iban
    bic = means.findtext("cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID", namespaces=NS)
    assert bic == snapshot.seller.bic
    assert root.findtext("cac:PaymentTerms/cbc:Note", namespaces=NS) == snapshot.payment_terms
    assert root.findtext("cbc:DueDate", namespaces=NS) == snapshot.due_date.isoformat()


def test_an_invoice_in_another_currency_asks_for_a_plain_credit_transfer() -> None:
    xml = render_ubl(document_snapshot(currency="USD", buyer_country="US", buyer_vat=None))

    assert _tree(xml).findtext("cac:PaymentMeans/cbc:PaymentMeansCode", namespaces=NS) == "30"
    _assert_valid(xml)


def test_a_seller_without_an_iban_writes_no_payment_means_and_stays_valid() -> None:
    snapshot = document_snapshot()
    xml = render_ubl(replace(snapshot, seller=replace(snapshot.seller, iban=None, bic=None)))

    assert _tree(xml).find("cac:PaymentMeans", NS) is None
    _assert_valid(xml)


def test_both_parties_have_an_electronic_address_with_its_scheme() -> None:
    snapshot = document_snapshot(buyer_country="FR", buyer_vat="FR40303265045")
    root = _tree(render_ubl(snapshot))

    for role, party in (("Supplier", snapshot.seller), ("Customer", snapshot.buyer)):
        endpoint = root.find(f"cac:Accounting{role}Party/cac:Party/cbc:EndpointID", NS)
        assert (endpoint.text, endpoint.get("schemeID")) == (party.endpoint, party.endpoint_scheme)
    assert root.findtext("cbc:BuyerReference", namespaces=NS) == snapshot.buyer_reference


@pytest.mark.parametrize(
    ("scenario", "category", "code"),
    [
        ("reverse_charge_AE", "AE", "VATEX-EU-AE"),
        ("intra_community_goods_K", "K", "VATEX-EU-IC"),
        ("export_goods_G", "G", "VATEX-EU-G"),
        ("outside_scope_O", "O", "VATEX-EU-O"),
        ("exempt_E", "E", "VATEX-EU-132"),
    ],
)
def test_an_untaxed_vat_group_carries_its_exemption_code_and_reason(scenario: str, category: str, code: str) -> None:
    snapshot = document_snapshot(language="fr", **SCENARIOS[scenario])
    root = _tree(render_ubl(snapshot))

    tax = root.find("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", NS)
    assert tax.findtext("cbc:ID", namespaces=NS) == category
    assert tax.findtext("cbc:TaxExemptionReasonCode", namespaces=NS) == code
    assert tax.findtext("cbc:TaxExemptionReason", namespaces=NS) == snapshot.vat_groups[0].exemption_reason
    assert "2006/112/CE" in tax.findtext("cbc:TaxExemptionReason", namespaces=NS)


def test_a_standard_rated_group_has_no_exemption_reason() -> None:
    root = _tree(render_ubl(document_snapshot()))

    assert root.findall(".//cbc:TaxExemptionReasonCode", NS) == []
    assert root.findall(".//cbc:TaxExemptionReason", NS) == []


def test_a_not_subject_to_vat_invoice_names_no_vat_number_and_no_rate() -> None:
    snapshot = document_snapshot(**SCENARIOS["outside_scope_O"])
    root = _tree(render_ubl(snapshot))

    assert snapshot.seller.vat_number  # the seller has one; BR-O-02 forbids writing it
    assert root.findall(".//cac:PartyTaxScheme", NS) == []
    assert root.findall(".//cac:TaxCategory/cbc:Percent", NS) == []
    assert root.findall(".//cac:ClassifiedTaxCategory/cbc:Percent", NS) == []
    legal_id = root.findtext("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID", namespaces=NS)
    assert legal_id == snapshot.seller.company_id


def test_an_intra_community_supply_says_where_and_when_the_goods_were_delivered() -> None:
    snapshot = document_snapshot(**SCENARIOS["intra_community_goods_K"])
    delivered = replace(snapshot, delivery_date=date(2026, 4, 21))

    plain = _tree(render_ubl(snapshot))
    dated = _tree(render_ubl(delivered))

    assert plain.findtext("cac:Delivery/cbc:ActualDeliveryDate", namespaces=NS) == snapshot.issue_date.isoformat()
    assert dated.findtext("cac:Delivery/cbc:ActualDeliveryDate", namespaces=NS) == "2026-04-21"
    country = "cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode"
    assert plain.findtext(country, namespaces=NS) == "NL"


def _with_period(snapshot: DocumentSnapshot, start: date, end: date) -> DocumentSnapshot:
    lines = tuple(
        replace(line, period_start=start, period_end=end, note=f"formula {i}") for i, line in enumerate(snapshot.lines)
    )
    return replace(snapshot, lines=lines, period_start=start, period_end=end)


def test_billing_periods_are_written_on_the_document_and_each_line() -> None:
    snapshot = _with_period(document_snapshot(), date(2026, 4, 1), date(2026, 4, 30))
    xml = render_ubl(snapshot)
    root = _tree(xml)

    assert root.findtext("cac:InvoicePeriod/cbc:StartDate", namespaces=NS) == "2026-04-01"
    assert root.findtext("cac:InvoicePeriod/cbc:EndDate", namespaces=NS) == "2026-04-30"
    assert len(root.findall("cac:InvoiceLine/cac:InvoicePeriod", NS)) == len(snapshot.lines)
    assert [n.text for n in root.findall("cac:InvoiceLine/cbc:Note", NS)] == [line.note for line in snapshot.lines]
    _assert_valid(xml)


def test_a_prepaid_amount_lowers_the_amount_due() -> None:
    snapshot = document_snapshot()
    paid = replace(snapshot, prepaid=Decimal("100.00"))
    xml = render_ubl(paid)
    totals = _tree(xml).find("cac:LegalMonetaryTotal", NS)

    assert Decimal(totals.findtext("cbc:PrepaidAmount", namespaces=NS)) == Decimal("100.00")
    assert Decimal(totals.findtext("cbc:PayableAmount", namespaces=NS)) == snapshot.gross - Decimal("100.00")
    _assert_valid(xml)


def test_a_discount_line_is_written_with_a_negative_quantity_and_a_positive_price() -> None:
    lines = (("Maintenance fee", "1", "250.00", "standard"), ("Loyalty discount", "1", "-25.50", "standard"))
    snapshot = document_snapshot(lines=lines)
    xml = render_ubl(snapshot)
    discount = _tree(xml).findall("cac:InvoiceLine", NS)[1]

    assert Decimal(discount.findtext("cbc:InvoicedQuantity", namespaces=NS)) == Decimal(-1)
    assert Decimal(discount.findtext("cac:Price/cbc:PriceAmount", namespaces=NS)) == Decimal("25.50")
    assert Decimal(discount.findtext("cbc:LineExtensionAmount", namespaces=NS)) == Decimal("-25.50")
    _assert_valid(xml)


def test_unit_prices_keep_their_extra_decimals() -> None:
    snapshot = document_snapshot(lines=(("Pages printed", "12345", "0.0123", "standard"),))
    price = _tree(render_ubl(snapshot)).findtext("cac:InvoiceLine/cac:Price/cbc:PriceAmount", namespaces=NS)

    assert price == "0.0123"


def test_notes_and_legal_mentions_go_into_one_document_note() -> None:
    snapshot = replace(
        document_snapshot(seller_country="FR", buyer_country="FR", buyer_vat="FR40303265045", language="fr"),
        notes=("Merci de votre confiance.",),
    )
    notes = _tree(render_ubl(snapshot)).findall("cbc:Note", NS)

    assert len(notes) == 1
    assert notes[0].text.startswith("Merci de votre confiance.\n")
    assert "L441-10" in notes[0].text
    assert "40 €" in notes[0].text


def test_text_is_escaped_and_characters_xml_cannot_carry_are_dropped() -> None:
    snapshot = document_snapshot(lines=(('Fee <A&B> "quoted" \x07bell – Ünïcode', "1", "10.00", "standard"),))
    xml = render_ubl(snapshot)

    name = _tree(xml).findtext("cac:InvoiceLine/cac:Item/cbc:Name", namespaces=NS)
    assert name == 'Fee <A&B> "quoted" bell – Ünïcode'
    _assert_valid(xml)


def test_the_validator_is_not_fooled_a_tampered_total_is_reported() -> None:
    xml = render_ubl(document_snapshot())
    root = _tree(xml)
    root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS).text = "1.00"

    report = validate_ubl(etree.tostring(root))

    assert "BR-CO-16" in report.rule_ids(flag=Flag.FATAL)
