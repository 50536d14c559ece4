"""SQL repository for contracts: a data mapper over Core tables.

Contract lines are frozen value objects, which the ORM cannot instrument, and bill runs load thousands of
contracts at once, so this repository reads and writes with Core statements in bulk (one query per table per
batch, never one per contract) and builds the domain objects itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from cashtrail.billing.callouts import CalloutTerms, ClassRate, RateClass
from cashtrail.billing.usage import Tier, TierMode
from cashtrail.contracts.escalation import EscalationClause
from cashtrail.contracts.model import Contract, Device, FeeLine, MaintenanceUnit, MeterPlan
from cashtrail.db import billing_tables as bt

_HEADER = (
    "number",
    "customer_number",
    "kind",
    "currency",
    "start_date",
    "end_date",
    "frequency",
    "timing",
    "first_billing_date",
    "proration",
    "grouping",
    "po_required",
    "po_number",
    "minimum_invoice_amount",
    "status",
    "version",
    "estimate_missing_reads",
    "toner_included",
    "coverage_allowance_percent",
    "toner_reconciliation_period",
    "pooling",
    "base_fee_per_device",
    "contract_value",
)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def callout_terms_to_json(terms: CalloutTerms | None) -> dict[str, Any] | None:
    if terms is None:
        return None
    return {
        "normal_hourly_rate": str(terms.normal_hourly_rate),
        "class_rates": {
            cls.value: {
                "hourly_rate": None if r.hourly_rate is None else str(r.hourly_rate),
                "multiplier": None if r.multiplier is None else str(r.multiplier),
            }
            for cls, r in terms.class_rates.items()
        },
        "minimum_minutes": terms.minimum_minutes,
        "increment_minutes": terms.increment_minutes,
        "travel_fee": str(terms.travel_fee),
        "parts_discount_percent": str(terms.parts_discount_percent),
        "included_kinds": sorted(terms.included_kinds),
        "business_start": terms.business_start.isoformat(),
        "business_end": terms.business_end.isoformat(),
    }


def callout_terms_from_json(data: dict[str, Any] | None) -> CalloutTerms | None:
    if data is None:
        return None
    from datetime import time

    return CalloutTerms(
        normal_hourly_rate=Decimal(data["normal_hourly_rate"]),
        class_rates={
            RateClass(k): ClassRate(_dec(v["hourly_rate"]), _dec(v["multiplier"]))
            for k, v in data["class_rates"].items()
        },
        minimum_minutes=data["minimum_minutes"],
        increment_minutes=data["increment_minutes"],
        travel_fee=Decimal(data["travel_fee"]),
        parts_discount_percent=Decimal(data["parts_discount_percent"]),
        included_kinds=frozenset(data["included_kinds"]),
        business_start=time.fromisoformat(data["business_start"]),
        business_end=time.fromisoformat(data["business_end"]),
    )


def escalation_to_json(clause: EscalationClause | None) -> dict[str, Any] | None:
    if clause is None:
        return None
    return {
        "a": str(clause.a),
        "b": str(clause.b),
        "c": str(clause.c),
        "labour_series": clause.labour_series,
        "materials_series": clause.materials_series,
        "base_month": clause.base_month,
        "anniversary": clause.anniversary.isoformat(),
        "cap_percent": None if clause.cap_percent is None else str(clause.cap_percent),
        "floor_percent": None if clause.floor_percent is None else str(clause.floor_percent),
        "factor_decimals": clause.factor_decimals,
    }


def escalation_from_json(data: dict[str, Any] | None) -> EscalationClause | None:
    if data is None:
        return None
    return EscalationClause(
        Decimal(data["a"]),
        Decimal(data["b"]),
        Decimal(data["c"]),
        data["labour_series"],
        data["materials_series"],
        data["base_month"],
        date.fromisoformat(data["anniversary"]),
        _dec(data["cap_percent"]),
        _dec(data["floor_percent"]),
        data["factor_decimals"],
    )


class SqlContractRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, contract: Contract) -> None:
        """Insert a new contract with its lines."""
        row = {name: getattr(contract, name) for name in _HEADER}
        row["callout_terms"] = callout_terms_to_json(contract.callout_terms)
        row["escalation"] = escalation_to_json(contract.escalation)
        contract.id = self.session.execute(insert(bt.contracts).values(**row).returning(bt.contracts.c.id)).scalar_one()
        self._insert_lines(contract)

    def replace(self, contract: Contract) -> None:
        """Overwrite a stored contract (header and lines) with ``contract``; the caller has raised its version."""
        if contract.id is None:
            raise ValueError("replace needs a stored contract")
        row = {name: getattr(contract, name) for name in _HEADER}
        row["callout_terms"] = callout_terms_to_json(contract.callout_terms)
        row["escalation"] = escalation_to_json(contract.escalation)
        self.session.execute(update(bt.contracts).where(bt.contracts.c.id == contract.id).values(**row))
        for table in (bt.contract_devices, bt.contract_meter_plans, bt.contract_units, bt.contract_fee_lines):
            self.session.execute(delete(table).where(table.c.contract_id == contract.id))
        self._insert_lines(contract)

    def _insert_lines(self, contract: Contract) -> None:
        cid = contract.id
        batches: list[tuple[Any, list[dict[str, Any]]]] = [
            (
                bt.contract_devices,
                [
                    {
                        "contract_id": cid,
                        "serial": d.serial,
                        "model": d.model,
                        "site": d.site,
                        "installed_on": d.installed_on,
                        "removed_on": d.removed_on,
                        "meters": list(d.meters),
                    }
                    for d in contract.devices
                ],
            ),
            (
                bt.contract_meter_plans,
                [
                    {
                        "contract_id": cid,
                        "meter_type": p.meter_type,
                        "mode": p.mode,
                        "tiers": [[t.up_to, str(t.rate)] for t in p.tiers],
                        "included_volume": p.included_volume,
                        "minimum_charge": p.minimum_charge,
                    }
                    for p in contract.meter_plans
                ],
            ),
            (
                bt.contract_units,
                [
                    {
                        "contract_id": cid,
                        "unit_id": u.unit_id,
                        "site": u.site,
                        "description": u.description,
                        "fee_per_period": u.fee_per_period,
                        "active_from": u.active_from,
                        "active_to": u.active_to,
                    }
                    for u in contract.units
                ],
            ),
            (
                bt.contract_fee_lines,
                [
                    {
                        "contract_id": cid,
                        "line_id": f.line_id,
                        "description": f.description,
                        "product_sku": f.product_sku,
                        "unit_price": f.unit_price,
                        "site": f.site,
                        "quantity_changes": [[d.isoformat(), str(q)] for d, q in f.quantity_changes],
                    }
                    for f in contract.fee_lines
                ],
            ),
        ]
        for table, rows in batches:
            if rows:
                self.session.execute(insert(table), rows)

    def get_by_number(self, number: str) -> Contract | None:
        found = self._load(select(bt.contracts).where(bt.contracts.c.number == number))
        return found[0] if found else None

    def active_in(self, start: date, end: date, *, customers: tuple[str, str] | None = None) -> list[Contract]:
        """Contracts valid at some day of [start, end], optionally for customer numbers in a closed range."""
        c = bt.contracts.c
        query = select(bt.contracts).where(c.start_date <= end, (c.end_date.is_(None)) | (c.end_date >= start))
        if customers is not None:
            query = query.where(c.customer_number >= customers[0], c.customer_number <= customers[1])
        return self._load(query.order_by(c.number))

    def by_numbers(self, numbers: Iterable[str]) -> list[Contract]:
        """The stored contracts among ``numbers``, in number order."""
        found: list[Contract] = []
        wanted = sorted(set(numbers))
        for start in range(0, len(wanted), 1000):
            query = select(bt.contracts).where(bt.contracts.c.number.in_(wanted[start : start + 1000]))
            found += self._load(query)
        return sorted(found, key=lambda c: c.number)

    def serials_known(self, serials: Iterable[str]) -> set[str]:
        """The serials among ``serials`` that are devices of some contract."""
        wanted = sorted(set(serials))
        found: set[str] = set()
        for start in range(0, len(wanted), 1000):
            column = bt.contract_devices.c.serial
            found.update(self.session.scalars(select(column).where(column.in_(wanted[start : start + 1000]))))
        return found

    def units_of(self, numbers: Iterable[str]) -> dict[str, set[str]]:
        """Unit ids per contract number."""
        c, u = bt.contracts.c, bt.contract_units.c
        query = (
            select(c.number, u.unit_id)
            .join(bt.contract_units, u.contract_id == c.id)
            .where(c.number.in_(sorted(set(numbers))))
        )
        found: dict[str, set[str]] = defaultdict(set)
        for number, unit in self.session.execute(query):
            found[number].add(unit)
        return found

    def page(self, *, after_id: int | None, limit: int, customer: str | None = None) -> list[Contract]:
        query = select(bt.contracts)
        if customer:
            query = query.where(bt.contracts.c.customer_number == customer)
        if after_id is not None:
            query = query.where(bt.contracts.c.id > after_id)
        return self._load(query.order_by(bt.contracts.c.id).limit(limit))

    def _load(self, query: Any) -> list[Contract]:
        headers = self.session.execute(query).mappings().all()
        if not headers:
            return []
        ids = [h["id"] for h in headers]
        lines = {
            name: self._children(table, ids)
            for name, table in (
                ("devices", bt.contract_devices),
                ("plans", bt.contract_meter_plans),
                ("units", bt.contract_units),
                ("fees", bt.contract_fee_lines),
            )
        }
        return [self._build(h, {k: v.get(h["id"], []) for k, v in lines.items()}) for h in headers]

    def _children(self, table: Any, ids: Sequence[int]) -> dict[int, list[Any]]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            for row in self.session.execute(select(table).where(table.c.contract_id.in_(chunk)).order_by(table.c.id)):
                grouped[row.contract_id].append(row)
        return grouped

    @staticmethod
    def _build(h: Any, lines: dict[str, list[Any]]) -> Contract:
        contract = Contract(**{name: h[name] for name in _HEADER}, id=h["id"])
        contract.callout_terms = callout_terms_from_json(h["callout_terms"])
        contract.escalation = escalation_from_json(h["escalation"])
        contract.devices = [
            Device(r.serial, r.model, r.site, r.installed_on, r.removed_on, tuple(r.meters)) for r in lines["devices"]
        ]
        contract.meter_plans = [
            MeterPlan(
                r.meter_type,
                tuple(Tier(u, Decimal(p)) for u, p in r.tiers),
                TierMode(r.mode),
                r.included_volume,
                r.minimum_charge,
            )
            for r in lines["plans"]
        ]
        contract.units = [
            MaintenanceUnit(r.unit_id, r.site, r.description, r.fee_per_period, r.active_from, r.active_to)
            for r in lines["units"]
        ]
        contract.fee_lines = [
            FeeLine(
                r.line_id,
                r.description,
                r.product_sku,
                r.unit_price,
                tuple((date.fromisoformat(d), Decimal(q)) for d, q in r.quantity_changes),
                r.site,
            )
            for r in lines["fees"]
        ]
        return contract
