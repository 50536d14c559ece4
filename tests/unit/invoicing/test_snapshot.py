"""The issued-document snapshot: built from reconciled totals, round-trips through JSON, refuses broken totals."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from cashtrail.errors import InvalidState
from cashtrail.invoicing.snapshot import DocumentSnapshot
from tests.factories import document_snapshot


def test_a_snapshot_round_trips_through_json_exactly() -> None:
    snapshot = document_snapshot()
    stored = json.loads(json.dumps(snapshot.to_json()))
    assert DocumentSnapshot.from_json(stored) == snapshot


def test_a_snapshot_carries_the_totals_of_its_lines() -> None:
    snapshot = document_snapshot()
    assert snapshot.net == Decimal("501.48")  # 250.00 + 168.88 (1.75 x 96.50 = 168.875) + 82.60
    assert [g.rate for g in snapshot.vat_groups] == [Decimal("21"), Decimal("6")]
    # 418.88 x 21 % = 87.9648 → 87.96, and 82.60 x 6 % = 4.956 → 4.96 (rounded once per rate)
    assert [g.tax for g in snapshot.vat_groups] == [Decimal("87.96"), Decimal("4.96")]
    assert snapshot.vat == Decimal("92.92")
    assert snapshot.gross == snapshot.net + snapshot.vat


def test_a_reverse_charged_snapshot_prints_the_legal_mention_in_the_customer_language() -> None:
    snapshot = document_snapshot(buyer_country="FR", buyer_vat="FR40303265045", language="fr")
    assert {g.category for g in snapshot.vat_groups} == {"AE"}
    assert snapshot.vat == 0
    assert snapshot.mentions == ("Autoliquidation : TVA due par le preneur (article 196 de la directive 2006/112/CE)",)


def test_a_snapshot_whose_totals_do_not_reconcile_is_refused() -> None:
    snapshot = document_snapshot()
    with pytest.raises(InvalidState) as caught:
        replace(snapshot, gross=snapshot.gross + Decimal("0.01"))
    assert caught.value.code == "invoicing.snapshot_mismatch"


def test_a_credit_note_snapshot_must_name_the_invoice_it_corrects() -> None:
    credit = document_snapshot(kind="credit_note")
    assert credit.preceding is not None
    with pytest.raises(InvalidState):
        replace(credit, preceding=None)


def test_the_optional_delivery_and_legal_fields_round_trip_through_json() -> None:
    from datetime import date

    from cashtrail.invoicing.snapshot import PostalAddress

    snapshot = document_snapshot(seller_country="FR", buyer_country="FR", buyer_vat="FR40303265045")
    delivered = replace(
        snapshot,
        delivery_date=date(2026, 4, 21),
        delivery_address=PostalAddress("Quai 3", "69007", "Lyon", "FR", line2="Dock B"),
    )
    stored = json.loads(json.dumps(delivered.to_json()))

    assert DocumentSnapshot.from_json(stored) == delivered
    assert delivered.seller.company_id_scheme == "0002"
    assert delivered.seller.legal_info
