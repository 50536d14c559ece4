"""An agreement's shipment and billing rows, grouped once for all its reconciliation periods.

A run reconciles each agreement over several periods, and each period looks at the history up to its end (the
usage-gap checks read a device's billed pages and shipments since long before the period). Grouping the rows again
for every period made the work grow with periods × history; :class:`AgreementRows` groups them once per agreement
and answers "up to the period end" by bisection.

Invariants: a device's lists are in date order (billing lines by period end, shipment lines by ship date); the sort
is stable, so rows of the same day keep the order they came in, and rows that came in date order (as the run
passes them) come out exactly as filtering them would give. Nothing here does IO or changes its inputs.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from cashtrail.contracts.terms import Period
from cashtrail.toner.model import (
    BillingLine,
    PartIndex,
    ReconciliationSetup,
    ShipmentLine,
    ShipmentStatus,
    TonerColour,
)

# Sort keys in C (these sorts run for every device of every agreement).
_START, _END, _SHIPPED_ON = attrgetter("period.start"), attrgetter("period.end"), attrgetter("shipped_on")


class DevicePages:
    """A device's billing lines ordered by period start, with running totals so "pages since day" costs a bisect."""

    # Slots: one instance per device and period, read in the checks' inner loops.
    __slots__ = ("_colour", "_count", "_lines", "_mono", "_starts")

    def __init__(self, lines: Sequence[BillingLine]) -> None:
        self._lines = sorted(lines, key=_START)
        self._starts = [b.period.start for b in self._lines]
        mono, colour = [0], [0]
        for b in self._lines:
            mono.append(mono[-1] + b.mono_pages)
            colour.append(colour[-1] + b.colour_pages)
        self._mono, self._colour = mono, colour  # [i] = total of lines[:i]
        self._count = len(self._lines)

    def first(self, count: int) -> DevicePages:
        """The same pages limited to the first ``count`` lines (an earlier period's history), sharing the totals."""
        view = DevicePages.__new__(DevicePages)  # no re-sort, no new totals
        view._lines, view._starts, view._mono, view._colour = self._lines, self._starts, self._mono, self._colour
        view._count = count
        return view

    @property
    def lines(self) -> list[BillingLine]:
        return self._lines[: self._count]

    def lines_from(self, first: int) -> list[BillingLine]:
        """lines[first:]."""
        return self._lines[first : self._count]

    def since(self, day: date) -> int:
        """Index of the first line whose period starts on or after ``day``."""
        return bisect_left(self._starts, day, 0, self._count)

    def pages(self, colour: TonerColour, first: int = 0) -> int:
        """Pages drawing on ``colour`` billed on lines[first:]."""
        last = self._count
        colour_pages = self._colour[last] - self._colour[first]
        return colour_pages + self._mono[last] - self._mono[first] if colour == TonerColour.BLACK else colour_pages


class DeviceBilling:
    """One device's billing lines by period end, with its pages for any period end."""

    def __init__(self, lines: Sequence[BillingLine]) -> None:
        self.lines = sorted(lines, key=_END)
        self._ends = [b.period.end for b in self.lines]
        self._pages = DevicePages(self.lines)
        # When the lines ordered by start also end in order, a period's history is a prefix of that order too.
        self._prefix = _ascending([b.period.end for b in self._pages.lines])

    def count(self, end: date) -> int:
        """How many lines end on or before ``end`` (they are lines[:count])."""
        return bisect_right(self._ends, end)

    def pages(self, end: date) -> DevicePages | None:
        """The pages of the lines ending on or before ``end``; ``None`` when there are none."""
        count = self.count(end)
        if not count:
            return None
        return self._pages.first(count) if self._prefix else DevicePages(self.lines[:count])


class Delivery(NamedTuple):
    """A device's last delivery of one colour: the day, that day's lines of the colour (any status), the capacity
    they add (Σ signed quantity × rated yield) and the largest rated yield among them (0 when no part is known).
    A named tuple: the checks ask for one per device, colour and period."""

    day: date
    lines: list[ShipmentLine]
    capacity: int
    largest: int


