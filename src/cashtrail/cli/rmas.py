"""RMA commands: request, approve or reject, receive, close with a disposition, list and the SLA breaches."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import typer

from cashtrail.cli.context import actor, emit, get_app, handled, out, table
from cashtrail.cli.order_events import line_number
from cashtrail.orders.rma import Rma, SlaState
from cashtrail.orders.rma_services import (
    RmaRequest,
    close_rma,
    decide_rma,
    list_rmas,
    receive_rma,
    request_rma,
    rma_breaches,
)

rma_app = typer.Typer(help="Returns (RMAs): request, approve, receive, close; SLA breaches.", no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print JSON.")


def register(app: typer.Typer) -> None:
    app.add_typer(rma_app, name="rma")


def rma_data(rma: Rma, sla: SlaState) -> dict[str, Any]:
    return {
        "number": rma.number,
        "order": rma.order_number,
        "line": rma.line_label,
        "type": rma.rma_type,
        "status": rma.status,
        "quantity": rma.quantity,
        "disposition": rma.disposition,
        "requested_by": rma.requested_by,
        "requested_at": rma.requested_at,
        "sla_due_at": sla.due_at,
        "breached": sla.breached,
        "at_risk": sla.at_risk,
        "credit_notes": rma.credit_note_ids,
        "rebill": rma.rebill_key,
    }


def _render(rows: list[dict[str, Any]], title: str) -> None:
    table(
        title,
        ["number", "order", "line", "type", "status", "qty", "disposition", "SLA due", "SLA"],
        [
            [
                r["number"],
                r["order"],
                r["line"],
                r["type"],
                r["status"],
                r["quantity"],
                r["disposition"],
                r["sla_due_at"],
                "BREACHED" if r["breached"] else "at risk" if r["at_risk"] else "ok",
            ]
            for r in rows
        ],
    )


@rma_app.command("request")
def request(
    order: str = typer.Option(...),
    line: str = typer.Option(..., help="The invoiced order line (3, or 3.2)."),
    rma_type: str = typer.Option(
        ..., "--type", help="dead_on_arrival, damaged_in_transit, wrong_item, defective or unwanted."
    ),
    reason: str = typer.Option(...),
    quantity: str = typer.Option("1"),
    disposition: str = typer.Option("credit", help="credit, replace or repair."),
    serials: str = typer.Option("", help="Serial numbers separated by ;"),
) -> None:
    """Open an RMA against an invoiced order line."""
    cashtrail = get_app()
    with handled():
        found = request_rma(
            cashtrail.uow(),
            cashtrail.clock,
            actor(cashtrail),
            RmaRequest(
                order,
                line_number(line),
                rma_type,
                reason,
                Decimal(quantity),
                disposition,
                tuple(s.strip() for s in serials.split(";") if s.strip()),
            ),
        )
    out.print(f"{found.number} requested (SLA due {found.sla_due_at:%Y-%m-%d %H:%M} UTC)")


@rma_app.command("approve")
def approve(number: str, note: str = typer.Option("")) -> None:
    """Authorise a return (not by its requester)."""
    cashtrail = get_app()
    with handled():
        decide_rma(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number, approve=True, note=note)
    out.print(f"{number} approved")


@rma_app.command("reject")
def reject(number: str, note: str = typer.Option(..., help="Why the return is refused.")) -> None:
    """Refuse a return, with a reason."""
    cashtrail = get_app()
    with handled():
        decide_rma(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number, approve=False, note=note)
    out.print(f"{number} rejected")


@rma_app.command("receive")
def receive(number: str, quantity: str = typer.Option(None, help="Default: the authorised quantity.")) -> None:
    """Record that the goods came back."""
    cashtrail = get_app()
    with handled():
        receive_rma(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number, Decimal(quantity) if quantity else None)
    out.print(f"{number} received")


@rma_app.command("close")
def close(
    number: str,
    disposition: str = typer.Option(..., help="credit (a credit note through invoicing), replace or repair."),
    note: str = typer.Option(""),
) -> None:
    """Resolve a received RMA; a credit drafts the credit note on the invoice that billed the line."""
    cashtrail = get_app()
    with handled():
        rma = close_rma(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number, disposition, note)
    extra = f"; credit note(s) {rma.credit_note_ids}" if rma.credit_note_ids else ""
    out.print(f"{number} closed ({disposition}){extra}")


@rma_app.command("list")
def list_(
    status: str = typer.Option(None, help="requested, approved, rejected, received or closed."), as_json: bool = JSON
) -> None:
    """Every RMA with its SLA status."""
    cashtrail = get_app()
    with handled():
        rows = [
            rma_data(r, s)
            for r, s in list_rmas(cashtrail.uow(), cashtrail.clock, actor(cashtrail), status=[status] if status else [])
        ]
    emit(rows, as_json=as_json, render=lambda data: _render(data, "RMAs"))


@rma_app.command("breaches")
def breaches(as_json: bool = JSON) -> None:
    """RMAs that breached their SLA (resolved late, or still open past due), most overdue first."""
    cashtrail = get_app()
    with handled():
        rows = [rma_data(r, s) for r, s in rma_breaches(cashtrail.uow(), cashtrail.clock, actor(cashtrail))]
    emit(rows, as_json=as_json, render=lambda data: _render(data, "SLA breaches"))
