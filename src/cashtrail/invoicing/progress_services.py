"""The progress statement that goes with a project's stage invoice: every stage billed so far against the contract
value, read from the issued invoices (their frozen lines) and the project contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cashtrail.errors import InvalidState, NotFound, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.invoicing.progress import ProgressStage, ProgressStatement
from cashtrail.invoicing.snapshot import PartySnapshot
from cashtrail.invoicing.totals import Line
from cashtrail.money import Money, total
from cashtrail.ports import UnitOfWork

STAGE = "stage"


@dataclass(frozen=True)
class ProgressDocument:
    """A progress statement with the parties and language of the invoice it accompanies."""

    statement: ProgressStatement
    seller: PartySnapshot
    buyer: PartySnapshot
    language: str


def progress_statement(uow: UnitOfWork, actor: Actor, invoice_id: int) -> ProgressDocument:
    """The statement of an issued stage invoice: previous stages, this one, billed to date, what remains."""
    actor.require(Permission.INVOICES_READ)
    with uow:
        doc = uow.invoices.get(invoice_id)
        if doc is None:
            raise NotFound(f"invoice {invoice_id} not found", code="invoice.not_found")
        if doc.snapshot is None:
            raise InvalidState("only an issued invoice has a progress statement", code="invoice.not_issued")
        stage_lines = [line for line in doc.lines if line.category == STAGE]
        if not stage_lines:
            raise ValidationFailed(f"{doc.number} bills no project stage", code="progress.no_stage")
        contract = uow.contracts.get_by_number(stage_lines[0].contract_number)
        if contract is None or contract.contract_value is None:
            raise NotFound("the project contract is gone", code="contract.not_found")
        issued = uow.invoices.issued_lines_of(contract.number, STAGE)
    mine = [(i, n, d, line) for i, n, d, line in issued if i == doc.id]
    earlier = [(i, n, d, line) for i, n, d, line in issued if (d, i) < (mine[0][2], mine[0][0])]
    current = _stage(mine)
    statement = ProgressStatement(
        number=f"PS-{doc.snapshot.number}",
        statement_date=doc.snapshot.issue_date,
        contract_number=contract.number,
        contract_description=f"{contract.number}: repair and modernisation works",
        contract_value=Money(contract.contract_value, contract.currency).rounded(),
        previous=tuple(
            _stage([r for r in earlier if r[0] == invoice]) for invoice in dict.fromkeys(r[0] for r in earlier)
        ),
        current=current,
    )
    return ProgressDocument(statement, doc.snapshot.seller, doc.snapshot.buyer, doc.snapshot.language)


def _stage(rows: list[tuple[int, str, date, Line]]) -> ProgressStage:
    """One billed stage: the stage lines of one invoice, with its number, date and net amount."""
    lines = [line for *_, line in rows]
    net = total((line.net() for line in lines), lines[0].unit_price.currency)
    return ProgressStage("; ".join(line.description for line in lines), rows[0][1], rows[0][2], net)
