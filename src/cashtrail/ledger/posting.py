"""What issuing a document posts: the journal entry and the open item of an invoice or a credit note.

An invoice debits AR control with its gross and credits revenue (by the category of each line) with the nets and
VAT payable with the VAT; a credit note posts the opposite. The open item carries the signed gross (positive for an
invoice, negative for a credit note), the due date and the payment reference.

>>> from cashtrail.money import Money
>>> entry = document_entry(
...     kind="invoice", number="INV-BE01-2026-000001", customer_number="C1", issue_date=date(2026, 4, 30),
...     nets={"fee": Money.of("100.00", "EUR")}, vat=Money.of("21.00", "EUR"))
>>> [(p.account.value, str(p.amount.amount)) for p in entry.postings]
[('1100', '121.00'), ('4000', '-100.00'), ('2100', '-21.00')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from cashtrail.ledger.model import Account, ItemKind, JournalEntry, OpenItem, Posting, revenue_account
from cashtrail.money import Money


def document_entry(
    *,
    kind: str,
    number: str,
    customer_number: str,
    issue_date: date,
    nets: Mapping[str, Money],
    vat: Money,
) -> JournalEntry:
    """The entry of an issued ``kind`` (invoice or credit_note) whose nets per line category are ``nets``."""
    sign = 1 if kind == ItemKind.INVOICE else -1
    by_account: dict[Account, Money] = defaultdict(lambda: Money.zero(vat.currency))
    for category, net in sorted(nets.items()):
        by_account[revenue_account(category)] += net
    gross = sum(by_account.values(), Money.zero(vat.currency)) + vat
    postings = [Posting(Account.AR_CONTROL, gross * sign, customer_number)]
    postings += [Posting(account, -amount * sign) for account, amount in by_account.items() if not amount.is_zero()]
    if not vat.is_zero():
        postings.append(Posting(Account.VAT_PAYABLE, -vat * sign))
    label = "Invoice" if kind == ItemKind.INVOICE else "Credit note"
    return JournalEntry(issue_date, kind, "document", number, f"{label} {number}", tuple(postings))


def document_item(
    *,
    kind: str,
    number: str,
    customer_number: str,
    legal_entity: str,
    gross: Money,
    issue_date: date,
    due_date: date,
    payment_reference: str,
    invoice_id: int | None,
) -> OpenItem:
    """The open item of an issued document: the signed gross, open in full."""
    sign = 1 if kind == ItemKind.INVOICE else -1
    return OpenItem(
        customer_number,
        ItemKind(kind),
        number,
        gross * sign,
        issue_date,
        due_date,
        legal_entity=legal_entity,
        payment_reference=payment_reference,
        invoice_id=invoice_id,
    )
