"""Demo chapter for toner reconciliation: catalog, model mappings and set-ups for the MPS agreements, ten monthly
shipment uploads, the billing report from the demo's own bill runs, the runs for Q1–Q3 2026 and a board in motion.

Everything goes through the real use cases: reference data and shipments are imported as files would be
(``toner-parts``, ``toner-mappings``, ``toner-setups``, ``toner-shipments``), the billing report is built from the
bill runs of the billing chapter, and cards move on the board with reasons, as the toner specialist would.

Seeded problems, so the findings list and the board have work: one agreement receives cartridges without a set-up,
one set-up disagrees with its contract's coverage and another is half-yearly against a quarterly contract, a serial
is mistyped, a cartridge not mapped to the device's model and one without a cost are shipped, a monthly upload is
sent twice under new shipment numbers, one device's shipments never reach the upload, the cartridges of the device
that receives the most stop reaching it in May, and a few agreements consume well above their allowance (excess
charges, some approved and queued for the next bill run).
Cartridge data are illustrative demo values, not vendor figures.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from cashtrail.bootstrap import App
from cashtrail.contracts.model import Contract
from cashtrail.db import toner_tables as tt
from cashtrail.demo.context import Chapter, Count, DemoContext
from cashtrail.errors import CashtrailError
from cashtrail.identity.model import Actor
from cashtrail.imports.services import run_import
from cashtrail.toner.bill_run_report import report_from_bill_runs
from cashtrail.toner.board_services import move_record
from cashtrail.toner.run_services import run_reconciliation

#: model → (part, colour, rated yield, cost); illustrative demo values.
CATALOG: dict[str, list[tuple[str, str, int, str]]] = {
    "MX-3071": [
        ("MX-31GTBA", "black", 18_000, "64.00"),
        ("MX-31GTCA", "cyan", 15_000, "98.00"),
        ("MX-31GTMA", "magenta", 15_000, "98.00"),
        ("MX-31GTYA", "yellow", 15_000, "98.00"),
    ],
    "MX-M4051": [("MX-560GT", "black", 40_000, "72.00"), ("MX-561GT", "black", 60_000, "99.00")],
    "IM-C3000": [
        ("842255", "black", 33_000, "58.00"),
        ("842258", "cyan", 18_000, "110.00"),
        ("842257", "magenta", 18_000, "110.00"),
        ("842256", "yellow", 18_000, "110.00"),
    ],
}
UNMAPPED = ("TK-5240K", "black", 4_000, "62.00")  # in the catalog, fits no demo model
UNPRICED = ("MX-31GTBA-XL", "black", 25_000, "79.00")  # its only cost starts in 2027
MONTHS = [f"2026-{m:02d}" for m in range(1, 11)]
SPANS = ("2026-Q1", "2026-Q2", "2026-Q3")


def _import(app: App, kind: str, name: str, header: list[str], rows: Sequence[Sequence[str]]) -> None:
    if rows:
        data = [(n + 2, list(row)) for n, row in enumerate(rows)]
        run_import(app.uow(), app.clock, Actor.system(), kind, name, header, data)


def _mps(app: App, ctx: DemoContext) -> list[Contract]:
    with app.uow() as uow:
        found = [uow.contracts.get_by_number(n) for n in ctx.contracts if n.startswith("MPS-")]
    return [c for c in found if c is not None and c.toner_included]


def load_reference_data(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """The cartridge catalog, the model mappings and one set-up per MPS agreement but the first."""
    parts = [[p, c, str(y), cost, "EUR", "2025-01-01"] for fits in CATALOG.values() for p, c, y, cost in fits]
    parts += [[*map(str, UNMAPPED), "EUR", "2025-01-01"], [*map(str, UNPRICED), "EUR", "2027-01-01"]]
    parts += [["MX-31GTBA", "black", "18000", "66.50", "EUR", "2026-07-01"]]  # a price rise mid-year
    _import(app, "toner-parts", "demo-cartridge-catalog.csv", ["part_number", "colour", "rated_yield", "cost",
            "currency", "valid_from"], parts)  # fmt: skip
    mappings = [
        [model, part, "high" if part == "MX-561GT" else "standard", str(y // 2)]
        for model, fits in CATALOG.items()
        for part, _, y, _ in fits
    ]
    mappings.append(["MX-3071", UNPRICED[0], "high", ""])
    _import(app, "toner-mappings", "demo-model-mapping.csv", ["model", "part_number", "yield_class", "starter_yield"],
            mappings)  # fmt: skip
    header = ["agreement", "valid_from", "currency", "allowance_percent", "tolerance_percent", "spare_allowance_pages",
              "period", "pooling", "markup_percent", "reference_black", "reference_cyan", "owner"]  # fmt: skip
    setups = []
    contracts = _mps(app, ctx)
    unset = _without_setup(contracts)
    served = [c for c in contracts if c is not unset]
    misread = _misread_period(served)
    for index, contract in enumerate(served):
        allowance = contract.coverage_allowance_percent or 5
        if index == 2:
            allowance += 1  # disagrees with the contract's coverage: setup_inconsistent
        period = contract.toner_reconciliation_period or "quarterly"  # as the contract states
        if contract is misread:
            period = "half_yearly"  # set up half-yearly against a quarterly contract: setup_inconsistent
        pooling = "per_agreement" if contract.pooling == "pooled" else "per_device"
        black, cyan = _reference(contract)
        owner = "toner" if index % 4 else "supervisor"
        spare = "10000"  # a fixed spare allowance: about one cartridge per agreement and period
        setups.append([contract.number, "2026-01-01", "EUR", str(allowance), rng.choice(["5", "10", "15"]), spare,
                       period, pooling, "15", black, cyan, owner])  # fmt: skip
    _import(app, "toner-setups", "demo-toner-setups.csv", header, setups)


def _misread_period(contracts: Sequence[Contract]) -> Contract | None:
    """The agreement whose set-up gets the period wrong: the first quarterly one after the coverage error."""
    return next((c for c in contracts[3:] if c.toner_reconciliation_period == "quarterly"), None)


def _without_setup(contracts: Sequence[Contract]) -> Contract | None:
    """The agreement that receives cartridges without a reconciliation set-up (its usage is billed: no PO block)."""
    return next((c for c in contracts if not c.po_required), None)


def _reference(contract: Contract) -> tuple[str, str]:
    models = {d.model for d in contract.devices}
    model = next((m for m in ("MX-3071", "IM-C3000", "MX-M4051") if m in models), "MX-M4051")
    fits = CATALOG[model]
    return fits[0][0], next((p for p, c, _, _ in fits if c == "cyan"), "")


def load_shipments(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """The billing report from the bill runs, then ten monthly shipment uploads following each device's pages."""
    report_from_bill_runs(app.uow(), app.clock, Actor.system(), "2026")
    contracts = _mps(app, ctx)
    with app.uow() as uow:
        billed = uow.toner.billing(date(2026, 1, 1), date(2026, 12, 31), [c.number for c in contracts])
    pages: dict[tuple[str, str], dict[str, tuple[int, int]]] = defaultdict(dict)
    for line in billed:
        if line.serial:
            pages[(line.agreement, line.serial)][line.period.label()] = (line.mono_pages, line.colour_pages)
    lines: dict[str, list[list[str]]] = defaultdict(list)
    greedy = {c.number for c in contracts if rng.random() < 0.25}  # consume well above the allowance
    lost = contracts[3].devices[0].serial if len(contracts) > 3 and contracts[3].devices else ""
    for contract in contracts:
        rate = rng.uniform(1.4, 1.9) if contract.number in greedy else rng.uniform(0.6, 0.9)
        for device in contract.devices:
            if device.serial == lost:
                continue  # its shipments never reach the upload: usage without shipments
            _device_shipments(rng, contract, device.serial, device.model, pages[(contract.number, device.serial)], rate,
                              lines)  # fmt: skip
    _stop_uploads(lines)
    _seed_errors(rng, contracts, lines)
    header = ["shipment_id", "line", "shipped_on", "agreement", "serial", "part_number", "quantity", "status"]
    for month in MONTHS:
        _import(app, "toner-shipments", f"shipments-{month}.csv", header, lines[month])
    resent = [[f"R{row[0]}", *row[1:]] for row in lines["2026-05"][:3]]  # the same cartridges under new numbers
    _import(app, "toner-shipments", "shipments-2026-05-resent.csv", header, resent)
    ctx.progress(1, 1)


