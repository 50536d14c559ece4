"""Keyword-only factories for test data; every argument has a sensible default."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from cashtrail.bootstrap import App
from cashtrail.catalog.model import Product
from cashtrail.contracts.model import Contract
from cashtrail.identity.model import Actor, User
from cashtrail.identity.services import create_user
from cashtrail.invoicing.snapshot import DocumentSnapshot
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


def api_token(app: App, *, username: str = "ann", roles: list[str] | None = None) -> str:
    """A new user with ``roles`` (billing analyst by default) and the secret of a fresh API token of theirs."""
    from cashtrail.identity.services import issue_api_token

    user(app, username=username, roles=roles)
    return issue_api_token(app.uow(), app.clock, Actor.system(), username, f"{username}-token")


# --- Import files (``cashtrail import``): rows as dicts, written as CSV or XLSX in a test's tmp_path ---


def customer_row(**overrides: str) -> dict[str, str]:
    """One valid customers-file row (BE, Dutch, EUR, N30) with ``overrides`` applied."""
    row = {
        "number": "C0001",
        "legal_name": "Acme Lifts NV",
        "country": "BE",
        "language": "nl",
        "currency": "EUR",
        "payment_terms": "N30",
        "vat_number": "BE0403170701",
        "credit_limit": "50000",
        "bill_to_line1": "Grote Markt 1",
        "bill_to_postal_code": "1000",
        "bill_to_city": "Brussel",
        "billing_contact_name": "Ann Peeters",
        "billing_contact_email": "billing@acme.example",
    }
    row.update(overrides)
    return row


def product_row(**overrides: str) -> dict[str, str]:
    """One valid products-file row with ``overrides`` applied."""
    row = {"sku": "SKU-1", "name": "Widget", "product_type": "hardware", "tax_category": "standard", "unit": "each"}
    row.update(overrides)
    return row


def price_row(**overrides: str) -> dict[str, str]:
    """One valid price-lists-file row (STD, EUR, from 2026-01-01, open-ended) with ``overrides`` applied."""
    row = {
        "code": "STD",
        "name": "Standard",
        "currency": "EUR",
        "valid_from": "2026-01-01",
        "valid_to": "",
        "sku": "SKU-1",
        "unit_price": "10.50",
    }
    row.update(overrides)
    return row


def csv_file(
    path: Path, rows: Sequence[Mapping[str, object]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    """Write ``rows`` as CSV under a header of every key seen (in first-seen order); returns ``path``."""
    header = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[row.get(column, "") for column in header] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def xlsx_file(path: Path, rows: Sequence[Sequence[object]], *, sheet_title: str = "Data") -> Path:
    """Write ``rows`` (the header first) to the first worksheet of a new workbook; returns ``path``."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def belgian_vat(*, seed: int) -> str:
    """A valid Belgian VAT number (BE + 10 digits, mod-97 check) that differs for every ``seed`` below 10**7."""
    base = 2_000_000 + seed % 10**7
    digits = f"{base:08d}"
    return f"BE{digits}{97 - int(digits) % 97:02d}"


# --- Contracts ---


def lift_contract(
    app: App,
    *,
    number: str = "LIFT-1",
    customer: str = "C1",
    fee: str = "205.00",
    callout_rate: str | None = None,
    units: Sequence[str] = ("L1",),
) -> Contract:
    """A maintenance contract from 2026-01-01, monthly in advance, one fee per unit; callout terms (minimum 60
    minutes, rounded to 15) when ``callout_rate`` is given."""
    from cashtrail.billing.callouts import CalloutTerms
    from cashtrail.contracts.model import MaintenanceUnit
    from cashtrail.contracts.services import register_contract

    terms = (
        None
        if callout_rate is None
        else CalloutTerms(normal_hourly_rate=Decimal(callout_rate), minimum_minutes=60, increment_minutes=15)
    )
    return register_contract(
        app.uow(),
        app.clock,
        Actor.system(),
        Contract(
            number=number,
            customer_number=customer,
            kind="maintenance",
            currency="EUR",
            start_date=date(2026, 1, 1),
            units=[
                MaintenanceUnit(
                    u, "Tower", f"Lift {u[-1]}" if len(units) > 1 else "Lift A", Decimal(fee), date(2026, 1, 1)
                )
                for u in units
            ],
            callout_terms=terms,
        ),
    )


