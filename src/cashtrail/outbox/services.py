"""Use cases of the outbox: queue a message (inside the caller's transaction) and deliver what is due."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cashtrail.clock import Clock
from cashtrail.errors import ValidationFailed
from cashtrail.outbox.model import Attachment, Message, MessageStatus, OutgoingMail, TransportError, check_message
from cashtrail.ports import MailTransport, UnitOfWork


def queue_message(uow: UnitOfWork, clock: Clock, message: Message) -> Message:
    """Queue ``message`` unless a message with its key exists (then return that one). Joins the caller's unit of
    work and commits only as the outermost block."""
    errors = check_message(message)
    if errors:
        raise ValidationFailed("the message cannot be queued", code="outbox.invalid", errors=errors)
    with uow:
        existing = uow.outbox.get_by_key(message.key)
        if existing is not None:
            return existing
        message.created_at = message.next_attempt_at = clock.now()
        uow.outbox.add(message)
        uow.commit()
        return message


@dataclass
class DeliveryReport:
    sent: list[Message] = field(default_factory=list)
    retrying: list[Message] = field(default_factory=list)
    failed: list[Message] = field(default_factory=list)


def deliver_due(
    uow: UnitOfWork, clock: Clock, transport: MailTransport, *, sender: str, limit: int = 100
) -> DeliveryReport:
    """Send every pending message whose time has come, one transaction per message (a crash re-sends at most the
    message in flight: at-least-once)."""
    report = DeliveryReport()
    with uow:
        due = uow.outbox.due(clock.now(), limit)
    for message_id in due:
        with uow:
            message = uow.outbox.get(message_id)
            if message is None or message.status != MessageStatus.PENDING:
                continue
            mail = _mail(uow, message, sender)
            try:
                transport.send(mail)
            except TransportError as exc:
                message.delivery_failed(clock.now(), str(exc))
            else:
                message.delivered(clock.now())
            uow.outbox.save(message)
            uow.commit()
        _file(report, message)
    return report


def _mail(uow: UnitOfWork, message: Message, sender: str) -> OutgoingMail:
    contents = uow.document_files.contents([a.file_id for a in message.attachments])
    attachments = tuple(Attachment(a.file_name, a.media_type, contents[a.file_id]) for a in message.attachments)
    return OutgoingMail(sender, message.recipient, message.subject, message.body, attachments, message.key)


def _file(report: DeliveryReport, message: Message) -> None:
    if message.status == MessageStatus.SENT:
        report.sent.append(message)
    elif message.status == MessageStatus.FAILED:
        report.failed.append(message)
    else:
        report.retrying.append(message)


def requeue(uow: UnitOfWork, clock: Clock, message_ids: Sequence[int]) -> int:
    """Give failed messages a fresh set of attempts; returns how many were re-queued."""
    count = 0
    with uow:
        for message_id in message_ids:
            message = uow.outbox.get(message_id)
            if message is not None and message.status == MessageStatus.FAILED:
                message.requeue(clock.now())
                uow.outbox.save(message)
                count += 1
        uow.commit()
    return count
