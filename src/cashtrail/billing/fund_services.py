"""Use cases of customer reserve funds: open with a deposit, and read balance, status and movements."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.contracts.reserve_fund import FundStatus, fund_status
from cashtrail.errors import NotFound
from cashtrail.identity.model import Actor, Permission
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork


def open_reserve_fund(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    customer_number: str,
    *,
    deposit: Decimal,
    warning_threshold: Decimal = Decimal(0),
) -> None:
    """Open a customer's reserve fund (in the customer's currency) with a first prepaid deposit."""
    actor.require(Permission.CONTRACTS_WRITE)
    with uow:
        customer = uow.customers.get_by_number(customer_number)
        if customer is None:
            raise NotFound(f"customer {customer_number} not found", code="customer.not_found")
        if uow.reserve_funds.get(customer_number) is None:
            uow.reserve_funds.open(customer_number, customer.currency, warning_threshold)
        uow.reserve_funds.move(customer_number, deposit, clock.now(), "prepaid deposit")
        record(uow, clock, actor, "reserve_fund.deposited", "reserve_fund", customer_number, after={"deposit": deposit})
        uow.commit()


def reserve_fund(uow: UnitOfWork, actor: Actor, customer_number: str) -> FundView:
    """A customer's fund: balance, status and movements."""
    actor.require(Permission.CONTRACTS_READ)
    with uow:
        fund = uow.reserve_funds.get(customer_number)
        if fund is None:
            raise NotFound(f"customer {customer_number} has no reserve fund", code="reserve_fund.not_found")
        return FundView(
            customer_number,
            Money(fund["balance"], fund["currency"]),
            fund_status(fund["balance"], fund["warning_threshold"]),
            uow.reserve_funds.movements(customer_number),
        )


@dataclass(frozen=True)
class FundView:
    customer_number: str
    balance: Money
    status: FundStatus
    movements: list[dict[str, object]]
