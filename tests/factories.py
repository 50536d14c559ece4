"""Keyword-only factories for test data; every argument has a sensible default."""

from __future__ import annotations

from decimal import Decimal

from cashtrail.bootstrap import App
from cashtrail.catalog.model import Product
from cashtrail.identity.model import Actor, User
from cashtrail.identity.services import create_user
from cashtrail.parties.model import Address, Contact, Customer, PaymentTerms
from cashtrail.parties.services import define_payment_terms, register_customer


def payment_terms(app: App, *, code: str = "N30", days: int = 30) -> PaymentTerms:
    return define_payment_terms(
        app.uow(), app.clock, Actor.system(), PaymentTerms(code=code, description=f"Net {days}", days=days)
    )


def customer_draft(
    *,
    number: str = "C0001",
    legal_name: str = "Acme Lifts NV",
    country: str = "BE",
    language: str = "nl",
    currency: str = "EUR",
    vat_number: str | None = "BE0403170701",
    payment_terms_code: str = "N30",
    credit_limit: Decimal | None = Decimal("50000"),
    iban: str | None = None,
) -> Customer:
    return Customer(
        number=number,
        legal_name=legal_name,
        country=country,
        language=language,
        currency=currency,
        vat_number=vat_number,
        payment_terms_code=payment_terms_code,
        credit_limit=credit_limit,
        iban=iban,
        addresses=[Address(kind="bill_to", line1="Grote Markt 1", postal_code="1000", city="Brussel", country=country)],
        contacts=[Contact(name="Ann Peeters", email="billing@acme.example")],
    )


def customer(app: App, **kwargs: object) -> Customer:
    code = str(kwargs.get("payment_terms_code", "N30"))
    with app.uow() as uow:
        known = uow.payment_terms.get_by_code(code) is not None
    if not known:
        payment_terms(app, code=code)
    return register_customer(app.uow(), app.clock, Actor.system(), customer_draft(**kwargs))  # type: ignore[arg-type]


def product(*, sku: str = "SKU-1", name: str = "Widget", product_type: str = "hardware") -> Product:
    return Product(sku=sku, name=name, product_type=product_type)


def user(
    app: App,
    *,
    username: str = "ann",
    roles: list[str] | None = None,
    password: str = "correct horse battery",
) -> User:
    return create_user(
        app.uow(),
        app.clock,
        Actor.system(),
        username=username,
        full_name=username.title(),
        email=f"{username}@cashtrail.example",
        roles=roles or ["billing_analyst"],
        password=password,
    )
