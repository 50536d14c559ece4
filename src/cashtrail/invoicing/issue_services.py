"""Use cases that issue documents and correct them: issue one, issue every ready draft, credit an issued invoice.

Issuing happens in one transaction: lock the draft, check stops and approval, allocate the next number of the
entity's series for the issue year (gapless: the allocation is rolled back with everything else if anything
fails), set the due date from the customer's payment terms and the structured payment reference, freeze the
printed snapshot, and post the journal entry and the open item to the AR ledger. A credit note also settles what it
can of the invoice it corrects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cashtrail.audit.services import record
from cashtrail.clock import Clock, business_date
from cashtrail.errors import Conflict, InvalidState, NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.invoicing.approval_services import check_not_stopped, load
from cashtrail.invoicing.lifecycle import Document, Status
from cashtrail.invoicing.numbering import format_number, payment_reference_for, series_prefix
from cashtrail.invoicing.parties import buyer_party, seller_party
from cashtrail.invoicing.prepare_services import rules_of
from cashtrail.invoicing.snapshot import Heading, PrecedingInvoice, build_snapshot
from cashtrail.invoicing.totals import DocumentKind, InvoiceTotals
from cashtrail.ledger.services import post_document
from cashtrail.money import Money
from cashtrail.parties.entities import LegalEntity
from cashtrail.parties.model import Customer, PaymentTerms
from cashtrail.ports import UnitOfWork


def issue_invoice(
    uow: UnitOfWork, clock: Clock, actor: Actor, invoice_id: int, *, issue_date: date | None = None
) -> Document:
    """Issue one draft: number, dates, reference, snapshot and ledger posting, all or nothing."""
    actor.require(Permission.INVOICES_ISSUE)
    with uow:
        doc = load(uow, invoice_id, for_update=True)
        check_not_stopped(uow, doc)
        _issue(uow, clock, actor, doc, issue_date, Parties())
        uow.commit()
        return doc


class Parties:
    """The legal entities, customers and payment terms a batch of issues reads, each read once."""

    def __init__(self) -> None:
        self.entities: dict[str, LegalEntity] = {}
        self.customers: dict[str, Customer] = {}
        self.terms: dict[str, PaymentTerms] = {}

    def of(self, uow: UnitOfWork, doc: Document) -> tuple[LegalEntity, Customer, PaymentTerms]:
        """The document's seller, buyer and the buyer's payment terms."""
        entity = self.entities.get(doc.legal_entity) or uow.legal_entities.get_by_code(doc.legal_entity)
        customer = self.customers.get(doc.customer_number) or uow.customers.get_by_number(doc.customer_number)
        if entity is None or customer is None:
            raise NotFound("the document's legal entity or customer is gone", code="invoice.party_missing")
        terms = self.terms.get(customer.payment_terms_code) or uow.payment_terms.get_by_code(
            customer.payment_terms_code
        )
        if terms is None:
            raise NotFound(f"payment terms {customer.payment_terms_code} not found", code="payment_terms.not_found")
        self.entities[entity.code], self.customers[customer.number], self.terms[terms.code] = entity, customer, terms
        return entity, customer, terms


def _issue(
    uow: UnitOfWork, clock: Clock, actor: Actor, doc: Document, issue_date: date | None, parties: Parties
) -> Document:
    entity, customer, terms = parties.of(uow, doc)
    day = issue_date or business_date(clock.now(), entity.timezone)
    sequence, latest = uow.number_series.allocate(entity.code, doc.kind, day.year, day)
    if latest > day:
        raise InvalidState(
            f"the {doc.kind} series of {entity.code} already has a document dated {latest}; numbers follow dates",
            code="invoice.issue_date_before_last",
            last_issue_date=latest.isoformat(),
        )
    number = format_number(series_prefix(doc.kind), entity.code, day.year, sequence)
    assert doc.id is not None
    reference = payment_reference_for(customer.country, document_id=doc.id, number=number)
    due = terms.due_date(day) if doc.kind == DocumentKind.INVOICE else day
    doc.issue(
        number=number,
        issue_date=day,
        due_date=due,
        payment_reference=reference.value,
        approval_needed=bool(doc.approval_reason),
    )
    doc.issued_at = clock.now()
    totals = doc.totals()
    doc.snapshot = build_snapshot(totals, _heading(uow, doc, entity, customer, terms, reference.formatted()))
    uow.invoices.save(doc)
    _post(uow, clock, actor, doc, totals)
    record(uow, clock, actor, "invoice.issued", "invoice", doc.id, after={"number": number, "status": "issued"})
    return doc


def _heading(
    uow: UnitOfWork, doc: Document, entity: LegalEntity, customer: Customer, terms: PaymentTerms, printed: str
) -> Heading:
    preceding = None
    if doc.credits_id is not None:
        original = uow.invoices.get(doc.credits_id)
        if original is None or original.number is None or original.issue_date is None:
            raise InvalidState("the credited invoice is not issued", code="invoice.credit_of_unissued")
        preceding = PrecedingInvoice(original.number, original.issue_date)
    number, issued_on, due_on, reference = doc.issued_fields()
    return Heading(
        number=number,
        issue_date=issued_on,
        due_date=due_on,
        language=customer.language,
        seller=seller_party(entity),
        buyer=buyer_party(customer),
        payment_reference=reference,
        payment_reference_display=printed,
        payment_terms=terms.description,
        buyer_reference=doc.buyer_reference or customer.number,
        contract_reference=doc.contract_numbers[0] if len(doc.contract_numbers) == 1 else None,
        preceding=preceding,
        notes=(doc.reason,) if doc.reason else (),
    )


def _post(uow: UnitOfWork, clock: Clock, actor: Actor, doc: Document, totals: InvoiceTotals) -> None:
    nets: dict[str, Money] = defaultdict(lambda: Money.zero(doc.currency))
    for amounts in totals.lines:
        nets[amounts.line.category or "other"] += amounts.net
    number, issued_on, due_on, reference = doc.issued_fields()
    post_document(
        uow,
        clock,
        actor,
        kind=doc.kind,
        number=number,
        customer_number=doc.customer_number,
        legal_entity=doc.legal_entity,
        nets=nets,
        vat=totals.vat,
        gross=totals.gross,
        issue_date=issued_on,
        due_date=due_on,
        payment_reference=reference,
        invoice_id=doc.id,
        credits_invoice_id=doc.credits_id,
    )


@dataclass
class IssueResult:
    issued: list[Document] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (invoice id, why it waits)


def issue_ready(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    issue_date: date | None = None,
    limit: int | None = None,
    batch: int = 100,
) -> IssueResult:
    """Issue every draft that may be issued (approved, or needing no approval, and not stopped); drafts that wait
    are listed with the reason. Drafts are issued ``batch`` at a time in one transaction, each in its own savepoint,
    so a refused draft gives its number back without undoing the others."""
    actor.require(Permission.INVOICES_ISSUE)
    result = IssueResult()
    parties = Parties()
    with uow:
        ids = uow.invoices.ids_with_status([Status.DRAFT, Status.APPROVED], limit=limit)
    for start in range(0, len(ids), batch):
        with uow:
            stops = uow.invoice_stops.active()
            for doc in uow.invoices.many(ids[start : start + batch], for_update=True):
                assert doc.id is not None
                why = _waits(doc, stops)
                if why:
                    result.skipped.append((doc.id, why))
                    continue
                try:
                    with uow.savepoint():
                        result.issued.append(_issue(uow, clock, actor, doc, issue_date, parties))
                except (InvalidState, ValidationFailed, NotFound) as exc:
                    result.skipped.append((doc.id, str(exc)))
            uow.commit()
    return result


def _waits(doc: Document, stops: Sequence[dict[str, object]]) -> str:
    """Why a draft cannot be issued now ("" when it can)."""
    if doc.status not in (Status.DRAFT, Status.APPROVED):
        return f"it is {doc.status}"
    if doc.stopped_reason:
        return f"stopped: {doc.stopped_reason}"
    targets = {("customer", doc.customer_number), *(("contract", n) for n in doc.contract_numbers)}
    stop = next((s for s in stops if (s["scope"], s["target"]) in targets), None)
    if stop is not None:
        return f"invoices of {stop['scope']} {stop['target']} are stopped: {stop['reason']}"
    if doc.status == Status.DRAFT and doc.approval_reason:
        return f"waits for approval: {doc.approval_reason}"
    return ""


def credit_invoice(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    number: str,
    *,
    reason: str,
    lines: Sequence[int] | None = None,
    amount: Money | None = None,
    quantities: Mapping[int, Decimal] | None = None,
) -> Document:
    """Draft a credit note for an issued invoice: in full, for some lines (0-based), for part of some lines'
    quantities (0-based index → quantity), or for an amount; never more than what is not credited yet."""
    actor.require(Permission.INVOICES_PREPARE)
    if not reason.strip():
        raise ValidationFailed("a credit note needs a reason", code="invoice.credit_reason_required")
    with uow:
        original = uow.invoices.get_by_number(number)
        if original is None:
            raise NotFound(f"invoice {number} not found", code="invoice.not_found", number=number)
        credit = original.credit(actor.username, lines=lines, amount=amount, quantities=quantities)
        credit.reason, credit.created_at, credit.source = reason.strip(), clock.now(), f"credit:{number}"
        _check_not_over_credited(uow, original, credit)
        entity = uow.legal_entities.get_by_code(original.legal_entity)
        if entity is not None:
            credit.approval_reason = credit.why_approval(rules_of(entity), first_of_contract=False)
        uow.invoices.add(credit)
        record(
            uow,
            clock,
            actor,
            "credit_note.drafted",
            "invoice",
            credit.id,
            after={"credits": number, "gross": str(credit.totals().gross)},
            reason=credit.reason,
        )
        uow.commit()
        return credit


def _check_not_over_credited(uow: UnitOfWork, original: Document, credit: Document) -> None:
    assert original.id is not None
    already = uow.invoices.credited_total(original.id)
    gross = original.totals().gross.amount
    if already + credit.totals().gross.amount > gross:
        raise Conflict(
            f"{original.number} has {already} credited already; at most {gross - already} is left to credit",
            code="invoice.over_credited",
            credited=str(already),
            gross=str(gross),
        )
