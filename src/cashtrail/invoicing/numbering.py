"""Document numbers and payment references.

Numbers are gapless and chronological per series: one series per legal entity, document kind and calendar year of
the issue date (``INV-BE01-2026-000042``, ``CN-BE01-2026-000007``). The number is allocated inside the transaction
that issues the document, so a rolled-back issue gives its number back and the next one reuses it: a number is
either on an issued document or was never handed out. Within a series, issue dates never go backwards (invoices
numbered in the order they are dated, as Belgian and French rules require).

Every document carries a structured payment reference that cash application matches on: the Belgian structured
communication (OGM/VCS) built from the document's id for customers in Belgium, else the ISO 11649 RF reference of
the document number.

>>> format_number("INV", "BE01", 2026, 42)
'INV-BE01-2026-000042'
>>> payment_reference_for("BE", document_id=123, number="INV-BE01-2026-000042").formatted()
'+++000/0000/12326+++'
>>> payment_reference_for("FR", document_id=123, number="INV-BE01-2026-000042").value
'RF71INVBE012026000042'
"""

from __future__ import annotations

from cashtrail.invoicing.references import PaymentReference, ogm_reference, rf_reference
from cashtrail.invoicing.totals import DocumentKind

PREFIXES = {DocumentKind.INVOICE: "INV", DocumentKind.CREDIT_NOTE: "CN"}
_DIGITS = 6


def series_prefix(kind: DocumentKind) -> str:
    """The letters that start the numbers of a document kind."""
    return PREFIXES[kind]


def format_number(prefix: str, entity: str, year: int, sequence: int) -> str:
    """The printed number of the ``sequence``-th document of a series."""
    return f"{prefix}-{entity}-{year}-{sequence:0{_DIGITS}d}"


def payment_reference_for(customer_country: str, *, document_id: int, number: str) -> PaymentReference:
    """The structured reference printed on the document: OGM/VCS for Belgian customers, else RF."""
    if customer_country == "BE":
        return ogm_reference(document_id)
    return rf_reference(number)
