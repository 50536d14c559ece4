"""Cash application use cases: run matching, work the suggestion and suspense worklists, reverse an application.

:func:`run_matching` books every new receipt (Dr bank / Cr suspense), asks the engine for a proposal, applies it when
its confidence reaches the policy's threshold, and otherwise leaves a suggestion for a person or puts the receipt in
suspense. A person accepts a suggestion as it is, changes or splits it (:func:`apply_receipt` with their own lines),
or rejects it; a receipt in suspense is applied the same way. Every applied match teaches the remitter's IBAN; every
decision is audited; :func:`reverse_match` undoes an application with reversing entries and puts the receipt back
in suspense. Each use case is one transaction. The worklists and a bank entry's detail are read in ``queries``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from cashtrail.audit.services import record
from cashtrail.cashapp.book import Book
from cashtrail.cashapp.matching import Outcome, Policy, Proposal, match
from cashtrail.cashapp.model import BankReceipt, CashMatch, Line, MatchStatus, ReceiptStatus
from cashtrail.cashapp.posting import apply_match, post_receipt, reverse_applied
from cashtrail.clock import Clock, business_date
from cashtrail.errors import InvalidState, NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.money import Money
from cashtrail.ports import UnitOfWork


@dataclass
class MatchRunReport:
    """What one matching run did."""

    receipts: int = 0
    applied: int = 0
    suggested: int = 0
    suspense: int = 0
    ignored: int = 0
    applied_amount: dict[str, Decimal] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "receipts": self.receipts,
            "applied": self.applied,
            "suggested": self.suggested,
            "suspense": self.suspense,
            "ignored": self.ignored,
            "applied_amount": {k: str(v) for k, v in sorted(self.applied_amount.items())},
        }


def _remainder_kind(proposal: Proposal) -> tuple[str | None, str | None]:
    if proposal.outcome == Outcome.TOLERANCE:
        return ("discount" if "early-payment discount" in proposal.reasons else "bank_fee"), None
    if proposal.outcome == Outcome.SHORT:
        return "deduction", "short_payment"
    if proposal.outcome == Outcome.OVER:
        return "on_account", None
    return None, None


def to_match(
    receipt: BankReceipt, proposal: Proposal, book: Book, policy: Policy, actor: Actor, clock: Clock
) -> CashMatch:
    """The stored form of an engine proposal (item numbers resolved to open-item ids)."""
    by_number = {i.number: i for c in {proposal.customer} if c for i in book.items_of(c)}
    lines = [Line(by_number[n].id or 0, n, amount) for n, amount in proposal.applications if n in by_number]
    kind, reason_code = _remainder_kind(proposal)
    automatic = proposal.is_automatic(policy) and len(lines) == len(proposal.applications) and bool(lines)
    return CashMatch(
        receipt.entry_id,
        MatchStatus.SUGGESTED,
        proposal.outcome.value,
        proposal.confidence.quantize(Decimal("0.0001")),
        automatic,
        proposal.customer,
        lines,
        proposal.remainder,
        kind,
        proposal.reasons,
        reason_code,
        created_at=clock.now(),
        created_by=actor.username,
    )


def run_matching(
    uow: UnitOfWork, clock: Clock, actor: Actor, *, policy: Policy | None = None, limit: int | None = None
) -> MatchRunReport:
    """Match every unmatched receipt: apply the sure ones, suggest the others, put the unidentified in suspense."""
    actor.require(Permission.CASH_APPLY)
    policy = policy or Policy()
    report = MatchRunReport()
    with uow:
        report.ignored = uow.cash.ignore_non_receipts()
        receipts = uow.cash.receipts(ReceiptStatus.UNMATCHED, limit=limit)
        book = uow.cash.book()
        # Set-based: every proposal is made first (pure), then the items the automatic ones apply and the receipts
        # already booked are read once, and every write of the run is sent in bulk when the loop ends.
        decided = _decide(receipts, book, policy, actor, clock)
        with uow.ledger.deferred(), uow.cash.deferred():
            uow.ledger.items([line.item_id for _, cash, _ in decided if cash.automatic for line in cash.lines])
            posted = uow.ledger.existing_sources("bank_entry", "receipt", [str(r.entry_id) for r in receipts])
            for receipt, cash, outcome in decided:
                _record_one(uow, clock, actor, receipt, cash, outcome, report, posted)
        record(uow, clock, actor, "cash.matching_run", "cash_matching", clock.now().isoformat(), after=report.as_dict())
        uow.commit()
    return report


def _decide(
    receipts: Sequence[BankReceipt], book: Book, policy: Policy, actor: Actor, clock: Clock
) -> list[tuple[BankReceipt, CashMatch, Outcome]]:
    """Each receipt's decision, in order: an earlier automatic application takes what later ones may apply."""
    used: dict[int, Money] = {}
    decided = []
    for receipt in receipts:
        proposal = match(receipt.payment(), book, policy)
        cash = to_match(receipt, proposal, book, policy, actor, clock)
        if cash.automatic and not _still_open(cash, book, used):
            cash.automatic = False
            cash.reasons.append("an item was settled by an earlier payment of this run")
        if cash.automatic:
            cash.status, cash.decided_at, cash.decided_by = MatchStatus.APPLIED, clock.now(), actor.username
            for line in cash.lines:
                used[line.item_id] = used.get(line.item_id, Money.zero(line.amount.currency)) + line.amount
        decided.append((receipt, cash, proposal.outcome))
    return decided


