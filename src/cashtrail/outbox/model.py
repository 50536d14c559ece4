"""Outgoing messages and their delivery: queued in the transaction of what caused them, sent after commit.

A :class:`Message` is queued with a deterministic ``key`` (``invoice:42:email``), so queueing it again changes
nothing, and it goes out at least once: the sender retries a failed delivery with a growing delay
(:data:`RETRY_DELAYS`) and gives up after the last one, leaving the message ``failed`` with the last error for a
person to see. A failed message can be re-queued by hand. Attachments are references to stored files
(``document_files``), so the message row stays small and the file a customer receives is the one archived.

Invariants: a message has a recipient that looks like an e-mail address, a subject and a key; ``attempts`` counts
delivery attempts; ``sent_at`` is set exactly when the status is ``sent``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from cashtrail.errors import FieldError

RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)


class TransportError(Exception):
    """A transport could not hand a message over (the outbox retries it later)."""


class MessageStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class AttachmentRef:
    """A stored file attached to a message."""

    file_id: int
    file_name: str
    media_type: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file as the transport sends it."""

    file_name: str
    media_type: str
    content: bytes


@dataclass(eq=False)
class Message:
    key: str
    recipient: str
    subject: str
    body: str
    entity_type: str
    entity_id: str
    attachments: tuple[AttachmentRef, ...] = ()
    channel: str = "email"
    status: MessageStatus = MessageStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    created_at: datetime | None = None
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None
    id: int | None = None

    def delivered(self, at: datetime) -> None:
        """Record a successful delivery."""
        self.attempts += 1
        self.status, self.sent_at, self.last_error = MessageStatus.SENT, at, None

    def delivery_failed(self, at: datetime, error: str) -> None:
        """Record a failed attempt: retry later, or give up after the last delay."""
        self.attempts += 1
        self.last_error = error[:2000]
        if self.attempts > len(RETRY_DELAYS):
            self.status = MessageStatus.FAILED
        else:
            self.next_attempt_at = at + RETRY_DELAYS[self.attempts - 1]

    def requeue(self, at: datetime) -> None:
        """Give a failed message a fresh set of attempts."""
        self.status, self.attempts, self.next_attempt_at = MessageStatus.PENDING, 0, at


@dataclass(frozen=True)
class OutgoingMail:
    """What a transport sends: sender, recipient, subject, text body and attachments."""

    sender: str
    recipient: str
    subject: str
    body: str
    attachments: tuple[Attachment, ...] = ()
    message_key: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def check_message(message: Message) -> list[FieldError]:
    """Every reason ``message`` cannot be queued."""
    errors = []
    if "@" not in message.recipient or message.recipient.strip() != message.recipient:
        errors.append(FieldError("recipient", "is not an e-mail address", value=message.recipient))
    if not message.subject.strip():
        errors.append(FieldError("subject", "is required"))
    if not message.key.strip():
        errors.append(FieldError("key", "is required"))
    return errors
