"""The outbox delivers through a real SMTP server started by the test, retries failures and gives up at last."""

from __future__ import annotations

import copy
import email
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller

from cashtrail.mail import DirectoryTransport, SmtpTransport
from cashtrail.outbox.model import RETRY_DELAYS, AttachmentRef, Message, MessageStatus
from cashtrail.outbox.services import deliver_due, queue_message, requeue


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield inbox, SmtpTransport("127.0.0.1", controller.port)
    controller.stop()


def _message(app, *, key: str = "invoice:1:email") -> Message:
    with app.uow() as uow:
        file_id = uow.document_files.put(
            "invoice",
            "1",
            "pdf",
            media_type="application/pdf",
            file_name="INV-1.pdf",
            content=b"%PDF-1.7 test",
            at=app.clock.now(),
        )
        uow.commit()
    return Message(
        key=key,
        recipient="ap@customer.example",
        subject="Invoice INV-1",
        body="Please find attached invoice INV-1.",
        entity_type="invoice",
        entity_id="1",
        attachments=(AttachmentRef(file_id, "INV-1.pdf", "application/pdf"),),
    )


def test_a_queued_message_is_delivered_once_with_its_attachment(app, smtp):
    inbox, transport = smtp
    message = _message(app)
    first = queue_message(app.uow(), app.clock, copy.copy(message))
    again_queued = queue_message(app.uow(), app.clock, copy.copy(message))  # the same key: nothing new
    assert again_queued.id == first.id
    report = deliver_due(app.uow(), app.clock, transport, sender="billing@seller.example")
    again = deliver_due(app.uow(), app.clock, transport, sender="billing@seller.example")
    assert [m.status for m in report.sent] == [MessageStatus.SENT]
    assert again.sent == []
    [received] = inbox.messages
    assert received["To"] == "ap@customer.example"
    assert received["Subject"] == "Invoice INV-1"
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "INV-1.pdf"
    assert attachment.get_content() == b"%PDF-1.7 test"


def test_a_failing_server_is_retried_later_and_the_message_fails_after_the_last_delay(app):
    closed = SmtpTransport("127.0.0.1", _free_port(), timeout=2)
    queue_message(app.uow(), app.clock, _message(app))
    first = deliver_due(app.uow(), app.clock, closed, sender="billing@seller.example")
    assert len(first.retrying) == 1
    assert "ConnectionRefusedError" in (first.retrying[0].last_error or "")
    assert deliver_due(app.uow(), app.clock, closed, sender="billing@seller.example").retrying == []  # not due yet
    for delay in RETRY_DELAYS:
        app.clock.advance(delay + timedelta(seconds=1))
        report = deliver_due(app.uow(), app.clock, closed, sender="billing@seller.example")
    assert [m.attempts for m in report.failed] == [len(RETRY_DELAYS) + 1]
    assert requeue(app.uow(), app.clock, [report.failed[0].id]) == 1


def test_the_directory_transport_writes_an_eml_file_per_message(app, tmp_path):
    queue_message(app.uow(), app.clock, _message(app, key="invoice:7:email"))
    deliver_due(app.uow(), app.clock, DirectoryTransport(tmp_path / "outbox"), sender="billing@seller.example")
    written = (tmp_path / "outbox" / "invoice_7_email.eml").read_bytes()
    parsed = email.message_from_bytes(written, policy=policy.default)
    assert parsed["Subject"] == "Invoice INV-1"
    assert [a.get_filename() for a in parsed.iter_attachments()] == ["INV-1.pdf"]


def test_a_message_without_a_valid_recipient_is_refused_and_nothing_is_queued(app):
    bad = _message(app)
    bad.recipient = "not-an-address"
    with pytest.raises(ValueError, match="cannot be queued"):
        queue_message(app.uow(), app.clock, bad)
    with app.uow() as uow:
        assert uow.outbox.get_by_key(bad.key) is None
