"""Order commands about events and follow-up: fire triggers, the late-lines worklist, notes, the discrepancy trend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import typer

from cashtrail.cli.context import actor, emit, get_app, handled, out, table
from cashtrail.clock import business_date
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.orders.model import parse_line_label
from cashtrail.orders.monitoring_services import add_note
from cashtrail.orders.queries import discrepancy_trend, late_line_worklist
from cashtrail.orders.trends import DIMENSIONS, totals_by
from cashtrail.orders.trigger_services import record_event
from cashtrail.orders.triggers import EventKind, OrderEvent

JSON = typer.Option(False, "--json", help="Print JSON.")


def line_number(text: str) -> int:
    """A line label (``3`` or ``3.2``) as a line number, or a ValidationFailed (exit 2)."""
    number = parse_line_label(text)
    if number is None:
        raise ValidationFailed(
            f"{text!r} is not a line (3, or 3.2 for a component)", errors=[FieldError("line", "bad")]
        )
    return number


def today() -> date:
    cashtrail = get_app()
    return business_date(cashtrail.clock.now(), cashtrail.settings.timezone)


def add_event_commands(app: typer.Typer) -> None:
    """Add the event and follow-up commands to the ``order`` command group."""

    @app.command("trigger")
    def trigger(
        number: str,
        line: str = typer.Option(..., help="The line, 3 or 3.2 for a bundle component."),
        kind: str = typer.Option(..., help="shipment, activation, milestone or manual."),
        reference: str = typer.Option(
            ..., help="Shipment or activation id, milestone code, or a reference of the release."
        ),
        on: str = typer.Option(None, "--date", help="When it happened (YYYY-MM-DD); default today."),
        quantity: str = typer.Option(None, help="Shipped, activated or released quantity (manual default: the rest)."),
        serials: str = typer.Option("", help="Serial numbers separated by ;"),
        as_json: bool = JSON,
    ) -> None:
        """Record an event on an order line; it invoices the line when it is the line's trigger (once)."""
        cashtrail = get_app()
        with handled():
            if kind not in EventKind.__members__.values():
                raise ValidationFailed(
                    f"kind must be one of {', '.join(EventKind)}", errors=[FieldError("kind", "bad", value=kind)]
                )
            event = OrderEvent(
                line_number(line),
                kind,
                reference,
                date.fromisoformat(on) if on else today(),
                Decimal(quantity) if quantity else (None if kind in ("milestone", "manual") else Decimal(1)),
                serials=tuple(s.strip() for s in serials.split(";") if s.strip()),
            )
            outcome = record_event(cashtrail.uow(), cashtrail.clock, actor(cashtrail), number, event)
        data = {
            "order": number,
            "line": line,
            "kind": kind,
            "reference": reference,
            "replay": outcome.replay,
            "charge": outcome.charge.key if outcome.charge else None,
            "amount": outcome.charge.amount.amount if outcome.charge else None,
        }
        emit(
            data,
            as_json=as_json,
            render=lambda d: out.print(
                f"{kind} {reference} on {number} line {line}: "
                + (
                    "already recorded"
                    if d["replay"]
                    else f"charge {d['charge']} {d['amount']}"
                    if d["charge"]
                    else "recorded, not invoiced (not the line's trigger, or the order is not accepted)"
                )
            ),
        )

    @app.command("late")
    def late(as_json: bool = JSON) -> None:
        """The late-lines worklist: lines past their expected ship date with quantity still open."""
        cashtrail = get_app()
        with handled():
            rows = late_line_worklist(
                cashtrail.uow(), cashtrail.clock, actor(cashtrail), timezone=cashtrail.settings.timezone
            )
        data = [
            {
                "order": r.line.order_number,
                "line": r.line.label,
                "customer": r.line.customer_number,
                "sku": r.line.sku,
                "open": r.line.open_quantity,
                "expected": r.line.expected,
                "days_late": r.line.days_late,
                "notes": [n.text for n in r.notes],
            }
            for r in rows
        ]
        emit(
            data,
            as_json=as_json,
            render=lambda d: table(
                "Late lines",
                ["order", "line", "customer", "sku", "open", "expected", "days late", "last note"],
                [
                    [
                        r["order"],
                        r["line"],
                        r["customer"],
                        r["sku"],
                        r["open"],
                        r["expected"],
                        r["days_late"],
                        (r["notes"] or [""])[-1],
                    ]
                    for r in d
                ],
            ),
        )

    @app.command("note")
    def note(
        number: str,
        text: str = typer.Option(...),
        kind: str = typer.Option("general", help="supplier, logistics or general."),
        line: str = typer.Option(None, help="The line it is about."),
    ) -> None:
        """Keep a supplier, logistics or general note on an order or a line."""
        cashtrail = get_app()
        with handled():
            add_note(
                cashtrail.uow(),
                cashtrail.clock,
                actor(cashtrail),
                number,
                text=text,
                kind=kind,
                line_no=line_number(line) if line else None,
            )
        out.print(f"note kept on {number}")

    @app.command("trends")
    def trends(
        start: str = typer.Option(..., "--from", help="First order date, YYYY-MM-DD."),
        end: str = typer.Option(..., "--to", help="Last order date, YYYY-MM-DD."),
        by: str = typer.Option("code", help="code, customer or sales_rep."),
        as_json: bool = JSON,
    ) -> None:
        """Order discrepancies (findings) per month, by type, customer or sales rep."""
        cashtrail = get_app()
        with handled():
            if by not in DIMENSIONS:
                raise ValidationFailed(
                    f"by must be one of {', '.join(DIMENSIONS)}", errors=[FieldError("by", "bad", value=by)]
                )
            trend = discrepancy_trend(
                cashtrail.uow(), actor(cashtrail), date.fromisoformat(start), date.fromisoformat(end)
            )
        data = [
            {"month": r.month, "code": r.code, "customer": r.customer, "sales_rep": r.sales_rep, "count": r.count}
            for r in trend.rows
        ]
        emit(
            data,
            as_json=as_json,
            render=lambda _: table(
                f"Discrepancies by {by}", [by, "findings"], [list(t) for t in totals_by(trend.rows, by)]
            ),
        )
