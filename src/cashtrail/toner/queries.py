"""Read side of toner reconciliation: the board, one record's detail with its rows, findings and trends.

Nothing here writes. The detail of a record loads the shipment and billing rows whose ids the calculation kept,
so each colour's expected, shipped and excess figures are shown next to the rows they came from.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from cashtrail.audit.model import AuditEvent
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork
from cashtrail.toner import billing_hook
from cashtrail.toner.board import BoardStatus
from cashtrail.toner.board_services import get_record
from cashtrail.toner.errors import BadFindingFilter, BadTrendDimension
from cashtrail.toner.findings import FindingCode, Severity
from cashtrail.toner.model import ISO_COVERAGE_PERCENT, BillingLine, CartridgePart, ShipmentLine
from cashtrail.toner.periods import parse_span
from cashtrail.toner.records import FindingState, ReconciliationRecord, StoredFinding

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class BoardFilter:
    period: str = ""
    status: str = ""
    country: str = ""
    owner: str = ""
    agreement: str = ""


def board(uow: UnitOfWork, actor: Actor, wanted: BoardFilter = BoardFilter()) -> list[ReconciliationRecord]:  # noqa: B008
    """The board's cards matching the filter, by agreement and period."""
    actor.require(Permission.TONER_READ)
    span = parse_span(wanted.period) if wanted.period else None
    with uow:
        return uow.toner_board.records(
            start=None if span is None else span.start,
            end=None if span is None else span.end,
            agreements=[wanted.agreement] if wanted.agreement else None,
            status=wanted.status or None,
            country=wanted.country or None,
            owner=wanted.owner or None,
        )


def by_status(records: Sequence[ReconciliationRecord]) -> dict[BoardStatus, list[ReconciliationRecord]]:
    """The board's columns: every status, in board order, with its cards."""
    columns: dict[BoardStatus, list[ReconciliationRecord]] = {s: [] for s in BoardStatus}
    for record in records:
        columns[record.status].append(record)
    return columns


@dataclass
class ColourTrace:
    """One colour of a record: the figures and the rows behind them."""

    figures: dict[str, Any]
    shipments: list[ShipmentLine]
    billing: list[BillingLine]
    parts: dict[str, CartridgePart]


@dataclass
class Detail:
    record: ReconciliationRecord
    findings: list[StoredFinding]
    colours: list[ColourTrace]
    trail: list[AuditEvent]
    billed: dict[str, int | None] = field(default_factory=dict)


def detail(uow: UnitOfWork, actor: Actor, agreement: str, period: str) -> Detail:
    """A record with its findings, its rows per colour, its audit trail and where its charges were billed."""
    actor.require(Permission.TONER_READ)
    with uow:
        record = get_record(uow, agreement, period)
        assert record.id is not None
        findings = uow.toner_board.findings([record.id])
        parts = {p.part_number: p for p in uow.toner.parts()}
        billing = uow.toner.billing_by_ids(record.result.get("billing_ids", []))
        colours = [
            ColourTrace(figures, uow.toner.shipments_by_ids(figures.get("shipment_ids", [])), billing, parts)
            for figures in record.result.get("colours", [])
        ]
        trail = list(uow.audit.for_entity("toner_reconciliation", record.key))
        billed = billing_hook.billed(uow, record)
    return Detail(record, findings, colours, trail, billed)


#: The values a findings filter accepts besides blank (any): the known codes, severities and states.
FINDING_CODES = tuple(c.value for c in FindingCode)
SEVERITIES = tuple(s.value for s in Severity)
FINDING_STATES = tuple(s.value for s in FindingState)


@dataclass(frozen=True)
class FindingFilter:
    """What the findings list is narrowed to; blank means any (``state`` defaults to open)."""

    period: str = ""
    code: str = ""
    state: str = FindingState.OPEN.value
    agreement: str = ""
    country: str = ""
    owner: str = ""
    severity: str = ""

    def checked(self) -> FindingFilter:
        """This filter, or :class:`BadFindingFilter` for an unknown code, severity or state (a typo is refused)."""
        for name, value, allowed in (
            ("code", self.code, FINDING_CODES),
            ("severity", self.severity, SEVERITIES),
            ("state", self.state, FINDING_STATES),
        ):
            if value and value not in allowed:
                raise BadFindingFilter(name, value, allowed)
        return self


def findings_list(
    uow: UnitOfWork,
    actor: Actor,
    wanted: FindingFilter = FindingFilter(),  # noqa: B008
    **given: str,
) -> list[tuple[ReconciliationRecord, StoredFinding]]:
    """Findings of the records matching ``wanted`` (or the same fields given by keyword), by record and id.

    Every filter runs in the database (records by period, agreement, country and owner; findings by state, code
    and severity), so a caller that shows the first N rows shows the first N that match.
    """
    wanted = (replace(wanted, **given) if given else wanted).checked()
    records = board(
        uow,
        actor,
        BoardFilter(period=wanted.period, country=wanted.country, owner=wanted.owner, agreement=wanted.agreement),
    )
    with uow:
        by_id = {r.id: r for r in records}
        found = uow.toner_board.findings(
            [i for i in by_id if i is not None],
            wanted.state or None,
            code=wanted.code or None,
            severity=wanted.severity or None,
        )
    return [(by_id[f.reconciliation_id], f) for f in found]


