"""``cashtrail cashapp ...``: run matching and work the suggestion and suspense worklists from the terminal.

``match`` applies what is sure and lists the rest; ``suggestions`` and ``suspense`` show the worklists; ``accept``,
``reject``, ``apply`` (change, split or apply from suspense) and ``reverse`` decide; ``ledger`` checks the ledger's
invariants (``cashtrail ar statement|aging`` print statements of account and the aging as of a date).
Exit codes follow ``cli.context``.
"""

from __future__ import annotations

from decimal import Decimal

import typer

from cashtrail.cashapp.application_services import (
    accept_suggestion,
    apply_receipt,
    reject_suggestion,
    reverse_match,
    run_matching,
)
from cashtrail.cashapp.matching import Policy
from cashtrail.cashapp.model import CashMatch, MatchStatus
from cashtrail.cashapp.queries import suspense, worklist
from cashtrail.cli.context import actor, emit, err, get_app, handled, out, table
from cashtrail.ledger.as_of import amount_text
from cashtrail.ledger.checks import ledger_problems
from cashtrail.money import Money

cash_app = typer.Typer(help="Cash application: matching, suggestions, suspense, reversals.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(cash_app, name="cashapp")


def _match_row(match: CashMatch) -> dict[str, object]:
    return {
        "id": match.id,
        "bank_entry": match.bank_entry_id,
        "status": match.status.value,
        "outcome": match.outcome,
        "confidence": str(match.confidence),
        "customer": match.customer_number,
        "lines": [{"item_id": x.item_id, "number": x.number, "amount": amount_text(x.amount)} for x in match.lines],
        "remainder": None if match.remainder is None else amount_text(match.remainder),
        "remainder_kind": match.remainder_kind,
        "reasons": match.reasons,
    }


@cash_app.command("match")
def match_command(
    threshold: str = typer.Option("0.90", help="Confidence from which a proposal is applied automatically."),
    limit: int | None = typer.Option(None, help="Match at most this many receipts."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Match every new receipt: apply the sure ones, suggest the rest, park the unidentified in suspense."""
    cashtrail = get_app()
    with handled():
        report = run_matching(
            cashtrail.uow(),
            cashtrail.clock,
            actor(cashtrail),
            policy=Policy(auto_threshold=Decimal(threshold)),
            limit=limit,
        )
    emit(
        report.as_dict(),
        as_json=as_json,
        render=lambda d: table(
            "Cash application", list(d), [[str(v) if not isinstance(v, dict) else v for v in d.values()]]
        ),
    )


@cash_app.command("suggestions")
def suggestions_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The suggestions worklist, oldest receipt first."""
    cashtrail = get_app()
    with handled():
        found = worklist(cashtrail.uow(), actor(cashtrail), MatchStatus.SUGGESTED)
    rows = [
        _match_row(m) | {"amount": amount_text(r.amount), "currency": r.amount.currency, "payer": r.counterparty_name,
                         "text": r.text}
        for m, r in found
    ]  # fmt: skip
    shown = [
        [m.id, r.amount, r.counterparty_name, m.customer_number, ", ".join(x.number for x in m.lines), m.outcome,
         m.confidence, "; ".join(m.reasons)]
        for m, r in found
    ]  # fmt: skip
    columns = ["id", "amount", "payer", "customer", "items", "outcome", "confidence", "why"]
    emit(rows, as_json=as_json, render=lambda _: table("Suggestions", columns, shown))


@cash_app.command("suspense")
def suspense_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Receipts nobody could identify, oldest first."""
    cashtrail = get_app()
    with handled():
        found = suspense(cashtrail.uow(), actor(cashtrail))
    rows = [
        {"entry": r.entry_id, "date": r.booked_on, "amount": amount_text(r.amount), "currency": r.amount.currency,
         "payer": r.counterparty_name,
         "iban": r.counterparty_iban, "text": r.text}
        for r in found
    ]  # fmt: skip
    emit(
        rows,
        as_json=as_json,
        render=lambda _: table("Suspense", list(rows[0]) if rows else ["entry"], [list(r.values()) for r in rows]),
    )


@cash_app.command("accept")
def accept_command(match_id: int = typer.Argument(..., help="The suggestion's id.")) -> None:
    """Apply a suggestion as proposed."""
    cashtrail = get_app()
    with handled():
        done = accept_suggestion(cashtrail.uow(), cashtrail.clock, actor(cashtrail), match_id)
    out.print(f"Applied suggestion {done.id} to {done.customer_number}.")


@cash_app.command("reject")
def reject_command(match_id: int = typer.Argument(...), reason: str = typer.Option(..., help="Why.")) -> None:
    """Refuse a suggestion; the receipt goes to suspense."""
    cashtrail = get_app()
    with handled():
        reject_suggestion(cashtrail.uow(), cashtrail.clock, actor(cashtrail), match_id, reason)
    out.print(f"Rejected suggestion {match_id}; the receipt is in suspense.")


@cash_app.command("apply")
def apply_command(
    entry_id: int = typer.Argument(..., help="The bank entry (from the suggestions or suspense worklist)."),
    customer: str = typer.Option(..., help="The paying customer's number."),
    line: list[str] = typer.Option([], help="ITEM_ID=AMOUNT, once per open item (split as you like)."),
    rest: str = typer.Option("on_account", help="The rest: on_account, deduction, bank_fee or discount."),
    reason_code: str | None = typer.Option(None, help="A deduction's reason code (pricing, quantity, ...)."),
    currency: str = typer.Option("EUR", help="The receipt's currency."),
) -> None:
    """Apply a receipt yourself: change or split a suggestion, or apply one from suspense."""
    cashtrail = get_app()
    lines = []
    for spec in line:
        item, _, amount = spec.partition("=")
        if not item.isdigit() or not amount:
            err.print(f"--line {spec!r}: expected ITEM_ID=AMOUNT")
            raise typer.Exit(2)
        lines.append((int(item), Money.of(amount, currency)))
    with handled():
        done = apply_receipt(
            cashtrail.uow(), cashtrail.clock, actor(cashtrail), entry_id,
            customer_number=customer, lines=lines, remainder_kind=rest, reason_code=reason_code,
        )  # fmt: skip
    out.print(f"Applied bank entry {entry_id} to {customer} (match {done.id}).")


@cash_app.command("reverse")
def reverse_command(match_id: int = typer.Argument(...), reason: str = typer.Option(..., help="Why.")) -> None:
    """Reverse an applied match with reversing entries; the receipt goes back to suspense."""
    cashtrail = get_app()
    with handled():
        reverse_match(cashtrail.uow(), cashtrail.clock, actor(cashtrail), match_id, reason)
    out.print(f"Reversed match {match_id}; the receipt is in suspense.")


@cash_app.command("ledger")
def ledger_command(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Check the ledger: every currency balances and AR control equals the open items (exit 4 when not)."""
    cashtrail = get_app()
    with handled():
        figures, problems = ledger_problems(cashtrail.uow(), actor(cashtrail))
    emit(
        {"balances": figures, "problems": problems}, as_json=as_json, render=lambda _: _render_ledger(figures, problems)
    )
    if problems:
        raise typer.Exit(4)


def _render_ledger(figures: dict[str, dict[str, str]], problems: list[str]) -> None:
    for currency, values in figures.items():
        table(f"Ledger {currency}", ["account", "balance"], [[k, v] for k, v in values.items()])
    out.print("\n".join(problems) if problems else "The ledger balances and AR control equals the open items.")
