"""Use cases that create draft documents: from the bill run's drafts, and by hand.

:func:`prepare_invoices` turns every billing draft no document was prepared from into a draft invoice (or credit
note): the seller is the customer's legal entity, each line gets its VAT, the buyer reference is the order's PO
number or the contract's (else the contract number), and the approval rule that applies is recorded: the "first
invoice of a contract" rule counts real contracts only, never an order billed on its own. It is idempotent: a billing
draft yields one document, ever (``invoices.billing_draft_id`` is unique). :func:`create_invoice` drafts a manual
invoice from lines a person typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from cashtrail.audit.services import record
from cashtrail.billing.charges import Charge
from cashtrail.clock import Clock, business_date
from cashtrail.errors import FieldError, NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.invoicing.drafting import draft_from_charges
from cashtrail.invoicing.lifecycle import ApprovalRules, Document
from cashtrail.invoicing.tax import SupplyKind, TaxContext, decide_vat
from cashtrail.invoicing.totals import DocumentKind, Line, tax_rounding_for
from cashtrail.money import Money
from cashtrail.parties.entities import LegalEntity, seller_for
from cashtrail.parties.model import Customer
from cashtrail.ports import UnitOfWork


@dataclass
class PrepareResult:
    invoices: int = 0
    credit_notes: int = 0
    needing_approval: int = 0
    document_ids: list[int] = field(default_factory=list)
    problems: list[FieldError] = field(default_factory=list)  # billing drafts that could not be prepared


def rules_of(entity: LegalEntity) -> ApprovalRules:
    """The approval rules of a legal entity."""
    return ApprovalRules(entity.threshold_money(), entity.approve_first_invoice, entity.approve_credit_notes)


def tax_context(entity: LegalEntity, customer: Customer) -> TaxContext:
    """Who sells to whom (every customer is a business; see :mod:`cashtrail.invoicing.drafting`)."""
    return TaxContext(entity.country, customer.country, buyer_is_business=True, buyer_vat_number=customer.vat_number)


def contract_of(charge: Charge) -> str:
    """The contract a charge bills under: an order's charges name the order, and its contract in their source."""
    return charge.source.get("contract") or charge.contract_number


def prepare_invoices(
    uow: UnitOfWork, clock: Clock, actor: Actor, *, limit: int | None = None, period: str | None = None
) -> PrepareResult:
    """Draft a document from every billing draft not prepared yet (of the bill run of ``period`` when given), all in
    one transaction."""
    actor.require(Permission.INVOICES_PREPARE)
    result = PrepareResult()
    with uow:
        drafts = uow.invoices.billing_drafts_to_prepare(limit, period)
        customers = uow.customers.by_numbers({customer for _, customer, _, _ in drafts})
        entities = uow.legal_entities.all()
        known = uow.invoices.contract_references({contract_of(c) for _, _, _, charges in drafts for c in charges})
        issued = uow.invoices.issued_contracts(known)
        docs, keys = [], []
        for draft_id, number, currency, charges in drafts:
            customer = customers.get(number)
            if customer is None or not charges:
                result.problems.append(FieldError("customer", "unknown customer or empty draft", value=draft_id))
                continue
            entity = seller_for(customer.country, entities)
            references = [c.source.get("po") or known.get(contract_of(c)) or contract_of(c) for c in charges]
            doc = draft_from_charges(
                charges,
                context=tax_context(entity, customer),
                customer_number=number,
                currency=currency,
                legal_entity=entity.code,
                prepared_by=actor.username,
                source=f"draft:{draft_id}",
                buyer_reference=references[0],
                rounding=tax_rounding_for(entity.country),
            )
            real = {contract_of(c) for c in charges} & set(known)
            first = bool(real) and not real & issued
            doc.approval_reason = doc.why_approval(rules_of(entity), first_of_contract=first)
            doc.created_at = clock.now()
            docs.append(doc)
            keys.append([c.key for c in charges])
        uow.invoices.add_many(docs, keys)
        for doc in docs:
            _count(result, doc)
        record(uow, clock, actor, "invoices.prepared", "invoice", "batch", after=_summary(result))
        uow.commit()
    return result


def _count(result: PrepareResult, doc: Document) -> None:
    assert doc.id is not None
    result.document_ids.append(doc.id)
    if doc.kind == DocumentKind.CREDIT_NOTE:
        result.credit_notes += 1
    else:
        result.invoices += 1
    result.needing_approval += bool(doc.approval_reason)


def _summary(result: PrepareResult) -> dict[str, object]:
    return {
        "invoices": result.invoices,
        "credit_notes": result.credit_notes,
        "needing_approval": result.needing_approval,
    }


@dataclass(frozen=True)
class ManualLine:
    """A line a person types: description, quantity, unit price, tax category and supply."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_category: str = "standard"
    supply: str = SupplyKind.SERVICES
    category: str = "manual"


def create_invoice(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    customer_number: str,
    lines: Sequence[ManualLine],
    *,
    buyer_reference: str = "",
    contract_number: str = "",
) -> Document:
    """Draft a manual invoice in the customer's currency (approval rules apply as for any invoice)."""
    actor.require(Permission.INVOICES_PREPARE)
    if not lines:
        raise ValidationFailed("an invoice needs at least one line", errors=[FieldError("lines", "is empty")])
    with uow:
        customer = uow.customers.get_by_number(customer_number)
        if customer is None:
            raise NotFound(f"customer {customer_number} not found", code="customer.not_found")
        entity = seller_for(customer.country, uow.legal_entities.all())
        context = tax_context(entity, customer)
        today = business_date(clock.now(), entity.timezone)
        doc_lines = [_manual_line(line, context, customer.currency, contract_number, today) for line in lines]
        doc = Document(
            DocumentKind.INVOICE,
            customer.number,
            customer.currency,
            doc_lines,
            actor.username,
            [contract_number] if contract_number else [],
            tax_rounding_for(entity.country),
            legal_entity=entity.code,
            source="manual",
            buyer_reference=buyer_reference or contract_number or customer.number,
            created_at=clock.now(),
        )
        first = bool(contract_number) and not uow.invoices.issued_contracts([contract_number])
        doc.approval_reason = doc.why_approval(rules_of(entity), first_of_contract=first)
        doc.totals()  # refuses a negative or inconsistent invoice before anything is stored
        uow.invoices.add(doc)
        record(uow, clock, actor, "invoice.drafted", "invoice", doc.id, after={"gross": str(doc.totals().gross)})
        uow.commit()
        return doc


def _manual_line(line: ManualLine, context: TaxContext, currency: str, contract: str, today: date) -> Line:
    if line.supply not in SupplyKind.__members__.values():
        raise ValidationFailed(
            "supply must be goods or services",
            errors=[FieldError("supply", "is not goods or services", value=line.supply)],
        )
    vat = decide_vat(replace(context, supply=SupplyKind(line.supply)), line.tax_category, today)
    return Line(
        line.quantity,
        Money(line.unit_price, currency),
        vat,
        line.description,
        item_id=line.category,
        contract_number=contract,
        category=line.category,
    )
