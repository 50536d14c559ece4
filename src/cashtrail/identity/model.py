"""Users, roles and permissions.

A user holds one or more roles; a role grants a fixed set of permissions. Use cases check a permission on the
:class:`Actor` that calls them (the service layer, not only the routes, enforces it). ``system`` is the actor of
imports and jobs started by the machine itself, and holds every permission.

API tokens are random secrets shown once; only their SHA-256 digest is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cashtrail.errors import PermissionDenied


class Role(StrEnum):
    """The jobs people do in Cashtrail."""

    BILLING_ANALYST = "billing_analyst"
    PRE_BILLING = "pre_billing"
    TONER_SPECIALIST = "toner_specialist"
    COLLECTOR = "collector"
    SUPERVISOR = "supervisor"
    AUDITOR = "auditor"
    ADMIN = "admin"


class Permission(StrEnum):
    """What a use case may require."""

    CUSTOMERS_READ = "customers:read"
    CUSTOMERS_WRITE = "customers:write"
    CATALOG_READ = "catalog:read"
    CATALOG_WRITE = "catalog:write"
    IMPORTS_RUN = "imports:run"
    JOBS_RUN = "jobs:run"
    AUDIT_READ = "audit:read"
    USERS_MANAGE = "users:manage"
    CONTRACTS_READ = "contracts:read"
    CONTRACTS_WRITE = "contracts:write"
    USAGE_WRITE = "usage:write"
    BILLING_RUN = "billing:run"
    BILLING_BLOCK = "billing:block"
    BANK_IMPORT = "bank:import"
    TONER_READ = "toner:read"
    TONER_RUN = "toner:run"  # toner uploads, reconciliation runs, board moves and finding decisions
    TONER_APPROVE = "toner:approve"  # approve an excess charge for billing
    INVOICES_READ = "invoices:read"
    INVOICES_PREPARE = "invoices:prepare"  # draft, credit, stop and release
    INVOICES_APPROVE = "invoices:approve"
    INVOICES_ISSUE = "invoices:issue"  # issue and send
    AR_READ = "ar:read"  # ledger, open items, statements of account
    CASH_APPLY = "cash:apply"  # run matching, accept, change, reject and reverse cash applications
    ENTITIES_MANAGE = "entities:manage"  # legal entities, their series and approval rules
    DUNNING_RUN = "dunning:run"
    DUNNING_SETUP = "dunning:setup"  # policies, reference rates, provision matrix
    COLLECTIONS_WORK = "collections:work"  # activities, promises, worklists
    COLLECTIONS_MANAGE = "collections:manage"  # portfolios, targets, credit holds
    DISPUTES_WRITE = "disputes:write"  # open, assign, move and comment disputes; customer cases
    DISPUTES_RESOLVE = "disputes:resolve"
    WRITE_OFF_PREPARE = "write_off:prepare"
    WRITE_OFF_APPROVE = "write_off:approve"
    ORDERS_READ = "orders:read"  # orders, RMAs, late lines, discrepancy trends
    ORDERS_WRITE = "orders:write"  # enter and import orders, terms and bundles; documents, events, notes
    ORDERS_ACCEPT = "orders:accept"
    ORDERS_OVERRIDE = "orders:override"  # accept a contract deviation (a finding) with a reason
    RMA_WRITE = "rma:write"  # request, receive and close returns
    RMA_APPROVE = "rma:approve"


_READ = {
    Permission.CUSTOMERS_READ,
    Permission.CATALOG_READ,
    Permission.CONTRACTS_READ,
    Permission.INVOICES_READ,
    Permission.AR_READ,
    Permission.TONER_READ,
    Permission.ORDERS_READ,
}
_TONER = {Permission.TONER_RUN, Permission.TONER_APPROVE}
_ORDERS = {Permission.ORDERS_WRITE, Permission.ORDERS_ACCEPT, Permission.RMA_WRITE}
_BILLING = {
    Permission.CONTRACTS_WRITE,
    Permission.USAGE_WRITE,
    Permission.BILLING_RUN,
    Permission.BILLING_BLOCK,
    Permission.INVOICES_PREPARE,
    Permission.INVOICES_ISSUE,
}
_COLLECTING = {
    Permission.DUNNING_RUN,
    Permission.COLLECTIONS_WORK,
    Permission.DISPUTES_WRITE,
    Permission.WRITE_OFF_PREPARE,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.BILLING_ANALYST: frozenset(
        _READ
        | _BILLING
        | _ORDERS
        | {Permission.CUSTOMERS_WRITE, Permission.IMPORTS_RUN, Permission.CATALOG_WRITE, Permission.JOBS_RUN}
        | {Permission.DISPUTES_WRITE, Permission.DISPUTES_RESOLVE}
    ),
    Role.PRE_BILLING: frozenset(_READ | _BILLING | {Permission.IMPORTS_RUN, Permission.JOBS_RUN}),
    Role.TONER_SPECIALIST: frozenset(
        _READ | _TONER | {Permission.IMPORTS_RUN, Permission.JOBS_RUN, Permission.INVOICES_PREPARE}
    ),
    Role.COLLECTOR: frozenset(
        _READ | _COLLECTING | {Permission.IMPORTS_RUN, Permission.BANK_IMPORT, Permission.CASH_APPLY}
    ),
    Role.SUPERVISOR: frozenset(
        _READ
        | {
            Permission.CUSTOMERS_WRITE,
            Permission.CATALOG_WRITE,
            Permission.IMPORTS_RUN,
            Permission.JOBS_RUN,
            Permission.AUDIT_READ,
            Permission.BANK_IMPORT,
            Permission.CASH_APPLY,
            Permission.INVOICES_APPROVE,
            Permission.DUNNING_SETUP,
            Permission.COLLECTIONS_MANAGE,
            Permission.DISPUTES_RESOLVE,
            Permission.WRITE_OFF_APPROVE,
            Permission.ORDERS_OVERRIDE,
            Permission.RMA_APPROVE,
        }
        | _BILLING
        | _COLLECTING
        | _TONER
        | _ORDERS
    ),
    Role.AUDITOR: frozenset(_READ | {Permission.AUDIT_READ}),
    Role.ADMIN: frozenset(Permission),
}


@dataclass(eq=False)
class User:
    """A person who signs in. ``password_hash`` is an Argon2id hash, never the password."""

    username: str
    full_name: str
    email: str
    roles: list[str]
    password_hash: str
    active: bool = True
    id: int | None = None

    def role_set(self) -> frozenset[Role]:
        """The user's roles as enum members (unknown names are ignored)."""
        return frozenset(Role(r) for r in self.roles if r in Role.__members__.values())


