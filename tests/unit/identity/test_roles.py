"""Roles, permissions, passwords and tokens."""

from __future__ import annotations

import pytest

from cashtrail.errors import PermissionDenied, ValidationFailed
from cashtrail.identity.model import Actor, Permission, Role, new_token_secret, token_digest
from cashtrail.identity.passwords import hash_password, verify_password


def test_an_auditor_reads_and_audits_but_cannot_write():
    auditor = Actor("audrey", frozenset({Role.AUDITOR}))
    assert auditor.can(Permission.AUDIT_READ)
    assert auditor.can(Permission.CUSTOMERS_READ)
    with pytest.raises(PermissionDenied) as caught:
        auditor.require(Permission.CUSTOMERS_WRITE)
    assert caught.value.fields["permission"] == "customers:write"


def test_permissions_of_several_roles_add_up():
    actor = Actor("sam", frozenset({Role.COLLECTOR, Role.AUDITOR}))
    assert actor.can(Permission.IMPORTS_RUN)
    assert actor.can(Permission.AUDIT_READ)
    assert not actor.can(Permission.USERS_MANAGE)


def test_every_role_has_a_permission_set_and_admin_has_all():
    assert set(Role) <= set(__import__("cashtrail.identity.model", fromlist=["x"]).ROLE_PERMISSIONS)
    assert Actor.system().permissions() == frozenset(Permission)


def test_passwords_are_hashed_with_argon2_and_verified():
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "wrong password")
    assert not verify_password("not-a-hash", "anything")
    with pytest.raises(ValidationFailed):
        hash_password("short")


def test_token_secrets_are_random_and_stored_only_as_digests():
    first, second = new_token_secret(), new_token_secret()
    assert first != second
    assert first.startswith("ct_")
    assert len(token_digest(first)) == 64
    assert token_digest(first) != first


def test_the_header_shows_each_role_the_menus_it_may_open() -> None:
    from cashtrail.web.nav import visible_groups

    collector = Actor("cleo", frozenset({Role.COLLECTOR}))
    supervisor = Actor("sam", frozenset({Role.SUPERVISOR}))
    collector_menus = {g.label: [e.label for e in g.entries] for g in visible_groups(collector)}
    assert "Bill run" not in collector_menus.get("Billing", [])
    assert collector_menus["Cash & AR"] == ["Cash", "Aging", "Collections"]
    assert [g.label for g in visible_groups(supervisor)] == [
        "Customers", "Billing", "Orders", "Toner", "Cash & AR", "Imports",
    ]  # fmt: skip
    auditor = Actor("ava", frozenset({Role.AUDITOR}))
    assert "Imports" not in [g.label for g in visible_groups(auditor)]