#: Codes that come one finding per row (e.g. one per shipment line); the workbench shows a record's run of them as
#: one group, named by this noun.
GROUPED_CODES = {FindingCode.NO_TONER_CONTRACT.value: "shipment lines without a toner set-up"}


@dataclass
class FindingGroup:
    """Findings shown as one row: a single finding, or a record's consecutive findings of a grouped code."""

    record: ReconciliationRecord
    findings: list[StoredFinding]

    @property
    def first(self) -> StoredFinding:
        return self.findings[0]

    @property
    def title(self) -> str:
        """``34 shipment lines without a toner set-up``."""
        return f"{len(self.findings)} {GROUPED_CODES.get(self.first.code, 'findings')}"

    @property
    def rows(self) -> list[str]:
        return [row for f in self.findings for row in f.rows]

    @property
    def open_ids(self) -> list[int]:
        return [f.id for f in self.findings if f.state == FindingState.OPEN and f.id is not None]


def grouped(found: Sequence[tuple[ReconciliationRecord, StoredFinding]]) -> list[FindingGroup]:
    """``found`` in order, with consecutive findings of one record and a :data:`GROUPED_CODES` code as one group."""
    groups: list[FindingGroup] = []
    for record, finding in found:
        last = groups[-1] if groups else None
        if last and finding.code in GROUPED_CODES and last.record.id == record.id and last.first.code == finding.code:
            last.findings.append(finding)
        else:
            groups.append(FindingGroup(record, [finding]))
    return groups


#: What a trend can be grouped by (the CLI, API and workbench pass ``by`` through unchanged).
TREND_DIMENSIONS = ("country", "agreement")


@dataclass(frozen=True)
class TrendPoint:
    """Totals over all colours of the records of one period (and group), in yield pages.

    A point covers exactly one period (its start *and* end): a quarter and the half-year starting on the same day
    are two points, never one sum of different lengths.
    """

    period: str
    period_start: date
    period_end: date
    group: str
    currency: str
    expected: Decimal
    shipped: int
    excess: Decimal
    charge: Decimal
    pages_black: int
    shipped_black: int

    @property
    def coverage_black(self) -> Decimal | None:
        """Effective black coverage in percent (5 % × black capacity shipped ÷ black pages)."""
        if not self.pages_black:
            return None
        return (ISO_COVERAGE_PERCENT * self.shipped_black / self.pages_black).quantize(Decimal("0.01"))


def trend(uow: UnitOfWork, actor: Actor, *, by: str = "country", value: str = "") -> list[TrendPoint]:
    """Expected vs shipped, excess, charge and coverage per period, grouped by ``country`` or ``agreement``.

    Points are keyed by the whole period (start and end), so periods of different lengths are never added up, and
    come in chronological order: by start, then the shorter period first (``2026-Q1`` before ``2026-H1``).
    Raises :class:`BadTrendDimension` for any other ``by``.
    """
    if by not in TREND_DIMENSIONS:
        raise BadTrendDimension(by, TREND_DIMENSIONS)
    records = board(
        uow, actor, BoardFilter(country=value if by == "country" else "", agreement=value if by != "country" else "")
    )
    sums: dict[tuple[date, date, str, str], dict[str, Any]] = defaultdict(lambda: defaultdict(Decimal))
    labels: dict[tuple[date, date], str] = {}
    for record in records:
        if not record.result:
            continue
        group = record.country if by == "country" else record.agreement
        bucket = sums[(record.period_start, record.period_end, group, record.currency)]  # one currency per point
        labels[(record.period_start, record.period_end)] = record.period_label
        _add(bucket, record)
    return [
        TrendPoint(
            labels[(start, end)],
            start,
            end,
            group,
            currency,
            b["expected"],
            int(b["shipped"]),
            b["excess"],
            b["charge"],
            int(b["pages_black"]),
            int(b["shipped_black"]),
        )
        for (start, end, group, currency), b in sorted(sums.items())
    ]


def _add(bucket: dict[str, Any], record: ReconciliationRecord) -> None:
    bucket["charge"] += record.total_charge or 0
    for colour in record.result.get("colours", []):
        bucket["expected"] += Decimal(colour["capacity_expected"])
        bucket["shipped"] += colour["capacity_shipped"]
        bucket["excess"] += Decimal(colour["excess_pages"])
        if colour["colour"] == "black":
            bucket["pages_black"] += colour["pages"]
            bucket["shipped_black"] += colour["capacity_shipped"]