def _device_shipments(
    rng: random.Random,
    contract: Contract,
    serial: str,
    model: str,
    monthly: dict[str, tuple[int, int]],
    rate: float,
    lines: dict[str, list[list[str]]],
) -> None:
    """Ship a cartridge of a colour when the one in the device (the starter first) is down to 15 % of its yield."""
    fits = [f for f in CATALOG[model] if f[0] != "MX-561GT"]
    left: dict[str, float] = {part: y / 2 for part, _, y, _ in fits}  # the starter cartridge: half a yield
    for month in MONTHS:
        mono, colour_pages = monthly.get(month, (0, 0))
        for part, colour, pages_per, _ in fits:
            left[part] -= (mono + colour_pages if colour == "black" else colour_pages) * rate
            while left[part] < pages_per * 0.15:
                left[part] += pages_per
                day = f"{month}-{rng.randint(1, 28):02d}"
                number = f"SH-{contract.number[-5:]}-{serial[-4:]}-{month[-2:]}-{len(lines[month]) + 1:04d}"
                lines[month].append([number, "1", day, contract.number, serial, part, "1", "shipped"])


def _stop_uploads(lines: dict[str, list[list[str]]]) -> None:
    """From May on, the cartridges of the device that receives the most never reach the uploads (not uploaded)."""
    later = MONTHS[4:]
    received = Counter((row[3], row[4]) for month in later for row in lines[month])
    if received:
        [(busiest, _)] = received.most_common(1)
        for month in later:
            lines[month] = [row for row in lines[month] if (row[3], row[4]) != busiest]


