"""A small shop for order tests: a legal entity, customers, products of every type with 2026 list prices,
contract price terms FRAME-1 for C1, an office bundle, an analyst (ann) and a supervisor (sam)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from cashtrail.bootstrap import App
from cashtrail.catalog.model import PriceList, PriceListItem, Product
from cashtrail.catalog.services import create_product, save_price_list
from cashtrail.identity.model import Actor, Role
from cashtrail.orders.bundles import Allocation, Bundle, Component
from cashtrail.orders.model import Order
from cashtrail.orders.pricing import LineDraft
from cashtrail.orders.setup_services import save_bundle, save_terms
from cashtrail.orders.terms import ContractTerms, PriceTerm
from tests import factories

ANN = Actor("ann", frozenset({Role.BILLING_ANALYST}))
SAM = Actor("sam", frozenset({Role.SUPERVISOR}))
SUE = Actor("sue", frozenset({Role.SUPERVISOR}))
D = Decimal
PRODUCTS = (
    ("MFP-C35", "Colour A3 MFP", "hardware", "6450"),
    ("PRN-A4", "Mono A4 printer", "hardware", "690"),
    ("TNR-K", "Black toner", "consumable", "89"),
    ("SW-PRINT", "Print management licence", "software", "149"),
    ("SUB-FLEET", "Fleet portal", "subscription", "2.90"),
    ("SVC-INSTALL", "Installation", "service", "245"),
    ("SVC-PROJECT", "Print workflow project", "service", "10000"),
    ("MNT-MFP", "Device maintenance", "maintenance", "39"),
    ("BDL-OFFICE", "Office print bundle", "hardware", "7000"),
)


def shop(app: App) -> App:
    system = Actor.system()
    factories.legal_entity(app, code="BE01", country="BE", default=True)
    factories.customer(app, number="C1")
    factories.customer(app, number="C2", legal_name="Brasserie Dupont SA", vat_number="BE0202239951")
    for username, role in (("ann", "billing_analyst"), ("sam", "supervisor"), ("sue", "supervisor")):
        factories.user(app, username=username, roles=[role])
    for sku, name, kind, _ in PRODUCTS:
        create_product(app.uow(), app.clock, system, Product(sku=sku, name=name, product_type=kind))
    with app.uow() as uow:
        ids = {sku: p.id for sku, p in uow.products.by_skus(s for s, *_ in PRODUCTS).items()}
    items = [PriceListItem(product_id=ids[sku], unit_price=D(price)) for sku, _, _, price in PRODUCTS]
    save_price_list(app.uow(), app.clock, system, PriceList("STD", "Standard", "EUR", date(2026, 1, 1), None, items))
    terms = ContractTerms(
        "FRAME-1",
        "C1",
        "EUR",
        date(2026, 1, 1),
        date(2026, 12, 31),
        items={
            t.sku: t
            for t in (
                PriceTerm("MFP-C35", D("6000.00"), D("5")),  # 5700.00 net
                PriceTerm("PRN-A4", D("650.00"), requires=("SVC-INSTALL",)),
                PriceTerm("TNR-K", D("80.00"), max_quantity=D("40")),
                PriceTerm("SVC-INSTALL", D("245.00")),
                PriceTerm("SVC-PROJECT", D("9500.00")),
                PriceTerm("SUB-FLEET", D("2.50")),
                PriceTerm("MNT-MFP", D("35.00")),
                PriceTerm("BDL-OFFICE", D("7000.00"), D("10")),
            )
        },
    )
    save_terms(app.uow(), app.clock, system, terms)
    office = Bundle(
        "BDL-OFFICE",
        "Office print bundle",
        Allocation.RELATIVE,
        (
            Component("MFP-C35"),
            Component("SW-PRINT", D(2)),
            Component("SUB-FLEET"),
            Component("SVC-INSTALL"),
            Component("MNT-MFP"),
        ),
    )
    save_bundle(app.uow(), app.clock, system, office)
    return app


def header(number: str = "SO-1", *, contract: str | None = "FRAME-1", customer: str = "C1", **kw: object) -> Order:
    order = Order(
        number=number,
        customer_number=customer,
        currency="EUR",
        order_date=date(2026, 11, 2),
        po_number="PO-4711",
        po_date=date(2026, 10, 30),
        contract_number=contract,
        sales_rep="rita",
        expected_ship_date=date(2026, 11, 9),
    )
    for key, value in kw.items():
        setattr(order, key, value)
    return order


def draft(line_no: int, sku: str, quantity: str, price: str | None = None, **kw: object) -> LineDraft:
    return LineDraft(line_no, sku, D(quantity), D(price) if price is not None else None, **kw)  # type: ignore[arg-type]


def complete_checklist(app: App, number: str) -> None:
    """Attach the signed quote and the PO, and pass the credit check by waiver (as the analyst)."""
    from cashtrail.orders.acceptance_services import attach_document, waive_item

    attach_document(
        app.uow(),
        app.clock,
        ANN,
        number,
        filename="quote-signed.pdf",
        content=b"%PDF-1.7 quote",
        item="signed_contract_or_quote",
    )
    attach_document(app.uow(), app.clock, ANN, number, filename="po.pdf", content=b"%PDF-1.7 po", item="purchase_order")
    waive_item(app.uow(), app.clock, ANN, number, "credit_check", "customer pays in advance")


def accepted(app: App, number: str, *drafts: LineDraft, **kw: object) -> Order:
    """An order entered, completed and accepted (no findings expected)."""
    from cashtrail.orders.acceptance_services import accept_order
    from cashtrail.orders.entry_services import enter_order

    enter_order(app.uow(), app.clock, ANN, header(number, **kw), list(drafts))
    complete_checklist(app, number)
    return accept_order(app.uow(), app.clock, ANN, number).order
