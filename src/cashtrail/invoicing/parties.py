"""The seller and the buyer as a document prints them, built from the legal entity and the customer.

The Peppol electronic address (EN 16931 BT-34 / BT-49) is the party's own when it has one; otherwise it is derived
from its identifiers with the Peppol EAS scheme of its country: the Belgian enterprise number (``0208``), or the
VAT number under the national VAT scheme (FR ``9957``, NL ``9944``, ES ``9920``, DE ``9930``, GB ``9932``, and the
other member states' schemes below), else the e-mail address (``EM``).
"""

from __future__ import annotations

from cashtrail.invoicing.snapshot import PartySnapshot, PostalAddress
from cashtrail.parties.entities import LegalEntity
from cashtrail.parties.model import AddressKind, Customer

#: Peppol EAS codes of the national VAT-number schemes.
VAT_SCHEMES = {
    "AT": "9914",
    "BE": "9925",
    "DE": "9930",
    "ES": "9920",
    "FR": "9957",
    "GB": "9932",
    "IE": "9935",
    "IT": "9906",
    "LU": "9938",
    "NL": "9944",
    "PT": "9946",
}


def endpoint_for(country: str, vat_number: str | None, email: str | None) -> tuple[str | None, str | None]:
    """The (endpoint id, EAS scheme) a party is reachable at on Peppol, derived from its identifiers.

    >>> endpoint_for("BE", "BE0403170701", None)
    ('0403170701', '0208')
    >>> endpoint_for("FR", "FR40303265045", None)
    ('FR40303265045', '9957')
    >>> endpoint_for("US", None, "ap@example.com")
    ('ap@example.com', 'EM')
    """
    if vat_number and country == "BE":
        return vat_number[2:], "0208"
    if vat_number and country in VAT_SCHEMES:
        return vat_number, VAT_SCHEMES[country]
    if email:
        return email, "EM"
    return None, None


def seller_party(entity: LegalEntity) -> PartySnapshot:
    """The selling entity as printed."""
    endpoint, scheme = (
        (entity.endpoint, entity.endpoint_scheme)
        if entity.endpoint
        else endpoint_for(entity.country, entity.vat_number, entity.email)
    )
    return PartySnapshot(
        name=entity.name,
        address=PostalAddress(entity.address_line1, entity.postal_code, entity.city, entity.country),
        vat_number=entity.vat_number,
        company_id=entity.company_id or None,
        endpoint=endpoint,
        endpoint_scheme=scheme,
        email=entity.email or None,
        phone=entity.phone or None,
        number=entity.code,
        iban=entity.iban,
        bic=entity.bic or None,
    )


def buyer_party(customer: Customer) -> PartySnapshot:
    """The customer as printed: its bill-to address (or its country alone) and its billing contact."""
    address = customer.address(AddressKind.BILL_TO)
    contact = customer.billing_contact()
    email = contact.email if contact else None
    endpoint, scheme = endpoint_for(customer.country, customer.vat_number, email)
    postal = (
        PostalAddress(address.line1, address.postal_code, address.city, address.country, address.line2)
        if address
        else PostalAddress("", "", "", customer.country)
    )
    return PartySnapshot(
        name=customer.legal_name,
        address=postal,
        vat_number=customer.vat_number,
        company_id=customer.vat_number[2:] if customer.vat_number and customer.country == "BE" else None,
        endpoint=endpoint,
        endpoint_scheme=scheme,
        email=email,
        phone=contact.phone if contact and contact.phone else None,
        number=customer.number,
    )
