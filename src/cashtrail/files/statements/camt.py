"""ISO 20022 camt.053 (statement) and camt.054 (debit/credit notification), versions .001.02 to .001.10.

The version is read from the document namespace; one mapping reads the paths the versions share, trying the
renamed ones in order (``BIC``/``BICFI``, ``Dbtr/Nm``/``Dbtr/Pty/Nm``, ``AmtDtls/TxAmt/Amt``/``TxDtls/Amt``).
A message may carry several ``Stmt``/``Ntfctn`` blocks; each becomes one :class:`Statement`.

Parsing is strict: XML that is not well-formed (a truncated download) is an error for the whole file, never a
partial import. Entities are not resolved and nothing is fetched from the network. An entry whose amount, currency
or credit/debit indicator cannot be read is reported and left out; the caller sees the error.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from cashtrail.cashapp.statements import (
    Balance,
    Counterparty,
    Entry,
    Remittance,
    Statement,
    StatementFormat,
    StructuredRemittance,
    TransactionDetail,
)
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.invoicing.references import classify_reference
from cashtrail.money import Money

_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.(05[34])\.001\.(\d\d)$")
SUPPORTED_VERSIONS = range(2, 11)
_OPENING = ("OPBD", "PRCD")
_CLOSING = ("CLBD",)

Element = Any  # lxml ships no type information


class _Doc:
    """Namespace-qualified lookups for one camt document."""

    def __init__(self, namespace: str, name: str) -> None:
        self.ns = namespace
        self.name = name
        self.errors: list[FieldError] = []

    def q(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{part}" for part in path.split("/"))

    def find(self, el: Element, *paths: str) -> Element | None:
        for path in paths:
            found = el.find(self.q(path))
            if found is not None:
                return found
        return None

    def all(self, el: Element, path: str) -> list[Element]:
        return list(el.findall(self.q(path)))

    def text(self, el: Element | None, *paths: str) -> str | None:
        if el is None:
            return None
        found = self.find(el, *paths)
        if found is None or found.text is None:
            return None
        return str(found.text).strip() or None

    def error(self, field: str, message: str, value: object = None, line: int | None = None) -> None:
        self.errors.append(FieldError(field, message, value=value, row=line, source=self.name))


def parse_camt(data: bytes, name: str) -> tuple[list[Statement], list[FieldError]]:
    """Parse a camt.053 or camt.054 message into statements, or say why it cannot be read."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        return [], [
            FieldError("file", f"is not well-formed XML, nothing imported: {exc.msg}", row=exc.lineno, source=name)
        ]
    namespace = etree.QName(root).namespace or ""
    match = _NAMESPACE.match(namespace)
    if match is None:
        return [], [FieldError("file", "is not a camt.053 or camt.054 document", value=namespace, source=name)]
    kind, version = match.group(1), int(match.group(2))
    if version not in SUPPORTED_VERSIONS:
        reason = f"camt.{kind}.001.{version:02d} is not supported (versions .02 to .10 are)"
        return [], [FieldError("file", reason, value=namespace, source=name)]
    doc = _Doc(namespace, name)
    fmt = StatementFormat.CAMT053 if kind == "053" else StatementFormat.CAMT054
    return _parse_message(doc, root, fmt), doc.errors


def _parse_message(doc: _Doc, root: Element, fmt: StatementFormat) -> list[Statement]:
    message = root[0] if len(root) else None
    block = "Stmt" if fmt is StatementFormat.CAMT053 else "Ntfctn"
    if message is None or not doc.all(message, block):
        doc.error("file", f"holds no {block} block")
        return []
    message_id = doc.text(message, "GrpHdr/MsgId")
    statements = []
    for element in doc.all(message, block):
        statement = _parse_statement(doc, element, fmt, message_id)
        if statement is not None:
            statements.append(statement)
    return statements


