"""Everything one agreement and period need for a toner reconciliation, with the lookups the checks share.

:class:`ReconciliationData` holds the agreement, the period, its set-ups, the catalog, the mappings, the contract
terms and the shipment and billing rows (which may include history and other agreements: each lookup filters what
it needs). The lookups are computed once per instance; the grouping of rows by device (:class:`AgreementRows`) is
built once per agreement when the run passes one shared by all the agreement's periods, else from the rows given.

Invariants: the inputs are never changed; every lookup answers for the period (its rows, or the history up to its
end), whatever else the rows hold. Nothing here does IO.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from cashtrail.contracts.model import Device
from cashtrail.contracts.terms import Period
from cashtrail.toner.history import AgreementRows, Delivery, DeviceDeliveries, DevicePages
from cashtrail.toner.model import (
    BillingLine,
    CartridgePart,
    ContractTerms,
    ModelMapping,
    PartIndex,
    ReconciliationSetup,
    ShipmentLine,
    TonerColour,
)


@dataclass(frozen=True)
class ReconciliationData:
    """Everything one agreement and period need; shipments and billing may include history and other agreements.

    The lookups below are computed once per instance (``cached_property``), so checks over large agreements stay
    linear in their rows; the inputs themselves are never changed. ``rows`` is the same shipments and billing
    grouped by :class:`AgreementRows` with the same parts (a run builds it once per agreement for all its periods).
    """

    agreement: str
    period: Period
    setups: Sequence[ReconciliationSetup]
    parts: Sequence[CartridgePart]
    mappings: Sequence[ModelMapping]
    shipments: Sequence[ShipmentLine]
    billing: Sequence[BillingLine]
    terms: ContractTerms | None = None
    rows: AgreementRows | None = field(default=None, compare=False, repr=False)

    def setup(self) -> ReconciliationSetup | None:
        """The set-up of the agreement valid at the end of the period (the latest one starting before it)."""
        return self._setup

    @cached_property
    def _setup(self) -> ReconciliationSetup | None:
        valid = [s for s in self.setups if s.agreement == self.agreement and s.is_valid_on(self.period.end)]
        return max(valid, key=lambda s: s.valid_from, default=None)

    @cached_property
    def catalog(self) -> PartIndex:
        """The parts indexed by number (the shared ``rows``' catalog, built from the same parts, when given)."""
        return self.rows.catalog if self.rows is not None else PartIndex(self.parts)

    @cached_property
    def mapped(self) -> frozenset[tuple[str, str]]:
        """Every (model, part number) pair of the mappings."""
        return frozenset((m.model, m.part_number) for m in self.mappings)

    @cached_property
    def grouped(self) -> AgreementRows:
        """The agreement's rows grouped by device: the shared ``rows``, or built from the rows given."""
        if self.rows is not None:
            return self.rows
        return AgreementRows(self.agreement, self.setups, self.shipments, self.billing, self.catalog)

    def agreement_shipments(self) -> list[ShipmentLine]:
        """Lines of this agreement (by agreement or a ship-to of its set-ups) shipped in the period."""
        return self._own_shipments

    @cached_property
    def _own_shipments(self) -> list[ShipmentLine]:
        return self.grouped.shipments_in(self.period)

    def agreement_billing(self) -> list[BillingLine]:
        """Billing lines of this agreement whose period lies within the reconciliation period."""
        return self._own_billing

    @cached_property
    def _own_billing(self) -> list[BillingLine]:
        return self.grouped.billing_in(self.period)

    @cached_property
    def device_history(self) -> dict[str, list[BillingLine]]:
        """Per serial, the agreement's per-device billing lines up to the end of the period."""
        return self.grouped.device_history(self.period.end)

    def devices_in(self, period: Period) -> tuple[Device, ...]:
        """Devices on the agreement for at least one day of ``period`` (empty without terms), computed once."""
        if self.terms is None:
            return ()
        cache = self._devices_cache
        if period not in cache:
            cache[period] = self.terms.devices_in(period)
        return cache[period]

    @cached_property
    def _devices_cache(self) -> dict[Period, tuple[Device, ...]]:
        return {}

    def colours_shipped(self, serial: str) -> list[TonerColour | None]:
        """Colours (``None`` for unknown parts) of the lines shipped to ``serial`` (any agreement) up to the end of
        the period, in the order of their first line."""
        cache = self._colours_cache
        if serial not in cache:
            deliveries = self.grouped.deliveries.get(serial)
            cache[serial] = [] if deliveries is None else deliveries.colours(self.period.end)
        return cache[serial]

    @cached_property
    def _colours_cache(self) -> dict[str, list[TonerColour | None]]:
        return {}

    def deliveries(self, serial: str) -> DeviceDeliveries | None:
        """Every line shipped to ``serial`` (any agreement), by colour; ``None`` when none was."""
        return self.grouped.deliveries.get(serial)

    def last_delivery(self, serial: str, colour: TonerColour) -> Delivery | None:
        """The last delivery of a ``colour`` cartridge to ``serial`` up to the period end (``None`` when none)."""
        deliveries = self.grouped.deliveries.get(serial)
        return None if deliveries is None else deliveries.last_delivery(colour, self.period.end)

    def device_pages(self, serial: str) -> DevicePages | None:
        """The device's billed history with its page totals, for the usage-gap checks (``None`` without any)."""
        cache = self._pages_cache
        if serial not in cache:
            device = self.grouped.devices.get(serial)
            cache[serial] = None if device is None else device.pages(self.period.end)
        return cache[serial]

    @cached_property
    def _pages_cache(self) -> dict[str, DevicePages | None]:
        return {}
