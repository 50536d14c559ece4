"""SQL repository of toner reconciliation inputs: catalog, mappings, set-ups, shipment and billing-report rows.

Everything is read and written with Core statements in bulk (one query per table per batch): a reconciliation run
loads a year of rows for thousands of agreements at once (house style D4). Rows come back as the domain's frozen
values, each with its database id in ``row_id`` so results can name the rows they came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from cashtrail.contracts.terms import Period
from cashtrail.db import billing_tables as bt
from cashtrail.db import toner_tables as tt
from cashtrail.db.repositories.billing import chunks
from cashtrail.toner.model import (
    BillingLine,
    CartridgePart,
    ExcessPricing,
    ModelMapping,
    Pooling,
    ReconciliationPeriod,
    ReconciliationSetup,
    ShipmentLine,
    ShipmentStatus,
    TonerColour,
    YieldClass,
)

BATCH = 5000


def _batches(rows: Sequence[dict[str, Any]]) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


class SqlTonerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- catalog and mappings -------------------------------------------------------------------------------
    def parts(self) -> list[CartridgePart]:
        t = tt.toner_parts.c
        rows = self.session.execute(select(tt.toner_parts).order_by(t.part_number, t.valid_from))
        return [
            CartridgePart(r.part_number, TonerColour(r.colour), r.rated_yield, r.cost, r.currency, r.valid_from)
            for r in rows
        ]

    def put_part(self, part: CartridgePart) -> int:
        """Store a cost row, replacing the one of the same part and ``valid_from``; returns its id."""
        t = tt.toner_parts.c
        values = {"colour": part.colour.value, "rated_yield": part.rated_yield, "cost": part.cost}
        values["currency"] = part.currency
        key = (t.part_number == part.part_number, t.valid_from == part.valid_from)
        return self._upsert(
            tt.toner_parts, key, values, {"part_number": part.part_number, "valid_from": part.valid_from}
        )

    def mappings(self) -> list[ModelMapping]:
        t = tt.toner_model_mappings.c
        rows = self.session.execute(select(tt.toner_model_mappings).order_by(t.model, t.part_number))
        return [ModelMapping(r.model, r.part_number, YieldClass(r.yield_class), r.starter_yield) for r in rows]

    def put_mapping(self, mapping: ModelMapping) -> int:
        t = tt.toner_model_mappings.c
        values = {"yield_class": mapping.yield_class.value, "starter_yield": mapping.starter_yield}
        key = (t.model == mapping.model, t.part_number == mapping.part_number)
        return self._upsert(
            tt.toner_model_mappings, key, values, {"model": mapping.model, "part_number": mapping.part_number}
        )

    # --- set-ups --------------------------------------------------------------------------------------------
    def setups(self) -> list[ReconciliationSetup]:
        t = tt.toner_setups.c
        return [_setup(r) for r in self.session.execute(select(tt.toner_setups).order_by(t.agreement, t.valid_from))]

    def owners(self) -> dict[str, str]:
        """The board owner of each agreement (from its latest set-up)."""
        t = tt.toner_setups.c
        rows = self.session.execute(select(t.agreement, t.owner).order_by(t.agreement, t.valid_from))
        return {agreement: owner for agreement, owner in rows}

    def put_setup(self, setup: ReconciliationSetup, owner: str) -> int:
        t = tt.toner_setups.c
        values = {
            "valid_to": setup.valid_to,
            "currency": setup.currency,
            "toner_included": setup.toner_included,
            "allowance_percent": setup.allowance_percent,
            "tolerance_percent": setup.tolerance_percent,
            "spare_allowance_pages": setup.spare_allowance_pages,
            "period": setup.period.value,
            "pooling": setup.pooling.value,
            "markup_percent": setup.markup_percent,
            "pricing": setup.pricing.value,
            "price_per_cartridge": setup.price_per_cartridge,
            "reference_parts": {c.value: p for c, p in sorted(setup.reference_parts.items())},
            "ship_tos": sorted(setup.ship_tos),
            "owner": owner,
        }
        key = (t.agreement == setup.agreement, t.valid_from == setup.valid_from)
        return self._upsert(
            tt.toner_setups, key, values, {"agreement": setup.agreement, "valid_from": setup.valid_from}
        )

    # --- uploaded rows --------------------------------------------------------------------------------------
    def shipment_ids(self, keys: Iterable[tuple[str, str, int]]) -> dict[tuple[str, str, int], int]:
        """Ids of stored shipment lines by (upload, shipment id, line)."""
        t = tt.toner_shipments.c
        wanted = set(keys)
        found: dict[tuple[str, str, int], int] = {}
        for upload in sorted({k[0] for k in wanted}):
            query = select(t.id, t.shipment_id, t.line).where(t.upload_id == upload)
            for row_id, shipment_id, line in self.session.execute(query):
                if (upload, shipment_id, line) in wanted:
                    found[(upload, shipment_id, line)] = int(row_id)
        return found

    def put_shipments(self, lines: Sequence[ShipmentLine]) -> None:
        """Insert new lines and update stored ones (same upload, shipment id and line)."""
        known = self.shipment_ids((s.upload_id, s.shipment_id, s.line) for s in lines)
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for s in lines:
            row = _shipment_row(s)
            row_id = known.get((s.upload_id, s.shipment_id, s.line))
            (new if row_id is None else changed).append(row if row_id is None else {**row, "row_id_": row_id})
        self.add_shipment_rows(new)
        for row in changed:
            row_id = row.pop("row_id_")
            self.session.execute(update(tt.toner_shipments).where(tt.toner_shipments.c.id == row_id).values(**row))

    def add_shipment_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        """Bulk insert of new shipment rows (imports, the demo and the benchmark)."""
        for batch in _batches(rows):
            self.session.execute(insert(tt.toner_shipments), batch)

    def shipments(
        self, start: date, end: date, agreements: Sequence[str] | None = None, ship_tos: Sequence[str] = ()
    ) -> list[ShipmentLine]:
        """Lines shipped from ``start`` to ``end`` to these agreements or ship-tos (every line when None); voided
        lines are left out."""
        t = tt.toner_shipments.c
        columns = (t.id, t.shipment_id, t.line, t.shipped_on, t.part_number, t.quantity, t.upload_id, t.agreement)
        base = select(*columns, t.ship_to, t.serial, t.status).where(
            t.shipped_on >= start, t.shipped_on <= end, t.voided_at.is_(None)
        )
        days: dict[object, date] = {}
        if agreements is None:
            return [_shipment_fast(r, days) for r in self._raw(base.order_by(t.id))]
        found: dict[int, ShipmentLine] = {}
        for chunk in chunks(sorted(set(agreements))):
            where = or_(t.agreement.in_(chunk), t.ship_to.in_(sorted(ship_tos))) if ship_tos else t.agreement.in_(chunk)
            found.update({r[0]: _shipment_fast(r, days) for r in self._raw(base.where(where))})
        return [found[k] for k in sorted(found)]

    def _raw(self, query: Any) -> Any:
        """Rows as plain tuples, with dates left as the driver returns them (ISO text on SQLite): loading a year of
        rows spends most of its time in per-value type conversion otherwise; :func:`_day` converts once per day."""
        compiled = query.compile(dialect=self.session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
        driver = self.session.connection().connection.driver_connection
        assert driver is not None
        cursor = driver.cursor()
        try:
            cursor.execute(str(compiled), _params(compiled))
            return cursor.fetchall()
        finally:
            cursor.close()

    def shipped_agreements(self, start: date, end: date) -> set[str]:
        """Every agreement (``""`` for ship-to-only lines) with a line not voided shipped from ``start`` to ``end``."""
        t = tt.toner_shipments.c
        query = select(t.agreement).where(t.shipped_on >= start, t.shipped_on <= end, t.voided_at.is_(None)).distinct()
        return set(self.session.scalars(query))

    def shipments_by_ids(self, ids: Iterable[int]) -> list[ShipmentLine]:
        """Stored lines by id, voided ones included: a record's figures name the rows they came from, and those
        rows stay traceable after a void (the record changes only when the period is run again)."""
        t = tt.toner_shipments.c
        found: list[ShipmentLine] = []
        for chunk in chunks(sorted(set(ids))):
            found += [_shipment(r) for r in self.session.execute(select(tt.toner_shipments).where(t.id.in_(chunk)))]
        return sorted(found, key=lambda s: s.row_id or 0)

    def upload_lines(self, upload_id: str) -> dict[tuple[str, int], tuple[int, bool]]:
        """Every stored line of an upload, voided or not: (shipment id, line) -> (row id, voided)."""
        t = tt.toner_shipments.c
        query = select(t.id, t.shipment_id, t.line, t.voided_at).where(t.upload_id == upload_id)
        return {(s, line): (int(i), voided is not None) for i, s, line, voided in self.session.execute(query)}

    def void_shipments(self, ids: Sequence[int], at: datetime, by: str, reason: str) -> int:
        """Mark these lines voided (kept, never deleted); lines already voided keep their first void. Returns how
        many lines this call voided."""
        t = tt.toner_shipments.c
        done = 0
        for chunk in chunks(sorted(set(ids))):
            result = self.session.execute(
                update(tt.toner_shipments)
                .where(t.id.in_(chunk), t.voided_at.is_(None))
                .values(voided_at=at, voided_by=by, void_reason=reason)
            )
            done += int(getattr(result, "rowcount", 0) or 0)
        return done

    def billing_ids(self, keys: Iterable[tuple[str, date, date, str]]) -> dict[tuple[str, date, date, str], int]:
        """Ids of stored billing-report lines by (agreement, period start, period end, serial or "")."""
        t = tt.toner_billing_lines.c
        wanted = set(keys)
        found: dict[tuple[str, date, date, str], int] = {}
        for chunk in chunks(sorted({k[0] for k in wanted})):
            query = select(t.id, t.agreement, t.period_start, t.period_end, t.serial).where(t.agreement.in_(chunk))
            for row_id, *key in self.session.execute(query):
                if tuple(key) in wanted:
                    found[(key[0], key[1], key[2], key[3])] = int(row_id)
        return found

    def put_billing(self, lines: Sequence[BillingLine], source: str) -> None:
        """Insert or replace billing-report lines (same agreement, period and serial)."""
        known = self.billing_ids((b.agreement, b.period.start, b.period.end, b.serial or "") for b in lines)
        new = []
        for b in lines:
            row = _billing_row(b, source)
            row_id = known.get((b.agreement, b.period.start, b.period.end, b.serial or ""))
            if row_id is None:
                new.append(row)
            else:
                self.session.execute(
                    update(tt.toner_billing_lines).where(tt.toner_billing_lines.c.id == row_id).values(**row)
                )
        self.add_billing_rows(new)

    def add_billing_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        for batch in _batches(rows):
            self.session.execute(insert(tt.toner_billing_lines), batch)

    def delete_billing_ids(self, ids: Sequence[int], source_prefix: str) -> None:
        """Remove these billing-report lines if they came from ``source_prefix`` (a rebuilt bill-run report)."""
        t = tt.toner_billing_lines.c
        for chunk in chunks(sorted(set(ids))):
            self.session.execute(
                delete(tt.toner_billing_lines).where(t.id.in_(chunk), t.source.startswith(source_prefix))
            )

    def billing(self, start: date, end: date, agreements: Sequence[str] | None = None) -> list[BillingLine]:
        """Billing-report lines whose period lies within [start, end], of these agreements (all when None)."""
        t = tt.toner_billing_lines.c
        columns = (t.id, t.agreement, t.period_start, t.period_end, t.mono_pages, t.colour_pages)
        base = select(*columns, t.billed_asset_count, t.invoice_number, t.serial).where(
            t.period_start >= start, t.period_end <= end
        )
        periods: dict[tuple[object, object], Period] = {}
        if agreements is None:
            return [_billing_fast(r, periods) for r in self._raw(base.order_by(t.id))]
        found: list[BillingLine] = []
        for chunk in chunks(sorted(set(agreements))):
            found += [_billing_fast(r, periods) for r in self._raw(base.where(t.agreement.in_(chunk)))]
        return sorted(found, key=lambda b: b.row_id or 0)

    def billing_by_ids(self, ids: Iterable[int]) -> list[BillingLine]:
        t = tt.toner_billing_lines.c
        found: list[BillingLine] = []
        periods: dict[tuple[date, date], Period] = {}
        for chunk in chunks(sorted(set(ids))):
            query = select(tt.toner_billing_lines).where(t.id.in_(chunk))
            found += [_billing(r, periods) for r in self.session.execute(query)]
        return sorted(found, key=lambda b: b.row_id or 0)

    def billed_usage(
        self, start: date, end: date, agreements: Sequence[str] | None = None
    ) -> list[tuple[str, Period, str, dict[str, str], int]]:
        """Usage lines our bill runs billed for months within [start, end]: (contract, month, meter, source, draft)."""
        t = bt.billed_charges.c
        found: list[tuple[str, Period, str, dict[str, str], int]] = []
        periods: dict[tuple[date, date], Period] = {}
        query = select(t.contract_number, t.period_start, t.period_end, t.key, t.source, t.draft_invoice_id).where(
            t.kind == "usage", t.period_start >= start, t.period_end <= end
        )
        groups = [None] if agreements is None else list(chunks(sorted(set(agreements))))
        for chunk in groups:
            selected = query if chunk is None else query.where(t.contract_number.in_(chunk))
            for number, first, last, key, source, draft in self.session.execute(selected.order_by(t.id)):
                period = periods.setdefault((first, last), Period(first, last))
                parts = key.split(":")  # CONTRACT:YYYY-MM:usage:METER[:SERIAL]:BAND
                found.append((number, period, parts[parts.index("usage") + 1], dict(source or {}), int(draft)))
        return found

    def _upsert(self, table: Any, key: tuple[Any, ...], values: dict[str, Any], identity: dict[str, Any]) -> int:
        found = self.session.scalar(select(table.c.id).where(*key))
        if found is not None:
            self.session.execute(update(table).where(table.c.id == found).values(**values))
            return int(found)
        return int(self.session.execute(insert(table).values(**identity, **values).returning(table.c.id)).scalar_one())


def _setup(r: Any) -> ReconciliationSetup:
    price = r.price_per_cartridge
    return ReconciliationSetup(
        agreement=r.agreement,
        valid_from=r.valid_from,
        currency=r.currency,
        toner_included=r.toner_included,
        allowance_percent=r.allowance_percent,
        tolerance_percent=r.tolerance_percent,
        spare_allowance_pages=r.spare_allowance_pages,
        period=ReconciliationPeriod(r.period),
        pooling=Pooling(r.pooling),
        markup_percent=r.markup_percent,
        pricing=ExcessPricing(r.pricing),
        price_per_cartridge=None if price is None else Decimal(price),
        reference_parts={TonerColour(c): p for c, p in (r.reference_parts or {}).items()},
        ship_tos=frozenset(r.ship_tos or ()),
        valid_to=r.valid_to,
    )


def _shipment_row(s: ShipmentLine) -> dict[str, Any]:
    return {
        "upload_id": s.upload_id,
        "shipment_id": s.shipment_id,
        "line": s.line,
        "shipped_on": s.shipped_on,
        "agreement": s.agreement,
        "ship_to": s.ship_to,
        "serial": s.serial,
        "part_number": s.part_number,
        "quantity": s.quantity,
        "status": s.status.value,
    }


_STATUSES = {s.value: s for s in ShipmentStatus}


def _shipment(r: Any) -> ShipmentLine:
    return ShipmentLine(
        r.shipment_id,
        r.line,
        r.shipped_on,
        r.part_number,
        r.quantity,
        r.upload_id,
        r.agreement,
        r.ship_to,
        r.serial,
        _STATUSES[r.status],
        r.id,
    )


def _billing_row(b: BillingLine, source: str) -> dict[str, Any]:
    return {
        "agreement": b.agreement,
        "period_start": b.period.start,
        "period_end": b.period.end,
        "serial": b.serial or "",
        "mono_pages": b.mono_pages,
        "colour_pages": b.colour_pages,
        "billed_asset_count": b.billed_asset_count,
        "invoice_number": b.invoice_number,
        "source": source,
    }


def _billing(r: Any, periods: dict[tuple[date, date], Period]) -> BillingLine:
    key = (r.period_start, r.period_end)
    period = periods.get(key)
    if period is None:
        period = periods[key] = Period(*key)
    return BillingLine(
        r.agreement,
        period,
        r.mono_pages,
        r.colour_pages,
        r.billed_asset_count,
        r.invoice_number,
        r.serial or None,
        r.id,
    )


def _params(compiled: Any) -> Any:
    """Bind values of a compiled statement, processed by their types (dates become ISO text on SQLite)."""
    processors = compiled._bind_processors  # noqa: SLF001 - the public API has no processed-params accessor
    values = {k: processors[k](v) if k in processors else v for k, v in compiled.params.items()}
    if compiled.positional:
        return tuple(values[name] for name in compiled.positiontup)
    return values


def _day(value: object, days: dict[object, date]) -> date:
    found = days.get(value)
    if found is None:
        found = days[value] = value if isinstance(value, date) else date.fromisoformat(str(value))
    return found


def _shipment_fast(r: Any, days: dict[object, date]) -> ShipmentLine:
    row_id, shipment_id, line, shipped_on, part, quantity, upload, agreement, ship_to, serial, status = r
    return ShipmentLine(
        shipment_id, line, _day(shipped_on, days), part, quantity, upload, agreement, ship_to, serial,
        _STATUSES[status], row_id,
    )  # fmt: skip


def _billing_fast(r: Any, periods: dict[tuple[object, object], Period]) -> BillingLine:
    row_id, agreement, first, last, mono, colour, count, invoice, serial = r
    period = periods.get((first, last))
    if period is None:
        days: dict[object, date] = {}
        period = periods[(first, last)] = Period(_day(first, days), _day(last, days))
    return BillingLine(agreement, period, mono, colour, count, invoice, serial or None, row_id)
