"""Format edges checked on small inline files (no conformance files needed)."""

from __future__ import annotations

from cashtrail.files.statements import detect_and_parse

_CAMT = """<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.{kind}.001.{version}"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>BE68539007547034</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{mark}</CdtDbtInd><BookgDt><Dt>2026-03-31</Dt></BookgDt>
<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>+++090/9337/55493+++</Ref></CdtrRefInf></Strd></RmtInf>
</TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>"""


def _camt(kind: str = "053", version: str = "08", amount: str = "12.50", mark: str = "DBIT") -> bytes:
    return _CAMT.format(kind=kind, version=version, amount=amount, mark=mark).encode()


def test_a_debit_entry_is_negative_and_a_belgian_ogm_is_recognised() -> None:
    statements, errors = detect_and_parse(_camt(), "x.xml")
    assert errors == []
    (entry,) = statements[0].entries
    assert str(entry.amount.amount) == "-12.50"
    (reference,) = entry.remittance.references()
    assert (reference.kind.value, reference.value) == ("ogm_vcs", "090933755493")


def test_versions_outside_02_to_10_are_refused_with_the_version() -> None:
    statements, errors = detect_and_parse(_camt(version="11"), "x.xml")
    assert statements == []
    assert "camt.053.001.11 is not supported" in errors[0].message


def test_a_camt_052_report_is_refused() -> None:
    statements, errors = detect_and_parse(_camt(kind="052"), "x.xml")
    assert statements == []
    assert "is not a camt.053 or camt.054 document" in errors[0].message


def test_an_entry_without_credit_debit_indicator_is_an_error() -> None:
    statements, errors = detect_and_parse(_camt(mark="XXXX"), "x.xml")
    assert statements[0].entries == ()
    assert any("credit/debit indicator" in e.message for e in errors)


def test_external_entities_are_not_resolved() -> None:
    data = b"""<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>&x;</MsgId>
</GrpHdr></BkToCstmrStmt></Document>"""
    statements, errors = detect_and_parse(data, "x.xml")
    assert statements == []
    assert "root:" not in str(errors)


def test_an_unknown_mt940_tag_is_reported_with_its_line() -> None:
    data = b":20:REF\n:25:NL91ABNA0417164300EUR\n:28C:1\n:60F:C260331EUR10,00\n:99X:odd\n:62F:C260331EUR10,00\n-"
    statements, errors = detect_and_parse(data, "x.sta")
    assert [(e.field, e.row) for e in errors] == [(":99X:", 5)]
    assert statements[0].account == "NL91ABNA0417164300"


def test_an_mt940_entry_booked_in_december_for_january_value_keeps_the_right_year() -> None:
    data = b":20:REF\n:25:123\n:28C:1\n:60F:C251231EUR0,00\n:61:2601021231C5,00NTRFNONREF\n:62F:C260102EUR5,00\n-"
    statements, errors = detect_and_parse(data, "x.sta")
    assert errors == []
    (entry,) = statements[0].entries
    assert (str(entry.booking_date), str(entry.value_date)) == ("2025-12-31", "2026-01-02")
