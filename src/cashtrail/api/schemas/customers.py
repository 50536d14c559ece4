"""Customer schemas. Field names are the domain's, so domain field errors (``vat_number``) point at JSON fields.

``credit_limit`` is an amount in the customer's ``currency``, sent and returned as a decimal string. Internal ids
(parent, collector, analyst) are not exposed yet: the API names things by number, and those references will be
exposed by number or username when a client needs them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from cashtrail.api.schemas.common import Amount, Page, money_text
from cashtrail.parties.model import Address, AddressKind, Contact, ContactRole, Customer, CustomerStatus

_FORBID = ConfigDict(extra="forbid")


class AddressIn(BaseModel):
    model_config = _FORBID

    kind: AddressKind = AddressKind.BILL_TO
    name: str = Field("", max_length=200)
    line1: str = Field(max_length=200)
    line2: str = Field("", max_length=200)
    postal_code: str = Field(max_length=20)
    city: str = Field(max_length=100)
    country: str = Field(max_length=8, description="ISO 3166-1 alpha-2, e.g. `BE`.")

    def to_domain(self) -> Address:
        """The unsaved domain address."""
        return Address(**self.model_dump())


class ContactIn(BaseModel):
    model_config = _FORBID

    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    role: ContactRole = ContactRole.BILLING
    phone: str = Field("", max_length=40)

    def to_domain(self) -> Contact:
        """The unsaved domain contact."""
        return Contact(**self.model_dump())


class CustomerCreate(BaseModel):
    """A new customer. Country, language, currency, VAT number and IBAN are validated by the domain."""

    model_config = _FORBID

    number: str = Field(min_length=1, max_length=32, examples=["C0001"])
    legal_name: str = Field(max_length=200, examples=["Acme Lifts NV"])
    country: str = Field(max_length=8, examples=["BE"])
    language: str = Field(max_length=8, examples=["nl"])
    currency: str = Field(max_length=8, examples=["EUR"])
    payment_terms_code: str = Field(max_length=32, examples=["N30"])
    vat_number: str | None = Field(None, max_length=32, examples=["BE0403170701"])
    registration_number: str | None = Field(None, max_length=32, examples=["0403170701"])
    credit_limit: Amount | None = Field(None, description="In the customer's currency; null means no limit.")
    iban: str | None = Field(None, max_length=50)
    status: CustomerStatus = CustomerStatus.ACTIVE
    addresses: list[AddressIn] = Field(default_factory=list, max_length=20)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=50)

    def to_domain(self) -> Customer:
        """The unsaved domain customer."""
        scalars = self.model_dump(exclude={"addresses", "contacts"})
        return Customer(
            **scalars,
            addresses=[a.to_domain() for a in self.addresses],
            contacts=[c.to_domain() for c in self.contacts],
        )


_NOT_NULL = ("legal_name", "country", "language", "currency", "payment_terms_code", "status")


class CustomerPatch(BaseModel):
    """Fields to change; absent fields stay as they are, ``null`` clears an optional field."""

    model_config = _FORBID

    legal_name: str | None = Field(None, max_length=200)
    country: str | None = Field(None, max_length=8)
    language: str | None = Field(None, max_length=8)
    currency: str | None = Field(None, max_length=8)
    payment_terms_code: str | None = Field(None, max_length=32)
    vat_number: str | None = Field(None, max_length=32)
    registration_number: str | None = Field(None, max_length=32)
    credit_limit: Amount | None = None
    iban: str | None = Field(None, max_length=50)
    status: CustomerStatus | None = None
    reason: str | None = Field(None, max_length=500, description="Why; stored with the audit event.")

    @field_validator(*_NOT_NULL)
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Runs only for fields the client sent (defaults are not validated), so an explicit null is refused.
        if value is None:
            raise ValueError("must not be null")
        return value

    def changes(self) -> dict[str, Any]:
        """The fields the client sent, without ``reason``."""
        return self.model_dump(exclude_unset=True, exclude={"reason"})


class AddressOut(BaseModel):
    kind: str
    name: str
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str


class ContactOut(BaseModel):
    name: str
    email: str
    role: str
    phone: str


class CustomerOut(BaseModel):
    number: str
    legal_name: str
    country: str
    language: str
    currency: str
    payment_terms_code: str
    vat_number: str | None
    registration_number: str | None = None
    credit_limit: str | None = Field(description="Decimal string in `currency`; null means no limit.")
    iban: str | None
    status: str
    addresses: list[AddressOut]
    contacts: list[ContactOut]

    @classmethod
    def of(cls, customer: Customer) -> CustomerOut:
        """The API view of a domain customer."""
        limit = customer.credit_limit
        return cls(
            number=customer.number,
            legal_name=customer.legal_name,
            country=customer.country,
            language=customer.language,
            currency=customer.currency,
            payment_terms_code=customer.payment_terms_code,
            vat_number=customer.vat_number,
            registration_number=customer.registration_number,
            credit_limit=None if limit is None else money_text(limit, customer.currency),
            iban=customer.iban,
            status=str(customer.status),
            addresses=[AddressOut.model_validate(a.snapshot()) for a in customer.addresses],
            contacts=[ContactOut.model_validate(c.snapshot()) for c in customer.contacts],
        )


class CustomerPage(Page[CustomerOut]):
    """A page of customers."""
