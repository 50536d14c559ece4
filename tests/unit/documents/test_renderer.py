"""The documents adapter the invoicing services render issued documents with."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cashtrail.documents.errors import PeppolRulesBroken
from cashtrail.documents.renderer import SnapshotRenderer
from cashtrail.documents.ubl_validation import validate_ubl
from cashtrail.ports import DocumentRenderer
from tests.factories import document_snapshot


def test_the_adapter_renders_a_pdf_and_a_valid_ubl_for_the_port() -> None:
    renderer: DocumentRenderer = SnapshotRenderer()
    snapshot = document_snapshot(kind="credit_note")

    assert renderer.pdf(snapshot).startswith(b"%PDF-")
    xml = renderer.ubl(snapshot)
    assert b"<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>" in xml
    assert validate_ubl(xml).is_valid


def test_the_adapter_refuses_to_produce_a_ubl_that_breaks_the_rules() -> None:
    snapshot = replace(document_snapshot(), buyer_reference="", order_reference=None)

    with pytest.raises(PeppolRulesBroken):
        SnapshotRenderer().ubl(snapshot)
