"""Every bank statement file in the shared conformance set parses with the counts in its MANIFEST, or is refused
with the reason the MANIFEST notes. Check findings (a balance that does not add up, a declared count that does
not match) are part of each file's expectation: they are real inconsistencies of those samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from cashtrail.cashapp.statements import Statement, StatementFormat, TransactionDetail
from cashtrail.files.statements import detect_and_parse
from cashtrail.invoicing.references import ReferenceKind

CONFORMANCE = Path(__file__).resolve().parents[3] / ".." / "shared" / "conformance"
if not CONFORMANCE.is_dir():
    pytest.skip(f"conformance files not found at {CONFORMANCE}", allow_module_level=True)


@dataclass(frozen=True)
class Camt:
    statements: int
    entries: int
    details: int
    ustrd: int
    strd: int
    rf: int = 0
    findings: tuple[str, ...] = ()


CAMT = {
    "camt053/viafintech_053_valid_example_v02.xml": Camt(1, 4, 5, 5, 0),
    "camt053/viafintech_053_valid_example_v04_ch_isr.xml": Camt(1, 13, 32, 18, 18),
    "camt053/viafintech_053_valid_example_v08_rf_qrr.xml": Camt(1, 3, 3, 1, 2, rf=1, findings=("entry.amount",)),
    "camt053/viafintech_053_with_batch_v02.xml": Camt(1, 3, 2, 1, 0, findings=("entry_count",)),
    "camt053/genkgo_camt053.v2.minimal_bba.xml": Camt(1, 1, 1, 0, 1, findings=("closing_balance",)),
    "camt053/genkgo_camt053.v8.xml": Camt(1, 1, 1, 0, 1, findings=("closing_balance",)),
    "camt053/genkgo_camt053.v2.multi.statement.xml": Camt(2, 2, 2, 2, 0),
    "camt053/oca_test-camt053.xml": Camt(1, 3, 4, 3, 0, findings=("closing_balance",)),
    "camt053/oca_test-camt053-txdtls.xml": Camt(1, 1, 2, 0, 2),
    "camt053/subite_BE68793230773034-202411.xml": Camt(1, 268, 268, 268, 0),
    "camt054/viafintech_054_valid_example_v04.xml": Camt(1, 4, 5, 4, 0),
    "camt054/genkgo_camt054.v4_isr.xml": Camt(1, 1, 3, 3, 4, findings=("entry.transaction_count",)),
    "camt054/genkgo_camt054.v8-with-UETR.xml": Camt(1, 1, 1, 0, 0),
    "camt054/oca_test-camt054_qrr.xml": Camt(1, 1, 1, 0, 1),
    "camt054/subite_LT_camt054_2024-03-07.xml": Camt(1, 1, 31, 0, 0),
}

# file -> (statements, :61: entries, :86: fields, check findings)
MT940 = {
    "mt940/wolph_jejik_abnamro.sta": (2, 10, 10, ("closing_balance", "closing_balance")),
    "mt940/wolph_jejik_ing.sta": (1, 7, 8, ("closing_balance",)),
    "mt940/wolph_betterplace_sepa_snippet.sta": (2, 11, 11, ("closing_balance",)),
    "mt940/wolph_raiffeisen-cmi.sta": (1, 7, 7, ("closing_balance",)),
    "mt940/wolph_mbank_mt942.sta": (1, 3, 3, ()),
    "mt940/zilverline_ing_mt940_iban.sta": (1, 21, 22, ()),
    "mt940/zilverline_rabobank_mt940_structured.sta": (2, 9, 9, ()),
    "mt940/fruitl00p_bunq_sample.sta": (1, 111, 111, ()),
    "mt940/oca_test-ing.940": (1, 8, 9, ()),
}

# file -> (02 groups, 03 accounts, 16 transactions, check findings)
BAI2 = {
    "bai2/moj_nwb_example.bai2": (1, 1, 5, ()),
    "bai2/moj_citi_example.bai2": (1, 1, 1, ("closing_balance",)),
    "bai2/moj_svb_us_example.bai2": (2, 2, 2, ()),
    "bai2/moov_sample1.bai2": (1, 2, 17, ()),
}
BAI2_REFUSED = {
    "bai2/moov_sample3.bai2": "holds several records on one line",
    "bai2/moov_sample5-issue113.bai2": "account 107049932: trailer 49 declares 26 records but the account has 18",
}


def _parse(relative: str) -> tuple[list[Statement], list[str], list[str]]:
    """Statements, parse errors (``file``/tag fields) and check findings (statement fields)."""
    statements, errors = detect_and_parse((CONFORMANCE / relative).read_bytes(), Path(relative).name)
    checks = {"entry_count", "entry.transaction_count", "closing_balance", "opening_balance", "entry.amount"}
    return statements, [str(e) for e in errors if e.field not in checks], [e.field for e in errors if e.field in checks]


def _details(statements: list[Statement]) -> list[TransactionDetail]:
    return [d for s in statements for e in s.entries for d in e.details]


def test_every_statement_file_in_the_conformance_set_has_an_expectation() -> None:
    on_disk = {
        f"{p.parent.name}/{p.name}"
        for folder in ("camt053", "camt054", "mt940", "bai2")
        for p in (CONFORMANCE / folder).iterdir()
        if p.is_file()
    }
    assert on_disk == set(CAMT) | set(MT940) | set(BAI2) | set(BAI2_REFUSED)


@pytest.mark.parametrize("relative", sorted(CAMT))
def test_camt_file_parses_with_the_manifest_counts(relative: str) -> None:
    expected = CAMT[relative]
    statements, errors, findings = _parse(relative)
    details = _details(statements)
    references = [r for d in details for r in d.remittance.references()]
    assert errors == []
    assert len(statements) == expected.statements
    assert sum(len(s.entries) for s in statements) == expected.entries
    assert len(details) == expected.details
    assert sum(len(d.remittance.unstructured) for d in details) == expected.ustrd
    assert sum(len(d.remittance.structured) for d in details) == expected.strd
    assert sum(r.kind is ReferenceKind.RF for r in references) == expected.rf
    assert not any(r.kind is ReferenceKind.OGM_VCS for r in references)
    assert sorted(findings) == sorted(expected.findings)


@pytest.mark.parametrize("relative", sorted(MT940))
def test_mt940_file_parses_with_the_manifest_counts(relative: str) -> None:
    count, entries, information, expected_findings = MT940[relative]
    statements, errors, findings = _parse(relative)
    assert errors == []
    assert len(statements) == count
    assert sum(len(s.entries) for s in statements) == entries
    assert (
        sum(bool(e.information) for s in statements for e in s.entries) + sum(len(s.notes) for s in statements)
        == information
    )
    assert sorted(findings) == sorted(expected_findings)


@pytest.mark.parametrize("relative", sorted(BAI2))
def test_bai2_file_parses_with_the_manifest_counts(relative: str) -> None:
    groups, accounts, transactions, expected_findings = BAI2[relative]
    statements, errors, findings = _parse(relative)
    assert errors == []
    assert len({s.statement_id for s in statements}) == groups
    assert len(statements) == accounts
    assert sum(len(s.entries) for s in statements) == transactions
    assert sorted(findings) == sorted(expected_findings)


@pytest.mark.parametrize("relative", sorted(BAI2_REFUSED))
def test_bai2_file_that_strict_parsers_reject_is_refused_with_the_reason(relative: str) -> None:
    statements, errors, _ = _parse(relative)
    assert statements == []
    assert any(BAI2_REFUSED[relative] in e for e in errors)


def test_balances_are_continuous_where_the_file_has_them() -> None:
    statements, _, findings = _parse("camt053/subite_BE68793230773034-202411.xml")
    statement = statements[0]
    assert statement.opening is not None
    assert statement.closing is not None
    assert findings == []
    total = sum((e.amount.amount for e in statement.entries), statement.opening.amount.amount)
    assert total == statement.closing.amount.amount


def test_a_truncated_camt_file_is_an_error_not_a_partial_import(tmp_path: Path) -> None:
    data = (CONFORMANCE / "camt053/subite_BE68793230773034-202411.xml").read_bytes()
    cut = data[: data.index(b"</Ntry>", len(data) // 2) + len(b"</Ntry>")]
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(cut)
    statements, errors = detect_and_parse(truncated.read_bytes(), truncated.name)
    assert statements == []
    assert [e.field for e in errors] == ["file"]
    assert "not well-formed XML" in errors[0].message


def test_camt_entries_are_signed_and_carry_references_and_counterparties() -> None:
    statements, _, _ = _parse("camt053/viafintech_053_valid_example_v02.xml")
    entries = statements[0].entries
    assert statements[0].format is StatementFormat.CAMT053
    assert any(e.amount.amount > 0 for e in entries)
    assert any(e.amount.amount < 0 for e in entries)
    assert any(d.end_to_end_id for e in entries for d in e.details)
    assert any(d.counterparty.iban for e in entries for d in e.details)


def test_camt_entry_status_is_kept_so_information_only_entries_can_be_left_out() -> None:
    booked, _, _ = _parse("camt053/genkgo_camt053.v8.xml")
    info, _, _ = _parse("camt054/subite_LT_camt054_2024-03-07.xml")
    assert [e.status for e in booked[0].entries] == ["BOOK"]
    assert [e.status for e in info[0].entries] == ["INFO"]


def test_camt_054_v8_keeps_the_uetr() -> None:
    statements, _, _ = _parse("camt054/genkgo_camt054.v8-with-UETR.xml")
    assert statements[0].format is StatementFormat.CAMT054
    assert statements[0].entries[0].uetr


def test_the_rf_reference_of_the_camt_v8_sample_is_recognised() -> None:
    statements, _, _ = _parse("camt053/viafintech_053_valid_example_v08_rf_qrr.xml")
    references = [r for d in _details(statements) for r in d.remittance.references()]
    assert [r.value for r in references if r.kind is ReferenceKind.RF] == ["RF38000000000000000000552"]


def test_the_bba_issuer_tag_does_not_make_a_16_digit_reference_an_ogm() -> None:
    statements, _, _ = _parse("camt053/genkgo_camt053.v2.minimal_bba.xml")
    (reference,) = _details(statements)[0].remittance.references()
    assert reference.kind is ReferenceKind.PROPRIETARY
    assert reference.declared == "SCOR/BBA"


def test_the_ing_file_with_a_wrapped_statement_number_reads_it_whole() -> None:
    statements, _, _ = _parse("mt940/oca_test-ing.940")
    assert statements[0].statement_id == "00000"
    structured = [r for e in statements[0].entries for r in e.remittance.references()]
    assert [(r.declared, r.value) for r in structured] == [("CUR", "9001123412341234"), ("CUR", "1070123412341234")]


def test_mt942_declares_its_entry_count_and_has_no_balances() -> None:
    statements, _, findings = _parse("mt940/wolph_mbank_mt942.sta")
    (statement,) = statements
    assert statement.format is StatementFormat.MT942
    assert statement.declared_entry_count == 3
    assert statement.opening is None
    assert findings == []


def test_mt940_german_subfields_give_end_to_end_id_remittance_and_counterparty() -> None:
    statements, _, _ = _parse("mt940/wolph_betterplace_sepa_snippet.sta")
    entry = statements[0].entries[1]
    assert entry.end_to_end_id == "TFNR 0300300004"
    assert entry.remittance.unstructured == ("Strukturierter Verwendungszweck 30030004 DE",)
    assert entry.counterparty.iban == "DE03508800500194791600"


def test_bai2_amounts_are_in_minor_units_and_signed_by_type_code() -> None:
    statements, _, _ = _parse("bai2/moj_nwb_example.bai2")
    amounts = [str(e.amount.amount) for e in statements[0].entries]
    assert statements[0].currency == "GBP"
    assert amounts == ["-9.71", "-1.00", "-1.23", "-15.71", "0.89"]


def test_content_that_is_no_statement_is_refused() -> None:
    statements, errors = detect_and_parse(b"hello", "notes.txt")
    assert statements == []
    assert "is not a camt.053/054, MT940/MT942, BAI2 or Cashtrail CSV statement" in errors[0].message
