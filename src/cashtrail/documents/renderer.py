"""The documents adapter behind :class:`cashtrail.ports.DocumentRenderer`: an issued snapshot's PDF and UBL files.

Invariant: :meth:`SnapshotRenderer.ubl` returns only a document that passes the UBL 2.1 XSD and the CEN EN 16931
rules (and the Peppol rules the generator enforces); otherwise it raises, so an invalid file is never archived or
sent.
"""

from __future__ import annotations

from cashtrail.documents.pdf import render_pdf
from cashtrail.documents.ubl import render_ubl
from cashtrail.documents.ubl_validation import validate_ubl
from cashtrail.invoicing.snapshot import DocumentSnapshot


class SnapshotRenderer:
    """Renders invoices and credit notes for the invoicing services (``renderer.pdf(s)``, ``renderer.ubl(s)``)."""

    def pdf(self, snapshot: DocumentSnapshot) -> bytes:
        """The PDF in the customer's language."""
        return render_pdf(snapshot)

    def ubl(self, snapshot: DocumentSnapshot) -> bytes:
        """The Peppol BIS 3.0 UBL, validated; raises ``PeppolRulesBroken`` or ``UblDocumentInvalid`` if invalid."""
        xml = render_ubl(snapshot)
        validate_ubl(xml).raise_if_invalid()
        return xml
