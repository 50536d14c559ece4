"""Use cases for users, sign-in and API tokens."""

from __future__ import annotations

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import AuthenticationFailed, FieldError, ValidationFailed
from cashtrail.identity.errors import UserExists, UserNotFound
from cashtrail.identity.model import Actor, ApiToken, Permission, Role, User, new_token_secret, token_digest
from cashtrail.identity.passwords import hash_password, verify_password
from cashtrail.ports import UnitOfWork


def create_user(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    username: str,
    full_name: str,
    email: str,
    roles: list[str],
    password: str,
) -> User:
    """Add a user with a hashed password."""
    actor.require(Permission.USERS_MANAGE)
    bad = [r for r in roles if r not in Role.__members__.values()]
    if bad or not roles:
        raise ValidationFailed(
            "unknown or missing roles",
            code="user.bad_roles",
            errors=[FieldError("roles", f"must be among {', '.join(Role)}", value=",".join(bad))],
        )
    username = username.strip().lower()
    if not username:
        raise ValidationFailed(
            "username is required", code="user.invalid", errors=[FieldError("username", "is required")]
        )
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        roles=sorted(roles),
        password_hash=hash_password(password),
    )
    with uow:
        if uow.users.get_by_username(username) is not None:
            raise UserExists(f"user {username} already exists", username=username)
        uow.users.add(user)
        record(
            uow,
            clock,
            actor,
            "user.created",
            "user",
            username,
            after={"username": username, "full_name": full_name, "email": email, "roles": user.roles},
        )
        uow.commit()
        return user


def authenticate(uow: UnitOfWork, username: str, password: str) -> Actor:
    """The actor for a username and password; the same error for unknown user and wrong password."""
    with uow:
        user = uow.users.get_by_username(username.strip().lower())
        if user is None or not user.active or not verify_password(user.password_hash, password):
            raise AuthenticationFailed("unknown user or wrong password", code="auth.bad_credentials")
        return Actor.of(user)


def issue_api_token(uow: UnitOfWork, clock: Clock, actor: Actor, username: str, name: str) -> str:
    """Create an API token for ``username`` and return its secret (shown once, stored as a digest).

    Users may issue tokens for themselves; issuing for others needs ``users:manage``.
    """
    if username != actor.username:
        actor.require(Permission.USERS_MANAGE)
    secret = new_token_secret()
    with uow:
        user = uow.users.get_by_username(username)
        if user is None or user.id is None:
            raise UserNotFound(f"user {username} not found", username=username)
        uow.api_tokens.add(
            ApiToken(user_id=user.id, name=name, token_digest=token_digest(secret), created_at=clock.now())
        )
        record(uow, clock, actor, "api_token.issued", "user", username, after={"token_name": name})
        uow.commit()
    return secret


def actor_for_token(uow: UnitOfWork, clock: Clock, secret: str) -> Actor:
    """The actor an API token stands for; revoked tokens and inactive users are refused."""
    with uow:
        token = uow.api_tokens.get_by_digest(token_digest(secret))
        user = uow.users.get(token.user_id) if token is not None else None
        if token is None or token.revoked_at is not None or user is None or not user.active:
            raise AuthenticationFailed("invalid or revoked API token", code="auth.bad_token")
        token.last_used_at = clock.now()
        uow.commit()
        return Actor.of(user)


def revoke_api_token(uow: UnitOfWork, clock: Clock, actor: Actor, secret: str) -> None:
    """Revoke a token; its owner or a user manager may."""
    with uow:
        token = uow.api_tokens.get_by_digest(token_digest(secret))
        user = uow.users.get(token.user_id) if token is not None else None
        if token is None or user is None:
            raise AuthenticationFailed("unknown API token", code="auth.bad_token")
        if user.username != actor.username:
            actor.require(Permission.USERS_MANAGE)
        token.revoked_at = clock.now()
        record(uow, clock, actor, "api_token.revoked", "user", user.username, after={"token_name": token.name})
        uow.commit()
