"""Importing bank statements: all or nothing per file, idempotent, overlaps detected and reconciled.

Rules (see ``docs/statements.md``):

- a file with any parse error or check finding (entry counts, currencies, opening + movements = closing) is refused
  whole with every problem; a file a parser truncated is caught here by its counts and balances;
- a statement is known by ``(account, statement key)``: the bank's statement id with its closing date (or, without
  balances, a digest of its content). The same key with the same content is ``unchanged`` and adds nothing; the same
  key with other content is refused;
- an entry is known by ``(account, bank transaction id)``. Entries already stored with the same amount are skipped
  (an overlapping statement imports only its new entries); the same id with another amount is refused;
- balance continuity: the opening balance plus the already-stored entries it repeats must equal the account's
  latest stored closing balance on or before the opening date;
- every accepted import writes one audit event; a dry run checks everything and writes nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from cashtrail.audit.services import record
from cashtrail.cashapp.statements import Entry, Statement
from cashtrail.clock import Clock
from cashtrail.errors import FieldError, ValidationFailed
from cashtrail.identity.model import Actor, Permission
from cashtrail.ports import UnitOfWork

#: Bank references that say "no reference" and so cannot identify a transaction.
_NO_REFERENCE = frozenset({"", "NONREF", "NOTPROVIDED", "NONE"})


class StatementOutcome(StrEnum):
    """What an import did with one statement."""

    CREATED = "created"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class StatementResult:
    """One statement of the file: its identity, outcome and how many entries were stored or skipped as known."""

    account: str
    statement_id: str | None
    format: str
    outcome: StatementOutcome
    entries_created: int = 0
    entries_skipped: int = 0


@dataclass(frozen=True, slots=True)
class StatementImportReport:
    """The result of importing one statement file."""

    source_name: str
    file_sha256: str
    dry_run: bool
    statements: tuple[StatementResult, ...] = field(default_factory=tuple)

    def count(self, outcome: StatementOutcome) -> int:
        """Statements with this outcome."""
        return sum(1 for s in self.statements if s.outcome is outcome)

    def entries_created(self) -> int:
        """Entries stored (or that a dry run would store)."""
        return sum(s.entries_created for s in self.statements)

    def entries_skipped(self) -> int:
        """Entries skipped because their bank transaction id was already stored with the same amount."""
        return sum(s.entries_skipped for s in self.statements)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly summary."""
        return {
            "source": self.source_name,
            "file_sha256": self.file_sha256,
            "dry_run": self.dry_run,
            "statements_created": self.count(StatementOutcome.CREATED),
            "statements_unchanged": self.count(StatementOutcome.UNCHANGED),
            "entries_created": self.entries_created(),
            "entries_skipped": self.entries_skipped(),
            "statements": [
                {
                    "account": s.account,
                    "statement_id": s.statement_id,
                    "format": s.format,
                    "outcome": s.outcome.value,
                    "entries_created": s.entries_created,
                    "entries_skipped": s.entries_skipped,
                }
                for s in self.statements
            ],
        }


def statement_fingerprint(statement: Statement) -> str:
    """SHA-256 of a statement's content, ignoring the file name and message id (a re-sent message is the same)."""
    canonical = replace(statement, source=None, message_id=None)
    return hashlib.sha256(repr(canonical).encode()).hexdigest()


def statement_key(statement: Statement, fingerprint: str) -> str:
    """The natural key within an account: statement id and closing date, or the content digest without balances."""
    ident = statement.statement_id or statement.message_id or "-"
    if statement.closing is not None and statement.closing.on is not None:
        return f"{ident}|{statement.closing.on.isoformat()}"
    return f"{ident}|content:{fingerprint[:32]}"


def transaction_ids(statements: Sequence[Statement]) -> list[list[str | None]]:
    """Per statement and entry, the bank transaction id when usable: present, not a placeholder, unique per account."""
    refs = [[_reference(e) for e in s.entries] for s in statements]
    seen = Counter((s.account, ref) for s, row in zip(statements, refs, strict=True) for ref in row if ref)
    return [
        [ref if ref and seen[(s.account, ref)] == 1 else None for ref in row]
        for s, row in zip(statements, refs, strict=True)
    ]


def _reference(entry: Entry) -> str | None:
    ref = (entry.bank_reference or "").strip()
    return None if ref.upper() in _NO_REFERENCE else ref


def _label(statement: Statement) -> str:
    return f"statement {statement.statement_id or '?'} of {statement.account}"


@dataclass(frozen=True, slots=True)
class _Run:
    """What every step of one file's import needs."""

    uow: UnitOfWork
    clock: Clock
    actor: Actor
    source_name: str
    file_sha256: str


