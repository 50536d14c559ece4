"""Collections set-up and daily work from the command line: dunning policies (JSON), the provision matrix,
collections profiles, portfolio rebalancing, targets, credit holds, activities and promises, write-off recovery."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from cashtrail.cli.collections import as_amount, as_date, cases_app, collections_app, dunning_app, write_off_app
from cashtrail.cli.context import actor, emit, get_app, handled, out, table
from cashtrail.disputes.case_services import list_cases, open_case, update_case
from cashtrail.disputes.cases import CaseState, Channel
from cashtrail.dunning.activities import ActivityKind
from cashtrail.dunning.holds import active_holds, place_hold, release_hold
from cashtrail.dunning.policies import LevelSettings, PolicySettings
from cashtrail.dunning.portfolios import Profile
from cashtrail.dunning.setup_services import list_policies, save_policy, save_profile, set_provision_matrix
from cashtrail.dunning.work_services import (
    make_promise,
    rebalance_portfolios,
    record_activity,
    set_target,
    target_achievement,
)
from cashtrail.dunning.write_off_services import record_recovery
from cashtrail.errors import ValidationFailed
from cashtrail.money import Money


def register(app: typer.Typer) -> None:
    """The commands attach to the groups of ``cli.collections`` (registered there)."""


@dunning_app.command("policy")
def dunning_policy(
    file: Path | None = typer.Option(None, "--file", help="Set a segment's policy from a JSON file."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Show the policies, or set one from JSON: {segment, name, grace_days, minimum_amounts, late_interest, levels}."""
    app = get_app()
    with handled():
        if file is not None:
            data = json.loads(file.read_text(encoding="utf-8"))
            settings = PolicySettings(
                str(data["segment"]),
                str(data.get("name", data["segment"])),
                tuple(LevelSettings.from_dict(level) for level in data["levels"]),
                int(data.get("grace_days", 0)),
                {c: as_amount(str(a)) for c, a in data.get("minimum_amounts", {}).items()},
                bool(data.get("exclude_disputed", True)),
                bool(data.get("exclude_promised", True)),
                bool(data.get("exclude_blocked", True)),
                bool(data.get("late_interest", False)),
            )
            save_policy(app.uow(), app.clock, actor(app), settings)
        policies = list_policies(app.uow(), actor(app))
    rows = [
        {
            "segment": p.segment,
            "name": p.name,
            "grace_days": p.grace_days,
            "late_interest": p.late_interest,
            "levels": [level.as_dict() for level in p.levels],
        }
        for p in policies
    ]
    emit(rows, as_json=as_json, render=_render_policies)


def _render_policies(rows: list[dict[str, object]]) -> None:
    table(
        "Dunning policies",
        ["segment", "name", "grace", "interest", "levels"],
        [[p["segment"], p["name"], p["grace_days"], p["late_interest"], _levels(p["levels"])] for p in rows],
    )


def _levels(levels: object) -> str:
    assert isinstance(levels, list)
    return ", ".join(f"+{level['days_past_due']} {level['name']}" for level in levels)


@collections_app.command("provision-matrix")
def provision_matrix(
    rates: list[str] = typer.Argument(..., help="BUCKET=PERCENT for each bucket, e.g. 1-30=2"),
) -> None:
    """Set the expected-credit-loss rate of every aging bucket (current, 1-30, 31-60, 61-90, 91-120, 121+)."""
    app = get_app()
    with handled():
        parsed = {}
        for pair in rates:
            bucket, _, rate = pair.partition("=")
            parsed[bucket] = as_amount(rate)
        set_provision_matrix(app.uow(), app.clock, actor(app), parsed)
    out.print("Provision matrix saved.")


@collections_app.command("profile")
def profile(
    customer: str = typer.Argument(...),
    segment: str = typer.Option("standard", "--segment"),
    collector: str = typer.Option("", "--collector"),
    risk: int = typer.Option(0, "--risk", min=0, max=100),
    block: str = typer.Option("", "--block-dunning", help="Block dunning for this customer, with the reason."),
) -> None:
    """Set a customer's dunning segment, collector, risk score (0-100) and dunning block."""
    app = get_app()
    with handled():
        saved = Profile(customer, segment, collector or None, risk, bool(block), block or None)
        save_profile(app.uow(), app.clock, actor(app), saved)
    out.print(f"{customer}: segment {segment}, collector {collector or '-'}, risk {risk}.")


