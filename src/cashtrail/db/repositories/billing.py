"""SQL repositories for billing blocks, bill runs and reserve funds (Core, in bulk)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from cashtrail.billing.blocks import AUTO_RELEASE_REASON, Block
from cashtrail.billing.charges import Charge
from cashtrail.contracts.terms import Period
from cashtrail.db import billing_tables as bt
from cashtrail.money import Money

_CHUNK = 1000


def chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    """``values`` in slices of at most 1,000 (bounded IN lists)."""
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class SqlBlockRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, block: Block) -> None:
        row = {k: v for k, v in block.__dict__.items() if k != "id"}
        block.id = self.session.execute(
            insert(bt.billing_blocks).values(**row).returning(bt.billing_blocks.c.id)
        ).scalar_one()

    def save(self, block: Block) -> None:
        row = {k: v for k, v in block.__dict__.items() if k != "id"}
        self.session.execute(update(bt.billing_blocks).where(bt.billing_blocks.c.id == block.id).values(**row))

    def get(self, block_id: int) -> Block | None:
        row = (
            self.session.execute(select(bt.billing_blocks).where(bt.billing_blocks.c.id == block_id)).mappings().first()
        )
        return None if row is None else Block(**dict(row))

    def overriding(self) -> list[Block]:
        """Automatic blocks a person released (they override the same finding on later runs)."""
        t = bt.billing_blocks.c
        query = select(bt.billing_blocks).where(
            t.automatic.is_(True), t.released_at.is_not(None), t.release_reason != AUTO_RELEASE_REASON
        )
        return [Block(**dict(row)) for row in self.session.execute(query).mappings()]

    def unreleased(self) -> list[Block]:
        query = (
            select(bt.billing_blocks).where(bt.billing_blocks.c.released_at.is_(None)).order_by(bt.billing_blocks.c.id)
        )
        return [Block(**dict(row)) for row in self.session.execute(query).mappings()]


class SqlBillRunRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def billed_keys(self, keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(sorted(set(keys))):
            found.update(
                self.session.scalars(select(bt.billed_charges.c.key).where(bt.billed_charges.c.key.in_(chunk)))
            )
        return found

    def start(self, period: str, started_by: str, at: Any) -> int:
        """The id of the period's run row, created by the first shard of the period (concurrent shards agree)."""
        dialect = self.session.get_bind().dialect.name
        statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(bt.bill_runs).values(
            period=period, started_at=at, started_by=started_by, status="running", summary={}
        )
        self.session.execute(statement.on_conflict_do_nothing(index_elements=["period"]))
        return int(self.session.scalar(select(bt.bill_runs.c.id).where(bt.bill_runs.c.period == period)) or 0)

    def finish(self, run_id: int, at: Any, summary: dict[str, Any]) -> None:
        self.session.execute(
            update(bt.bill_runs)
            .where(bt.bill_runs.c.id == run_id)
            .values(finished_at=at, status="done", summary=summary)
        )

    def add_drafts(self, run_id: int, drafts: Sequence[tuple[str, str, str, Sequence[Charge]]]) -> None:
        """Insert the run's drafts (group key, customer, currency, lines) and their lines in two bulk statements.

        A resumed run extends the drafts it already has: their totals grow and the new lines are attached.
        """
        t = bt.draft_invoices.c
        existing = dict(self.session.execute(select(t.group_key, t.id).where(t.bill_run_id == run_id)).all())
        totals = {key: sum((c.amount.amount for c in lines), Decimal(0)) for key, _, _, lines in drafts}
        for key in [k for k, *_ in drafts if k in existing]:
            self.session.execute(
                update(bt.draft_invoices).where(t.id == existing[key]).values(total=t.total + totals[key])
            )
        new_rows = [
            {
                "bill_run_id": run_id,
                "group_key": key,
                "customer_number": customer,
                "currency": currency,
                "total": totals[key],
                "status": "draft",
            }
            for key, customer, currency, _ in drafts
            if key not in existing
        ]
        if new_rows:
            inserted = self.session.execute(
                insert(bt.draft_invoices).returning(t.group_key, t.id, sort_by_parameter_order=True), new_rows
            ).all()
            existing.update(dict(inserted))
        rows = [_charge_row(c, int(existing[key])) for key, _, _, lines in drafts for c in lines]
        self._insert_lines(rows)

    def _insert_lines(self, rows: list[dict[str, Any]]) -> None:
        """Bulk-insert billed lines: PostgreSQL's COPY (several times faster than batched INSERTs), else INSERTs."""
        if not rows:
            return
        connection = self.session.connection()
        if connection.dialect.name != "postgresql":
            for start in range(0, len(rows), 10_000):
                self.session.execute(insert(bt.billed_charges), rows[start : start + 10_000])
            return
        columns = list(rows[0])
        driver = connection.connection.driver_connection
        if driver is None:  # pragma: no cover - a checked-out connection always has its driver connection
            raise RuntimeError("no driver connection for COPY")
        with driver.cursor() as cursor, cursor.copy(f"COPY billed_charges ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(row[c]) if c == "source" else row[c] for c in columns])

    def held_periods(self, before: str) -> list[tuple[str, str]]:
        """(contract number, month) pairs of earlier runs that still have held charges."""
        t = bt.held_periods.c
        rows = self.session.execute(select(t.contract_number, t.period).where(t.period < before).order_by(t.period))
        return [(r.contract_number, r.period) for r in rows]

    def set_held(self, add: Iterable[tuple[str, str]], remove: Iterable[tuple[str, str]]) -> None:
        """Record pairs that now hold charges and forget stored pairs that no longer do (one read, few writes)."""
        t = bt.held_periods.c
        existing = {(r.contract_number, r.period) for r in self.session.execute(select(t.contract_number, t.period))}
        for contract, period in existing & set(remove):
            self.session.execute(delete(bt.held_periods).where(t.contract_number == contract, t.period == period))
        rows = [{"contract_number": c, "period": p} for c, p in sorted(set(add) - existing)]
        if rows:
            self.session.execute(insert(bt.held_periods), rows)

    def charges_of_period(self, period: Period, contract_numbers: Sequence[str]) -> list[Charge]:
        """Billed charges of these contracts whose period lies in ``period`` (for the preview diff)."""
        t = bt.billed_charges.c
        found: list[Charge] = []
        for chunk in chunks(sorted(set(contract_numbers))):
            query = select(bt.billed_charges).where(
                t.contract_number.in_(chunk), t.period_start >= period.start, t.period_start <= period.end
            )
            found += [charge_from_row(r) for r in self.session.execute(query)]
        return found


_SIX = Decimal("0.000001")


def _charge_row(c: Charge, draft_id: int) -> dict[str, Any]:
    # Quantity and unit price are stored for display at 6 decimals (a prorated 10/30 has infinitely many); the
    # amount was computed at full precision and rounded once when the charge was built.
    return {
        "key": c.key,
        "draft_invoice_id": draft_id,
        "contract_number": c.contract_number,
        "kind": c.kind,
        "description": c.description[:300],
        "period_start": c.period.start,
        "period_end": c.period.end,
        "quantity": c.quantity.quantize(_SIX, ROUND_HALF_UP),
        "unit_price": c.unit_price.quantize(_SIX, ROUND_HALF_UP),
        "amount": c.amount.amount,
        "currency": c.amount.currency,
        "formula": c.formula,
        "site": c.site,
        "asset": c.asset,
        "source": dict(c.source),
        "tax_category": c.tax_category,
        "supply": c.supply,
    }


def charge_from_row(r: Any) -> Charge:
    return Charge(
        r.key,
        r.contract_number,
        "",
        r.kind,
        r.description,
        Period(r.period_start, r.period_end),
        r.quantity,
        r.unit_price,
        Money(r.amount, r.currency).rounded(),
        r.formula,
        r.site,
        r.asset,
        r.source,
        tax_category=r.tax_category,
        supply=r.supply,
    )


class SqlReserveFundRepository:
    """Reserve funds and their movements; the balance is kept on the fund row, every change is a movement."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, customer_number: str) -> dict[str, Any] | None:
        query = select(bt.reserve_funds).where(bt.reserve_funds.c.customer_number == customer_number)
        row = self.session.execute(query).mappings().first()
        return None if row is None else dict(row)

    def open(self, customer_number: str, currency: str, threshold: Decimal) -> None:
        self.session.execute(
            insert(bt.reserve_funds).values(
                customer_number=customer_number, currency=currency, balance=Decimal(0), warning_threshold=threshold
            )
        )

    def balances(self, customers: Iterable[str]) -> dict[str, Decimal]:
        found: dict[str, Decimal] = {}
        for chunk in chunks(sorted(set(customers))):
            query = select(bt.reserve_funds.c.customer_number, bt.reserve_funds.c.balance).where(
                bt.reserve_funds.c.customer_number.in_(chunk)
            )
            found.update({r.customer_number: r.balance for r in self.session.execute(query)})
        return found

    def move(self, customer_number: str, amount: Decimal, at: Any, reason: str, charge_key: str | None = None) -> None:
        """Add ``amount`` (negative for a drawdown) to the fund, with a movement row."""
        fund = self.get(customer_number)
        if fund is None:
            raise LookupError(f"no reserve fund for {customer_number}")
        self.session.execute(
            insert(bt.reserve_fund_movements).values(
                fund_id=fund["id"], booked_at=at, amount=amount, reason=reason[:200], charge_key=charge_key
            )
        )
        self.session.execute(
            update(bt.reserve_funds)
            .where(bt.reserve_funds.c.id == fund["id"])
            .values(balance=bt.reserve_funds.c.balance + amount)
        )

    def movements(self, customer_number: str) -> list[dict[str, Any]]:
        fund = self.get(customer_number)
        if fund is None:
            return []
        query = select(bt.reserve_fund_movements).where(bt.reserve_fund_movements.c.fund_id == fund["id"])
        return [dict(r) for r in self.session.execute(query.order_by(bt.reserve_fund_movements.c.id)).mappings()]