def _parse_statement(doc: _Doc, el: Element, fmt: StatementFormat, message_id: str | None) -> Statement | None:
    statement_id = doc.text(el, "Id")
    account = doc.text(el, "Acct/Id/IBAN", "Acct/Id/Othr/Id")
    if account is None:
        doc.error("account", f"statement {statement_id}: no account IBAN or number", line=el.sourceline)
        return None
    opening = _balance(doc, el, _OPENING)
    closing = _balance(doc, el, _CLOSING)
    entries = [e for e in (_parse_entry(doc, n) for n in doc.all(el, "Ntry")) if e is not None]
    currency = doc.text(el, "Acct/Ccy") or _first_currency(opening, closing, entries)
    if currency is None:
        doc.error("currency", f"statement {statement_id}: no account currency, balance or entry", line=el.sourceline)
        return None
    declared = doc.text(el, "TxsSummry/TtlNtries/NbOfNtries")
    return Statement(
        format=fmt,
        account=account,
        currency=currency,
        entries=tuple(entries),
        message_id=message_id,
        statement_id=statement_id,
        opening=opening,
        closing=closing,
        declared_entry_count=int(declared) if declared and declared.isdigit() else None,
        source=doc.name,
    )


def _first_currency(opening: Balance | None, closing: Balance | None, entries: list[Entry]) -> str | None:
    for balance in (opening, closing):
        if balance is not None:
            return balance.amount.currency
    return entries[0].amount.currency if entries else None


def _balance(doc: _Doc, statement: Element, codes: tuple[str, ...]) -> Balance | None:
    found: dict[str, Element] = {}
    for bal in doc.all(statement, "Bal"):
        code = doc.text(bal, "Tp/CdOrPrtry/Cd")
        if code in codes and code not in found:
            found[code] = bal
    for code in codes:
        if code in found:
            amount = _signed_amount(doc, found[code], "Amt", f"balance {code}")
            if amount is None:
                return None
            return Balance(amount, _date(doc, found[code], "Dt"))
    return None


def _signed_amount(doc: _Doc, el: Element, path: str, what: str, sign_from: Element | None = None) -> Money | None:
    amt = doc.find(el, path)
    indicator = doc.text(el, "CdtDbtInd") or doc.text(sign_from, "CdtDbtInd")
    try:
        if amt is None:
            raise InvalidOperation(what)
        money = Money(Decimal(str(amt.text).strip()), str(amt.get("Ccy")))
    except (InvalidOperation, ValidationFailed):
        doc.error("amount", f"{what}: amount or currency missing or invalid", line=el.sourceline)
        return None
    if indicator not in ("CRDT", "DBIT"):
        doc.error("amount", f"{what}: credit/debit indicator missing or invalid", value=indicator, line=el.sourceline)
        return None
    return money if indicator == "CRDT" else -money


def _date(doc: _Doc, el: Element, path: str) -> date | None:
    text = doc.text(el, f"{path}/Dt", f"{path}/DtTm")
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        doc.error(path, "is not an ISO date", value=text, line=el.sourceline)
        return None


def _parse_entry(doc: _Doc, el: Element) -> Entry | None:
    amount = _signed_amount(doc, el, "Amt", "entry")
    if amount is None:
        return None
    details = [_parse_detail(doc, tx, el) for tx in doc.all(el, "NtryDtls/TxDtls")]
    declared = doc.text(el, "NtryDtls/Btch/NbOfTxs")
    single = details[0] if len(details) == 1 else None
    return Entry(
        amount=amount,
        booking_date=_date(doc, el, "BookgDt"),
        value_date=_date(doc, el, "ValDt"),
        bank_reference=doc.text(el, "AcctSvcrRef", "NtryRef") or (single.bank_reference if single else None),
        end_to_end_id=single.end_to_end_id if single else None,
        uetr=single.uetr if single else None,
        remittance=_merge([d.remittance for d in details]),
        counterparty=single.counterparty if single else Counterparty(),
        details=tuple(details),
        declared_count=int(declared) if declared and declared.isdigit() else None,
        code=_transaction_code(doc, el),
        reversal=(doc.text(el, "RvslInd") or "").lower() == "true",
        status=doc.text(el, "Sts/Cd", "Sts"),
        information=doc.text(el, "AddtlNtryInf"),
    )


