"""Demo chapter for cash application: monthly camt.053 statements from the customers' payment behaviour, imported
and matched through the real use cases.

Each customer gets a behaviour: on time (the structured reference, a few days before the due date), late (30–75
days after it), short (the reference, 3–10 % less: a deduction), grouped (every invoice due in a month in one
transfer, the numbers in the free text) or bank fees (a few euros short). Each month also brings a few receipts
nobody can identify. The statement is written with lxml as camt.053.001.02 for the Belgian entity's account, read
back with our own parser, imported (all or nothing) and matched; what is not sure stays in the suggestion and
suspense worklists for the workbench. The invoices are those the invoicing chapter issued at each month's end;
statements cover the demo's months, so what falls due or is paid after the last one is still open (the aging shows
it).
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from lxml import etree
from sqlalchemy import select

from cashtrail.bootstrap import App
from cashtrail.cashapp.application_services import run_matching
from cashtrail.cashapp.services import import_statements
from cashtrail.db import cashapp_tables as ct
from cashtrail.db import ledger_tables as lt
from cashtrail.demo.billing import MONTHS
from cashtrail.demo.context import Chapter, Count, DemoContext
from cashtrail.files.statements import detect_and_parse
from cashtrail.identity.model import Actor, Role
from cashtrail.parties.model import Customer

ACCOUNT = "BE68539007547034"
NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
BEHAVIOURS = ("on_time", "on_time", "on_time", "late", "short", "grouped", "fees", "new_account")
Receipt = tuple[date, Decimal, str, str, str | None, str]  # day, amount, name, iban, structured ref, text


def _actor(ctx: DemoContext, role: Role) -> Actor:
    return Actor(ctx.usernames(role.value)[0], frozenset({role}))


def _open_invoices(app: App) -> list[tuple[str, str, Decimal, date, str]]:
    o = lt.open_items.c
    query = (
        select(o.customer_number, o.reference, o.open_amount, o.due_date, o.payment_reference)
        .where(o.kind == "invoice", o.closed_on.is_(None), o.currency == "EUR")
        .order_by(o.due_date, o.id)
    )
    with app.uow() as uow:
        return [tuple(r) for r in uow.session.execute(query)]


def _receipts(app: App, rng: random.Random) -> list[Receipt]:
    """Every receipt the customers' behaviour produces, from the open invoices."""
    with app.uow() as uow:
        customers = {c.number: c for c in uow.customers.page(after_id=None, limit=100_000)}
    behaviour = {number: rng.choice(BEHAVIOURS) for number in customers}
    receipts: list[Receipt] = []
    grouped: dict[tuple[str, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for customer, number, amount, due, reference in _open_invoices(app):
        if rng.random() < 0.06:
            continue  # not paid yet: dunning's business
        if behaviour[customer] == "grouped":
            grouped[(customer, due.strftime("%Y-%m"))].append((number, amount))
            continue
        receipts.append(_paid(behaviour[customer], customers[customer], amount, due, reference, rng))
    for (customer, month), items in grouped.items():
        who = customers[customer]
        day = date.fromisoformat(f"{month}-01") + timedelta(days=27)
        text = "Invoices " + " ".join(n for n, _ in items)
        receipts.append((day, sum((a for _, a in items), Decimal(0)), who.legal_name, who.iban or "", None, text))
    months = sorted({r[0].strftime("%Y-%m") for r in receipts})
    for month in months:
        for _k in range(rng.randint(1, 3)):
            day = date.fromisoformat(f"{month}-01") + timedelta(days=rng.randint(0, 27))
            amount = Decimal(rng.randrange(2000, 90000)) / 100
            receipts.append((day, amount, f"Private payer {rng.randrange(999)}", "", None, "transfer"))
    return sorted(receipts, key=lambda r: (r[0], r[2]))


def _paid(kind: str, who: Customer, amount: Decimal, due: date, reference: str, rng: random.Random) -> Receipt:
    """One invoice paid the customer's way; a new account pays from an unknown IBAN under a shortened name."""
    iban = who.iban or f"BE{rng.randrange(10, 99)}0000{rng.randrange(10**7, 10**8)}"
    day = due + timedelta(days=rng.randint(30, 75) if kind == "late" else -rng.randint(0, 5))
    if kind == "short":
        amount = (amount * Decimal(rng.choice(("0.90", "0.95", "0.97")))).quantize(Decimal("0.01"))
    elif kind == "fees":
        amount -= Decimal(rng.choice(("2.50", "5.00", "7.50")))
    elif kind == "new_account" and rng.random() < 0.3:  # no reference, a name that only resembles ours: a suggestion
        short = " ".join(who.legal_name.upper().split()[:-1])[:-1]
        return (day, amount, short, f"NL{rng.randrange(10, 99)}RABO0{rng.randrange(10**8, 10**9)}", None, "")
    return (day, amount, who.legal_name, iban, reference or None, "")


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, f"{{{NS}}}{tag}", **attrs)
    if text is not None:
        node.text = text
    return node


def camt053(month: str, receipts: list[Receipt], opening: Decimal) -> bytes:
    """One month's camt.053.001.02 statement of the entity's account."""
    root = etree.Element(f"{{{NS}}}Document", nsmap={None: NS})
    stmt_root = _el(root, "BkToCstmrStmt")
    header = _el(stmt_root, "GrpHdr")
    _el(header, "MsgId", f"DEMO-{month}")
    _el(header, "CreDtTm", f"{month}-28T18:00:00")
    stmt = _el(stmt_root, "Stmt")
    _el(stmt, "Id", f"{ACCOUNT}-{month}")
    _el(stmt, "CreDtTm", f"{month}-28T18:00:00")
    _el(_el(_el(stmt, "Acct"), "Id"), "IBAN", ACCOUNT)
    first = date.fromisoformat(f"{month}-01")
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    closing = opening + sum((r[1] for r in receipts), Decimal(0))
    for code, amount, day in (("OPBD", opening, first - timedelta(days=1)), ("CLBD", closing, last)):
        balance = _el(stmt, "Bal")
        _el(_el(_el(balance, "Tp"), "CdOrPrtry"), "Cd", code)
        _el(balance, "Amt", f"{amount:.2f}", Ccy="EUR")
        _el(balance, "CdtDbtInd", "CRDT")
        _el(_el(balance, "Dt"), "Dt", day.isoformat())
    _el(_el(_el(stmt, "TxsSummry"), "TtlNtries"), "NbOfNtries", str(len(receipts)))
    for n, (day, amount, name, iban, reference, text) in enumerate(receipts, 1):
        _entry(stmt, f"{month}-{n:05d}", day, amount, name, iban, reference, text)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _entry(
    stmt: etree._Element, ref: str, day: date, amount: Decimal, name: str, iban: str, reference: str | None, text: str
) -> None:
    entry = _el(stmt, "Ntry")
    _el(entry, "Amt", f"{amount:.2f}", Ccy="EUR")
    _el(entry, "CdtDbtInd", "CRDT")
    _el(entry, "Sts", "BOOK")
    _el(_el(entry, "BookgDt"), "Dt", day.isoformat())
    _el(_el(entry, "ValDt"), "Dt", day.isoformat())
    _el(entry, "AcctSvcrRef", ref)
    details = _el(_el(entry, "NtryDtls"), "TxDtls")
    _el(_el(details, "Refs"), "EndToEndId", "NOTPROVIDED")
    parties = _el(details, "RltdPties")
    _el(_el(parties, "Dbtr"), "Nm", name)
    if iban:
        _el(_el(_el(parties, "DbtrAcct"), "Id"), "IBAN", iban)
    remittance = _el(details, "RmtInf")
    if reference:
        creditor = _el(_el(remittance, "Strd"), "CdtrRefInf")
        _el(_el(_el(creditor, "Tp"), "CdOrPrtry"), "Cd", "SCOR")
        _el(creditor, "Ref", reference)
    elif text:
        _el(remittance, "Ustrd", text[:140])


def statements_and_matching(app: App, rng: random.Random, ctx: DemoContext) -> None:
    """Month by month over the demo's months: write, parse, import and match a camt.053 statement."""
    with app.uow() as uow:
        if uow.session.execute(select(ct.bank_statements.c.id).limit(1)).first() is not None:
            return  # built on an earlier run
    collector = _actor(ctx, Role.COLLECTOR)
    by_month: dict[str, list[Receipt]] = defaultdict(list)
    for receipt in _receipts(app, rng):
        if receipt[0].strftime("%Y-%m") <= MONTHS[-1]:
            by_month[receipt[0].strftime("%Y-%m")].append(receipt)
    opening = Decimal("25000.00")
    months = sorted(by_month)
    for step, month in enumerate(months):
        data = camt053(month, by_month[month], opening)
        name = f"camt053-{month}.xml"
        statements, findings = detect_and_parse(data, name)
        digest = hashlib.sha256(data).hexdigest()
        import_statements(app.uow(), app.clock, collector, statements, name, digest, findings=findings)
        run_matching(app.uow(), app.clock, collector)
        opening = statements[0].closing.amount.amount if statements[0].closing else opening
        ctx.progress(step + 1, len(months))


CHAPTERS = [
    Chapter(
        "cashapp", "Monthly camt.053 statements from payment behaviour, imported and matched", statements_and_matching
    )
]
COUNTS = [
    Count("bank entries", ct.bank_entries, ct.bank_entries.c.status),
    Count("cash applications", ct.cash_matches, ct.cash_matches.c.status),
]