def document_snapshot(
    *,
    kind: str = "invoice",
    language: str = "en",
    seller_country: str = "BE",
    buyer_country: str = "BE",
    buyer_vat: str | None = "BE0403170701",
    lines: Sequence[tuple[str, str, str, str]] = (
        ("Maintenance fee, lift L-01, April 2026", "1", "250.00", "standard"),
        ("Callout 2026-04-12, 95 min out of hours", "1.75", "96.50", "standard"),
        ("Spare part: door contact", "2", "41.30", "reduced"),
    ),
    number: str = "INV-BE-2026-000001",
    issue_date: date = date(2026, 4, 30),
    currency: str = "EUR",
) -> DocumentSnapshot:
    """A reconciling invoice or credit note snapshot; ``lines`` are (description, quantity, unit price, category)."""
    from cashtrail.invoicing.references import ogm_reference, rf_reference
    from cashtrail.invoicing.snapshot import Heading, PartySnapshot, PostalAddress, PrecedingInvoice, build_snapshot
    from cashtrail.invoicing.tax import TaxContext, decide_vat
    from cashtrail.invoicing.totals import DocumentKind, Line, compute_totals
    from cashtrail.money import Money

    context = TaxContext(seller_country, buyer_country, buyer_is_business=True, buyer_vat_number=buyer_vat)
    doc_lines = [
        Line(Decimal(q), Money.of(p, currency), decide_vat(context, cat, issue_date), d, item_id=f"ITEM-{i}")
        for i, (d, q, p, cat) in enumerate(lines, start=1)
    ]
    doc_kind = DocumentKind(kind)
    totals = compute_totals(doc_lines, currency=currency, kind=doc_kind)
    reference = ogm_reference(int(number[-6:]) + 1000) if buyer_country == "BE" else rf_reference(number)
    seller = PartySnapshot(
        name="Cashtrail Demo Services SA",
        address=PostalAddress("Rue de la Loi 16", "1000", "Bruxelles", seller_country),
        vat_number="BE0202239951",
        company_id="0202239951",
        endpoint="0202239951",
        endpoint_scheme="0208",
        email="billing@demo.cashtrail.dev",
        number="BE01",
        iban="BE68539007547034",
        bic="GKCCBEBB",
    )
    buyer = PartySnapshot(
        name="Acme Lifts NV",
        address=PostalAddress("Meir 1", "2000", "Antwerpen", buyer_country),
        vat_number=buyer_vat,
        endpoint=(buyer_vat or "billing@acme.example")[2:] if buyer_vat else "billing@acme.example",
        endpoint_scheme="0208" if buyer_vat and buyer_vat.startswith("BE") else ("9957" if buyer_vat else "EM"),
        email="billing@acme.example",
        number="C0001",
    )
    heading = Heading(
        number=number,
        issue_date=issue_date,
        due_date=date.fromordinal(issue_date.toordinal() + 30),
        language=language,
        seller=seller,
        buyer=buyer,
        payment_reference=reference.value,
        payment_reference_display=reference.formatted(),
        payment_terms="Net 30 days",
        buyer_reference="PO-4711",
        contract_reference="LFT-00001",
        preceding=PrecedingInvoice("INV-BE-2026-000000", date(2026, 3, 31))
        if doc_kind.value == "credit_note"
        else None,
    )
    return build_snapshot(totals, heading)


ENTITY_DATA = {
    "BE": (
        "Cashtrail Services Belgium NV",
        "BE0202239951",
        "Rue de la Loi 16",
        "1000",
        "Bruxelles",
        "BE68539007547034",
    ),
    "FR": (
        "Cashtrail Services France SAS",
        "FR40303265045",
        "1 rue de Rivoli",
        "75001",
        "Paris",
        "FR1420041010050500013M02606",
    ),
}


def legal_entity(app: App, *, code: str = "BE01", country: str = "BE", default: bool = True, **kw: object):  # noqa: ANN201
    """A legal entity of the group (BE or FR data); ``kw`` overrides fields (approval rules, ...)."""
    from cashtrail.parties.entities import LegalEntity
    from cashtrail.parties.entity_services import define_legal_entity

    name, vat, street, postal, city, iban = ENTITY_DATA[country]
    entity = LegalEntity(
        code=code,
        name=name,
        country=country,
        vat_number=vat,
        address_line1=street,
        postal_code=postal,
        city=city,
        iban=iban,
        bic="GKCCBEBB",
        company_id=vat[2:],
        email=f"billing-{code.lower()}@cashtrail.example",
        is_default=default,
    )
    for key, value in kw.items():
        setattr(entity, key, value)
    return define_legal_entity(app.uow(), app.clock, Actor.system(), entity)
