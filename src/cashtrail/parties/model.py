"""Customers and payment terms.

A customer is a legal entity we bill. Invariants checked by :func:`check_customer` (every problem at once, as a
list of ``FieldError``): the number is present, the country is ISO 3166 alpha-2, the language is one Cashtrail
writes documents in, the currency is ISO 4217, the VAT number is valid for the country, the credit limit is not
negative, and a customer is not its own parent.

Payment terms turn an invoice date into a due date (net N days, or end of month plus N days) and may grant a
cash discount when paid within a number of days.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.money import Money, check_currency
from cashtrail.parties.identifiers import LANGUAGES, is_country, normalize_iban, normalize_vat


class AddressKind(StrEnum):
    BILL_TO = "bill_to"
    SHIP_TO = "ship_to"


class ContactRole(StrEnum):
    BILLING = "billing"
    GENERAL = "general"
    TECHNICAL = "technical"


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class TermsBasis(StrEnum):
    NET = "net"
    END_OF_MONTH = "end_of_month"


@dataclass(eq=False)
class Address:
    kind: str
    line1: str
    postal_code: str
    city: str
    country: str
    line2: str = ""
    name: str = ""
    id: int | None = None

    def snapshot(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "name": self.name,
            "line1": self.line1,
            "line2": self.line2,
            "postal_code": self.postal_code,
            "city": self.city,
            "country": self.country,
        }


@dataclass(eq=False)
class Contact:
    name: str
    email: str
    role: str = ContactRole.BILLING
    phone: str = ""
    id: int | None = None

    def snapshot(self) -> dict[str, object]:
        return {"name": self.name, "email": self.email, "role": self.role, "phone": self.phone}


@dataclass(eq=False)
class Customer:
    """A legal entity we bill."""

    number: str
    legal_name: str
    country: str
    language: str
    currency: str
    payment_terms_code: str
    vat_number: str | None = None
    credit_limit: Decimal | None = None
    iban: str | None = None
    parent_id: int | None = None
    collector_id: int | None = None
    analyst_id: int | None = None
    status: str = CustomerStatus.ACTIVE
    #: Legal registration (BE enterprise number, NL KvK, FR SIREN, ...); e-invoices to Dutch customers need it.
    registration_number: str | None = None
    addresses: list[Address] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    id: int | None = None

    def credit_limit_money(self) -> Money | None:
        """The credit limit in the customer's currency, or None when unlimited."""
        return None if self.credit_limit is None else Money(self.credit_limit, self.currency)

    def address(self, kind: AddressKind) -> Address | None:
        """The first address of ``kind`` (bill-to falls back to none; ship-to to bill-to)."""
        for addr in self.addresses:
            if addr.kind == kind:
                return addr
        return self.address(AddressKind.BILL_TO) if kind == AddressKind.SHIP_TO else None

    def billing_contact(self) -> Contact | None:
        """The contact invoices go to: the first billing contact, else the first contact."""
        billing = [c for c in self.contacts if c.role == ContactRole.BILLING]
        candidates = billing or self.contacts
        return candidates[0] if candidates else None

    def snapshot(self) -> dict[str, object]:
        """Field values for audit diffs."""
        return {
            "number": self.number,
            "legal_name": self.legal_name,
            "country": self.country,
            "language": self.language,
            "currency": self.currency,
            "payment_terms_code": self.payment_terms_code,
            "vat_number": self.vat_number,
            "credit_limit": self.credit_limit,
            "iban": self.iban,
            "parent_id": self.parent_id,
            "collector_id": self.collector_id,
            "analyst_id": self.analyst_id,
            "status": self.status,
            "registration_number": self.registration_number,
            "addresses": [a.snapshot() for a in self.addresses],
            "contacts": [c.snapshot() for c in self.contacts],
        }


