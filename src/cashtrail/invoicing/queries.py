"""Read-side queries of invoicing (lists, detail, files, delivery); nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass

from cashtrail.errors import NotFound
from cashtrail.identity.model import Actor, Permission
from cashtrail.invoicing.lifecycle import Document
from cashtrail.invoicing.summary import InvoiceFilter, InvoiceSummary
from cashtrail.outbox.model import Message
from cashtrail.ports import StoredFile, UnitOfWork


def list_invoices(
    uow: UnitOfWork, actor: Actor, filters: InvoiceFilter, *, after_id: int | None = None, limit: int = 50
) -> list[InvoiceSummary]:
    """A page of documents, newest first, matching ``filters``."""
    actor.require(Permission.INVOICES_READ)
    with uow:
        return uow.invoices.summaries(filters, after_id=after_id, limit=limit)


def count_invoices(uow: UnitOfWork, actor: Actor, filters: InvoiceFilter) -> int:
    """How many documents match ``filters``."""
    actor.require(Permission.INVOICES_READ)
    with uow:
        return uow.invoices.count(filters)


@dataclass(frozen=True)
class InvoiceDetail:
    document: Document
    files: list[StoredFile]
    messages: list[Message]
    credit_notes: list[InvoiceSummary]


def invoice_detail(uow: UnitOfWork, actor: Actor, invoice_id: int) -> InvoiceDetail:
    """A document with its stored files, its e-mails and the credit notes that correct it."""
    actor.require(Permission.INVOICES_READ)
    with uow:
        doc = uow.invoices.get(invoice_id)
        if doc is None:
            raise NotFound(f"invoice {invoice_id} not found", code="invoice.not_found", invoice_id=invoice_id)
        return InvoiceDetail(
            doc,
            uow.document_files.of_entity("invoice", str(invoice_id)),
            uow.outbox.for_entity("invoice", str(invoice_id)),
            uow.invoices.credit_notes_of(invoice_id),
        )


def find_invoice(uow: UnitOfWork, actor: Actor, ref: str) -> Document:
    """A document by its id (digits) or its number."""
    actor.require(Permission.INVOICES_READ)
    with uow:
        doc = uow.invoices.get(int(ref)) if ref.isdigit() else uow.invoices.get_by_number(ref)
        if doc is None:
            raise NotFound(f"invoice {ref} not found", code="invoice.not_found", ref=ref)
        return doc
