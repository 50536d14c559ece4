"""How the workbench names a finding's rows, and groups a record's run of one-per-line findings."""

from __future__ import annotations

from datetime import UTC, date, datetime

from cashtrail.toner.board import BoardStatus
from cashtrail.toner.queries import grouped
from cashtrail.toner.records import ReconciliationRecord, StoredFinding, rows_summary


def test_rows_of_one_kind_name_the_kind_once_and_the_rest_are_counted() -> None:
    rows = [f"shipment S{n}/1 (U1)" for n in range(1, 8)]
    assert rows_summary(rows, limit=3) == "shipment S1/1 (U1), S2/1 (U1), S3/1 (U1) +4 more"
    every = rows_summary(rows)  # no limit (the XLSX export): every row, "shipment" named once
    assert every == "shipment " + ", ".join(f"S{n}/1 (U1)" for n in range(1, 8))


def test_rows_of_several_kinds_are_separated_by_kind() -> None:
    rows = ["shipment S9/1 (U1)", "device D1 (M1)", "billing 2026-01 D1 inv INV-1"]
    assert rows_summary(rows) == "shipment S9/1 (U1); device D1 (M1); billing 2026-01 D1 inv INV-1"
    assert rows_summary([]) == ""


def _record(record_id: int) -> ReconciliationRecord:
    since = datetime(2026, 4, 1, tzinfo=UTC)
    return ReconciliationRecord(
        f"MPS-{record_id}", date(2026, 1, 1), date(2026, 3, 31), "C1", "BE", "EUR", BoardStatus.FINDINGS_OPEN,
        "tina", date(2026, 4, 30), since, id=record_id,
    )  # fmt: skip


def _finding(record_id: int, code: str, n: int) -> StoredFinding:
    return StoredFinding(record_id, code, "error", "m", "fix", None, [f"shipment T{n}/1 (U2)"], f"fp{n}", id=n)


def test_a_records_run_of_no_toner_contract_findings_is_one_group_and_other_codes_stay_alone() -> None:
    one, two = _record(1), _record(2)
    found = [
        (one, _finding(1, "mapping_error", 1)),
        (one, _finding(1, "mapping_error", 2)),
        *[(one, _finding(1, "no_toner_contract", n)) for n in (3, 4, 5)],
        (two, _finding(2, "no_toner_contract", 6)),
    ]
    groups = grouped(found)
    assert [len(g.findings) for g in groups] == [1, 1, 3, 1]
    assert groups[2].title == "3 shipment lines without a toner set-up"
    assert groups[2].rows == ["shipment T3/1 (U2)", "shipment T4/1 (U2)", "shipment T5/1 (U2)"]
    assert groups[2].open_ids == [3, 4, 5]
