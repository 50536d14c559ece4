"""Order commands: list and show orders, check, override findings, attach documents, waive checklist items, run
the credit check, accept, fire triggers, cancel, the late-lines worklist, notes and the discrepancy trend."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

import typer

from cashtrail.cli.context import actor, emit, get_app, handled, out, table
from cashtrail.cli.order_events import add_event_commands
from cashtrail.orders.acceptance_services import accept_order, attach_document, run_credit_check, waive_item
from cashtrail.orders.check_services import check_order, override_findings
from cashtrail.orders.checks import StoredFinding
from cashtrail.orders.entry_services import cancel_order
from cashtrail.orders.model import Order, line_label
from cashtrail.orders.queries import OrderView, list_orders, order_view

order_app = typer.Typer(
    help="Orders: check, override, checklist, accept, triggers, late lines, trends.", no_args_is_help=True
)
JSON = typer.Option(False, "--json", help="Print JSON.")


def register(app: typer.Typer) -> None:
    add_event_commands(order_app)
    app.add_typer(order_app, name="order")


def order_summary(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "customer": order.customer_number,
        "bill_to": order.invoiced_customer,
        "status": order.status,
        "order_date": order.order_date,
        "po_number": order.po_number,
        "contract": order.contract_number,
        "sales_rep": order.sales_rep,
        "currency": order.currency,
        "total": order.total().amount,
    }


def finding_data(f: StoredFinding) -> dict[str, Any]:
    return {
        "id": f.id,
        "code": f.finding.code,
        "line": line_label(f.finding.line_no) if f.finding.line_no else None,
        "message": f.finding.message,
        "expected": f.finding.expected,
        "actual": f.finding.actual,
        "status": f.status,
        "overridden_by": f.overridden_by,
        "override_reason": f.override_reason,
    }


def view_data(view: OrderView) -> dict[str, Any]:
    return {
        **order_summary(view.order),
        "lines": [
            {
                "line": x.label,
                "sku": x.sku,
                "type": x.product_type,
                "quantity": x.quantity,
                "unit_price": x.unit_price,
                "discount_percent": x.discount_percent,
                "net": x.net_amount,
                "tax_category": x.tax_category,
                "trigger": x.trigger,
                "status": x.status,
                "fulfilled": x.fulfilled_quantity,
                "contract": x.contract_number,
            }
            for x in view.order.lines
        ],
        "findings": [finding_data(f) for f in view.findings],
        "checklist": [{"item": e.item, "status": e.status, "documents": list(e.documents)} for e in view.checklist],
        "blockers": view.blockers,
        "charges": [{"key": c.key, "status": c.status, "billed_period": c.billed_period} for c in view.charges],
    }


@order_app.command("list")
def list_(
    status: str = typer.Option(None, help="entered, accepted or cancelled."),
    customer: str = typer.Option(None, help="A customer number."),
    limit: int = typer.Option(200, help="At most this many orders."),
    as_json: bool = JSON,
) -> None:
    """Orders, oldest first."""
    cashtrail = get_app()
    with handled():
        orders = list_orders(cashtrail.uow(), actor(cashtrail), limit=limit, status=status, customer=customer)
    rows = [order_summary(o) for o in orders]
    emit(
        rows,
        as_json=as_json,
        render=lambda data: table(
            "Orders",
            ["number", "customer", "status", "date", "PO", "contract", "total"],
            [
                [r["number"], r["customer"], r["status"], r["order_date"], r["po_number"], r["contract"], r["total"]]
                for r in data
            ],
        ),
    )


def _render_view(data: dict[str, Any]) -> None:
    out.print(
        f"Order {data['number']} · {data['customer']} · {data['status']} · total {data['total']} {data['currency']}"
    )
    table(
        "Lines",
        ["line", "sku", "qty", "price", "disc %", "net", "trigger", "status"],
        [
            [
                x["line"],
                x["sku"],
                x["quantity"],
                x["unit_price"],
                x["discount_percent"],
                x["net"],
                x["trigger"],
                x["status"],
            ]
            for x in data["lines"]
        ],
    )
    if data["findings"]:
        table(
            "Findings",
            ["id", "code", "line", "status", "message"],
            [[f["id"], f["code"], f["line"], f["status"], f["message"]] for f in data["findings"]],
        )
    table(
        "Acceptance checklist",
        ["item", "status", "documents"],
        [[e["item"], e["status"], ", ".join(e["documents"])] for e in data["checklist"]],
    )
    for blocker in data["blockers"]:
        out.print(f"[yellow]blocks acceptance[/]: {blocker}")


@order_app.command("show")
def show(number: str, as_json: bool = JSON) -> None:
    """One order: lines, findings, checklist, charges."""
    cashtrail = get_app()
    with handled():
        view = order_view(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number)
    emit(view_data(view), as_json=as_json, render=_render_view)


@order_app.command("check")
def check(number: str, as_json: bool = JSON) -> None:
    """Check an entered order against its contract and the price list again; print its findings."""
    cashtrail = get_app()
    with handled():
        findings = check_order(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number)
    rows = [finding_data(f) for f in findings]
    emit(
        rows,
        as_json=as_json,
        render=lambda data: table(
            f"Findings of {number}" if data else f"{number}: no finding",
            ["id", "code", "line", "status", "expected", "actual", "message"],
            [[f["id"], f["code"], f["line"], f["status"], f["expected"], f["actual"], f["message"]] for f in data],
        ),
    )


@order_app.command("override")
def override(
    number: str,
    reason: str = typer.Option(..., help="Why the deviation is accepted (audited)."),
    finding: list[int] = typer.Option(None, "--finding", help="A finding id (repeat); default: every open finding."),
) -> None:
    """Accept open findings of an order as a supervisor, with a reason."""
    cashtrail = get_app()
    with handled():
        findings = override_findings(
            cashtrail.uow(), cashtrail.clock, actor(cashtrail), number, finding or None, reason
        )
    out.print(f"{sum(1 for f in findings if f.status == 'overridden')} finding(s) of {number} overridden")


@order_app.command("attach")
def attach(
    number: str,
    file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
    item: str = typer.Option(
        None, help="The checklist item it completes (signed_contract_or_quote, purchase_order …)."
    ),
) -> None:
    """Store a document on an order (for a checklist item, or just listed on it)."""
    cashtrail = get_app()
    with handled():
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        document = attach_document(
            cashtrail.uow(),
            cashtrail.clock,
            actor(cashtrail),
            number,
            filename=file.name,
            content=file.read_bytes(),
            content_type=kind,
            item=item,
        )
    out.print(f"{document.filename} attached to {number} ({document.size} bytes, sha256 {document.sha256[:12]}…)")


@order_app.command("waive")
def waive(number: str, item: str = typer.Option(...), reason: str = typer.Option(...)) -> None:
    """Mark a checklist item as not needed for this order, with a reason."""
    cashtrail = get_app()
    with handled():
        waive_item(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number, item, reason)
    out.print(f"{item} waived on {number}")


@order_app.command("credit-check")
def credit_check(number: str) -> None:
    """Compare the customer's open receivables plus this order with the credit limit."""
    cashtrail = get_app()
    with handled():
        result = run_credit_check(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number)
    out.print(f"{'passed' if result.passed else 'not passed'}: {result.message}")
    if not result.passed:
        raise typer.Exit(4)


@order_app.command("accept")
def accept(number: str, as_json: bool = JSON) -> None:
    """Accept a complete order without open findings: scheduled lines go to contract billing, waiting events fire."""
    cashtrail = get_app()
    with handled():
        result = accept_order(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number)
    data = {
        "number": number,
        "status": result.order.status,
        "contracts": result.contracts,
        "charges": [c.key for c in result.charges],
    }
    emit(
        data,
        as_json=as_json,
        render=lambda d: out.print(
            f"{number} accepted; contracts {d['contracts'] or '-'}; charges {len(d['charges'])}"
        ),
    )


@order_app.command("cancel")
def cancel(number: str, reason: str = typer.Option(...)) -> None:
    """Cancel an entered order."""
    cashtrail = get_app()
    with handled():
        cancel_order(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number, reason=reason)
    out.print(f"{number} cancelled")
