"""The acceptance checklist: the documents an order needs before it may be accepted.

Every order needs the signed contract or quote, the customer's purchase order and a credit check; an order that
claims a tax exemption (a line taxed below its product's category, or the header flag) also needs the exemption
certificate. Each item is complete when a document for it is attached, when a person waived it with a reason, or
(credit check only) when the automatic credit check passed. An order is accepted only when every required item is
complete and no finding is open (:func:`acceptance_blockers`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from cashtrail.orders.model import Order


class ChecklistItem(StrEnum):
    SIGNED_CONTRACT_OR_QUOTE = "signed_contract_or_quote"
    PURCHASE_ORDER = "purchase_order"
    TAX_EXEMPTION_CERTIFICATE = "tax_exemption_certificate"
    CREDIT_CHECK = "credit_check"


class MarkKind(StrEnum):
    WAIVED = "waived"  # a person decided the item is not needed, with a reason
    PASSED = "passed"  # the automatic credit check passed


@dataclass(frozen=True)
class OrderDocument:
    """A file stored on the order, for a checklist item or just listed on it."""

    item: str | None
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    id: int | None = None


@dataclass(frozen=True)
class ChecklistMark:
    """An item completed without a document: waived with a reason, or a passed credit check."""

    item: str
    kind: str
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class ChecklistEntry:
    item: str
    required: bool
    status: str  # attached, waived, passed, missing or not_required
    documents: tuple[str, ...] = ()
    mark: ChecklistMark | None = None

    @property
    def complete(self) -> bool:
        return self.status != "missing"


def required_items(order: Order) -> list[ChecklistItem]:
    """The items ``order`` needs."""
    items = [ChecklistItem.SIGNED_CONTRACT_OR_QUOTE, ChecklistItem.PURCHASE_ORDER, ChecklistItem.CREDIT_CHECK]
    if order.tax_exemption_claimed:
        items.insert(2, ChecklistItem.TAX_EXEMPTION_CERTIFICATE)
    return items


def checklist(order: Order, documents: Sequence[OrderDocument], marks: Sequence[ChecklistMark]) -> list[ChecklistEntry]:
    """Every item with its status, the documents attached for it and its waiver or passed check."""
    required = set(required_items(order))
    entries = []
    for item in ChecklistItem:
        names = tuple(d.filename for d in documents if d.item == item)
        mark = next((m for m in reversed(marks) if m.item == item), None)
        if names:
            status = "attached"
        elif mark is not None:
            status = mark.kind
        else:
            status = "missing" if item in required else "not_required"
        entries.append(ChecklistEntry(item, item in required, status, names, mark))
    return entries


def acceptance_blockers(entries: Sequence[ChecklistEntry], open_findings: int) -> list[str]:
    """Why the order cannot be accepted yet (empty when it can)."""
    reasons = [f"{e.item.replace('_', ' ')} missing" for e in entries if not e.complete]
    if open_findings:
        reasons.append(f"{open_findings} open finding(s) need a correction or a supervisor's override")
    return reasons
