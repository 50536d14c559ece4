"""UBL validation edge cases that need no conformance files: the XML layer, SVRL parsing, versions."""

from __future__ import annotations

import pytest

pytest.importorskip("saxonche", reason="saxonche is not installed (UBL validation dependency)")

from cashtrail.documents.ubl_validation import (  # noqa: E402
    Flag,
    Layer,
    parse_svrl,
    validate_ubl,
    validator_versions,
)

SVRL = b"""<svrl:schematron-output xmlns:svrl="http://purl.oclc.org/dsdl/svrl">
  <svrl:fired-rule context="/"/>
  <svrl:failed-assert test="false()" id="BR-01" flag="fatal" location="/*:Invoice[1]">
    <svrl:text>[BR-01]-An Invoice shall have
      a Specification identifier (BT-24).</svrl:text>
  </svrl:failed-assert>
  <svrl:failed-assert test="false()" flag="warning" location="/*:Invoice[1]/*:Note[1]">
    <svrl:text>[UBL-CR-001]-A UBL invoice should not include extensions</svrl:text>
  </svrl:failed-assert>
  <svrl:successful-report test="true()" id="X-1" location="/">
    <svrl:text>no flag given</svrl:text>
  </svrl:successful-report>
</svrl:schematron-output>"""


def test_malformed_xml_yields_one_fatal_xml_finding_and_runs_no_other_layer():
    report = validate_ubl(b"<Invoice")

    assert report.layers_run == (Layer.XML,)
    assert report.rule_ids(flag=Flag.FATAL) == {"XML-SYNTAX"}
    assert report.document_type is None
    assert not report.is_valid


def test_a_doctype_is_refused_so_entities_are_never_expanded():
    xml = (
        b'<!DOCTYPE x [<!ENTITY e "boom">]>'
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&e;</Invoice>'
    )

    report = validate_ubl(xml)

    assert report.rule_ids() == {"XML-DOCTYPE"}
    assert report.layers_run == (Layer.XML,)


def test_a_root_that_is_not_a_ubl_invoice_or_credit_note_is_fatal():
    report = validate_ubl(b"<Invoice xmlns='urn:example'/>")

    assert report.rule_ids(flag=Flag.FATAL) == {"UBL-ROOT"}


def test_an_empty_ubl_invoice_fails_both_the_xsd_and_the_cen_rules():
    report = validate_ubl(b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>")

    assert report.rule_ids(layer=Layer.XSD, flag=Flag.FATAL)
    assert "BR-01" in report.rule_ids(layer=Layer.CEN, flag=Flag.FATAL)


def test_svrl_asserts_and_reports_become_findings_in_document_order():
    findings = parse_svrl(SVRL, layer=Layer.CEN)

    assert [(f.rule_id, f.flag) for f in findings] == [
        ("BR-01", Flag.FATAL),
        ("UBL-CR-001", Flag.WARNING),
        ("X-1", Flag.FATAL),
    ]
    assert findings[0].message == "[BR-01]-An Invoice shall have a Specification identifier (BT-24)."
    assert findings[1].location == "/*:Invoice[1]/*:Note[1]"


def test_validator_versions_name_the_cen_schematron_release():
    versions = validator_versions()

    assert versions["cen_schematron"][0].isdigit()
    assert versions["factur-x"]
    assert "Saxon" in versions["saxon"]