def check_customer(customer: Customer) -> list[FieldError]:
    """Validate and normalize ``customer`` in place; return every problem found (empty when valid)."""
    errors: list[FieldError] = []
    customer.number = customer.number.strip()
    customer.legal_name = customer.legal_name.strip()
    if not customer.number:
        errors.append(FieldError("number", "is required"))
    if not customer.legal_name:
        errors.append(FieldError("legal_name", "is required"))
    customer.country = customer.country.strip().upper()
    if not is_country(customer.country):
        errors.append(FieldError("country", "is not an ISO 3166 alpha-2 country code", value=customer.country))
    customer.language = customer.language.strip().lower()
    if customer.language not in LANGUAGES:
        errors.append(FieldError("language", f"must be one of {', '.join(LANGUAGES)}", value=customer.language))
    try:
        customer.currency = check_currency(customer.currency)
    except ValidationFailed:
        errors.append(FieldError("currency", "is not an ISO 4217 currency code", value=customer.currency))
    if customer.vat_number and is_country(customer.country):
        try:
            customer.vat_number = normalize_vat(customer.vat_number, customer.country)
        except ValueError as exc:
            errors.append(FieldError("vat_number", str(exc), value=customer.vat_number))
    if customer.iban:
        try:
            customer.iban = normalize_iban(customer.iban)
        except ValueError as exc:
            errors.append(FieldError("iban", str(exc), value=customer.iban))
    if customer.credit_limit is not None and customer.credit_limit < 0:
        errors.append(FieldError("credit_limit", "must not be negative", value=customer.credit_limit))
    if customer.id is not None and customer.parent_id == customer.id:
        errors.append(FieldError("parent", "a customer cannot be its own parent"))
    for addr in customer.addresses:
        addr.country = addr.country.strip().upper()
        if not is_country(addr.country):
            errors.append(
                FieldError(f"{addr.kind}_country", "is not an ISO 3166 alpha-2 country code", value=addr.country)
            )
    for contact in customer.contacts:
        if contact.email and "@" not in contact.email:
            errors.append(FieldError("contact_email", "is not an e-mail address", value=contact.email))
    return errors


@dataclass(eq=False)
class PaymentTerms:
    """How long a customer has to pay, and any cash discount for paying early."""

    code: str
    description: str
    basis: str = TermsBasis.NET
    days: int = 30
    discount_percent: Decimal = Decimal(0)
    discount_days: int = 0
    id: int | None = None

    def due_date(self, invoice_date: date) -> date:
        """The due date of an invoice dated ``invoice_date``.

        >>> PaymentTerms("N30", "Net 30").due_date(date(2026, 1, 15))
        datetime.date(2026, 2, 14)
        >>> PaymentTerms("EOM30", "EOM + 30", TermsBasis.END_OF_MONTH, 30).due_date(date(2026, 1, 15))
        datetime.date(2026, 3, 2)
        """
        if self.basis == TermsBasis.END_OF_MONTH:
            last = calendar.monthrange(invoice_date.year, invoice_date.month)[1]
            return invoice_date.replace(day=last) + timedelta(days=self.days)
        return invoice_date + timedelta(days=self.days)

    def discount_deadline(self, invoice_date: date) -> date | None:
        """The last day the cash discount applies, or None when the terms grant none."""
        if not self.discount_percent or not self.discount_days:
            return None
        return invoice_date + timedelta(days=self.discount_days)

    def discount_on(self, amount: Money, invoice_date: date, paid_on: date) -> Money:
        """The cash discount a payment on ``paid_on`` may take on ``amount`` (zero when late or none).

        >>> t = PaymentTerms("2/10N30", "2% 10, net 30", discount_percent=Decimal(2), discount_days=10)
        >>> t.discount_on(Money.of("1000", "EUR"), date(2026, 1, 1), date(2026, 1, 11)).rounded()
        Money('20.00', 'EUR')
        """
        deadline = self.discount_deadline(invoice_date)
        if deadline is None or paid_on > deadline:
            return Money.zero(amount.currency)
        return amount * (self.discount_percent / 100)

    def snapshot(self) -> dict[str, object]:
        return {
            "code": self.code,
            "description": self.description,
            "basis": self.basis,
            "days": self.days,
            "discount_percent": self.discount_percent,
            "discount_days": self.discount_days,
        }


def check_payment_terms(terms: PaymentTerms) -> list[FieldError]:
    """Every problem with ``terms`` (empty when valid)."""
    errors: list[FieldError] = []
    if not terms.code.strip():
        errors.append(FieldError("code", "is required"))
    if terms.basis not in TermsBasis.__members__.values():
        errors.append(FieldError("basis", "must be net or end_of_month", value=terms.basis))
    if terms.days < 0:
        errors.append(FieldError("days", "must not be negative", value=terms.days))
    if not (0 <= terms.discount_percent < 100):
        errors.append(FieldError("discount_percent", "must be between 0 and 100", value=terms.discount_percent))
    if terms.discount_days < 0 or (terms.discount_percent and terms.discount_days > terms.days):
        errors.append(FieldError("discount_days", "must be between 0 and the net days", value=terms.discount_days))
    return errors
