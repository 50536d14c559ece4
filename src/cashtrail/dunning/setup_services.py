"""Use cases that set collections up: dunning policies per segment, the reference-rate table, customers'
collections profiles (segment, collector, risk, dunning block) and the bad-debt provision matrix."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.analytics.aging import BucketScheme
from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.dunning.errors import InvalidPolicy
from cashtrail.dunning.interest import half_year_start
from cashtrail.dunning.policies import PolicySettings
from cashtrail.dunning.portfolios import Profile
from cashtrail.dunning.provision import ProvisionMatrix
from cashtrail.errors import NotFound
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork


def save_policy(uow: UnitOfWork, clock: Clock, actor: Actor, settings: PolicySettings) -> None:
    """Create or replace the dunning policy of ``settings.segment``."""
    actor.require(Permission.DUNNING_SETUP)
    with uow:
        uow.dunning.save_policy(settings, actor.username, clock.now())
        record(uow, clock, actor, "dunning_policy.saved", "dunning_policy", settings.segment)
        uow.commit()


def list_policies(uow: UnitOfWork, actor: Actor) -> list[PolicySettings]:
    actor.require(Permission.AR_READ)
    with uow:
        return sorted(uow.dunning.policies().values(), key=lambda p: p.segment)


def set_reference_rate(uow: UnitOfWork, clock: Clock, actor: Actor, half_year: date, rate: Decimal) -> None:
    """Record the central bank's reference rate (percent) for the half-year starting on ``half_year``."""
    actor.require(Permission.DUNNING_SETUP)
    if half_year != half_year_start(half_year):
        raise InvalidPolicy("reference rates start on 1 January or 1 July", start=half_year.isoformat())
    if not Decimal(-10) <= rate <= Decimal(50):
        raise InvalidPolicy("a reference rate is a percentage between -10 and 50", rate=str(rate))
    with uow:
        uow.dunning.set_reference_rate(half_year, rate, actor.username, clock.now())
        record(
            uow, clock, actor, "reference_rate.set", "reference_rate", half_year.isoformat(), after={"rate": str(rate)}
        )
        uow.commit()


def reference_rates(uow: UnitOfWork, actor: Actor) -> dict[date, Decimal]:
    actor.require(Permission.AR_READ)
    with uow:
        return dict(sorted(uow.dunning.reference_rates().items()))


def save_profile(uow: UnitOfWork, clock: Clock, actor: Actor, profile: Profile) -> None:
    """Set a customer's segment, collector, risk and dunning block."""
    actor.require(Permission.COLLECTIONS_MANAGE)
    with uow:
        if uow.customers.get_by_number(profile.customer_number) is None:
            raise NotFound(f"customer {profile.customer_number} not found", code="customer.not_found")
        before = uow.dunning.profiles([profile.customer_number]).get(profile.customer_number)
        uow.dunning.save_profiles([profile])
        record(
            uow,
            clock,
            actor,
            "collection_profile.saved",
            "collection_account",
            profile.customer_number,
            before=None if before is None else vars(before),
            after=vars(profile),
        )
        uow.commit()


def set_provision_matrix(uow: UnitOfWork, clock: Clock, actor: Actor, rates: dict[str, Decimal]) -> None:
    """Set the expected-credit-loss rate (percent) of every aging bucket."""
    actor.require(Permission.DUNNING_SETUP)
    ProvisionMatrix.of(rates)  # 0..100 %
    labels = set(BucketScheme.default().labels)
    if set(rates) != labels:
        raise InvalidPolicy(f"the provision matrix needs a rate for each bucket: {', '.join(sorted(labels))}")
    with uow:
        uow.dunning.set_provision_rates(rates, actor.username, clock.now())
        record(
            uow,
            clock,
            actor,
            "provision_matrix.set",
            "provision_matrix",
            "default",
            after={k: str(v) for k, v in rates.items()},
        )
        uow.commit()
