"""The ``cashtrail`` console script: one Typer app; each domain registers its own commands."""

from __future__ import annotations

import importlib

import typer

from cashtrail import __version__

app = typer.Typer(
    name="cashtrail",
    help="Cashtrail: order-to-cash operations (billing, invoicing, AR, cash application, collections).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

#: CLI modules, each exposing ``register(app: typer.Typer)``.
COMMAND_MODULES = (
    "admin",
    "parties",
    "billing",
    "invoicing",
    "orders",
    "rmas",
    "serve",
    "imports",
    "cashapp",
    "cashapp_commands",
    "receivables",
    "collections",
    "collections_admin",
    "jobs",
    "demo",
    "toner",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cashtrail {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Cashtrail command line. Settings come from CASHTRAIL_* environment variables (see README)."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"cashtrail.cli.{_name}").register(app)