def _record_one(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    receipt: BankReceipt,
    cash: CashMatch,
    outcome: Outcome,
    report: MatchRunReport,
    posted: set[str],
) -> None:
    """Book the receipt and apply, suggest or park it as decided."""
    report.receipts += 1
    post_receipt(uow, clock, actor, receipt, posted=posted)
    if cash.automatic:
        uow.cash.add_match(cash)
        apply_match(uow, clock, actor, receipt, cash)
        _after_applied(uow, clock, receipt, cash)
        report.applied += 1
        currency = receipt.amount.currency
        report.applied_amount[currency] = report.applied_amount.get(currency, Decimal(0)) + receipt.amount.amount
    elif outcome == Outcome.UNIDENTIFIED and cash.customer_number is None:
        uow.cash.set_status(receipt.entry_id, ReceiptStatus.SUSPENSE)
        report.suspense += 1
    else:
        uow.cash.add_match(cash)
        uow.cash.set_status(receipt.entry_id, ReceiptStatus.SUGGESTED)
        report.suggested += 1


def _still_open(cash: CashMatch, book: Book, used: dict[int, Money]) -> bool:
    """True when no earlier application of this run took what the match needs of its items."""
    opened = {i.id: i.open for c in {cash.customer_number} if c for i in book.items_of(c)}
    return all(
        line.item_id in opened
        and line.amount + used.get(line.item_id, Money.zero(line.amount.currency)) <= opened[line.item_id]
        for line in cash.lines
    )


def _after_applied(uow: UnitOfWork, clock: Clock, receipt: BankReceipt, cash: CashMatch) -> None:
    uow.cash.set_status(receipt.entry_id, ReceiptStatus.APPLIED)
    if receipt.counterparty_iban and cash.customer_number and cash.id is not None:
        uow.cash.learn_iban(receipt.counterparty_iban, cash.customer_number, cash.id, clock.now())


def _receipt(uow: UnitOfWork, entry_id: int) -> BankReceipt:
    receipt = uow.cash.receipt(entry_id)
    if receipt is None:
        raise NotFound(f"bank entry {entry_id} not found", code="cash.entry_not_found", entry_id=entry_id)
    return receipt


def accept_suggestion(uow: UnitOfWork, clock: Clock, actor: Actor, match_id: int) -> CashMatch:
    """Apply a suggestion as proposed."""
    actor.require(Permission.CASH_APPLY)
    with uow:
        cash = _suggestion(uow, match_id)
        receipt = _receipt(uow, cash.bank_entry_id)
        cash.status, cash.decided_at, cash.decided_by = MatchStatus.APPLIED, clock.now(), actor.username
        uow.cash.save_match(cash)
        apply_match(uow, clock, actor, receipt, cash)
        _after_applied(uow, clock, receipt, cash)
        record(uow, clock, actor, "cash.suggestion_accepted", "cash_match", match_id, after=_summary(cash))
        uow.commit()
        return cash


def _suggestion(uow: UnitOfWork, match_id: int) -> CashMatch:
    cash = uow.cash.get_match(match_id)
    if cash is None:
        raise NotFound(f"suggestion {match_id} not found", code="cash.match_not_found", match_id=match_id)
    if cash.status != MatchStatus.SUGGESTED:
        raise InvalidState(f"match {match_id} is {cash.status}, not a suggestion", code="cash.not_suggested")
    return cash


def reject_suggestion(uow: UnitOfWork, clock: Clock, actor: Actor, match_id: int, reason: str) -> CashMatch:
    """Refuse a suggestion; the receipt goes to suspense."""
    actor.require(Permission.CASH_APPLY)
    if not reason.strip():
        raise ValidationFailed("a rejection needs a reason", code="cash.reason_required")
    with uow:
        cash = _suggestion(uow, match_id)
        cash.status, cash.decided_at, cash.decided_by = MatchStatus.REJECTED, clock.now(), actor.username
        cash.reversal_reason = reason.strip()
        uow.cash.save_match(cash)
        uow.cash.set_status(cash.bank_entry_id, ReceiptStatus.SUSPENSE)
        record(uow, clock, actor, "cash.suggestion_rejected", "cash_match", match_id, reason=reason.strip())
        uow.commit()
        return cash


