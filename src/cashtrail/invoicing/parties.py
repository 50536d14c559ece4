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


#: ISO 6523 ICD of each country's company register, where Peppol knows one (BE KBO/BCE, NL KvK, FR SIREN).
REGISTER_SCHEMES = {"BE": "0208", "NL": "0106", "FR": "0002"}


def registration(country: str, number: str | None, vat_number: str | None) -> tuple[str | None, str | None]:
    """(registration number, ISO 6523 scheme): the number given, else the one the VAT number contains (BE: the
    enterprise number; FR: the SIREN); the scheme only when the country's register has one.

    >>> registration("BE", None, "BE0403170701"), registration("FR", None, "FR40303265045")
    (('0403170701', '0208'), ('303265045', '0002'))
    >>> registration("NL", "17000001", "NL004495445B01"), registration("DE", "HRB 12345", None)
    (('17000001', '0106'), ('HRB 12345', None))
    """
    if not number and vat_number and country == "BE":
        number = vat_number[2:]
    elif not number and vat_number and country == "FR":
        number = vat_number[4:]
    if not number:
        return None, None
    return number, REGISTER_SCHEMES.get(country)


def seller_party(entity: LegalEntity) -> PartySnapshot:
    """The selling entity as printed."""
    endpoint, endpoint_scheme = (
        (entity.endpoint, entity.endpoint_scheme)
        if entity.endpoint
        else endpoint_for(entity.country, entity.vat_number, entity.email)
    )
    company_id, scheme = registration(entity.country, entity.company_id, entity.vat_number)
    return PartySnapshot(
        name=entity.name,
        address=PostalAddress(entity.address_line1, entity.postal_code, entity.city, entity.country),
        vat_number=entity.vat_number,
        company_id=company_id,
        company_id_scheme=scheme,
        endpoint=endpoint,
        endpoint_scheme=endpoint_scheme,
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
    endpoint, endpoint_scheme = endpoint_for(customer.country, customer.vat_number, email)
    company_id, scheme = registration(customer.country, customer.registration_number, customer.vat_number)
    postal = (
        PostalAddress(address.line1, address.postal_code, address.city, address.country, address.line2)
        if address
        else PostalAddress("", "", "", customer.country)
    )
    return PartySnapshot(
        name=customer.legal_name,
        address=postal,
        vat_number=customer.vat_number,
        company_id=company_id,
        company_id_scheme=scheme,
        endpoint=endpoint,
        endpoint_scheme=endpoint_scheme,
        email=email,
        phone=contact.phone if contact and contact.phone else None,
        number=customer.number,
    )