@collections_app.command("rebalance")
def rebalance_command(
    collectors: list[str] = typer.Argument(..., help="The collectors to share the customers."),
    dry_run: bool = typer.Option(False, "--dry-run"),
) -> None:
    """Spread the customers with open items over the collectors by open amount and account count."""
    app = get_app()
    with handled():
        moves = rebalance_portfolios(app.uow(), app.clock, actor(app), collectors, apply=not dry_run)
    table("Moves", ["customer", "from", "to"], [[m.customer_number, m.before or "-", m.after] for m in moves])


@collections_app.command("target")
def target_command(
    collector: str = typer.Argument(...),
    month: str = typer.Argument(..., help="YYYY-MM"),
    amount: str = typer.Argument(...),
    currency: str = typer.Option("EUR", "--currency"),
) -> None:
    """Set a collector's collection target for a month."""
    app = get_app()
    with handled():
        set_target(app.uow(), app.clock, actor(app), collector, month, Money(as_amount(amount), currency))
    out.print(f"Target of {collector} for {month}: {amount} {currency}.")


@collections_app.command("targets")
def targets_command(month: str = typer.Argument(...), as_json: bool = typer.Option(False, "--json")) -> None:
    """Each collector's target for the month and the cash collected (applied from payments) against it."""
    app = get_app()
    with handled():
        rows = target_achievement(app.uow(), actor(app), month)
    data = [
        {
            "collector": a.collector,
            "currency": a.target.currency,
            "target": str(a.target.amount),
            "collected": str(a.collected.amount),
            "percent": a.percent,
        }
        for a in rows
    ]
    emit(data, as_json=as_json, render=lambda d: table(f"Targets {month}", ["collector", "target", "collected", "%"], [
        [x["collector"], x["target"], x["collected"], x["percent"]] for x in d
    ]))  # fmt: skip


@collections_app.command("holds")
def holds_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """Customers on credit hold (orders and billing read this signal)."""
    app = get_app()
    with handled():
        holds = active_holds(app.uow(), actor(app))
    rows = [h for customer in sorted(holds) for h in holds[customer]]
    columns = ["id", "customer", "reason", "detail", "since"]
    cells = [[h["id"], h["customer_number"], h["reason"], h["detail"], h["placed_on"]] for h in rows]
    emit(rows, as_json=as_json, render=lambda _: table("Credit holds", columns, cells))


@collections_app.command("hold")
def hold_command(
    customer: str, reason: str = typer.Option(..., "--reason"), on: str = typer.Option(..., "--on")
) -> None:
    """Put a customer on a manual credit hold."""
    app = get_app()
    with handled():
        hold_id = place_hold(app.uow(), app.clock, actor(app), customer, reason, as_date(on))
    out.print(f"Hold {hold_id} placed on {customer}.")


@collections_app.command("release")
def release_command(hold_id: int, on: str = typer.Option(..., "--on")) -> None:
    """Release a credit hold."""
    app = get_app()
    with handled():
        release_hold(app.uow(), app.clock, actor(app), hold_id, as_date(on))
    out.print(f"Hold {hold_id} released.")


@collections_app.command("note")
def note_command(
    customer: str,
    summary: str,
    kind: ActivityKind = typer.Option(ActivityKind.CALL, "--kind"),
    on: str = typer.Option(..., "--on"),
    escalate_to: str = typer.Option("", "--escalate-to"),
) -> None:
    """Log a call, e-mail, note or escalation on a customer's account."""
    app = get_app()
    with handled():
        record_activity(
            app.uow(), app.clock, actor(app), customer, kind, summary, on=as_date(on), escalate_to=escalate_to or None
        )
    out.print(f"{kind} logged on {customer}.")


