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
from cashtrail.invoicing.snapshot import DocumentSnapshot, PartySnapshot
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


# The seller as each supported seller country would print it: valid VAT, registration and IBAN of that country.
_SELLERS: dict[str, dict[str, str | None]] = {
    "BE": {
        "name": "Cashtrail Demo Services SA",
        "street": "Rue de la Loi 16", "postal": "1000", "city": "Bruxelles",
        "vat": "BE0202239951", "company_id": "0202239951", "scheme": "0208",
        "iban": "BE68539007547034", "bic": "GKCCBEBB", "legal": "SA, RPM Bruxelles",
    },
    "FR": {
        "name": "Cashtrail Démo Services SAS",
        "street": "12 rue de Rivoli", "postal": "75004", "city": "Paris",
        "vat": "FR40303265045", "company_id": "303265045", "scheme": "0002",
        "iban": "FR1420041010050500013M02606", "bic": "PSSTFRPPPAR",
        "legal": "SAS au capital de 50 000 €, RCS Paris 303 265 045",
    },
    "NL": {
        "name": "Cashtrail Demo Services B.V.",
        "street": "Damrak 1", "postal": "1012 LG", "city": "Amsterdam",
        "vat": "NL004495445B01", "company_id": "34123456", "scheme": "0106",
        "iban": "NL91ABNA0417164300", "bic": "ABNANL2A", "legal": None,
    },
    "ES": {
        "name": "Cashtrail Demo Servicios S.L.",
        "street": "Calle de Alcalá 1", "postal": "28014", "city": "Madrid",
        "vat": "ESB58378431", "company_id": "B58378431", "scheme": None,
        "iban": "ES9121000418450200051332", "bic": "CAIXESBBXXX",
        "legal": "Registro Mercantil de Madrid, tomo 1234, folio 56, hoja M-78901",
    },
    "DE": {
        "name": "Cashtrail Demo Services GmbH",
        "street": "Unter den Linden 1", "postal": "10117", "city": "Berlin",
        "vat": "DE136695976", "company_id": "HRB 123456", "scheme": None,
        "iban": "DE89370400440532013000", "bic": "COBADEFFXXX", "legal": "Amtsgericht Berlin-Charlottenburg HRB 123456",
    },
}  # fmt: skip
_BUYER_ADDRESSES = {
    "BE": ("Meir 1", "2000", "Antwerpen"),
    "FR": ("8 rue de la République", "69002", "Lyon"),
    "NL": ("Coolsingel 40", "3011 AD", "Rotterdam"),
    "ES": ("Passeig de Gràcia 10", "08007", "Barcelona"),
    "DE": ("Königsallee 1", "40212", "Düsseldorf"),
    "US": ("350 Fifth Avenue", "10118", "New York"),
    "CH": ("Bahnhofstrasse 1", "8001", "Zürich"),
}
# Peppol electronic-address schemes (EAS) for a buyer known by its VAT number.
_VAT_EAS = {"BE": "0208", "FR": "9957", "NL": "9944", "ES": "9920", "DE": "9930", "IT": "0211", "AT": "9914"}


def _seller_snapshot(country: str) -> PartySnapshot:
    from cashtrail.invoicing.snapshot import PartySnapshot, PostalAddress

    s = _SELLERS.get(country, _SELLERS["BE"])
    return PartySnapshot(
        name=str(s["name"]),
        address=PostalAddress(str(s["street"]), str(s["postal"]), str(s["city"]), country),
        vat_number=s["vat"],
        company_id=s["company_id"],
        company_id_scheme=s["scheme"],
        endpoint=str(s["vat"])[2:] if country == "BE" else s["vat"],
        endpoint_scheme=_VAT_EAS[country],
        email="billing@demo.cashtrail.dev",
        phone="+32 2 555 01 00",
        number=f"{country}01",
        iban=s["iban"],
        bic=s["bic"],
        legal_info=s["legal"],
    )


