"""The Peppol BIS 3.0 rules the generator enforces itself (OpenPeppol's Schematron is not available here): each
rule refuses a snapshot or tree that breaks it, names itself, and lets the fixed document through."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from cashtrail.documents.errors import PeppolRulesBroken
from cashtrail.documents.ubl import CAC, CBC, render_ubl
from cashtrail.documents.ubl_rules import snapshot_problems, tree_problems
from cashtrail.documents.ubl_validation import validate_ubl
from cashtrail.invoicing.snapshot import Heading, build_snapshot
from cashtrail.invoicing.tax import SupplyKind, TaxContext, decide_vat
from cashtrail.invoicing.totals import Line, compute_totals
from cashtrail.money import Money
from tests.factories import document_snapshot

NS = {"cac": CAC, "cbc": CBC}


def _rules(snapshot) -> set[str]:
    return {p.field for p in snapshot_problems(snapshot)}


def _refused_for(snapshot) -> set[str]:
    with pytest.raises(PeppolRulesBroken) as caught:
        render_ubl(snapshot)
    assert caught.value.code == "documents.peppol_rules_broken"
    return {e.field for e in caught.value.errors}


def test_a_well_formed_snapshot_breaks_no_rule() -> None:
    assert snapshot_problems(document_snapshot()) == []


def test_r003_a_document_without_buyer_or_order_reference_is_refused() -> None:
    snapshot = replace(document_snapshot(), buyer_reference="  ", order_reference=None)

    assert _refused_for(snapshot) == {"PEPPOL-EN16931-R003"}


def test_r003_an_order_reference_alone_is_enough_and_is_written() -> None:
    snapshot = replace(document_snapshot(), buyer_reference="", order_reference="PO-99")

    root = etree.fromstring(render_ubl(snapshot))

    assert root.findtext("cac:OrderReference/cbc:ID", namespaces=NS) == "PO-99"
    assert root.find("cbc:BuyerReference", NS) is None
    assert validate_ubl(etree.tostring(root)).is_valid


@pytest.mark.parametrize(("role", "rule"), [("buyer", "PEPPOL-EN16931-R010"), ("seller", "PEPPOL-EN16931-R020")])
def test_both_electronic_addresses_and_their_schemes_are_required(role: str, rule: str) -> None:
    snapshot = document_snapshot()
    party = getattr(snapshot, role)

    assert rule in _refused_for(replace(snapshot, **{role: replace(party, endpoint=None)}))
    assert rule in _refused_for(replace(snapshot, **{role: replace(party, endpoint_scheme="")}))


def test_an_endpoint_scheme_outside_the_eas_code_list_is_refused() -> None:
    snapshot = document_snapshot()
    buyer = replace(snapshot.buyer, endpoint_scheme="9999")

    assert _refused_for(replace(snapshot, buyer=buyer)) == {"PEPPOL-EN16931-CL008"}


def test_a_registration_scheme_that_is_not_an_icd_is_refused() -> None:
    snapshot = document_snapshot()
    seller = replace(snapshot.seller, company_id_scheme="BE-KBO")

    assert _refused_for(replace(snapshot, seller=seller)) == {"BR-CL-11"}


def test_a_belgian_enterprise_number_with_wrong_check_digits_is_refused() -> None:
    snapshot = document_snapshot()
    buyer = replace(snapshot.buyer, endpoint="0403170702")

    assert _refused_for(replace(snapshot, buyer=buyer)) == {"PEPPOL-COMMON-R043"}


def test_r120_a_line_net_that_is_not_quantity_times_price_is_refused() -> None:
    snapshot = document_snapshot()
    first = replace(snapshot.lines[0], unit_price=snapshot.lines[0].unit_price + Decimal("0.03"))

    assert _refused_for(replace(snapshot, lines=(first, *snapshot.lines[1:]))) == {"PEPPOL-EN16931-R120"}


def test_r120_tolerates_the_rounding_of_a_line_net_to_the_cent() -> None:
    snapshot = document_snapshot(lines=(("Callout", "1.75", "96.50", "standard"),))  # 168.875 -> 168.88

    assert snapshot.lines[0].net == Decimal("168.88")
    assert "PEPPOL-EN16931-R120" not in _rules(snapshot)


def _mixed_not_subject_and_export():
    context = TaxContext("BE", "US", buyer_is_business=True)
    day = date(2026, 4, 30)
    lines = [
        Line(Decimal(1), Money.of("100", "EUR"), decide_vat(context, "standard", day), "Remote support"),
        Line(
            Decimal(1),
            Money.of("50", "EUR"),
            decide_vat(replace(context, supply=SupplyKind.GOODS), "standard", day),
            "Spare part",
        ),
    ]
    base = document_snapshot(buyer_country="US", buyer_vat=None)
    heading = Heading(
        number="INV-1",
        issue_date=day,
        due_date=day,
        language="en",
        seller=base.seller,
        buyer=base.buyer,
        payment_reference=base.payment_reference,
        payment_reference_display=base.payment_reference_display,
        payment_terms="Net 30 days",
        buyer_reference="PO-1",
    )
    return build_snapshot(compute_totals(lines, currency="EUR"), heading)


def test_br_o_11_not_subject_to_vat_cannot_share_a_document_with_another_category() -> None:
    snapshot = _mixed_not_subject_and_export()

    assert {g.category for g in snapshot.vat_groups} == {"O", "G"}
    assert _refused_for(snapshot) == {"BR-O-11"}


def test_an_exemption_code_that_does_not_fit_its_category_is_refused() -> None:
    snapshot = document_snapshot(buyer_country="FR", buyer_vat="FR40303265045")
    groups = (replace(snapshot.vat_groups[0], exemption_code="VATEX-EU-G"),)

    assert _refused_for(replace(snapshot, vat_groups=groups)) == {"BR-AE-10"}


def test_a_taxed_group_with_an_exemption_code_is_refused() -> None:
    snapshot = document_snapshot()
    groups = (replace(snapshot.vat_groups[0], exemption_code="VATEX-EU-132"), *snapshot.vat_groups[1:])

    assert _refused_for(replace(snapshot, vat_groups=groups)) == {"BR-S-10"}


def test_an_intra_community_supply_needs_the_buyers_vat_number() -> None:
    snapshot = document_snapshot(buyer_country="NL", buyer_vat="NL004495445B01", supply="goods")
    buyer = replace(snapshot.buyer, vat_number=None)

    assert "BR-IC-02" in _refused_for(replace(snapshot, buyer=buyer))


def test_taxed_lines_need_the_sellers_vat_number() -> None:
    snapshot = document_snapshot()
    seller = replace(snapshot.seller, vat_number=None)

    assert _refused_for(replace(snapshot, seller=seller)) == {"BR-S-02"}


def test_a_dutch_supplier_must_identify_a_dutch_customer_by_kvk_number() -> None:
    snapshot = document_snapshot(seller_country="NL", buyer_country="NL", buyer_vat="NL004495445B01")

    assert _refused_for(snapshot) == {"NL-R-005"}
    fixed = replace(snapshot, buyer=replace(snapshot.buyer, company_id="12345678", company_id_scheme="0106"))
    assert validate_ubl(render_ubl(fixed)).is_valid


def test_a_dutch_supplier_must_give_its_kvk_number_and_a_payment_account() -> None:
    snapshot = document_snapshot(seller_country="NL", buyer_country="BE", buyer_vat="BE0403170701")
    seller = replace(snapshot.seller, company_id_scheme=None, iban=None)

    assert _refused_for(replace(snapshot, seller=seller)) == {"NL-R-003", "NL-R-007"}


def test_every_problem_is_reported_at_once() -> None:
    snapshot = document_snapshot()
    broken = replace(
        snapshot,
        buyer_reference="",
        seller=replace(snapshot.seller, endpoint=None),
        buyer=replace(snapshot.buyer, endpoint_scheme="XX"),
    )

    assert _refused_for(broken) == {"PEPPOL-EN16931-R003", "PEPPOL-EN16931-R020", "PEPPOL-EN16931-CL008"}


# --- the written tree ---------------------------------------------------------------------------------------


def _generated() -> etree._Element:
    return etree.fromstring(render_ubl(document_snapshot()))


def test_a_generated_tree_breaks_no_structural_rule() -> None:
    assert tree_problems(_generated(), "EUR") == []


def test_r008_an_empty_element_is_found() -> None:
    root = _generated()
    root.find("cbc:BuyerReference", NS).text = " "

    assert {p.field for p in tree_problems(root, "EUR")} == {"PEPPOL-EN16931-R008"}


def test_r051_an_amount_in_another_currency_is_found() -> None:
    root = _generated()
    root.find("cac:TaxTotal/cbc:TaxAmount", NS).set("currencyID", "USD")

    assert {p.field for p in tree_problems(root, "EUR")} == {"PEPPOL-EN16931-R051"}


def test_r002_a_second_document_note_is_found() -> None:
    root = _generated()
    note = root.find("cbc:Note", NS)
    note.addnext(etree.fromstring(f'<cbc:Note xmlns:cbc="{CBC}">second</cbc:Note>'))

    assert {p.field for p in tree_problems(root, "EUR")} == {"PEPPOL-EN16931-R002"}


def test_r053_a_missing_tax_total_is_found() -> None:
    root = _generated()
    root.remove(root.find("cac:TaxTotal", NS))

    assert {p.field for p in tree_problems(root, "EUR")} == {"PEPPOL-EN16931-R053"}


def test_r004_and_r007_wrong_identifiers_are_found() -> None:
    root = _generated()
    root.find("cbc:CustomizationID", NS).text = "urn:cen.eu:en16931:2017"
    root.find("cbc:ProfileID", NS).text = "urn:fdc:peppol.eu:2017:poacc:billing:99:1.0"

    assert {p.field for p in tree_problems(root, "EUR")} == {"PEPPOL-EN16931-R004", "PEPPOL-EN16931-R007"}