def _transaction_code(doc: _Doc, el: Element) -> str | None:
    parts = [doc.text(el, p) for p in ("BkTxCd/Domn/Cd", "BkTxCd/Domn/Fmly/Cd", "BkTxCd/Domn/Fmly/SubFmlyCd")]
    if all(parts):
        return "/".join(p for p in parts if p)
    return doc.text(el, "BkTxCd/Prtry/Cd")


def _merge(remittances: list[Remittance]) -> Remittance:
    return Remittance(
        unstructured=tuple(line for r in remittances for line in r.unstructured),
        structured=tuple(block for r in remittances for block in r.structured),
    )


def _parse_detail(doc: _Doc, tx: Element, entry: Element) -> TransactionDetail:
    has_amount = doc.find(tx, "Amt", "AmtDtls/TxAmt/Amt") is not None
    amount = _signed_amount(doc, tx, "Amt", "transaction", entry) if doc.find(tx, "Amt") is not None else None
    if amount is None and has_amount:
        amount = _signed_amount(doc, tx, "AmtDtls/TxAmt/Amt", "transaction", entry)
    credit = (doc.text(tx, "CdtDbtInd") or doc.text(entry, "CdtDbtInd")) == "CRDT"
    return TransactionDetail(
        amount=amount,
        end_to_end_id=_real_id(doc.text(tx, "Refs/EndToEndId")),
        uetr=doc.text(tx, "Refs/UETR"),
        bank_reference=doc.text(tx, "Refs/AcctSvcrRef", "Refs/TxId"),
        remittance=_remittance(doc, tx),
        counterparty=_counterparty(doc, tx, "Dbtr" if credit else "Cdtr"),
    )


def _real_id(value: str | None) -> str | None:
    # ISO 20022 spells "no end-to-end id given" as the literal NOTPROVIDED.
    return None if value in (None, "NOTPROVIDED") else value


def _counterparty(doc: _Doc, tx: Element, role: str) -> Counterparty:
    parties = doc.find(tx, "RltdPties")
    agent = doc.find(tx, f"RltdAgts/{role}Agt/FinInstnId")
    return Counterparty(
        name=doc.text(parties, f"{role}/Nm", f"{role}/Pty/Nm"),
        iban=doc.text(parties, f"{role}Acct/Id/IBAN"),
        account=doc.text(parties, f"{role}Acct/Id/Othr/Id"),
        bic=doc.text(agent, "BIC", "BICFI"),
    )


def _remittance(doc: _Doc, tx: Element) -> Remittance:
    info = doc.find(tx, "RmtInf")
    if info is None:
        return Remittance()
    lines = tuple(str(u.text).strip() for u in doc.all(info, "Ustrd") if u.text and u.text.strip())
    return Remittance(unstructured=lines, structured=tuple(_structured(doc, s) for s in doc.all(info, "Strd")))


def _structured(doc: _Doc, strd: Element) -> StructuredRemittance:
    extra = tuple(str(a.text).strip() for a in doc.all(strd, "AddtlRmtInf") if a.text and a.text.strip())
    ref = doc.text(strd, "CdtrRefInf/Ref")
    if ref is None:
        return StructuredRemittance(None, extra)
    declared = "/".join(
        t
        for t in (
            doc.text(strd, "CdtrRefInf/Tp/CdOrPrtry/Cd", "CdtrRefInf/Tp/CdOrPrtry/Prtry"),
            doc.text(strd, "CdtrRefInf/Tp/Issr"),
        )
        if t
    )
    return StructuredRemittance(classify_reference(ref, declared or None), extra)