def _buyer_snapshot(country: str, vat: str | None, company_id: str | None) -> PartySnapshot:
    from cashtrail.invoicing.snapshot import PartySnapshot, PostalAddress

    street, postal, city = _BUYER_ADDRESSES.get(country, ("Main Street 1", "1000", "Capital"))
    vat_country = vat[:2] if vat else ""
    endpoint_scheme = _VAT_EAS.get(vat_country, "EM") if vat else "EM"
    endpoint = (vat[2:] if vat_country == "BE" else vat) if vat and endpoint_scheme != "EM" else "billing@acme.example"
    return PartySnapshot(
        name="Acme Lifts NV",
        address=PostalAddress(street, postal, city, country),
        vat_number=vat,
        company_id=company_id,
        company_id_scheme="0106" if company_id and country == "NL" else None,
        endpoint=endpoint,
        endpoint_scheme=endpoint_scheme,
        email="billing@acme.example",
        number="C0001",
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
    buyer_company_id: str | None = None,
    supply: str = "services",
) -> DocumentSnapshot:
    """A reconciling invoice or credit note snapshot; ``lines`` are (description, quantity, unit price, category).

    The seller is a company of ``seller_country`` (valid VAT number, registration and IBAN of that country); a
    Belgian seller's payment reference is an OGM, any other's an RF reference. ``supply`` is ``services`` or
    ``goods`` (goods to an EU business are an intra-Community supply, to a non-EU buyer an export)."""
    from cashtrail.invoicing.references import ogm_reference, rf_reference
    from cashtrail.invoicing.snapshot import Heading, PrecedingInvoice, build_snapshot
    from cashtrail.invoicing.tax import SupplyKind, TaxContext, decide_vat
    from cashtrail.invoicing.totals import DocumentKind, Line, compute_totals
    from cashtrail.money import Money

    context = TaxContext(
        seller_country, buyer_country, buyer_is_business=True, buyer_vat_number=buyer_vat, supply=SupplyKind(supply)
    )
    doc_lines = [
        Line(Decimal(q), Money.of(p, currency), decide_vat(context, cat, issue_date), d, item_id=f"ITEM-{i}")
        for i, (d, q, p, cat) in enumerate(lines, start=1)
    ]
    doc_kind = DocumentKind(kind)
    totals = compute_totals(doc_lines, currency=currency, kind=doc_kind)
    reference = ogm_reference(int(number[-6:]) + 1000) if seller_country == "BE" else rf_reference(number)
    heading = Heading(
        number=number,
        issue_date=issue_date,
        due_date=date.fromordinal(issue_date.toordinal() + 30),
        language=language,
        seller=_seller_snapshot(seller_country),
        buyer=_buyer_snapshot(buyer_country, buyer_vat, buyer_company_id),
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


def seller_party(*, country: str = "BE") -> PartySnapshot:
    """The factory seller of ``country`` (valid VAT number, registration and IBAN of that country)."""
    return _seller_snapshot(country)


def buyer_party(
    *, country: str = "BE", vat: str | None = "BE0403170701", company_id: str | None = None
) -> PartySnapshot:
    """The factory buyer (Acme Lifts NV) at an address in ``country``."""
    return _buyer_snapshot(country, vat, company_id)


def progress_statement(
    *,
    currency: str = "EUR",
    contract_value: str = "86400.00",
    previous: Sequence[tuple[str, str, date, str]] = (
        ("Down payment on order (30 %)", "INV-BE-2026-000101", date(2026, 2, 2), "25920.00"),
        ("Machine room: new drive and controller installed", "INV-BE-2026-000188", date(2026, 3, 31), "21600.00"),
    ),
    current: tuple[str, str, date, str] = (
        "Car and landing doors replaced, floors 0 to 6",
        "INV-BE-2026-000245",
        date(2026, 4, 30),
        "17280.00",
    ),
    statement_date: date = date(2026, 4, 30),
):
    """A progress statement of a lift modernisation; stages are (description, invoice, date, net amount)."""
    from cashtrail.invoicing.progress import ProgressStage, ProgressStatement
    from cashtrail.money import Money

    def stage(s: tuple[str, str, date, str]) -> ProgressStage:
        return ProgressStage(s[0], s[1], s[2], Money.of(s[3], currency))

    return ProgressStatement(
        number="PS-LFT-00042-03",
        statement_date=statement_date,
        contract_number="MOD-00042",
        contract_description="Modernisation of lift L-01 (Tower A): drive, controller, doors and car interior",
        contract_value=Money.of(contract_value, currency),
        previous=tuple(stage(s) for s in previous),
        current=stage(current),
    )


def account_statement(
    *,
    currency: str = "EUR",
    as_of: date = date(2026, 4, 30),
    items: Sequence[tuple[str, str, date, date, str, str]] = (
        ("INV-BE-2025-000912", "invoice", date(2025, 11, 28), date(2025, 12, 28), "1815.00", "1815.00"),
        ("INV-BE-2026-000044", "invoice", date(2026, 1, 30), date(2026, 3, 1), "2420.00", "1210.00"),
        ("INV-BE-2026-000131", "invoice", date(2026, 2, 27), date(2026, 3, 29), "605.00", "605.00"),
        ("CN-BE-2026-000007", "credit_note", date(2026, 3, 12), date(2026, 3, 12), "-121.00", "-121.00"),
        ("INV-BE-2026-000190", "invoice", date(2026, 3, 31), date(2026, 4, 30), "3025.00", "3025.00"),
        ("PAY-2026-04-17-03", "payment", date(2026, 4, 17), date(2026, 4, 17), "-500.00", "-500.00"),
        ("INV-BE-2026-000244", "invoice", date(2026, 4, 30), date(2026, 5, 30), "594.40", "594.40"),
    ),
):
    """A statement of account; items are (number, kind, issue date, due date, original, open)."""
    from cashtrail.invoicing.account_statement import AccountStatement, ItemKind, StatementItem
    from cashtrail.money import Money

    return AccountStatement(
        customer_number="C0001",
        as_of=as_of,
        currency=currency,
        items=tuple(
            StatementItem(n, ItemKind(k), i, d, Money.of(o, currency), Money.of(p, currency))
            for n, k, i, d, o, p in items
        ),
    )


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
