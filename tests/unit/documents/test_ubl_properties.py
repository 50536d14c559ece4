"""Property: any reconciling set of lines, in any supported seller country and VAT situation, becomes a UBL
document that passes the UBL 2.1 XSD and the CEN EN 16931 rules and keeps the snapshot's totals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from cashtrail.documents.ubl import CAC, CBC, render_ubl
from cashtrail.documents.ubl_validation import validate_ubl
from cashtrail.errors import ValidationFailed
from tests.factories import document_snapshot

NS = {"cac": CAC, "cbc": CBC}

# Printable text from every script, with the characters XML must escape.
descriptions = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())
quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal(5000), places=3)
prices = st.decimals(min_value=Decimal(-200), max_value=Decimal(2000), places=4)
categories = st.sampled_from(["standard", "reduced", "exempt"])
lines = st.lists(st.tuples(descriptions, quantities, prices, categories), min_size=1, max_size=12)
situations = st.sampled_from(
    [
        {"seller_country": "BE", "buyer_country": "BE", "buyer_vat": "BE0403170701"},
        {"seller_country": "FR", "buyer_country": "FR", "buyer_vat": "FR40303265045"},
        {"seller_country": "ES", "buyer_country": "ES", "buyer_vat": "ESJ99216582"},
        {"seller_country": "DE", "buyer_country": "DE", "buyer_vat": "DE136695976"},
        {"seller_country": "BE", "buyer_country": "FR", "buyer_vat": "FR40303265045"},
        {"seller_country": "BE", "buyer_country": "NL", "buyer_vat": "NL004495445B01", "supply": "goods"},
        {"seller_country": "FR", "buyer_country": "US", "buyer_vat": None, "supply": "goods"},
    ]
)


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=lines, situation=situations, kind=st.sampled_from(["invoice", "credit_note"]))
def test_any_reconciling_line_set_becomes_a_valid_ubl_document(lines, situation, kind) -> None:
    net = sum((q * p).quantize(Decimal("0.01"), ROUND_HALF_UP) for _, q, p, _ in lines)
    assume(net >= 0)  # a negative document is a credit note of the opposite lines, not an invoice
    try:
        snapshot = document_snapshot(kind=kind, lines=[(d, str(q), str(p), c) for d, q, p, c in lines], **situation)
    except ValidationFailed as refused:  # a negative gross (negative lines at a higher rate) is refused up front
        assume(refused.code != "invoicing.negative_total")
        raise

    xml = render_ubl(snapshot)

    report = validate_ubl(xml)
    assert [(f.rule_id, f.message) for f in report.fatal] == []
    root = etree.fromstring(xml)
    assert Decimal(root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS)) == snapshot.payable
    assert Decimal(root.findtext("cac:TaxTotal/cbc:TaxAmount", namespaces=NS)) == snapshot.vat
    assert len(root.findall(f"{{{CAC}}}*[cbc:ID]/cac:Item", NS)) == len(lines)
