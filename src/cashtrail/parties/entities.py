"""Legal entities: the companies of the group that sell, issue invoices and receive payments.

A legal entity has its own VAT number, registration, bank account, invoice number series and approval rules. The
entity that bills a customer is the one in the customer's country, else the group's default entity
(:func:`seller_for`): a Spanish customer of a group without a Spanish company is billed from the default entity,
which makes a cross-border supply (reverse charge, intra-Community supply, export).

Invariants: the code is unique and short (it appears in every invoice number); the country is an ISO code; the VAT
number is valid for the country; the IBAN has valid check digits; the Peppol endpoint has a scheme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import available_timezones

from cashtrail.errors import FieldError, NotFound
from cashtrail.money import Money
from cashtrail.parties.identifiers import is_country, normalize_iban, normalize_vat


@dataclass(eq=False)
class LegalEntity:
    code: str
    name: str
    country: str
    vat_number: str
    address_line1: str
    postal_code: str
    city: str
    iban: str
    bic: str = ""
    company_id: str = ""  # legal registration (BE enterprise number, FR SIREN, NL KvK, ES NIF, DE HRB)
    email: str = ""
    phone: str = ""
    endpoint: str = ""  # Peppol electronic address, with its EAS scheme
    endpoint_scheme: str = ""
    timezone: str = "Europe/Brussels"
    currency: str = "EUR"
    is_default: bool = False
    #: Approval rules: drafts above the threshold, a contract's first invoice and credit notes need a second person.
    approval_threshold: Decimal | None = Decimal("10000")
    approve_first_invoice: bool = True
    approve_credit_notes: bool = True
    id: int | None = None

    def threshold_money(self) -> Money | None:
        """The approval threshold in the entity's currency."""
        return None if self.approval_threshold is None else Money(self.approval_threshold, self.currency)

    def snapshot(self) -> dict[str, object]:
        return {k: v for k, v in vars(self).items() if k != "id"}


def check_legal_entity(entity: LegalEntity) -> list[FieldError]:
    """Validate and normalize ``entity`` in place; return every problem found."""
    errors: list[FieldError] = []
    entity.code = entity.code.strip().upper()
    if not entity.code or len(entity.code) > 8 or not entity.code.isalnum():
        errors.append(FieldError("code", "must be 1 to 8 letters or digits", value=entity.code))
    for name in ("name", "address_line1", "postal_code", "city"):
        if not str(getattr(entity, name)).strip():
            errors.append(FieldError(name, "is required"))
    entity.country = entity.country.strip().upper()
    if not is_country(entity.country):
        errors.append(FieldError("country", "is not an ISO 3166 alpha-2 country code", value=entity.country))
    else:
        try:
            entity.vat_number = normalize_vat(entity.vat_number, entity.country)
        except ValueError as exc:
            errors.append(FieldError("vat_number", str(exc), value=entity.vat_number))
    try:
        entity.iban = normalize_iban(entity.iban)
    except ValueError as exc:
        errors.append(FieldError("iban", str(exc), value=entity.iban))
    if bool(entity.endpoint) != bool(entity.endpoint_scheme):
        errors.append(FieldError("endpoint_scheme", "the Peppol endpoint and its scheme go together"))
    if entity.timezone not in available_timezones():
        errors.append(FieldError("timezone", "is not an IANA time zone", value=entity.timezone))
    if entity.approval_threshold is not None and entity.approval_threshold < 0:
        errors.append(FieldError("approval_threshold", "must not be negative", value=entity.approval_threshold))
    return errors


def seller_for(customer_country: str, entities: Sequence[LegalEntity]) -> LegalEntity:
    """The entity that bills a customer in ``customer_country``: the local one, else the default one."""
    local = [e for e in entities if e.country == customer_country]
    if local:
        return min(local, key=lambda e: e.code)
    default = [e for e in entities if e.is_default]
    if not default:
        raise NotFound(
            f"no legal entity bills customers in {customer_country} and none is the default",
            code="legal_entity.none_for_country",
            country=customer_country,
        )
    return default[0]