class DeviceDeliveries:
    """Every line shipped to one device, by toner colour (``None`` for unknown parts) in ship-date order."""

    def __init__(
        self, lines: Sequence[ShipmentLine], colours: Mapping[str, TonerColour], yields: Mapping[str, int]
    ) -> None:
        self._yields = yields
        self._lines: dict[TonerColour | None, list[ShipmentLine]] = {}
        for line in sorted(lines, key=_SHIPPED_ON):
            self._lines.setdefault(colours.get(line.part_number), []).append(line)
        self._days = {c: [line.shipped_on for line in found] for c, found in self._lines.items()}
        self._delivered = {
            c: [line.shipped_on for line in found if line.status == ShipmentStatus.SHIPPED]
            for c, found in self._lines.items()
        }
        self._first = [(c, days[0]) for c, days in self._days.items()]
        self._by_day: dict[TonerColour, dict[date, Delivery]] = {}

    def colours(self, end: date) -> list[TonerColour | None]:
        """Colours with a line shipped on or before ``end``, in the order of their first line."""
        return [c for c, first in self._first if first <= end]

    def last_delivery(self, colour: TonerColour, end: date) -> Delivery | None:
        """The last day on or before ``end`` a cartridge of ``colour`` was shipped (status shipped); ``None`` when
        none was. Each day's figures are worked out once, whichever period asks."""
        delivered = self._delivered.get(colour, [])
        found = bisect_right(delivered, end)
        if not found:
            return None
        last = delivered[found - 1]
        known = self._by_day.get(colour)
        if known is None:
            known = self._by_day[colour] = {}
        delivery = known.get(last)
        if delivery is None:
            days, yields = self._days[colour], self._yields
            lines = self._lines[colour][bisect_left(days, last) : bisect_right(days, last)]
            capacity = largest = 0  # rated yields are ≥ 0, so 0 is also the largest when no part is known
            for line in lines:
                rated = yields.get(line.part_number)
                if rated is not None:
                    capacity += line.signed_quantity * rated
                    largest = max(largest, rated)
            delivery = known[last] = Delivery(last, lines, capacity, largest)
        return delivery


class AgreementRows:
    """One agreement's rows (``shipments`` and ``billing`` may include history and other agreements), grouped once
    with the catalog they were grouped by."""

    def __init__(
        self,
        agreement: str,
        setups: Sequence[ReconciliationSetup],
        shipments: Sequence[ShipmentLine],
        billing: Sequence[BillingLine],
        catalog: PartIndex,
    ) -> None:
        self.catalog = catalog  # shared with every period's data (a part's cost on a day is looked up once)
        colours, yields = catalog.colours, catalog.yields
        ship_tos = {t for s in setups if s.agreement == agreement for t in s.ship_tos}
        self.shipments = [
            line
            for line in shipments
            if line.agreement == agreement or (bool(line.ship_to) and line.ship_to in ship_tos)
        ]
        self.billing = [b for b in billing if b.agreement == agreement]
        days = [line.shipped_on for line in self.shipments]
        self._ship_days = days if _ascending(days) else None
        ends = [b.period.end for b in self.billing]
        well_formed = all(b.period.start <= b.period.end for b in self.billing)
        self._bill_ends = ends if well_formed and _ascending(ends) else None
        bills: dict[str, list[BillingLine]] = {}
        for b in self.billing:
            if b.serial is not None:
                bills.setdefault(b.serial, []).append(b)
        self.devices = {serial: DeviceBilling(found) for serial, found in bills.items()}
        lines: dict[str, list[ShipmentLine]] = {}
        for line in shipments:  # any agreement: a device's history follows the device
            if line.serial is not None:
                lines.setdefault(line.serial, []).append(line)
        self.deliveries = {serial: DeviceDeliveries(found, colours, yields) for serial, found in lines.items()}

    def shipments_in(self, period: Period) -> list[ShipmentLine]:
        """The agreement's lines (by agreement or ship-to) shipped in ``period``, in the order they came in."""
        start, end = period.start, period.end
        days = self._ship_days
        if days is not None:  # rows in date order: the period's lines are one slice
            return self.shipments[bisect_left(days, start) : bisect_right(days, end)]
        return [line for line in self.shipments if start <= line.shipped_on <= end]

    def billing_in(self, period: Period) -> list[BillingLine]:
        """The agreement's billing lines whose period lies within ``period``, in the order they came in."""
        start, end = period.start, period.end
        ends, rows = self._bill_ends, self.billing
        if ends is not None:  # in order of period end: only lines ending within the period can lie within it
            rows = rows[bisect_left(ends, start) : bisect_right(ends, end)]
        return [b for b in rows if start <= b.period.start and b.period.end <= end]

    def device_history(self, end: date) -> dict[str, list[BillingLine]]:
        """Per serial, the agreement's per-device billing lines ending on or before ``end``."""
        found = {}
        for serial, device in self.devices.items():
            count = device.count(end)
            if count:
                found[serial] = device.lines[:count]
        return found


def _ascending(days: Sequence[date]) -> bool:
    """True when ``days`` never go back."""
    return all(a <= b for a, b in zip(days, days[1:], strict=False))