def apply_receipt(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    entry_id: int,
    *,
    customer_number: str,
    lines: Sequence[tuple[int, Money]],
    remainder_kind: str = "on_account",
    reason_code: str | None = None,
) -> CashMatch:
    """A person's application of a receipt (a changed or split suggestion, or one from suspense): the given
    ``(open item id, amount)`` lines; the rest stays on account, or settles the items as a deduction (with a reason
    code), bank fee or discount."""
    actor.require(Permission.CASH_APPLY)
    with uow:
        receipt = _receipt(uow, entry_id)
        if receipt.status not in (ReceiptStatus.SUGGESTED, ReceiptStatus.SUSPENSE):
            raise InvalidState(f"{receipt.label} is {receipt.status}", code="cash.not_open", status=receipt.status)
        pending = uow.cash.latest_match(entry_id)
        if pending is not None and pending.status == MatchStatus.SUGGESTED:
            pending.status, pending.decided_at, pending.decided_by = MatchStatus.REJECTED, clock.now(), actor.username
            pending.reversal_reason = "replaced by a manual application"
            uow.cash.save_match(pending)
        cash = _manual(uow, clock, actor, receipt, customer_number, lines, remainder_kind, reason_code)
        uow.cash.add_match(cash)
        post_receipt(uow, clock, actor, receipt)
        apply_match(uow, clock, actor, receipt, cash)
        _after_applied(uow, clock, receipt, cash)
        record(uow, clock, actor, "cash.applied_manually", "cash_match", cash.id, after=_summary(cash))
        uow.commit()
        return cash


def _manual(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    receipt: BankReceipt,
    customer_number: str,
    lines: Sequence[tuple[int, Money]],
    remainder_kind: str,
    reason_code: str | None,
) -> CashMatch:
    if uow.customers.get_by_number(customer_number) is None:
        raise NotFound(f"customer {customer_number} not found", code="customer.not_found", number=customer_number)
    items = uow.ledger.items([item_id for item_id, _ in lines])
    resolved = [
        Line(item_id, items[item_id].reference if item_id in items else "?", amount) for item_id, amount in lines
    ]
    applied = sum((amount for _, amount in lines), Money.zero(receipt.amount.currency))
    if remainder_kind == "on_account":
        remainder = receipt.amount - applied
    else:
        open_total = sum((items[i].remaining for i, _ in lines if i in items), Money.zero(receipt.amount.currency))
        remainder = open_total - applied
    return CashMatch(
        receipt.entry_id, MatchStatus.APPLIED, "manual", Decimal(1), False, customer_number, resolved,
        remainder if remainder.amount > 0 else None, remainder_kind, [f"applied by {actor.username}"], reason_code,
        created_at=clock.now(), created_by=actor.username, decided_at=clock.now(), decided_by=actor.username,
    )  # fmt: skip


def reverse_match(uow: UnitOfWork, clock: Clock, actor: Actor, match_id: int, reason: str) -> CashMatch:
    """Undo an applied match with reversing entries; the receipt goes back to suspense for a new decision."""
    actor.require(Permission.CASH_APPLY)
    if not reason.strip():
        raise ValidationFailed("a reversal needs a reason", code="cash.reason_required")
    with uow:
        cash = uow.cash.get_match(match_id)
        if cash is None:
            raise NotFound(f"match {match_id} not found", code="cash.match_not_found", match_id=match_id)
        if cash.status != MatchStatus.APPLIED:
            raise InvalidState(f"match {match_id} is {cash.status}, not applied", code="cash.not_applied")
        reverse_applied(uow, clock, actor, cash, business_date(clock.now()), reason.strip())
        cash.status, cash.reversed_at, cash.reversed_by = MatchStatus.REVERSED, clock.now(), actor.username
        cash.reversal_reason = reason.strip()
        uow.cash.save_match(cash)
        uow.cash.set_status(cash.bank_entry_id, ReceiptStatus.SUSPENSE)
        record(uow, clock, actor, "cash.reversed", "cash_match", match_id, before=_summary(cash), reason=reason.strip())
        uow.commit()
        return cash


def _summary(cash: CashMatch) -> dict[str, object]:
    return {
        "bank_entry": cash.bank_entry_id,
        "customer": cash.customer_number,
        "items": ", ".join(f"{x.number} {x.amount}" for x in cash.lines),
        "remainder": None if cash.remainder is None else f"{cash.remainder_kind} {cash.remainder}",
    }
