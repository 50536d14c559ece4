"""Every finding class: one case that finds it, one clean case that is not flagged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from cashtrail.contracts.model import Contract, TonerPeriod
from cashtrail.toner.data import ReconciliationData
from cashtrail.toner.findings import FindingCode, Severity, TonerFinding, find_all, shipments_without_setup
from cashtrail.toner.model import (
    BillingLine,
    CartridgePart,
    ContractTerms,
    ModelMapping,
    ReconciliationSetup,
    ShipmentLine,
    TonerColour,
    terms_from_contract,
)
from tests.unit.toner.builders import AGREEMENT, Q4, bill, data, device, part, setup, ship, terms

F = FindingCode
PARTS = [part("K1"), part("K9"), part("C1", colour=TonerColour.CYAN, pages=6_000, cost="120")]
MAPPINGS = [
    ModelMapping("M400", "K1", starter_yield=3_000),
    ModelMapping("M400", "C1"),
    ModelMapping("OTHER", "K9"),
]
SHIPMENTS = [
    ship("SH0", "K1", 1, serial="S1", on=date(2025, 10, 15)),
    ship("SH0", "K1", 1, line=2, serial="S2", on=date(2025, 10, 15)),
    ship("SH1", "K1", 2, serial="S1"),
    ship("SH1", "K1", 1, line=2, serial="S2"),
]
BILLING = [
    bill(10_000, serial="S1", period=Q4),
    bill(10_000, serial="S2", period=Q4),
    bill(20_000, serial="S1"),
    bill(15_000, serial="S2"),
]


def clean(
    *,
    shipments: Sequence[ShipmentLine] = SHIPMENTS,
    billing: Sequence[BillingLine] = BILLING,
    parts: Sequence[CartridgePart] = PARTS,
    setups: Sequence[ReconciliationSetup] | None = None,
    contract: ContractTerms | None = None,
) -> ReconciliationData:
    """A consistent agreement with two devices, a quarter of history and per-device billing."""
    return data(
        shipments=shipments,
        billing=billing,
        parts=parts,
        setups=setups,
        mappings=MAPPINGS,
        contract=contract or terms(),
    )


def found(reconciliation: ReconciliationData, code: FindingCode) -> list[TonerFinding]:
    return [f for f in find_all(reconciliation) if f.code == code]


def test_a_consistent_agreement_has_no_findings_at_all() -> None:
    assert find_all(clean()) == []


def test_a_shipment_before_the_setup_is_valid_has_no_toner_contract() -> None:
    late = setup(valid_from=date(2026, 2, 15))
    hits = found(clean(setups=[late]), F.NO_TONER_CONTRACT)
    assert [h.rows for h in hits] == [(SHIPMENTS[2],), (SHIPMENTS[3],)]
    assert hits[0].severity == Severity.ERROR
    assert hits[0].suggested_fix


def test_a_ship_to_nobody_reconciles_has_no_toner_contract() -> None:
    stray = ship("SH9", "K1", 1, agreement="", ship_to="SITE-9")
    hits = shipments_without_setup([stray], [setup()])
    assert [h.code for h in hits] == [F.NO_TONER_CONTRACT]


def test_a_ship_to_of_the_setup_is_covered_by_its_toner_contract() -> None:
    covered = ship("SH9", "K1", 1, agreement="", ship_to="SITE-1")
    assert shipments_without_setup([covered], [setup(ship_tos=frozenset({"SITE-1"}))]) == []
    assert found(clean(), F.NO_TONER_CONTRACT) == []


def test_a_part_priced_only_after_the_ship_date_has_no_cartridge_cost() -> None:
    priced_late = [part("K1", since=date(2026, 3, 1)), *PARTS[1:]]
    hits = found(clean(parts=priced_late), F.NO_CARTRIDGE_COST)
    assert [h.rows for h in hits] == [(SHIPMENTS[2],), (SHIPMENTS[3],)]


def test_a_price_change_during_the_period_is_not_a_missing_cost() -> None:
    repriced = [*PARTS, part("K1", cost="85", since=date(2026, 2, 15))]
    assert found(clean(parts=repriced), F.NO_CARTRIDGE_COST) == []


def test_a_part_of_another_model_is_a_mapping_error_with_or_without_serial() -> None:
    wrong = [*SHIPMENTS, ship("SH2", "K9", 1, serial="S1"), ship("SH3", "K9", 1)]
    hits = found(clean(shipments=wrong), F.MAPPING_ERROR)
    assert [h.rows[0] for h in hits] == wrong[4:]
    assert hits[0].serial == "S1"


def test_a_mapped_part_without_serial_is_not_a_mapping_error() -> None:
    assert found(clean(shipments=[*SHIPMENTS, ship("SH3", "C1", 1)]), F.MAPPING_ERROR) == []


def test_a_serial_missing_or_removed_from_the_agreement_is_not_on_contract() -> None:
    removed = terms(devices=(device("S1"), device("S2", removed=date(2025, 12, 31))))
    hits = found(
        clean(shipments=[*SHIPMENTS, ship("SH2", "K1", 1, serial="S9")], contract=removed), F.ASSET_NOT_ON_CONTRACT
    )
    assert {h.serial for h in hits} == {"S2", "S9"}


def test_shipments_to_devices_on_the_agreement_are_not_flagged_as_off_contract() -> None:
    assert found(clean(), F.ASSET_NOT_ON_CONTRACT) == []


def test_billing_three_assets_for_two_devices_is_an_asset_count_mismatch() -> None:
    hits = found(clean(billing=[*BILLING[:2], bill(35_000, assets=3)]), F.ASSET_COUNT_MISMATCH)
    assert len(hits) == 1
    assert "3 asset(s) billed, 2 device(s)" in hits[0].message


def test_an_agreement_level_line_counting_every_device_is_not_a_mismatch() -> None:
    assert found(clean(billing=[*BILLING[:2], bill(35_000, assets=2)]), F.ASSET_COUNT_MISMATCH) == []


def _with_third_device(pages: int) -> ReconciliationData:
    three = terms(devices=(device("S1"), device("S2"), device("S3")))
    return clean(billing=[*BILLING, bill(pages, serial="S3")], contract=three)


def test_a_device_printing_past_its_starter_cartridge_with_no_shipment_is_usage_without_shipments() -> None:
    hits = found(_with_third_device(5_000), F.USAGE_WITHOUT_SHIPMENTS)
    assert [h.serial for h in hits] == ["S3"]
    assert hits[0].severity == Severity.WARNING


def test_a_device_still_within_its_starter_cartridge_is_not_flagged() -> None:
    assert found(_with_third_device(2_000), F.USAGE_WITHOUT_SHIPMENTS) == []


def test_cartridges_to_a_device_billed_no_pages_are_shipments_without_usage() -> None:
    idle = [*BILLING[:3], bill(0, serial="S2")]
    hits = found(clean(billing=idle), F.SHIPMENTS_WITHOUT_USAGE)
    assert [h.serial for h in hits] == ["S2"]
    assert SHIPMENTS[3] in hits[0].rows


def test_devices_with_billed_pages_are_not_shipments_without_usage() -> None:
    assert found(clean(), F.SHIPMENTS_WITHOUT_USAGE) == []


def _s1_without_q1_shipment(pages: int) -> ReconciliationData:
    shipments = [s for s in SHIPMENTS if not (s.serial == "S1" and s.shipment_id == "SH1")]
    return clean(shipments=shipments, billing=[*BILLING[:2], bill(pages, serial="S1"), BILLING[3]])


def test_pages_beyond_the_last_shipment_plus_one_cartridge_mean_a_cartridge_was_not_uploaded() -> None:
    hits = found(_s1_without_q1_shipment(25_000), F.CARTRIDGE_NOT_UPLOADED)
    assert [h.serial for h in hits] == ["S1"]


def test_pages_within_one_cartridge_of_the_last_shipment_are_not_flagged() -> None:
    assert found(_s1_without_q1_shipment(15_000), F.CARTRIDGE_NOT_UPLOADED) == []


def test_the_same_shipment_line_twice_or_the_same_content_in_two_uploads_is_a_duplicate() -> None:
    again = replace(SHIPMENTS[2], upload_id="U2")
    rekeyed = replace(SHIPMENTS[3], shipment_id="SH7", upload_id="U3")
    hits = found(clean(shipments=[*SHIPMENTS, again, rekeyed]), F.DUPLICATE_SHIPMENT)
    assert [set(h.rows) for h in hits] == [{SHIPMENTS[2], again}, {SHIPMENTS[3], rekeyed}]


def test_two_identical_lines_in_one_upload_are_not_a_duplicate() -> None:
    second = replace(SHIPMENTS[2], line=3)
    assert found(clean(shipments=[*SHIPMENTS, second]), F.DUPLICATE_SHIPMENT) == []


NO_SERIAL = ship("SH5", "K1", 1, on=date(2026, 2, 3), ship_to="SITE-1")


def test_a_line_without_serial_resent_in_another_upload_under_a_new_number_is_a_duplicate() -> None:
    resent = replace(NO_SERIAL, shipment_id="SH8", line=4, upload_id="U2")
    hits = found(clean(shipments=[*SHIPMENTS, NO_SERIAL, resent]), F.DUPLICATE_SHIPMENT)
    assert [set(h.rows) for h in hits] == [{NO_SERIAL, resent}]
    assert hits[0].severity == Severity.ERROR
    assert hits[0].suggested_fix == "delete the duplicate line from the later upload"
    assert hits[0].serial is None
    assert hits[0].message == "no serial, to MPS-1, part K1, quantity 1 on 2026-02-03 came in two uploads"


def test_two_identical_lines_without_serial_in_one_upload_are_not_a_duplicate() -> None:
    second = replace(NO_SERIAL, shipment_id="SH8")
    assert found(clean(shipments=[*SHIPMENTS, NO_SERIAL, second]), F.DUPLICATE_SHIPMENT) == []


def test_lines_without_serial_in_two_uploads_differing_in_date_quantity_or_destination_are_not_duplicates() -> None:
    others = [
        replace(NO_SERIAL, shipment_id="SH8", upload_id="U2", shipped_on=date(2026, 2, 4)),
        replace(NO_SERIAL, shipment_id="SH9", upload_id="U3", quantity=2),
        replace(NO_SERIAL, shipment_id="SH10", upload_id="U4", ship_to="SITE-2"),
    ]
    assert found(clean(shipments=[*SHIPMENTS, NO_SERIAL, *others]), F.DUPLICATE_SHIPMENT) == []


def test_a_line_without_serial_uploaded_twice_under_its_own_number_is_reported_once() -> None:
    again = replace(NO_SERIAL, upload_id="U2")
    hits = found(clean(shipments=[*SHIPMENTS, NO_SERIAL, again]), F.DUPLICATE_SHIPMENT)
    assert [(h.message, set(h.rows)) for h in hits] == [("shipment SH5 line 1 appears 2 times", {NO_SERIAL, again})]


def test_an_upload_copied_whole_is_reported_per_line_only_even_with_identical_lines_in_it() -> None:
    twin = replace(NO_SERIAL, line=2)
    copies = [replace(NO_SERIAL, upload_id="U2"), replace(twin, upload_id="U2")]
    hits = found(clean(shipments=[*SHIPMENTS, NO_SERIAL, twin, *copies]), F.DUPLICATE_SHIPMENT)
    assert [h.message for h in hits] == ["shipment SH5 line 1 appears 2 times", "shipment SH5 line 2 appears 2 times"]


def test_a_setup_allowance_other_than_the_contracts_is_inconsistent() -> None:
    hits = found(clean(contract=terms(allowance_percent=Decimal(6))), F.SETUP_INCONSISTENT)
    assert len(hits) == 1
    assert "allowance % 5 ≠ 6" in hits[0].message


def test_a_contract_silent_on_a_term_does_not_make_the_setup_inconsistent() -> None:
    silent = terms(tolerance_percent=None, period=None, pooling=None, allowance_percent=None)
    assert found(clean(contract=silent), F.SETUP_INCONSISTENT) == []


def mps_contract(period: str | None) -> Contract:
    """The agreement's MPS contract (consistent with the builders' set-up) stating ``period``."""
    return Contract(
        number=AGREEMENT,
        customer_number="C1",
        kind="mps",
        currency="EUR",
        start_date=date(2025, 1, 1),
        toner_included=True,
        coverage_allowance_percent=Decimal(5),
        toner_reconciliation_period=period,
        devices=[device("S1"), device("S2")],
    )


def test_a_setup_period_other_than_the_contracts_is_inconsistent() -> None:
    hits = found(clean(contract=terms_from_contract(mps_contract(TonerPeriod.HALF_YEARLY))), F.SETUP_INCONSISTENT)
    assert len(hits) == 1
    assert hits[0].message == "set-up differs from the contract: period quarterly ≠ half_yearly"


def test_a_setup_period_equal_to_the_contracts_or_a_contract_silent_on_it_is_consistent() -> None:
    for stated in (TonerPeriod.QUARTERLY, None):
        assert find_all(clean(contract=terms_from_contract(mps_contract(stated)))) == [], stated


def test_cyan_shipped_with_no_colour_pages_billed_is_zero_pages() -> None:
    hits = found(clean(shipments=[*SHIPMENTS, ship("SH4", "C1", 1, serial="S1")]), F.ZERO_PAGES)
    assert len(hits) == 1
    assert "cyan" in hits[0].message


def test_cyan_shipped_with_colour_pages_billed_is_not_zero_pages() -> None:
    billing = [*BILLING[:2], bill(20_000, 5_000, serial="S1"), BILLING[3]]
    shipments = [*SHIPMENTS, ship("SH4", "C1", 1, serial="S1")]
    assert found(clean(shipments=shipments, billing=billing), F.ZERO_PAGES) == []


def test_findings_come_errors_first() -> None:
    messy = clean(
        shipments=[*SHIPMENTS, ship("SH4", "C1", 1, serial="S1")],
        contract=terms(allowance_percent=Decimal(6)),
    )
    severities = [f.severity for f in find_all(messy)]
    assert severities == [Severity.ERROR, Severity.WARNING]


def test_a_cost_in_another_currency_than_the_setup_is_no_cartridge_cost() -> None:
    dollars = [replace(PARTS[0], currency="USD"), *PARTS[1:]]
    hits = found(clean(parts=dollars), F.NO_CARTRIDGE_COST)
    assert len(hits) == 2
    assert "costs USD" in hits[0].message


def test_usage_gap_checks_are_skipped_for_an_agreement_level_billing_report() -> None:
    agreement_level = [bill(20_000, assets=2, period=Q4), bill(35_000, assets=2)]
    codes = {f.code for f in find_all(clean(billing=agreement_level))}
    assert codes.isdisjoint({F.USAGE_WITHOUT_SHIPMENTS, F.SHIPMENTS_WITHOUT_USAGE, F.CARTRIDGE_NOT_UPLOADED})


def test_findings_about_the_setup_can_be_collected_in_a_set() -> None:
    hits = found(clean(contract=terms(allowance_percent=Decimal(6))), F.SETUP_INCONSISTENT)
    assert len(set(hits)) == 1
