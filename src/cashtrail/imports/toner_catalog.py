"""Importing the toner reconciliation's reference data: cartridge catalog, model mappings and set-ups.

- ``toner-parts``: one row per part and cost change, keyed ``part_number|valid_from``. Colour and rated yield are
  properties of the part: a row that gives another colour or yield than the part's stored rows (or an earlier
  row of the file) is refused.
- ``toner-mappings``: one row per device model and compatible part, keyed ``model|part_number``; the part must be
  in the catalog (stored, not only in this file: import the catalog first).
- ``toner-setups``: one row per agreement and ``valid_from``; the agreement must be a stored contract, reference
  parts must be in the catalog, and the set-up must pass :func:`cashtrail.toner.model.check_setup`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.meter_reads import StoredRef
from cashtrail.imports.plan import Batch, Kind, Planned, Written
from cashtrail.imports.spec import (
    Choice,
    Column,
    Flag,
    Integer,
    IsoDate,
    KindSpec,
    Number,
    ParsedRow,
    Text,
    content_hash,
)
from cashtrail.ports import UnitOfWork
from cashtrail.toner.model import (
    CartridgePart,
    ExcessPricing,
    ModelMapping,
    Pooling,
    ReconciliationPeriod,
    ReconciliationSetup,
    TonerColour,
    YieldClass,
    check_setup,
)

_CURRENCY = re.compile(r"[A-Z]{3}")
_COLOURS = tuple(c.value for c in TonerColour)

PARTS = KindSpec(
    kind="toner-parts",
    key=("part_number", "valid_from"),
    key_format="{}|{}",
    columns=(
        Column("part_number", Text(64), "Cartridge part number.", "TK-5240K", required=True),
        Column("colour", Choice(_COLOURS), "Toner colour.", "black", required=True),
        Column(
            "rated_yield",
            Integer(1, 10_000_000),
            "Rated yield in pages at 5 % coverage (ISO/IEC 19752 mono, 19798 colour).",
            "4000",
            required=True,
        ),
        Column("cost", Number(6, 19, Decimal(0)), "Our cost of one cartridge.", "62.50", required=True),
        Column("currency", Text(3, "ISO 4217 code"), "Currency of the cost.", "EUR", required=True),
        Column("valid_from", IsoDate(), "First day the cost applies.", "2026-01-01", required=True),
    ),
)

MAPPINGS = KindSpec(
    kind="toner-mappings",
    key=("model", "part_number"),
    key_format="{}|{}",
    columns=(
        Column("model", Text(64), "Device model, as on the contract's devices.", "ECOSYS M5526", required=True),
        Column("part_number", Text(64), "A compatible cartridge part number.", "TK-5240K", required=True),
        Column(
            "yield_class",
            Choice(tuple(y.value for y in YieldClass)),
            "standard or high; blank means standard.",
            "standard",
            default=YieldClass.STANDARD.value,
        ),
        Column("starter_yield", Integer(0, 10_000_000), "Yield of the starter cartridge in the box.", "", default=None),
    ),
)

SETUPS = KindSpec(
    kind="toner-setups",
    key=("agreement", "valid_from"),
    key_format="{}|{}",
    columns=(
        Column("agreement", Text(32), "MPS agreement (contract number).", "MPS-00001", required=True),
        Column("valid_from", IsoDate(), "First day the set-up applies.", "2026-01-01", required=True),
        Column("valid_to", IsoDate(), "Last day; blank means open-ended.", "", default=None),
        Column("currency", Text(3, "ISO 4217 code"), "Currency of excess charges.", "EUR", required=True),
        Column("toner_included", Flag(), "Whether toner is included; blank means true.", "true", default=True),
        Column("allowance_percent", Number(4, 7, Decimal(0)), "Coverage allowance in percent.", "5", required=True),
        Column(
            "tolerance_percent", Number(4, 7, Decimal(0)), "Tolerance in percent; blank 0.", "10", default=Decimal(0)
        ),
        Column("spare_allowance_pages", Integer(0, 10**9), "Fixed spare yield pages per colour.", "0", default=0),
        Column(
            "period", Choice(tuple(p.value for p in ReconciliationPeriod)), "Reconciliation period.", "quarterly", True
        ),
        Column(
            "pooling",
            Choice(tuple(p.value for p in Pooling)),
            "Pool per agreement or per device.",
            "per_agreement",
            True,
        ),
        Column(
            "pricing",
            Choice(tuple(p.value for p in ExcessPricing)),
            "cost_plus (cost per yield page + markup) or per_cartridge; blank means cost_plus.",
            "cost_plus",
            default=ExcessPricing.COST_PLUS.value,
        ),
        Column(
            "markup_percent", Number(4, 7, Decimal(0)), "Markup on cost in percent; blank 0.", "15", default=Decimal(0)
        ),
        Column("price_per_cartridge", Number(6, 19, Decimal(0)), "Price per excess cartridge.", "", default=None),
        *(
            Column(f"reference_{c}", Text(64), f"Reference {c} part for cartridge equivalents.", "", default="")
            for c in _COLOURS
        ),
        Column("ship_tos", Text(2000), "Ship-to codes of the agreement, separated by `;`.", "BE-GENT-01", default=""),
        Column("owner", Text(64), "Specialist who owns the agreement's board cards.", "tina", default="unassigned"),
    ),
)


@dataclass
class _Batch:
    """Rows stored one at a time through ``store`` (reference data is small)."""

    entity_type: str
    store: Callable[[UnitOfWork, object], int]
    planned: list[Planned] = field(default_factory=list)
    items: dict[str, object] = field(default_factory=dict)

    def write(
        self, uow: UnitOfWork, clock: Clock, actor: Actor, changed: Sequence[Planned], reason: Callable[[Planned], str]
    ) -> list[Written]:
        return [
            Written(
                p.external_id,
                self.entity_type,
                StoredRef(self.store(uow, self.items[p.external_id])),
                "updated" if p.exists else "created",
            )
            for p in changed
        ]


def _store_part(uow: UnitOfWork, item: object) -> int:
    assert isinstance(item, CartridgePart)
    return uow.toner.put_part(item)


def _store_mapping(uow: UnitOfWork, item: object) -> int:
    assert isinstance(item, ModelMapping)
    return uow.toner.put_mapping(item)


def _store_setup(uow: UnitOfWork, item: object) -> int:
    assert isinstance(item, tuple)
    return uow.toner.put_setup(item[0], item[1])


def prepare_parts(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    stored = uow.toner.parts()
    facts = {p.part_number: (p.colour.value, p.rated_yield) for p in stored}
    keys = {f"{p.part_number}|{p.valid_from.isoformat()}" for p in stored}
    batch, errors = _Batch("toner_part", _store_part), []
    for row in (r for r in rows if not r.bad):
        number, colour, pages = row.text("part_number"), row.text("colour"), row.integer("rated_yield") or 0
        currency, day, cost = row.text("currency"), row.day("valid_from"), row.decimal("cost")
        if not _CURRENCY.fullmatch(currency):
            errors.append(row.error("currency", "is not an ISO 4217 code such as EUR", currency))
            continue
        known = facts.setdefault(number, (colour, pages))
        if known != (colour, pages):
            message = f"part {number} is {known[0]} with yield {known[1]} (if that is wrong: toner correct-part)"
            errors.append(row.error("rated_yield", message, pages))
            continue
        if day is None or cost is None:  # pragma: no cover - required columns
            continue
        key = PARTS.external_id(row)
        batch.items[key] = CartridgePart(number, TonerColour(colour), pages, cost, currency, day)
        batch.planned.append(Planned(row.row, key, content_hash(PARTS, row), key in keys))
    return batch, errors


def prepare_mappings(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    catalog = {p.part_number for p in uow.toner.parts()}
    stored = {f"{m.model}|{m.part_number}" for m in uow.toner.mappings()}
    batch, errors = _Batch("toner_mapping", _store_mapping), []
    for row in (r for r in rows if not r.bad):
        if row.text("part_number") not in catalog:
            errors.append(row.error("part_number", "is not in the cartridge catalog", row.text("part_number")))
            continue
        key = MAPPINGS.external_id(row)
        batch.items[key] = ModelMapping(
            row.text("model"),
            row.text("part_number"),
            YieldClass(row.text("yield_class") or YieldClass.STANDARD.value),
            row.integer("starter_yield"),
        )
        batch.planned.append(Planned(row.row, key, content_hash(MAPPINGS, row), key in stored))
    return batch, errors


def _setup(row: ParsedRow) -> ReconciliationSetup:
    day = row.day("valid_from")
    assert day is not None
    return ReconciliationSetup(
        agreement=row.text("agreement"),
        valid_from=day,
        currency=row.text("currency"),
        toner_included=row.flag("toner_included", default=True),
        allowance_percent=row.decimal("allowance_percent") or Decimal(0),
        tolerance_percent=row.decimal("tolerance_percent") or Decimal(0),
        spare_allowance_pages=row.integer("spare_allowance_pages") or 0,
        period=ReconciliationPeriod(row.text("period")),
        pooling=Pooling(row.text("pooling")),
        markup_percent=row.decimal("markup_percent") or Decimal(0),
        pricing=ExcessPricing(row.text("pricing") or ExcessPricing.COST_PLUS.value),
        price_per_cartridge=row.decimal("price_per_cartridge"),
        reference_parts={TonerColour(c): row.text(f"reference_{c}") for c in _COLOURS if row.text(f"reference_{c}")},
        ship_tos=frozenset(t.strip() for t in row.text("ship_tos").split(";") if t.strip()),
        valid_to=row.day("valid_to"),
    )


def prepare_setups(uow: UnitOfWork, rows: Sequence[ParsedRow]) -> tuple[Batch, list[FieldError]]:
    good = [r for r in rows if not r.bad]
    catalog = {p.part_number for p in uow.toner.parts()}
    contracts = {n for n in {r.text("agreement") for r in good} if uow.contracts.get_by_number(n) is not None}
    stored = {f"{s.agreement}|{s.valid_from.isoformat()}" for s in uow.toner.setups()}
    batch, errors = _Batch("toner_setup", _store_setup), []
    for row in good:
        setup = _setup(row)
        problems = [row.error(e.field, e.message, e.value) for e in check_setup(setup)]
        if setup.agreement not in contracts:
            problems.append(row.error("agreement", "is not a stored contract", setup.agreement))
        if not _CURRENCY.fullmatch(setup.currency):
            problems.append(row.error("currency", "is not an ISO 4217 code such as EUR", setup.currency))
        for colour, number in setup.reference_parts.items():
            if number not in catalog:
                problems.append(row.error(f"reference_{colour.value}", "is not in the cartridge catalog", number))
        if problems:
            errors += problems
            continue
        key = SETUPS.external_id(row)
        batch.items[key] = (setup, row.text("owner") or "unassigned")
        batch.planned.append(Planned(row.row, key, content_hash(SETUPS, row), key in stored))
    return batch, errors


PARTS_KIND = Kind(spec=PARTS, permission=Permission.TONER_RUN, entity_type="toner_part", prepare=prepare_parts)
MAPPINGS_KIND = Kind(
    spec=MAPPINGS, permission=Permission.TONER_RUN, entity_type="toner_mapping", prepare=prepare_mappings
)
SETUPS_KIND = Kind(spec=SETUPS, permission=Permission.TONER_RUN, entity_type="toner_setup", prepare=prepare_setups)
