"""Billing commands: bill runs (with preview), the billing-blocks worklist, stop and release."""

from __future__ import annotations

from datetime import date

import typer
from rich.progress import Progress

from cashtrail.billing.block_services import open_blocks, place_block, release_block
from cashtrail.billing.blocks import BlockPolicy
from cashtrail.billing.run import RunResult
from cashtrail.billing.services import correct_billed_period, run_bill_run
from cashtrail.billing.stage_services import bill_stage
from cashtrail.cli.context import actor, emit, err, get_app, handled, out, table
from cashtrail.money import D

bill_app = typer.Typer(help="Bill runs and billing blocks.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(bill_app, name="bill")


def _render_run(result: RunResult) -> None:
    summary = result.summary()
    table(
        f"Bill run {result.period}" + (" (preview: nothing written)" if result.preview else ""),
        ["contracts", "drafts", "deferred", "lines", "held lines", "already billed", "totals"],
        [
            [
                summary["contracts"],
                summary["drafts"],
                summary["deferred"],
                summary["lines"],
                summary["held_lines"],
                summary["already_billed"],
                ", ".join(f"{v} {k}" for k, v in result.totals().items()),
            ]
        ],
    )
    if result.diff:
        table(
            "Changes against the previous month",
            ["change", "contract", "charge", "before", "now"],
            [[c.status, c.contract_number, c.description, c.previous or "", c.current or ""] for c in result.diff],
        )
    if result.held:
        table(
            "Held charges",
            ["contract", "charge", "amount", "why"],
            [[c.contract_number, c.description, c.amount, "; ".join(why)] for c, why in result.held[:200]],
        )


def _as_data(result: RunResult) -> dict[str, object]:
    return {
        **result.summary(),
        "drafts_detail": [
            {
                "group": d.group_key,
                "customer": d.customer_number,
                "currency": d.currency,
                "total": str(d.total.amount),
                "deferred": d.deferred,
                "lines": [
                    {
                        "key": c.key,
                        "description": c.description,
                        "quantity": str(c.quantity),
                        "unit_price": str(c.unit_price),
                        "amount": str(c.amount.amount),
                        "formula": c.formula,
                        "source": dict(c.source),
                    }
                    for c in d.lines
                ],
            }
            for d in result.drafts
        ],
        "held": [{"key": c.key, "amount": str(c.amount.amount), "why": why} for c, why in result.held],
        "diff": [
            {
                "status": c.status,
                "key": c.key,
                "previous": None if c.previous is None else str(c.previous.amount),
                "current": None if c.current is None else str(c.current.amount),
            }
            for c in result.diff
        ],
    }


@bill_app.command("run")
def bill_run(
    period: str = typer.Option(..., help="The month to bill, YYYY-MM."),
    preview: bool = typer.Option(False, "--preview", help="Compute and show, write nothing."),
    max_per_customer: str = typer.Option(None, help="Hold customers whose run total exceeds this amount."),
    real_reads_only: bool = typer.Option(False, "--real-reads-only", help="Hold usage billed from estimated reads."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Bill every charge due in PERIOD: fees, usage, minimums, callouts and repairs; blocked charges are held."""
    cashtrail = get_app()
    with handled(), Progress(console=err, transient=True) as progress:
        policy = BlockPolicy(
            allow_estimates=not real_reads_only,
            max_amount_per_customer=D(max_per_customer) if max_per_customer else None,
        )
        progress.add_task(f"Billing {period}", total=None)
        result = run_bill_run(
            cashtrail.uow(), cashtrail.clock, actor(cashtrail), period, preview=preview, policy=policy
        )
    emit(_as_data(result), as_json=as_json, render=lambda _: _render_run(result))


@bill_app.command("stage")
def bill_stage_command(
    contract: str = typer.Option(..., help="The project contract."),
    amount: str = typer.Option(..., help="The stage's net amount."),
    description: str = typer.Option(..., help="What was completed (printed on the invoice)."),
    on: str = typer.Option(None, "--date", help="Completion date YYYY-MM-DD (default today)."),
) -> None:
    """Bill a completed stage of a repair or modernisation project with the next bill run."""
    cashtrail = get_app()
    day = date.fromisoformat(on) if on else cashtrail.clock.now().date()
    with handled():
        charge = bill_stage(
            cashtrail.uow(),
            cashtrail.clock,
            actor(cashtrail),
            contract,
            description=description,
            amount=D(amount),
            completed_on=day,
        )
    out.print(f"stage {charge.key} ({charge.amount}) waits for the next bill run")


@bill_app.command("blocks")
def bill_blocks(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The billing-blocks worklist: every block not released yet."""
    cashtrail = get_app()
    with handled():
        blocks = open_blocks(cashtrail.uow(), actor(cashtrail))
    rows = [
        {
            "id": b.id,
            "scope": b.scope,
            "target": b.target,
            "reason": b.reason,
            "detail": b.detail,
            "owner": b.owner,
            "automatic": b.automatic,
            "created_at": b.created_at,
            "release_on": b.release_on,
        }
        for b in blocks
    ]
    emit(
        rows,
        as_json=as_json,
        render=lambda data: table(
            "Billing blocks",
            ["id", "scope", "target", "reason", "detail", "owner", "auto", "release on"],
            [
                [
                    r["id"],
                    r["scope"],
                    r["target"],
                    r["reason"],
                    r["detail"],
                    r["owner"],
                    r["automatic"],
                    r["release_on"],
                ]
                for r in data
            ],
        ),
    )


@bill_app.command("block")
def bill_block(
    scope: str = typer.Option(..., help="charge, contract or customer."),
    target: str = typer.Option(..., help="The charge key, contract number or customer number."),
    reason: str = typer.Option(..., help="Why billing stops (shown on the worklist)."),
    owner: str = typer.Option("", help="Who owns the block (default: you)."),
    release_on: str = typer.Option(None, help="Release automatically on this date (YYYY-MM-DD)."),
) -> None:
    """Stop billing of a charge, a contract or a customer until released."""
    cashtrail = get_app()
    with handled():
        day = date.fromisoformat(release_on) if release_on else None
        block = place_block(
            cashtrail.uow(),
            cashtrail.clock,
            actor(cashtrail),
            scope=scope,
            target=target,
            reason=reason,
            owner=owner,
            release_on=day,
        )
    out.print(f"Block {block.id} placed on {block.scope} {block.target}")


@bill_app.command("release")
def bill_release(block_id: int, reason: str = typer.Option(..., help="Why the block is lifted.")) -> None:
    """Release a billing block; its charges flow into the next run."""
    cashtrail = get_app()
    with handled():
        release_block(cashtrail.uow(), cashtrail.clock, actor(cashtrail), block_id, reason)
    out.print(f"Block {block_id} released")


@bill_app.command("correct")
def bill_correct(
    contract: str = typer.Option(..., help="The amended contract's number."),
    period: str = typer.Option(..., help="A billed month, YYYY-MM."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Re-rate a billed month under the contract's current version: a credit draft and a rebill draft."""
    cashtrail = get_app()
    with handled():
        lines = correct_billed_period(cashtrail.uow(), cashtrail.clock, actor(cashtrail), contract, period)
    rows = [
        {"key": c.key, "description": c.description, "amount": str(c.amount.amount), "currency": c.amount.currency}
        for c in lines
    ]
    emit(
        rows,
        as_json=as_json,
        render=lambda data: table(
            f"Corrections of {contract} for {period}" if data else f"{contract} {period}: nothing to correct",
            ["key", "description", "amount"],
            [[r["key"], r["description"], r["amount"]] for r in data],
        ),
    )
