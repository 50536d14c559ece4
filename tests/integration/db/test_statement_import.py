"""Bank statement imports against a real database: idempotent, overlaps reconciled, bad files refused whole."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from cashtrail.cashapp.services import StatementImportReport, import_statements
from cashtrail.db import cashapp_tables as ct
from cashtrail.errors import PermissionDenied, ValidationFailed
from cashtrail.files.statements import detect_and_parse
from cashtrail.identity.model import Actor, Role

CONFORMANCE = Path(__file__).resolve().parents[3].parent / "shared" / "conformance"
if not (CONFORMANCE / "camt053").is_dir():
    pytest.skip(f"conformance files not found at {CONFORMANCE}", allow_module_level=True)

V02 = "camt053/viafintech_053_valid_example_v02.xml"
NEW_ENTRY = """<Ntry>
      <Amt Ccy="EUR">5.00</Amt>
      <CdtDbtInd>CRDT</CdtDbtInd>
      <Sts>BOOK</Sts>
      <BookgDt><Dt>2013-12-27</Dt></BookgDt>
      <AcctSvcrRef>2013122799999990000</AcctSvcrRef>
      <AddtlNtryInf>late credit</AddtlNtryInf>
    </Ntry>
  </Stmt>"""


def _import(app, data: bytes, name: str, actor: Actor | None = None) -> StatementImportReport:
    statements, findings = detect_and_parse(data, name)
    sha = hashlib.sha256(data).hexdigest()
    return import_statements(app.uow(), app.clock, actor or Actor.system(), statements, name, sha, findings=findings)


def _file(name: str) -> bytes:
    return (CONFORMANCE / name).read_bytes()


def _counts(app) -> tuple[int, int, int]:
    with app.uow() as uow:
        statements = uow.session.scalar(select(func.count()).select_from(ct.bank_statements))
        entries = uow.session.scalar(select(func.count()).select_from(ct.bank_entries))
        audits = len(uow.audit.page(after_id=None, limit=1000, entity_type="bank_statement_file"))
        return int(statements or 0), int(entries or 0), audits


def _v02(*replacements: tuple[str, str]) -> bytes:
    text = _file(V02).decode()
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    return text.encode()


def test_a_conforming_camt053_imports_every_entry_with_its_references(app):
    report = _import(app, _file("camt053/viafintech_053_valid_example_v04_ch_isr.xml"), "isr.xml")
    assert (report.entries_created(), report.entries_skipped()) == (13, 0)
    with app.uow() as uow:
        rows = uow.session.execute(select(ct.bank_entries).order_by(ct.bank_entries.c.line)).all()
        stored = uow.session.execute(select(ct.bank_statements)).one()
    assert len(rows) == stored.entry_count == 13
    assert all(r.status == "unmatched" and r.transaction_id for r in rows)
    kinds = {ref["type"] for r in rows for ref in r.structured_references}
    kinds |= {b["reference"]["type"] for r in rows for d in r.details for b in d["structured"] if b["reference"]}
    assert "ch_isr" in kinds
    assert any(r.end_to_end_id == "PMT-651727380907030005" and r.counterparty_name == "Bernasconi Maria" for r in rows)
    assert (stored.account, stored.closing_date.isoformat()) == ("CH0309000000250090342", "2016-04-30")


def test_importing_the_same_statement_twice_adds_nothing(app):
    first = _import(app, _file(V02), "v02.xml")
    again = _import(app, _file(V02), "v02-copy.xml")
    assert first.as_dict()["statements_created"] == 1
    assert (again.as_dict()["statements_unchanged"], again.entries_created(), again.entries_skipped()) == (1, 0, 4)
    assert _counts(app) == (1, 4, 2)


def test_an_overlapping_statement_imports_only_its_new_entry(app):
    _import(app, _file(V02), "v02.xml")
    overlapping = _v02(
        ("<Id>0352C5320131227220503</Id>", "<Id>0352C5320131227235959</Id>"),
        ('<Amt Ccy="EUR">23.06</Amt>', '<Amt Ccy="EUR">28.06</Amt>'),
        ("</Ntry>\n  </Stmt>", "</Ntry>\n    " + NEW_ENTRY),
    )
    report = _import(app, overlapping, "v02-late.xml")
    assert (report.entries_created(), report.entries_skipped()) == (1, 4)
    with app.uow() as uow:
        ids = uow.session.scalars(select(ct.bank_entries.c.transaction_id)).all()
    assert sorted(ids).count("2013122799999990000") == 1
    assert _counts(app) == (2, 5, 2)


def test_a_statement_that_does_not_continue_the_stored_closing_balance_is_refused(app):
    _import(app, _file(V02), "v02.xml")
    next_day = _v02(
        ("<Id>0352C5320131227220503</Id>", "<Id>0352C5320131228220503</Id>"),
        ('<Amt Ccy="EUR">33.06</Amt>', '<Amt Ccy="EUR">40.00</Amt>'),
        ('<Amt Ccy="EUR">23.06</Amt>', '<Amt Ccy="EUR">30.00</Amt>'),
        ("2013-12-27", "2013-12-28"),
        ("AcctSvcrRef>2013122", "AcctSvcrRef>2013123"),
    )
    with pytest.raises(ValidationFailed) as refused:
        _import(app, next_day, "v02-next.xml")
    assert refused.value.code == "statement.inconsistent"
    assert [str(e) for e in refused.value.errors] == [
        "v02-next.xml: opening_balance: statement 0352C5320131228220503 of DE14740618130000033626: opening balance "
        "40.00 on 2013-12-28 does not continue the stored closing balance 23.0600 of statement "
        "0352C5320131227220503 on 2013-12-27 (got Decimal('40.00'))"
    ]
    assert _counts(app) == (1, 4, 1)


def test_an_overlap_with_another_amount_for_a_known_transaction_is_refused(app):
    _import(app, _file(V02), "v02.xml")
    changed = _v02(
        ("<Id>0352C5320131227220503</Id>", "<Id>0352C5320131227235959</Id>"),
        ('<Amt Ccy="EUR">2.00</Amt>', '<Amt Ccy="EUR">2.50</Amt>'),
        ('<Amt Ccy="EUR">23.06</Amt>', '<Amt Ccy="EUR">22.56</Amt>'),
    )
    with pytest.raises(ValidationFailed) as refused:
        _import(app, changed, "v02-changed.xml")
    assert any(
        "entry 1: bank transaction id 2013122710583450000 is stored with amount -2.0000 but this file says -2.50"
        in e.message
        for e in refused.value.errors
    )
    assert _counts(app) == (1, 4, 1)


def test_a_sample_that_fails_its_balance_check_is_refused_with_the_reason(app):
    with pytest.raises(ValidationFailed) as refused:
        _import(app, _file("camt053/oca_test-camt053.xml"), "oca.xml")
    assert refused.value.code == "statement.invalid"
    assert [e.field for e in refused.value.errors] == ["closing_balance"]
    assert "opening 15568.27 + movements -12.99 = 15555.28, not the closing 15121.12" in refused.value.errors[0].message
    assert _counts(app) == (0, 0, 0)


@pytest.mark.parametrize(
    "name", ["camt053/viafintech_053_valid_example_v02.xml", "mt940/zilverline_ing_mt940_iban.sta"]
)
def test_a_truncated_file_is_refused_and_nothing_is_written(app, name):
    data = _file(name)
    cut = data[: len(data) * 2 // 3]
    with pytest.raises(ValidationFailed) as refused:
        _import(app, cut, Path(name).name)
    assert refused.value.errors
    assert _counts(app) == (0, 0, 0)


def test_only_roles_granted_bank_import_may_import(app):
    with pytest.raises(PermissionDenied):
        _import(app, _file(V02), "v02.xml", Actor("ann", frozenset({Role.AUDITOR})))
    report = _import(app, _file(V02), "v02.xml", Actor("cole", frozenset({Role.COLLECTOR})))
    assert report.entries_created() == 4
