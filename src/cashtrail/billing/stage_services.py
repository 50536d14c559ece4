"""Billing a project in stages: each completed stage of a repair or modernisation job becomes a pending charge on
its project contract, billed by the next bill run; the stages never bill more than the contract value."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.billing.charges import Charge, ChargeKind
from cashtrail.billing.pending import Origin
from cashtrail.billing.pending_services import add_pending_charges
from cashtrail.clock import Clock
from cashtrail.contracts.model import ContractKind
from cashtrail.contracts.terms import Period
from cashtrail.errors import Conflict, FieldError, NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork


def bill_stage(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    contract_number: str,
    *,
    description: str,
    amount: Decimal,
    completed_on: date,
) -> Charge:
    """Queue a completed stage (net amount) of a project contract for the next bill run."""
    actor.require(Permission.BILLING_RUN)
    if not description.strip():
        raise ValidationFailed("a stage needs a description", errors=[FieldError("description", "is required")])
    with uow:
        contract = uow.contracts.get_by_number(contract_number)
        if contract is None:
            raise NotFound(f"contract {contract_number} not found", code="contract.not_found")
        if contract.kind != ContractKind.PROJECT or contract.contract_value is None:
            raise ValidationFailed(f"{contract_number} is not a project", code="stage.not_a_project")
        money = Money(amount, contract.currency)
        if money.amount <= 0 or money != money.rounded():
            raise ValidationFailed("the stage amount must be positive, in cents", code="stage.bad_amount")
        staged = uow.pending_charges.charges_of_origin(Origin.PROJECT, contract_number)
        billed = sum((c.amount.amount for c in staged), Decimal(0))
        if billed + money.amount > contract.contract_value:
            raise Conflict(
                f"{contract_number} has {billed} billed in stages of {contract.contract_value}; "
                f"{contract.contract_value - billed} is left",
                code="stage.over_contract_value",
            )
        charge = Charge(
            key=f"stage:{contract_number}:{len(staged) + 1}",
            contract_number=contract_number,
            customer_number=contract.customer_number,
            kind=ChargeKind.STAGE,
            description=description.strip(),
            period=Period(completed_on, completed_on),
            quantity=Decimal(1),
            unit_price=money.amount,
            amount=money,
            formula=f"stage {len(staged) + 1}: {money.amount} of the contract value {contract.contract_value}",
        )
        add_pending_charges(uow, clock, actor, [charge], origin=Origin.PROJECT, origin_ref=contract_number)
        uow.commit()
        return charge
