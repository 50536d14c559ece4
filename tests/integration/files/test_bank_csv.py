"""Cashtrail's CSV bank statement: the documented columns, whole-file validation naming row and column, and the
checks that catch a file cut short."""

from __future__ import annotations

from decimal import Decimal

from cashtrail.cashapp.statements import StatementFormat
from cashtrail.files.statements import detect_and_parse
from cashtrail.invoicing.references import ReferenceKind

HEADER = (
    "record,account,currency,date,amount,statement_id,value_date,bank_reference,end_to_end_id,"
    "counterparty_name,counterparty_iban,counterparty_bic,reference,remittance,entries\n"
)
GOOD = HEADER + (
    "opening,BE68539007547034,EUR,2026-04-30,1000.00,2026-05,,,,,,,,,\n"
    "entry,BE68539007547034,EUR,2026-05-03,248.05,2026-05,2026-05-03,TX-1,E2E-1,Acme Lifts NV,"
    "BE71096123456769,GKCCBEBB,+++090/9337/55493+++,,\n"
    'entry,BE68539007547034,EUR,2026-05-04,-12.50,2026-05,,TX-2,,,,,,"fees, May",\n'
    "entry,BE68539007547034,EUR,2026-05-05,100,2026-05,,TX-3,,Beta SA,,,,INV-BE01-2026-000001 thanks,\n"
    "closing,BE68539007547034,EUR,2026-05-31,1335.55,2026-05,,,,,,,,,3\n"
)


def test_a_csv_statement_reads_balances_entries_references_and_counterparties():
    [statement], errors = detect_and_parse(GOOD.encode(), "may.csv")
    assert errors == []
    assert statement.format is StatementFormat.CSV
    assert (statement.account, statement.currency, statement.statement_id) == ("BE68539007547034", "EUR", "2026-05")
    assert statement.opening.amount.amount == Decimal("1000.00")
    assert statement.closing.amount.amount == Decimal("1335.55")
    first, fee, third = statement.entries
    assert (first.bank_reference, first.end_to_end_id, first.counterparty.iban) == ("TX-1", "E2E-1", "BE71096123456769")
    [reference] = first.remittance.references()
    assert (reference.kind, reference.value) == (ReferenceKind.OGM, "090933755493")
    assert fee.amount.amount == Decimal("-12.50")
    assert fee.remittance.unstructured == ("fees, May",)
    assert third.remittance.unstructured == ("INV-BE01-2026-000001 thanks",)


def test_a_csv_cut_short_is_refused_with_the_reason():
    cut = GOOD.rsplit("closing", 1)[0]
    statements, errors = detect_and_parse(cut.encode(), "cut.csv")
    assert statements == []
    assert [(e.row, e.field) for e in errors] == [(2, "record")]
    assert "no closing row" in errors[0].message
    half_row = GOOD.replace(",2026-05,,,,,,,,,3\n", ",2026")
    statements, errors = detect_and_parse(half_row.encode(), "half.csv")
    assert statements == []
    assert any(e.row == 6 and e.field == "row" for e in errors)


def test_counts_and_balances_of_a_csv_statement_are_checked():
    dropped = GOOD.replace(
        "entry,BE68539007547034,EUR,2026-05-05,100,2026-05,,TX-3,,Beta SA,,,,INV-BE01-2026-000001 thanks,\n", ""
    )
    statements, errors = detect_and_parse(dropped.encode(), "dropped.csv")
    assert statements  # the parser read it; the checks below refuse it at import
    assert {e.field for e in errors} == {"entry_count"}
    wrong = GOOD.replace("1335.55", "1335.56")
    _, errors = detect_and_parse(wrong.encode(), "wrong.csv")
    assert [e.field for e in errors] == ["closing_balance"]


def test_every_bad_cell_is_reported_with_row_and_column():
    bad = HEADER + (
        "entry,BE68539007547034,EUR,2026-13-01,1.234,,,,,,BE00000,XXXX,,,\n"
        "payment,BE68539007547034,EUR,2026-05-01,1.00,,,,,,,,,,\n"
        "closing,BE68539007547034,EURO,2026-05-31,0,,,,,,,,,,x\n"
    )
    statements, errors = detect_and_parse(bad.encode(), "bad.csv")
    assert statements == []
    found = {(e.row, e.field) for e in errors}
    assert {(2, "date"), (2, "amount"), (3, "record"), (4, "currency")} <= found
    assert all(e.source == "bad.csv" for e in errors)
    missing = "record,account,amount,colour\nentry,X,1,red\n"
    _, errors = detect_and_parse(missing.encode(), "header.csv")
    assert {(e.row, e.field) for e in errors} == {(1, "currency"), (1, "date"), (1, "colour")}
