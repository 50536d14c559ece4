"""Demo chapters for contracts and billing: MPS, maintenance and subscription contracts, ten months of meter reads
and service jobs with realistic problems, and a bill run per month through the real use cases.

Seeded problems, so the billing-blocks worklist has work: a few devices miss a month's read, one device prints an
outlier month, some callouts are not back-reported yet, and some contracts require a PO number that is missing.
Index series for escalation are illustrative demo values (named ``DEMO-*``), not published figures.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from cashtrail.billing.block_services import place_block
from cashtrail.billing.callouts import CalloutTerms, ClassRate, PartUsed, RateClass
from cashtrail.billing.charges import ServiceJob
from cashtrail.billing.fund_services import open_reserve_fund
from cashtrail.billing.meters import MeterRead
from cashtrail.billing.services import run_bill_run
from cashtrail.billing.usage import Tier, TierMode
from cashtrail.billing.usage_services import record_meter_reads, record_service_jobs
from cashtrail.bootstrap import App
from cashtrail.contracts.escalation import EscalationClause
from cashtrail.contracts.model import (
    Contract,
    Device,
    FeeLine,
    Grouping,
    MaintenanceUnit,
    MeterPlan,
    Pooling,
    TonerPeriod,
)
from cashtrail.contracts.services import register_contract
from cashtrail.contracts.terms import Frequency, Period, Timing, add_months, month_period
from cashtrail.db import billing_tables as bt
from cashtrail.demo.context import Chapter, Count, DemoContext
from cashtrail.identity.model import Actor

MONTHS = [f"2026-{m:02d}" for m in range(1, 11)]
MODELS = {"MX-3071": ("mono", "colour"), "MX-M4051": ("mono",), "IM-C3000": ("mono", "colour")}
LABOUR, MATERIALS = "DEMO-LABOUR", "DEMO-MATERIALS"


def _mps(number: str, customer: str, rng: random.Random) -> Contract:
    devices = [
        Device(
            f"{number[-4:]}{i:02d}{rng.randint(1000, 9999)}",
            model,
            rng.choice(["HQ", "Plant", "Office"]),
            date(2026, 1, 1) if rng.random() < 0.85 else date(2026, rng.randint(2, 8), rng.randint(1, 28)),
            meters=MODELS[model],
        )
        for i, model in enumerate(rng.choices(list(MODELS), k=rng.randint(2, 8)))
    ]
    pooled = rng.random() < 0.7
    return Contract(
        number=number,
        customer_number=customer,
        kind="mps",
        currency="EUR",
        start_date=date(2026, 1, 1),
        base_fee_per_device=Decimal(rng.choice(["19.00", "25.00", "35.00"])),
        pooling=Pooling.POOLED if pooled else Pooling.PER_DEVICE,
        toner_included=True,
        coverage_allowance_percent=Decimal(rng.choice([5, 6])),
        toner_reconciliation_period=_toner_period(number),
        po_required=rng.random() < 0.15,
        po_number=None if rng.random() < 0.5 else f"PO-{rng.randint(10000, 99999)}",
        grouping=rng.choice([Grouping.PER_CONTRACT, Grouping.PER_SITE]),
        meter_plans=[
            MeterPlan(
                "mono",
                (Tier(20_000, Decimal("0.0090")), Tier(None, Decimal("0.0068"))),
                TierMode.GRADUATED,
                1_000 if pooled else 250,
                Decimal("120.00") if pooled else Decimal(0),
            ),
            MeterPlan("colour", (Tier(5_000, Decimal("0.0550")), Tier(None, Decimal("0.0420")))),
        ],
        devices=devices,
    )


def _toner_period(number: str) -> TonerPeriod:
    """About one MPS agreement in nine reconciles toner half-yearly (from the number: no draw, the stream stays)."""
    return TonerPeriod.HALF_YEARLY if int(number.rsplit("-", 1)[1]) % 9 == 4 else TonerPeriod.QUARTERLY


def _maintenance(number: str, customer: str, rng: random.Random) -> Contract:
    units = [
        MaintenanceUnit(
            f"L{i + 1}",
            rng.choice(["Tower A", "Tower B", "Annex"]),
            f"Lift {i + 1}",
            Decimal(rng.choice(["540.00", "612.50", "780.00"])),
            date(2026, 1, 1),
        )
        for i in range(rng.randint(1, 4))
    ]
    return Contract(
        number=number,
        customer_number=customer,
        kind="maintenance",
        currency="EUR",
        start_date=date(2025, 1, 1),
        first_billing_date=date(2026, 1, 1),
        frequency=Frequency.QUARTERLY,
        timing=Timing.ADVANCE,
        units=units,
        callout_terms=CalloutTerms(
            normal_hourly_rate=Decimal("78.00"),
            minimum_minutes=60,
            increment_minutes=15,
            class_rates={
                RateClass.OUT_OF_HOURS: ClassRate(multiplier=Decimal("1.5")),
                RateClass.WEEKEND_HOLIDAY: ClassRate(hourly_rate=Decimal("156.00")),
            },
            travel_fee=Decimal("42.00"),
            parts_discount_percent=Decimal(10),
            included_kinds=frozenset({"entrapment"}),
            business_start=time(8),
            business_end=time(17),
        ),
        escalation=EscalationClause(
            Decimal("0.15"),
            Decimal("0.60"),
            Decimal("0.25"),
            LABOUR,
            MATERIALS,
            "2025-01",
            date(2026, 1, 1),
            cap_percent=Decimal(4),
            floor_percent=Decimal(0),
        ),
    )


def _subscription(number: str, customer: str, rng: random.Random) -> Contract:
    seats = Decimal(rng.choice([5, 10, 25, 50]))
    changes = [(date(2026, 1, 1), seats)]
    if rng.random() < 0.4:
        changes.append((date(2026, rng.randint(2, 9), rng.randint(1, 28)), seats + rng.choice([5, 10, -5])))
    return Contract(
        number=number,
        customer_number=customer,
        kind="subscription",
        currency="EUR",
        start_date=date(2026, 1, 1),
        grouping=Grouping.PER_CUSTOMER,
        fee_lines=[FeeLine("SEATS", "Cloud print management seats", "SUB-CLOUD-SEAT", Decimal("9.50"), tuple(changes))],
    )


def create_contracts(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Contracts for the euro customers: a third MPS, a sixth maintenance, a sixth subscriptions."""
    system = Actor.system()
    with app.uow() as uow:
        euro = [n for n in ctx.customers if (c := uow.customers.get_by_number(n)) and c.currency == "EUR"]
    builders = [(_mps, "MPS", 3), (_maintenance, "LFT", 6), (_subscription, "SUB", 6)]
    for i, customer in enumerate(euro):
        for build, prefix, every in builders:
            if i % every == (0 if prefix == "MPS" else 1 if prefix == "LFT" else 2):
                number = f"{prefix}-{len(ctx.contracts) + 1:05d}"
                contract = build(number, customer, rng)  # built even when stored, to keep the random stream aligned
                with app.uow() as uow:
                    stored = uow.contracts.get_by_number(number) is not None
                if not stored:
                    register_contract(app.uow(), app.clock, system, contract)
                ctx.contracts.append(number)
        ctx.progress(i + 1, len(euro))
    for customer in euro[1::24]:
        with app.uow() as uow:
            if uow.reserve_funds.get(customer) is not None:
                continue
        open_reserve_fund(
            app.uow(), app.clock, system, customer, deposit=Decimal("2500.00"), warning_threshold=Decimal("500.00")
        )