@dataclass(eq=False)
class ApiToken:
    """An API token: a name, the owner, the digest of the secret, and when it was revoked (if ever)."""

    user_id: int
    name: str
    token_digest: str
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class Actor:
    """Who is calling a use case: a user (by id and name) with their roles, or the system."""

    username: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    user_id: int | None = None

    @classmethod
    def system(cls) -> Actor:
        """The machine itself (imports, scheduled jobs, the demo); holds every permission."""
        return cls("system", frozenset({Role.ADMIN}))

    @classmethod
    def of(cls, user: User) -> Actor:
        """The actor for a signed-in user."""
        return cls(user.username, user.role_set(), user.id)

    def permissions(self) -> frozenset[Permission]:
        """Every permission granted by any of the actor's roles."""
        granted: set[Permission] = set()
        for role in self.roles:
            granted |= ROLE_PERMISSIONS[role]
        return frozenset(granted)

    def can(self, permission: Permission) -> bool:
        """True when one of the actor's roles grants ``permission``."""
        return permission in self.permissions()

    def require(self, permission: Permission) -> None:
        """Raise ``PermissionDenied`` unless the actor holds ``permission``."""
        if not self.can(permission):
            raise PermissionDenied(
                f"{self.username} lacks permission {permission.value}",
                code="identity.permission_denied",
                permission=permission.value,
                actor=self.username,
            )


TOKEN_PREFIX = "ct_"


def new_token_secret() -> str:
    """A fresh random API-token secret (shown to the user once)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(secret: str) -> str:
    """The SHA-256 hex digest under which a token secret is stored and looked up."""
    return hashlib.sha256(secret.encode()).hexdigest()
