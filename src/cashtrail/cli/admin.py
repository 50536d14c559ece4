"""Administration commands: schema set-up, users and API tokens."""

from __future__ import annotations

import typer

from cashtrail.cli.context import actor, emit, get_app, handled, out, table
from cashtrail.db.schema import upgrade
from cashtrail.identity.services import create_user, issue_api_token

user_app = typer.Typer(help="Manage users and API tokens.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.add_typer(user_app, name="user")


def init() -> None:
    """Create or upgrade the database schema (safe to run again)."""
    cashtrail = get_app()
    upgrade(cashtrail.engine)
    out.print(f"Database ready: {cashtrail.engine.url.render_as_string(hide_password=True)}")


@user_app.command("create")
def user_create(
    username: str,
    roles: str = typer.Option(..., help="Comma-separated roles, e.g. collector,supervisor."),
    full_name: str = typer.Option("", help="Display name."),
    email: str = typer.Option("", help="E-mail address."),
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Create a user with a hashed password."""
    cashtrail = get_app()
    with handled():
        user = create_user(
            cashtrail.uow(),
            cashtrail.clock,
            actor(cashtrail),
            username=username,
            full_name=full_name or username,
            email=email,
            roles=[r.strip() for r in roles.split(",") if r.strip()],
            password=password,
        )
    out.print(f"Created user {user.username} with roles {', '.join(user.roles)}")


@user_app.command("list")
def user_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List users and their roles."""
    cashtrail = get_app()
    with cashtrail.uow() as uow:
        users = [
            {"username": u.username, "full_name": u.full_name, "roles": u.roles, "active": u.active}
            for u in uow.users.all()
        ]
    emit(
        users,
        as_json=as_json,
        render=lambda rows: table(
            "Users",
            ["username", "name", "roles", "active"],
            [[u["username"], u["full_name"], ",".join(u["roles"]), u["active"]] for u in rows],
        ),
    )


@user_app.command("token")
def user_token(username: str, name: str = typer.Option("cli", help="A label for the token.")) -> None:
    """Issue an API token for USERNAME; the secret is printed once."""
    cashtrail = get_app()
    with handled():
        secret = issue_api_token(cashtrail.uow(), cashtrail.clock, actor(cashtrail), username, name)
    typer.echo(secret)