def create_index_values(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Monthly demo values of the two escalation series."""
    with app.uow() as uow:
        labour, materials = Decimal("112.0"), Decimal("128.0")
        for i in range(24):
            month = add_months(date(2025, 1, 1), i).strftime("%Y-%m")
            uow.indices.put(LABOUR, month, labour.quantize(Decimal("0.1")))
            uow.indices.put(MATERIALS, month, materials.quantize(Decimal("0.1")))
            labour *= Decimal(1) + Decimal(rng.randint(0, 5)) / 1000
            materials *= Decimal(1) + Decimal(rng.randint(-4, 5)) / 1000
        uow.commit()


def create_usage_and_bill(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Ten months of reads and jobs, each month closed by its bill run."""
    system = Actor.system()
    with app.uow() as uow:
        contracts = [uow.contracts.get_by_number(n) for n in ctx.contracts]
        if uow.session.execute(select(bt.bill_runs.c.id).limit(1)).first() is not None:
            return  # already billed on an earlier run of the demo; bill runs are the chapter's last step
    counters: Meters = {}
    volumes: Meters = {}
    late: list[MeterRead] = []
    for step, label in enumerate(MONTHS):
        month = month_period(label)
        reads = _month_reads(contracts, month, counters, volumes, rng, step, late)
        record_meter_reads(app.uow(), app.clock, system, reads, f"demo {label}")
        record_service_jobs(app.uow(), app.clock, system, _month_jobs(contracts, month, rng), f"demo {label}")
        if label == "2026-06":
            held = next(c for c in contracts if c is not None and c.kind == "maintenance")
            place_block(
                app.uow(),
                app.clock,
                system,
                scope="customer",
                target=held.customer_number,
                reason="stop invoices: complaint under review (sales instruction)",
                owner="supervisor",
            )
        run_bill_run(app.uow(), app.clock, system, label)
        ctx.progress(step + 1, len(MONTHS))


Meters = dict[tuple[str, str], int]


def _month_reads(
    contracts: Sequence[Contract | None],
    month: Period,
    counters: Meters,
    volumes: Meters,
    rng: random.Random,
    step: int,
    late: list[MeterRead],
) -> list[MeterRead]:
    """The month's closing reads (plus last month's late ones); about 2 % arrive a month late."""
    reads: list[MeterRead] = list(late)
    late_now: list[MeterRead] = []
    for contract in (c for c in contracts if c is not None and c.kind == "mps"):
        for index, device in enumerate(contract.devices):
            if device.installed_on > month.end:
                continue
            for meter in device.meters:
                key = (device.serial, meter)
                if key not in counters:
                    opened = (
                        device.installed_on if device.installed_on > month.start else month.start - timedelta(days=1)
                    )
                    counters[key] = rng.randint(5_000, 200_000)
                    volumes[key] = rng.randint(2_000, 8_000) if meter == "mono" else rng.randint(300, 1_800)
                    reads.append(MeterRead(opened, counters[key], device.serial, meter))
                pages = int(volumes[key] * rng.uniform(0.8, 1.25))
                if index == 0 and step == 7 and contract.number.endswith("1"):
                    pages *= 6  # an outlier month: the worklist asks someone to confirm it
                counters[key] += pages
                read = MeterRead(month.end, counters[key], device.serial, meter)
                (late_now if step > 1 and rng.random() < 0.02 else reads).append(read)
    late[:] = late_now
    return reads


def _month_jobs(contracts: Sequence[Contract | None], month: Period, rng: random.Random) -> list[ServiceJob]:
    jobs: list[ServiceJob] = []
    for contract in (c for c in contracts if c is not None and c.kind == "maintenance"):
        for n in range(rng.randint(0, 2)):
            kind = rng.choices(["breakdown", "entrapment", "repair"], [6, 1, 2])[0]
            cls = rng.choices(list(RateClass), [6, 3, 1])[0]
            parts = (PartUsed("LIFT-DOOR-ROLLER", Decimal(2), Decimal("35.00")),) if kind == "repair" else ()
            jobs.append(
                ServiceJob(
                    f"WO-{contract.number}-{month.start:%Y%m}-{n}",
                    contract.number,
                    rng.choice(contract.units).unit_id,
                    kind,
                    date(month.start.year, month.start.month, rng.randint(1, 28)),
                    {cls: rng.randint(20, 240)},
                    parts,
                    back_reported=rng.random() > 0.08,
                )
            )
    return jobs


CHAPTERS = [
    Chapter("contracts", "Contracts: managed print, lift maintenance, subscriptions", create_contracts),
    Chapter("indices", "Escalation index series", create_index_values),
    Chapter("billing", "Ten months of meter reads, service jobs and bill runs", create_usage_and_bill),
]
COUNTS = [
    Count("contracts", bt.contracts, bt.contracts.c.kind),
    Count("devices", bt.contract_devices),
    Count("meter reads", bt.meter_reads),
    Count("service jobs", bt.service_jobs),
    Count("billed lines", bt.billed_charges, bt.billed_charges.c.kind),
    Count("draft invoices", bt.draft_invoices),
    Count("billing blocks", bt.billing_blocks, bt.billing_blocks.c.reason),
]
