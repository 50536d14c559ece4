"""Demo chapter: the team. One user per role and three collectors, each with a portfolio of countries.

Everyone signs in with :data:`~cashtrail.demo.context.DEMO_PASSWORD`. Users that already exist are left alone, so
running the demo again adds nobody.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cashtrail.bootstrap import App
from cashtrail.db import tables as t
from cashtrail.demo.context import Chapter, Count, DemoContext
from cashtrail.identity.model import Actor, Role
from cashtrail.identity.services import create_user


@dataclass(frozen=True)
class DemoUser:
    """A demo user; ``countries`` is a collector's portfolio."""

    username: str
    full_name: str
    role: Role
    countries: tuple[str, ...] = ()


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Alex Admin", Role.ADMIN),
    DemoUser("analyst", "Sophie Claes", Role.BILLING_ANALYST),
    DemoUser("prebilling", "Thomas Lambert", Role.PRE_BILLING),
    DemoUser("toner", "Lotte Janssens", Role.TONER_SPECIALIST),
    DemoUser("collector1", "Nora Peeters", Role.COLLECTOR, ("BE", "NL")),
    DemoUser("collector2", "Julien Moreau", Role.COLLECTOR, ("FR", "ES")),
    DemoUser("collector3", "Hannah Becker", Role.COLLECTOR, ("DE", "US", "GB")),
    DemoUser("supervisor", "Marc Dubois", Role.SUPERVISOR),
    DemoUser("auditor", "Eva Willems", Role.AUDITOR),
)
#: The billing analyst every demo customer is assigned to.
ANALYST = "analyst"
USER_EMAIL_DOMAIN = "demo.cashtrail.example"


def collector_for(country: str) -> str:
    """The username of the collector whose portfolio holds ``country`` (the last collector takes the rest)."""
    collectors = [u for u in DEMO_USERS if u.role == Role.COLLECTOR]
    for user in collectors:
        if country in user.countries:
            return user.username
    return collectors[-1].username


def create_users(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Create the demo users that do not exist yet, in one transaction."""
    uow = app.uow()
    with uow:
        existing = uow.users.by_usernames(u.username for u in DEMO_USERS)
        for done, spec in enumerate(DEMO_USERS, start=1):
            if spec.username not in existing:
                create_user(
                    uow,
                    app.clock,
                    Actor.system(),
                    username=spec.username,
                    full_name=spec.full_name,
                    email=f"{spec.username}@{USER_EMAIL_DOMAIN}",
                    roles=[spec.role.value],
                    password=ctx.password,
                )
            ctx.users[spec.username] = spec.role.value
            ctx.progress(done, len(DEMO_USERS))
        uow.commit()


CHAPTERS = [Chapter("users", "Users, one per role", create_users)]
COUNTS = [Count("users", t.users)]
