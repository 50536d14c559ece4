"""The dunning run: ``run_dunning(as_of)`` decides, for every customer with overdue items, which items go on a
letter at which level, and (unless a preview) stores the letters, renders them in the customer's language and queues
the e-mails in the outbox, all in one transaction.

Idempotent per date: a run is recorded once per as-of date, and running the same date again returns what was
recorded and writes nothing. A level never goes out twice for an item: the history is every letter line ever sent,
unique on (item, level) in the database as well. Disputed amounts (open disputes), items under an open promise and
customers whose dunning is blocked are left out, as the segment's policy says.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.dunning.interest import ReferenceRateTable
from cashtrail.dunning.letters import Addressee, LetterContent, LetterRenderer, build_letter
from cashtrail.dunning.levels import DunnableItem, ItemStatus, propose_dunning
from cashtrail.dunning.policies import PolicySettings, standard_policy
from cashtrail.dunning.portfolios import Profile
from cashtrail.identity.model import Actor, Permission
from cashtrail.ledger.model import OpenItem
from cashtrail.money import Money
from cashtrail.outbox.model import AttachmentRef, Message
from cashtrail.outbox.services import queue_message
from cashtrail.ports import UnitOfWork

PDF = "application/pdf"


@dataclass
class DunningRunResult:
    as_of: date
    preview: bool
    already_run: bool = False
    letters: list[LetterContent] = field(default_factory=list)
    held: dict[str, int] = field(default_factory=dict)  # why items were left out: {status: count}
    summary: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        if self.already_run:
            return {**self.summary, "as_of": self.as_of.isoformat(), "already_run": True}
        return {
            "as_of": self.as_of.isoformat(),
            "preview": self.preview,
            "already_run": False,
            "letters": [_letter_dict(letter) for letter in self.letters],
            "held": dict(sorted(self.held.items())),
        }


def _letter_dict(letter: LetterContent) -> dict[str, Any]:
    return {
        "customer": letter.customer_number,
        "level": letter.level_number,
        "level_name": letter.level_name,
        "language": letter.language,
        "currency": letter.currency,
        "total": str(letter.total.amount),
        "fee": str(letter.fee.amount),
        "interest": str(letter.interest.amount),
        "compensation": str(letter.compensation.amount),
        "items": [line.reference for line in letter.lines],
    }


def run_dunning(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    as_of: date,
    *,
    preview: bool = False,
    renderer: LetterRenderer | None = None,
    customers: tuple[str, str] | None = None,
) -> DunningRunResult:
    """Run (or preview) dunning as of ``as_of`` for every customer, or for the range ``customers`` (a job's
    shard); see the module docstring. A customer already lettered on ``as_of`` (by another scope) is skipped."""
    actor.require(Permission.DUNNING_RUN)
    scope = "all" if customers is None else f"{customers[0]}..{customers[1]}"
    with uow:
        stored = uow.dunning.run_summary(as_of, scope)
        if stored is not None:
            return DunningRunResult(as_of, preview, already_run=True, summary=stored)
        result = _propose(uow, as_of, preview, customers)
        if preview:
            return result
        run_id = uow.dunning.add_run(as_of, actor.username, clock.now(), result.as_dict(), scope)
        for letter in result.letters:
            _send(uow, clock, run_id, letter, renderer)
        record(uow, clock, actor, "dunning.run", "dunning_run", run_id, after={"letters": len(result.letters)})
        uow.commit()
        return result


def _propose(uow: UnitOfWork, as_of: date, preview: bool, customers: tuple[str, str] | None) -> DunningRunResult:
    result = DunningRunResult(as_of, preview)
    items = uow.dunning.overdue_items(as_of, customers)
    lettered = uow.dunning.lettered_on(as_of, sorted({i.customer_number for i in items}))
    items = [i for i in items if i.customer_number not in lettered]
    by_customer: dict[str, list[OpenItem]] = defaultdict(list)
    for item in items:
        by_customer[item.customer_number].append(item)
    item_ids = [i.id for i in items if i.id is not None]
    ctx = _Context(
        policies=uow.dunning.policies(),
        profiles=uow.dunning.profiles(list(by_customer)),
        rates=ReferenceRateTable.of(uow.dunning.reference_rates()),
        history=uow.dunning.history(item_ids),
        compensated=uow.dunning.compensated(item_ids),
        disputed=uow.disputes.frozen_amounts(item_ids),
        promised=uow.collection_work.promised_until(list(by_customer), as_of),
        addressees=uow.dunning.addressees(list(by_customer)),
        creditors={e.code: (e.name, e.iban) for e in uow.legal_entities.all()},
    )
    for customer in sorted(by_customer):
        letter = _customer_letter(ctx, customer, by_customer[customer], as_of, result.held)
        if letter is not None:
            result.letters.append(letter)
    return result


@dataclass
class _Context:
    policies: dict[str, PolicySettings]
    profiles: dict[str, Profile]
    rates: ReferenceRateTable
    history: dict[int, set[int]]
    compensated: set[int]
    disputed: dict[int, Money]
    promised: dict[str, dict[int | None, date]]  # customer → {item id, or None for all items: promised until}
    addressees: dict[str, Addressee]
    creditors: dict[str, tuple[str, str]]  # legal entity code → (name, IBAN)


def _customer_letter(
    ctx: _Context, customer: str, items: list[OpenItem], as_of: date, held: dict[str, int]
) -> LetterContent | None:
    profile = ctx.profiles.get(customer) or Profile(customer)
    settings = ctx.policies.get(profile.segment) or ctx.policies.get("standard") or standard_policy()
    addressee = ctx.addressees.get(customer)
    if addressee is None:
        return None
    dunnable = [_dunnable(ctx, settings, profile, item) for item in items]
    proposal = propose_dunning(
        dunnable,
        settings.policy(addressee.currency),
        as_of,
        {str(i): levels for i, levels in ctx.history.items()},
    )
    for decision in proposal.decisions:
        if decision.status != ItemStatus.SEND:
            held[decision.status.value] = held.get(decision.status.value, 0) + 1
    references = {i.id: i.reference for i in items if i.id is not None}
    letter = build_letter(
        proposal,
        addressee,
        claim_charges=settings.late_interest,
        rates=ctx.rates,
        compensated=ctx.compensated,
        references=references,
    )
    if letter is None:
        return None
    name, iban = ctx.creditors.get(items[0].legal_entity, ("", ""))
    return replace(letter, creditor_name=name, creditor_iban=iban)


def _dunnable(ctx: _Context, settings: PolicySettings, profile: Profile, item: OpenItem) -> DunnableItem:
    assert item.id is not None
    open_amount = item.remaining
    frozen = ctx.disputed.get(item.id)
    disputed = False
    if frozen is not None and settings.exclude_disputed:
        # the disputed amount leaves dunning; an undisputed rest is still dunned
        rest = open_amount - frozen
        disputed = rest.amount <= 0
        open_amount = open_amount if disputed else rest
    promises = ctx.promised.get(item.customer_number, {})
    until = promises.get(item.id) or promises.get(None)
    return DunnableItem(
        str(item.id),
        item.due_date,
        open_amount,
        disputed=disputed,
        blocked=profile.dunning_blocked and settings.exclude_blocked,
        promised_until=until if settings.exclude_promised else None,
    )


def _send(uow: UnitOfWork, clock: Clock, run_id: int, letter: LetterContent, renderer: LetterRenderer | None) -> None:
    """Store the letter (its lines are the history), its PDF with the rendered documents, and queue its e-mail."""
    recipient = uow.dunning.recipient(letter.customer_number)
    letter_id = uow.dunning.add_letter(run_id, letter, recipient)
    if renderer is None:
        return
    rendered = renderer.render(letter)
    name = f"dunning-{letter.customer_number}-{letter.as_of.isoformat()}.pdf"
    file_id = uow.document_files.put(
        "dunning_letter", str(letter_id), "pdf", media_type=PDF, file_name=name, content=rendered.pdf, at=clock.now()
    )
    key = None
    if recipient and letter.channel == "email":
        key = f"dunning:{letter.customer_number}:{letter.as_of.isoformat()}"
        attachment = AttachmentRef(file_id, name, PDF)
        message = Message(
            key, recipient, rendered.subject, rendered.body, "dunning_letter", str(letter_id), (attachment,)
        )
        queue_message(uow, clock, message)
    uow.dunning.set_delivery(letter_id, file_id, key)