def import_statements(
    uow: UnitOfWork,
    clock: Clock,
    actor: Actor,
    statements: Sequence[Statement],
    source_name: str,
    file_sha256: str,
    *,
    findings: Sequence[FieldError] = (),
    dry_run: bool = False,
) -> StatementImportReport:
    """Store the statements of one file, skipping what is already known; refuse the file whole on any problem."""
    actor.require(Permission.BANK_IMPORT)
    if findings or not statements:
        errors = list(findings) or [FieldError("file", "holds no statement", source=source_name)]
        detail = f"{source_name} has {len(errors)} problem(s); nothing was imported"
        raise ValidationFailed(detail, code="statement.invalid", errors=errors, source=source_name)
    run = _Run(uow, clock, actor, source_name, file_sha256)
    with uow:
        results: list[StatementResult] = []
        problems: list[FieldError] = []
        for statement, ids in zip(statements, transaction_ids(statements), strict=True):
            result = _import_one(run, statement, ids, problems)
            if result is not None:
                results.append(result)
        if problems:
            detail = (
                f"{source_name} does not continue what is stored ({len(problems)} problem(s)); nothing was imported"
            )
            raise ValidationFailed(detail, code="statement.inconsistent", errors=problems, source=source_name)
        report = StatementImportReport(source_name, file_sha256, dry_run, tuple(results))
        _audit(run, report)
        if not dry_run:
            uow.commit()
    return report


def _audit(run: _Run, report: StatementImportReport) -> None:
    """One audit event per accepted file, keyed by the file's SHA-256."""
    summary: dict[str, object] = {"source": run.source_name}
    summary.update({k: v for k, v in report.as_dict().items() if k.startswith(("statements_", "entries_"))})
    record(
        run.uow, run.clock, run.actor, "bank_statements.imported", "bank_statement_file", run.file_sha256, after=summary
    )


def _import_one(
    run: _Run, statement: Statement, ids: list[str | None], problems: list[FieldError]
) -> StatementResult | None:
    """Check one statement against what is stored and store it; appends problems instead of raising."""
    fingerprint = statement_fingerprint(statement)
    key = statement_key(statement, fingerprint)
    result = StatementResult(
        statement.account, statement.statement_id, statement.format.value, StatementOutcome.CREATED
    )
    repository = run.uow.bank_statements
    stored = repository.content_of(statement.account, key)
    if stored == fingerprint:
        return replace(result, outcome=StatementOutcome.UNCHANGED, entries_skipped=len(statement.entries))
    if stored is not None:
        message = f"{_label(statement)}: already imported with other content"
        problems.append(FieldError("statement", message, source=run.source_name))
        return None
    known = repository.known_amounts(statement.account, [i for i in ids if i])
    found = _conflicts(statement, ids, known, run.source_name)
    found += _continuity(run.uow, statement, ids, known, run.source_name)
    if found:
        problems.extend(found)
        return None
    entries = enumerate(zip(statement.entries, ids, strict=True), 1)
    new = [(line, entry, tid) for line, (entry, tid) in entries if tid not in known]
    repository.add(
        statement,
        new,
        statement_key=key,
        content_sha256=fingerprint,
        file_name=run.source_name,
        file_sha256=run.file_sha256,
        imported_at=run.clock.now(),
        imported_by=run.actor.username,
    )
    return replace(result, entries_created=len(new), entries_skipped=len(statement.entries) - len(new))


def _conflicts(
    statement: Statement, ids: list[str | None], known: dict[str, Decimal], source_name: str
) -> list[FieldError]:
    """Entries whose bank transaction id is stored with another amount."""
    return [
        FieldError(
            "entry.amount",
            f"{_label(statement)}, entry {line}: bank transaction id {tid} is stored with amount "
            f"{known[tid]} but this file says {entry.amount.amount}",
            value=tid,
            source=source_name,
        )
        for line, (entry, tid) in enumerate(zip(statement.entries, ids, strict=True), 1)
        if tid is not None and tid in known and known[tid] != entry.amount.amount
    ]


def _continuity(
    uow: UnitOfWork, statement: Statement, ids: list[str | None], known: dict[str, Decimal], source_name: str
) -> list[FieldError]:
    """The opening balance, plus the entries already stored, must reach the latest stored closing before it."""
    opening = statement.opening
    if opening is None or opening.on is None:
        return []
    previous = uow.bank_statements.closing_before(statement.account, statement.currency, opening.on)
    if previous is None:
        return []
    previous_id, closing, closing_on = previous
    repeated = sum((e.amount.amount for e, tid in zip(statement.entries, ids, strict=True) if tid in known), Decimal(0))
    if opening.amount.amount + repeated == closing:
        return []
    overlap = f" plus {repeated} of already-imported entries" if repeated else ""
    return [
        FieldError(
            "opening_balance",
            f"{_label(statement)}: opening balance {opening.amount.amount} on {opening.on}{overlap} does not continue "
            f"the stored closing balance {closing} of statement {previous_id or '?'} on {closing_on}",
            value=opening.amount.amount,
            source=source_name,
        )
    ]
