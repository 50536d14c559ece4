"""Customer commands: list and show."""

from __future__ import annotations

import typer

from cashtrail.cli.context import actor, emit, get_app, handled, out, table
from cashtrail.parties.services import get_customer, list_customers

customer_app = typer.Typer(help="Look up customers.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(customer_app, name="customer")


@customer_app.command("list")
def customer_list(
    search: str = typer.Option(None, help="Part of the name, number or VAT number."),
    country: str = typer.Option(None, help="ISO country code."),
    limit: int = typer.Option(50, min=1, max=10_000),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List customers."""
    cashtrail = get_app()
    with handled():
        rows = [
            c.snapshot()
            for c in list_customers(cashtrail.uow(), actor(cashtrail), limit=limit, search=search, country=country)
        ]
    emit(
        rows,
        as_json=as_json,
        render=lambda data: table(
            "Customers",
            ["number", "legal name", "country", "VAT", "currency", "terms"],
            [
                [r["number"], r["legal_name"], r["country"], r["vat_number"], r["currency"], r["payment_terms_code"]]
                for r in data
            ],
        ),
    )


@customer_app.command("show")
def customer_show(number: str, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show one customer."""
    cashtrail = get_app()
    with handled():
        data = get_customer(cashtrail.uow(), actor(cashtrail), number).snapshot()
    emit(data, as_json=as_json, render=lambda d: out.print(d))
