"""Use cases of contracts: register, amend (versioned, audited), read. The only place here that commits.

An amendment never edits what was billed: the bill run of the amended period produces the corrections (a
reversal of each changed billed charge and a rebill at the new terms) through :func:`corrections`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from cashtrail.audit.services import record
from cashtrail.billing.charges import Charge
from cashtrail.clock import Clock
from cashtrail.contracts.model import Contract, ContractStatus, check_contract
from cashtrail.errors import Conflict, FieldError, NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork


class ContractNotFound(NotFound):
    code = "contract.not_found"


class ContractExists(Conflict):
    code = "contract.already_exists"


def _summary(contract: Contract) -> dict[str, object]:
    return {
        "customer_number": contract.customer_number,
        "kind": contract.kind,
        "currency": contract.currency,
        "start_date": contract.start_date,
        "end_date": contract.end_date,
        "frequency": contract.frequency,
        "timing": contract.timing,
        "status": contract.status,
        "version": contract.version,
        "po_number": contract.po_number,
        "grouping": contract.grouping,
        "devices": sorted(d.serial for d in contract.devices),
        "units": sorted(u.unit_id for u in contract.units),
        "base_fee_per_device": contract.base_fee_per_device,
        "fees": {u.unit_id: _plain(u.fee_per_period) for u in contract.units},
        "toner_reconciliation_period": contract.toner_reconciliation_period,  # so an amendment of it shows in the trail
    }


def _plain(value: Decimal) -> str:
    """A decimal without trailing zeros or exponent (205.000000 → 205), so audit diffs compare values."""
    return format(value.normalize(), "f")


def _validate(uow: UnitOfWork, contract: Contract) -> None:
    errors = check_contract(contract)
    if uow.customers.get_by_number(contract.customer_number) is None:
        errors.append(FieldError("customer_number", "unknown customer", value=contract.customer_number))
    if errors:
        raise ValidationFailed(f"contract {contract.number or '?'} is invalid", code="contract.invalid", errors=errors)


def register_contract(uow: UnitOfWork, clock: Clock, actor: Actor, contract: Contract) -> Contract:
    """Store a new contract."""
    actor.require(Permission.CONTRACTS_WRITE)
    with uow:
        if uow.contracts.get_by_number(contract.number) is not None:
            raise ContractExists(f"contract {contract.number} already exists", number=contract.number)
        _validate(uow, contract)
        uow.contracts.add(contract)
        record(uow, clock, actor, "contract.created", "contract", contract.number, after=_summary(contract))
        uow.commit()
    return contract


def amend_contract(uow: UnitOfWork, clock: Clock, actor: Actor, amended: Contract, *, reason: str) -> Contract:
    """Replace a contract's terms with ``amended`` as a new version; the reason is required and audited."""
    actor.require(Permission.CONTRACTS_WRITE)
    if not reason.strip():
        raise ValidationFailed(
            "an amendment needs a reason",
            code="contract.amendment_reason_required",
            errors=[FieldError("reason", "is required")],
        )
    with uow:
        current = uow.contracts.get_by_number(amended.number)
        if current is None:
            raise ContractNotFound(f"contract {amended.number} not found", number=amended.number)
        new = replace(amended, id=current.id, version=current.version + 1)
        if new.status == ContractStatus.IN_AMENDMENT:
            new.status = ContractStatus.ACTIVE
        _validate(uow, new)
        uow.contracts.replace(new)
        record(
            uow,
            clock,
            actor,
            "contract.amended",
            "contract",
            new.number,
            before=_summary(current),
            after=_summary(new),
            reason=reason,
        )
        uow.commit()
    return new


def get_contract(uow: UnitOfWork, actor: Actor, number: str) -> Contract:
    actor.require(Permission.CONTRACTS_READ)
    with uow:
        contract = uow.contracts.get_by_number(number)
        if contract is None:
            raise ContractNotFound(f"contract {number} not found", number=number)
        return contract


_VERSIONED = re.compile(r":(rev:)?v\d+$")


def base_key(key: str) -> str:
    """A charge key without its correction suffix (``K:rev:v2`` and ``K:v2`` → ``K``)."""
    return _VERSIONED.sub("", key)


def list_contracts(
    uow: UnitOfWork, actor: Actor, *, after_id: int | None = None, limit: int = 50, customer: str | None = None
) -> list[Contract]:
    """A page of contracts ordered by id, optionally of one customer."""
    actor.require(Permission.CONTRACTS_READ)
    with uow:
        return uow.contracts.page(after_id=after_id, limit=limit, customer=customer)


def corrections(billed: Sequence[Charge], recomputed: Sequence[Charge], version: int) -> list[Charge]:
    """Credit-and-rebill lines for billed charges whose amount changed under the contract's new version.

    ``billed`` holds every billed line of the period, earlier corrections included; the effective amount of a
    charge is the sum of its original, reversal and rebill lines. Each changed charge gets a reversal of its
    effective amount and a rebill at the new amount, keyed with the version, so re-running a correction bills
    nothing twice. Charges that disappeared are reversed only; new charges are left to the next bill run.
    """
    effective: dict[str, Money] = {}
    sample: dict[str, Charge] = {}
    for line in billed:
        key = base_key(line.key)
        effective[key] = effective[key] + line.amount if key in effective else line.amount
        if key == line.key:
            sample[key] = line
    now = {c.key: c for c in recomputed}
    lines: list[Charge] = []
    for key in sorted(effective):
        old, new = effective[key], now.get(key)
        if (new is not None and new.amount == old) or (new is None and old.is_zero()) or key not in sample:
            continue
        lines.append(
            replace(
                sample[key],
                key=f"{key}:rev:v{version}",
                amount=-old,
                quantity=Decimal(-1),
                unit_price=old.amount,
                description=f"Reversal: {sample[key].description}",
                formula=f"credit of the amount billed before amendment v{version}",
            )
        )
        if new is not None:
            lines.append(
                replace(
                    new,
                    key=f"{key}:v{version}",
                    description=f"Rebill: {new.description}",
                    formula=f"{new.formula} (terms v{version})",
                )
            )
    return lines


def net(lines: Sequence[Charge], currency: str) -> Money:
    """The net amount of correction lines."""
    total = Money.zero(currency)
    for line in lines:
        total = total + line.amount
    return total