@collections_app.command("promise")
def promise_command(
    customer: str,
    amount: str = typer.Option(..., "--amount"),
    by: str = typer.Option(..., "--by", help="The date the customer promised to pay by."),
    on: str = typer.Option(..., "--on", help="The date of the promise."),
    currency: str = typer.Option("EUR", "--currency"),
    item: list[int] = typer.Option([], "--item", help="Open item ids the promise covers (default: the account)."),
) -> None:
    """Record a promise to pay; its items leave dunning until the date, and cash application decides kept/broken."""
    app = get_app()
    with handled():
        money = Money(as_amount(amount), currency)
        promise_id = make_promise(
            app.uow(), app.clock, actor(app), customer, money, as_date(by), on=as_date(on), item_ids=item
        )
    out.print(f"Promise {promise_id}: {customer} pays {money} by {by}.")


@write_off_app.command("recover")
def write_off_recover(
    write_off_id: int, amount: str = typer.Option(..., "--amount"), on: str = typer.Option(..., "--on")
) -> None:
    """Record cash recovered on a written-off debt (Dr bank / Cr write-offs)."""
    app = get_app()
    with handled():
        with app.uow() as uow:
            found = uow.collection_work.get_write_off(write_off_id)
        currency = found.amount.currency if found else "EUR"
        done = record_recovery(
            app.uow(), app.clock, actor(app), write_off_id, Money(as_amount(amount), currency), received_on=as_date(on)
        )
    out.print(f"Write-off {done.id}: {done.recovered} recovered.")


@cases_app.command("list")
def cases_list(
    state: str = typer.Option("", "--state", help="open, answered or closed"),
    customer: str = typer.Option("", "--customer"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Customer cases, newest first, with their SLA."""
    app = get_app()
    with handled():
        cases = list_cases(app.uow(), actor(app), state=state or None, customer=customer or None)
    rows = [
        {
            "id": c.id,
            "customer": c.customer_number,
            "channel": c.channel,
            "subject": c.subject,
            "state": c.state,
            "invoices": c.invoice_numbers,
            "dispute": c.dispute_id,
            "sla_due_at": c.sla_due_at,
        }
        for c in cases
    ]
    columns = ["id", "customer", "channel", "subject", "state", "sla_due_at"]
    emit(rows, as_json=as_json, render=lambda r: table("Cases", columns, [[x[k] for k in columns] for x in r]))


@cases_app.command("update")
def cases_update(
    case_id: int,
    state: str = typer.Option("", "--state", help="answered or closed"),
    dispute: int | None = typer.Option(None, "--dispute", help="Link the case to this dispute."),
    customer: str = typer.Option("", "--customer", help="Link an unmatched e-mail to its customer."),
) -> None:
    """Answer or close a case, or link it to a dispute or a customer."""
    app = get_app()
    with handled():
        if state and state not in ("answered", "closed"):
            raise ValidationFailed("a case is answered or closed", code="case.bad_state")
        updated = update_case(
            app.uow(), app.clock, actor(app), case_id, state=CaseState(state) if state else None,
            dispute_id=dispute, customer_number=customer or None,
        )  # fmt: skip
    out.print(f"Case {updated.id}: {updated.state}.")


@cases_app.command("open")
def cases_open(
    customer: str = typer.Option(..., "--customer"),
    channel: str = typer.Option("ticket", "--channel", help="chat, ticket or email"),
    subject: str = typer.Option(..., "--subject"),
    body: str = typer.Option("", "--body"),
) -> None:
    """Open a case taken by chat or ticket (or an e-mail typed in); invoice numbers in the text are linked."""
    app = get_app()
    with handled():
        if channel not in {c.value for c in Channel}:
            raise ValidationFailed("the channel is chat, ticket or email", code="case.bad_channel")
        case = open_case(app.uow(), app.clock, actor(app), customer, Channel(channel), subject, body)
    out.print(f"Case {case.id} opened for {customer}; answer by {case.sla_due_at:%Y-%m-%d %H:%M} UTC.")