def _seed_errors(rng: random.Random, contracts: Sequence[Contract], lines: dict[str, list[list[str]]]) -> None:
    """Mistyped serial, unmapped and unpriced parts, a return and a defective replacement, shipments to the
    agreement without a set-up."""
    if len(contracts) < 3:
        return
    months = [m for m in MONTHS if lines[m]]
    for month, change in zip(rng.sample(months, 4), ("serial", "unmapped", "unpriced", "returned"), strict=False):
        row = rng.choice(lines[month])
        if change == "serial":
            row[4] = row[4][:-1] + ("7" if row[4][-1] != "7" else "1")  # a mistyped last digit
        elif change == "unmapped":
            row[5] = UNMAPPED[0]
        elif change == "unpriced":
            row[5] = UNPRICED[0]
        else:
            lines[month].append([f"RT-{row[0]}", "1", row[2], row[3], row[4], row[5], "1", "returned"])
            lines[month].append([f"DF-{row[0]}", "1", row[2], row[3], row[4], row[5], "1", "defective_replacement"])


def reconcile_and_review(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Run Q1–Q3 (and H1 for half-yearly set-ups) and move cards the way a specialist's week would."""
    with app.uow() as uow:
        if uow.session.execute(select(tt.toner_reconciliations.c.id).limit(1)).first() is not None:
            return  # already reconciled on an earlier run of the demo
    system = Actor.system()
    for span in (*SPANS, "2026-H1"):
        run_reconciliation(app.uow(), app.clock, system, span)
    with app.uow() as uow:
        records = uow.toner_board.records()
    for record in records:
        _review(app, rng, record.agreement, record.period_label, record.status.value, record.total_charge or 0)


def _review(app: App, rng: random.Random, agreement: str, period: str, status: str, charge: object) -> None:
    """Q1 and H1 reviewed and decided, Q2 partly under review, Q3 left as calculated (one sent back for data)."""
    steps: list[tuple[str, str]] = []
    if period in ("2026-Q1", "2026-H1"):
        steps = [("under_review", "figures checked against the shipment report")]
        if status == "calculated" or (status == "findings_open" and rng.random() < 0.5):
            reason = "excess confirmed with the account manager" if charge else "within the allowance"
            steps.append(("approved", reason))
            if not charge:
                steps.append(("no_charge", "nothing to bill"))
                if rng.random() < 0.6:
                    steps.append(("closed", "filed in the country file"))
    elif period == "2026-Q2" and rng.random() < 0.4:
        steps = [("under_review", "first look at the quarter")]
    elif period == "2026-Q3" and status == "calculated" and rng.random() < 0.1:
        steps = [("data_pending", "customer disputes the September reads; corrected billing report expected")]
    for target, reason in steps:
        try:
            move_record(app.uow(), app.clock, Actor.system(), agreement, period, target, reason)
        except CashtrailError:
            return  # e.g. approval refused while an error finding is open: the card stays for the huddle


CHAPTERS = [
    Chapter(
        "toner-reference", "Toner: cartridge catalog, model mappings and reconciliation set-ups", load_reference_data
    ),
    Chapter("toner-shipments", "Toner: billing report from the bill runs and ten shipment uploads", load_shipments),
    Chapter("toner-board", "Toner: reconciliation of Q1–Q3 2026 and the huddle board", reconcile_and_review),
]
COUNTS = [
    Count("toner shipment lines", tt.toner_shipments, tt.toner_shipments.c.status),
    Count("toner billing lines", tt.toner_billing_lines),
    Count("toner reconciliations", tt.toner_reconciliations, tt.toner_reconciliations.c.status),
    Count("toner findings", tt.toner_findings, tt.toner_findings.c.code),
]
