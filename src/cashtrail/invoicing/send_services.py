"""Use cases that put issued documents in the customer's hands: render and keep the files, queue the e-mail to the
billing contact, deliver the outbox and mark what went out as sent.

The PDF and the Peppol UBL file of an issued document are rendered once from its frozen snapshot and stored
(``document_files``), so what is archived is byte for byte what was sent. Rendering needs a
:class:`~cashtrail.ports.DocumentRenderer` (the documents adapter), passed in by the door.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from babel import UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency

from cashtrail.audit.services import record
from cashtrail.clock import Clock
from cashtrail.errors import CashtrailError, FieldError, InvalidState, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.invoicing.approval_services import load
from cashtrail.invoicing.lifecycle import Document, Status
from cashtrail.invoicing.mail_texts import document_mail
from cashtrail.invoicing.render_services import FORMATS, keep_file, render_file
from cashtrail.outbox.model import AttachmentRef, Message
from cashtrail.outbox.services import DeliveryReport, deliver_due, queue_message
from cashtrail.ports import DocumentRenderer, MailTransport, StoredFile, UnitOfWork


def _issued(doc: Document) -> None:
    if doc.snapshot is None or doc.status not in (Status.ISSUED, Status.SENT):
        raise InvalidState("only an issued document has files", code="invoice.not_issued", status=str(doc.status))


def stored_files(uow: UnitOfWork, clock: Clock, renderer: DocumentRenderer, doc: Document) -> list[StoredFile]:
    """The document's PDF and UBL, rendered and stored on first use (inside the caller's transaction)."""
    _issued(doc)
    assert doc.snapshot is not None
    files = []
    for fmt in FORMATS:
        found = uow.document_files.find("invoice", str(doc.id), fmt)
        if found is None:
            content = render_file(renderer, doc.snapshot, fmt)
            assert doc.id is not None
            keep_file(uow, doc.id, doc.snapshot.number, fmt, content, clock.now())
            found = uow.document_files.find("invoice", str(doc.id), fmt)
        assert found is not None
        files.append(found)
    return files


def export_document(
    uow: UnitOfWork, clock: Clock, actor: Actor, renderer: DocumentRenderer, invoice_id: int, fmt: str
) -> tuple[str, str, bytes]:
    """(file name, media type, bytes) of an issued document's PDF or UBL."""
    actor.require(Permission.INVOICES_READ)
    if fmt not in FORMATS:
        raise ValidationFailed("the format is pdf or ubl", errors=[FieldError("format", "unknown", value=fmt)])
    with uow:
        doc = load(uow, invoice_id)
        wanted = next(f for f in stored_files(uow, clock, renderer, doc) if f.format == fmt)
        content = uow.document_files.contents([wanted.id])[wanted.id]
        uow.commit()
        return wanted.file_name, wanted.media_type, content


def send_invoice(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    renderer: DocumentRenderer,
    invoice_id: int,
    *,
    recipient: str | None = None,
) -> Message:
    """Queue the e-mail with the PDF and UBL to the customer's billing contact (or ``recipient``); idempotent."""
    actor.require(Permission.INVOICES_ISSUE)
    with uow:
        doc = load(uow, invoice_id)
        files = stored_files(uow, clock, renderer, doc)
        customer = uow.customers.get_by_number(doc.customer_number)
        contact = customer.billing_contact() if customer else None
        to = recipient or (contact.email if contact else "")
        if not to:
            raise ValidationFailed(
                f"customer {doc.customer_number} has no billing contact e-mail",
                code="invoice.no_billing_contact",
                errors=[FieldError("recipient", "is required: the customer has no billing contact")],
            )
        message = queue_message(uow, clock, _message(doc, to, files))
        record(uow, clock, actor, "invoice.queued", "invoice", doc.id, after={"recipient": to, "message": message.key})
        uow.commit()
        return message


@dataclass
class BatchSend:
    """What queuing every issued document did: messages queued now, documents already queued, documents refused."""

    queued: list[Message] = field(default_factory=list)
    already: int = 0
    refused: list[tuple[int, str, str, str]] = field(default_factory=list)  # id, number, code, detail


def send_issued(
    uow: UnitOfWork, clock: Clock, actor: Actor, renderer: DocumentRenderer, *, limit: int | None = None
) -> BatchSend:
    """Queue the e-mail of every issued document not queued yet (each in its own transaction, like ``send``);
    a document that cannot be sent (no billing contact, a refused UBL) is listed and the others go on."""
    actor.require(Permission.INVOICES_ISSUE)
    with uow:
        ids = uow.invoices.ids_with_status([Status.ISSUED])
        waiting = [i for i in ids if uow.outbox.get_by_key(_key(i)) is None]
    result = BatchSend(already=len(ids) - len(waiting))
    for invoice_id in waiting[:limit]:
        try:
            result.queued.append(send_invoice(uow, clock, actor, renderer, invoice_id))
        except CashtrailError as refused:
            result.refused.append((invoice_id, _number(uow, invoice_id), refused.code, refused.detail))
    return result


def _number(uow: UnitOfWork, invoice_id: int) -> str:
    with uow:
        doc = uow.invoices.get(invoice_id)
        return (doc.number or "") if doc else ""


def _key(invoice_id: int | None) -> str:
    return f"invoice:{invoice_id}:email"


def _message(doc: Document, recipient: str, files: list[StoredFile]) -> Message:
    snapshot = doc.snapshot
    assert snapshot is not None
    locale = f"{snapshot.language}_{snapshot.buyer.address.country}"
    try:
        amount = format_currency(snapshot.payable, snapshot.currency, locale=locale)
    except (ValueError, UnknownLocaleError):
        locale = snapshot.language
        amount = format_currency(snapshot.payable, snapshot.currency, locale=locale)
    subject, body = document_mail(
        snapshot.kind,
        snapshot.language,
        number=snapshot.number,
        seller=snapshot.seller.name,
        amount=amount,
        due=_date(snapshot.due_date, locale, snapshot.language),
        reference=snapshot.payment_reference_display,
    )
    return Message(
        key=_key(doc.id),
        recipient=recipient,
        subject=subject,
        body=body,
        entity_type="invoice",
        entity_id=str(doc.id),
        attachments=tuple(AttachmentRef(f.id, f.file_name, f.media_type) for f in files),
    )


def _date(day: date, locale: str, language: str) -> str:
    return str(format_date(day, format="long", locale=locale or language))


def deliver_outbox(
    uow: UnitOfWork, clock: Clock, actor: Actor, transport: MailTransport, *, sender: str, limit: int = 100
) -> DeliveryReport:
    """Send what is due in the outbox; each invoice whose e-mail went out becomes ``sent``."""
    actor.require(Permission.INVOICES_ISSUE)
    report = deliver_due(uow, clock, transport, sender=sender, limit=limit)
    for message in report.sent:
        if message.entity_type != "invoice":
            continue
        with uow:
            doc = load(uow, int(message.entity_id), for_update=True)
            if doc.status == Status.ISSUED:
                doc.mark_sent()
                doc.sent_at = message.sent_at
                uow.invoices.save(doc)
                record(uow, clock, actor, "invoice.sent", "invoice", doc.id, after={"recipient": message.recipient})
                uow.commit()
    return report
