"""What a rendered invoice or credit note prints besides its figures: the legal mentions and the reference kind.

The snapshot's own mentions (VAT exemption reasons, frozen at issue) come first, then the seller country's texts
from :func:`cashtrail.invoicing.mentions.country_mentions`; duplicates are printed once, so a snapshot that already
carries the country texts does not print them twice. PDF and UBL use the same list.
"""

from __future__ import annotations

from cashtrail.invoicing.mentions import country_mentions
from cashtrail.invoicing.snapshot import DocumentSnapshot
from cashtrail.invoicing.totals import DocumentKind


def legal_mentions(doc: DocumentSnapshot) -> tuple[str, ...]:
    """The snapshot's legal mentions followed by the seller country's, without repeats."""
    extra = country_mentions(
        doc.seller.address.country,
        doc.language,
        credit_note=doc.kind == DocumentKind.CREDIT_NOTE,
        vat_charged=doc.vat > 0,
    )
    return tuple(dict.fromkeys(text for text in (*doc.mentions, *extra) if text.strip()))


def reference_kind(reference: str) -> str:
    """``rf`` for an ISO 11649 creditor reference, ``ogm`` for a Belgian structured communication."""
    return "rf" if reference.upper().startswith("RF") else "ogm"
