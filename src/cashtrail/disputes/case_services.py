"""Use cases of customer cases: import messages (from .eml files or an IMAP mailbox, parsed by the adapter in
``cashtrail.files.mailbox``), open a case by hand (chat, ticket), link it to a dispute, answer and close it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.disputes.cases import Case, CaseState, Channel, Message, invoice_numbers_in
from cashtrail.errors import NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork


@dataclass
class CaseImport:
    created: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # message ids already imported

    def as_dict(self) -> dict[str, object]:
        return {"created": self.created, "skipped": self.skipped}


def import_messages(uow: UnitOfWork, clock: Clock, actor: Actor, messages: Sequence[Message]) -> CaseImport:
    """One case per new message, matched to a customer by sender address or by the invoice numbers it names."""
    actor.require(Permission.DISPUTES_WRITE)
    result = CaseImport()
    with uow:
        known = uow.disputes.known_message_ids([m.message_id for m in messages])
        for message in messages:
            if message.message_id in known:
                result.skipped.append(message.message_id)
                continue
            numbers = invoice_numbers_in(f"{message.subject}\n{message.body}")
            case = Case(
                Channel.EMAIL,
                message.subject[:300],
                message.body,
                message.sender,
                message.received_at,
                _customer_of(uow, message.sender, numbers),
                message.message_id,
                numbers,
            )
            uow.disputes.add_case(case)
            known.add(message.message_id)
            assert case.id is not None
            result.created.append(case.id)
            record(uow, clock, actor, "case.imported", "case", case.id, after={"customer": case.customer_number})
        uow.commit()
    return result


def _customer_of(uow: UnitOfWork, sender: str, numbers: Sequence[str]) -> str | None:
    by_contact = uow.disputes.customer_by_email(sender)
    if by_contact is not None:
        return by_contact
    for number in numbers:
        doc = uow.invoices.get_by_number(number)
        if doc is not None:
            return doc.customer_number
    return None


def open_case(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    customer_number: str,
    channel: Channel,
    subject: str,
    body: str,
) -> Case:
    """A case taken by chat or ticket (or an e-mail typed in)."""
    actor.require(Permission.DISPUTES_WRITE)
    if not subject.strip():
        raise ValidationFailed("a case needs a subject", code="case.subject_required")
    with uow:
        if uow.customers.get_by_number(customer_number) is None:
            raise NotFound(f"customer {customer_number} not found", code="customer.not_found")
        numbers = invoice_numbers_in(f"{subject}\n{body}")
        case = Case(
            Channel(channel), subject.strip(), body, actor.username, clock.now(), customer_number, None, numbers
        )
        uow.disputes.add_case(case)
        record(uow, clock, actor, "case.opened", "case", case.id)
        uow.commit()
        return case


def update_case(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    case_id: int,
    *,
    state: CaseState | None = None,
    dispute_id: int | None = None,
    customer_number: str | None = None,
) -> Case:
    """Answer or close a case, link it to a dispute or (for an unmatched e-mail) to its customer."""
    actor.require(Permission.DISPUTES_WRITE)
    with uow:
        case = uow.disputes.get_case(case_id)
        if case is None:
            raise NotFound(f"case {case_id} not found", code="case.not_found")
        if dispute_id is not None:
            if uow.disputes.get(dispute_id) is None:
                raise NotFound(f"dispute {dispute_id} not found", code="dispute.not_found")
            case.dispute_id = dispute_id
        if customer_number is not None:
            if uow.customers.get_by_number(customer_number) is None:
                raise NotFound(f"customer {customer_number} not found", code="customer.not_found")
            case.customer_number = customer_number
        if state == CaseState.ANSWERED:
            case.answer()
        elif state == CaseState.CLOSED:
            case.close(clock.now())
        uow.disputes.save_case(case)
        record(uow, clock, actor, "case.updated", "case", case_id, after={"state": case.state})
        uow.commit()
        return case


def list_cases(uow: UnitOfWork, actor: Actor, *, state: str | None = None, customer: str | None = None) -> list[Case]:
    actor.require(Permission.AR_READ)
    with uow:
        return uow.disputes.cases(state=state, customer=customer)
