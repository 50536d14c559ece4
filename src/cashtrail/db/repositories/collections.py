"""SQL repository of dunning: policies, reference and provision rates, collections profiles, runs, letters (whose
lines are the per-item level history) and the e-mails queued in the outbox (Core)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.orm import Session

from cashtrail.db import collections_tables as ct
from cashtrail.db import invoicing_tables as it
from cashtrail.db import ledger_tables as lt
from cashtrail.db import tables as t
from cashtrail.db.repositories.billing import chunks
from cashtrail.db.repositories.ledger import _item
from cashtrail.dunning.letters import Addressee, LetterContent
from cashtrail.dunning.policies import LevelSettings, PolicySettings
from cashtrail.dunning.portfolios import Profile
from cashtrail.ledger.model import ItemKind, OpenItem
from cashtrail.money import Money


class SqlDunningRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def policies(self) -> dict[str, PolicySettings]:
        rows = self.session.execute(select(ct.dunning_policies))
        return {r.segment: _policy(r) for r in rows}

    def save_policy(self, settings: PolicySettings, by: str, at: datetime) -> None:
        values = {
            "name": settings.name,
            "grace_days": settings.grace_days,
            "minimum_amounts": {c: str(a) for c, a in settings.minimum_amounts.items()},
            "exclude_disputed": settings.exclude_disputed,
            "exclude_promised": settings.exclude_promised,
            "exclude_blocked": settings.exclude_blocked,
            "late_interest": settings.late_interest,
            "levels": [level.as_dict() for level in settings.levels],
            "updated_by": by,
            "updated_at": at,
        }
        p = ct.dunning_policies
        found = self.session.scalar(select(p.c.id).where(p.c.segment == settings.segment))
        if found is None:
            self.session.execute(insert(p).values(segment=settings.segment, **values))
        else:
            self.session.execute(update(p).where(p.c.id == found).values(**values))

    def reference_rates(self) -> dict[date, Decimal]:
        r = ct.reference_rates.c
        return {row.half_year: row.rate for row in self.session.execute(select(r.half_year, r.rate))}

    def set_reference_rate(self, half_year: date, rate: Decimal, by: str, at: datetime) -> None:
        r = ct.reference_rates
        self.session.execute(delete(r).where(r.c.half_year == half_year))
        self.session.execute(insert(r).values(half_year=half_year, rate=rate, recorded_by=by, recorded_at=at))

    def provision_rates(self) -> dict[str, Decimal]:
        r = ct.provision_rates.c
        return {row.bucket: row.rate for row in self.session.execute(select(r.bucket, r.rate))}

    def set_provision_rates(self, rates: dict[str, Decimal], by: str, at: datetime) -> None:
        self.session.execute(delete(ct.provision_rates))
        rows = [{"bucket": b, "rate": r, "set_by": by, "set_at": at} for b, r in sorted(rates.items())]
        self.session.execute(insert(ct.provision_rates), rows)

    def profiles(self, customers: Sequence[str] | None = None) -> dict[str, Profile]:
        p = ct.collection_profiles
        found: dict[str, Profile] = {}
        batches = [None] if customers is None else list(chunks(sorted(set(customers))))
        for batch in batches:
            query = select(p) if batch is None else select(p).where(p.c.customer_number.in_(batch))
            for r in self.session.execute(query):
                found[r.customer_number] = Profile(
                    r.customer_number, r.segment, r.collector, r.risk, r.dunning_blocked, r.block_reason
                )
        return found

    def save_profiles(self, profiles: Iterable[Profile]) -> None:
        p = ct.collection_profiles
        for profile in profiles:
            values = {
                "segment": profile.segment,
                "collector": profile.collector,
                "risk": profile.risk,
                "dunning_blocked": profile.dunning_blocked,
                "block_reason": profile.block_reason,
            }
            done = self.session.execute(
                update(p).where(p.c.customer_number == profile.customer_number).values(**values)
            )
            if not done.rowcount:  # type: ignore[attr-defined]
                self.session.execute(insert(p).values(customer_number=profile.customer_number, **values))

    def overdue_items(self, as_of: date, customers: tuple[str, str] | None = None) -> list[OpenItem]:
        """Invoices past due on ``as_of`` with what was open of them at the end of that day (applications made or
        reversed later are taken back out), so a run for an earlier date sees the ledger as it stood."""
        o = lt.open_items.c
        query = (
            select(lt.open_items)
            .where(
                o.kind == ItemKind.INVOICE,
                o.due_date < as_of,
                o.document_date <= as_of,
                or_(o.closed_on.is_(None), o.closed_on > as_of),
            )
            .order_by(o.customer_number, o.due_date, o.id)
        )
        if customers is not None:
            query = query.where(o.customer_number.between(*customers))
        items = [_item(r) for r in self.session.execute(query)]
        later = self._changed_after(as_of, [i.id for i in items if i.id is not None])
        for item in items:
            if item.id in later:
                item.open_amount = item.remaining + later[item.id]
        return [i for i in items if i.remaining.amount > 0]

    def _changed_after(self, as_of: date, item_ids: Sequence[int]) -> dict[int, Money]:
        """Per debit item: what applications in force now but not then (or then but not now) changed since."""
        a = lt.item_applications.c
        found: dict[int, Money] = {}
        for batch in chunks(item_ids):
            query = select(a.debit_item_id, a.amount, a.currency, a.applied_on, a.reversed_at).where(
                a.debit_item_id.in_(batch), or_(a.applied_on > as_of, a.reversed_at.is_not(None))
            )
            for r in self.session.execute(query):
                now = r.reversed_at is None
                then = r.applied_on <= as_of and (r.reversed_at is None or r.reversed_at.date() > as_of)
                change = Money(r.amount, r.currency) * (int(now) - int(then))
                found[r.debit_item_id] = found[r.debit_item_id] + change if r.debit_item_id in found else change
        return found

    def addressees(self, customers: Sequence[str]) -> dict[str, Addressee]:
        c, a = t.customers.c, t.customer_addresses.c
        found: dict[str, Addressee] = {}
        for batch in chunks(sorted(set(customers))):
            rows = self.session.execute(
                select(c.id, c.number, c.legal_name, c.language, c.currency).where(c.number.in_(batch))
            ).all()
            ids = {r.id: r for r in rows}
            lines: dict[int, tuple[str, ...]] = {}
            for r in self.session.execute(
                select(t.customer_addresses).where(a.customer_id.in_(list(ids)), a.kind == "bill_to")
            ):
                parts = (r.line1, r.line2, f"{r.postal_code} {r.city}", r.country)
                lines.setdefault(r.customer_id, tuple(p for p in parts if p))
            for r in rows:
                found[r.number] = Addressee(r.number, r.legal_name, lines.get(r.id, ()), r.language, r.currency)
        return found

    def recipient(self, customer_number: str) -> str:
        c, k = t.customers.c, t.customer_contacts.c
        rows = self.session.execute(
            select(k.email, k.role).join_from(t.customer_contacts, t.customers).where(c.number == customer_number)
        ).all()
        billing = [r.email for r in rows if r.role == "billing"]
        return str((billing or [r.email for r in rows] or [""])[0])

    def history(self, item_ids: Sequence[int]) -> dict[int, set[int]]:
        line = ct.dunning_letter_lines.c
        found: dict[int, set[int]] = defaultdict(set)
        for batch in chunks(sorted(set(item_ids))):
            for r in self.session.execute(select(line.item_id, line.level_number).where(line.item_id.in_(batch))):
                found[r.item_id].add(r.level_number)
        return dict(found)

    def compensated(self, item_ids: Sequence[int]) -> set[int]:
        line = ct.dunning_letter_lines.c
        found: set[int] = set()
        for batch in chunks(sorted(set(item_ids))):
            query = select(line.item_id, line.compensation).where(line.item_id.in_(batch))
            found |= {r.item_id for r in self.session.execute(query) if r.compensation > 0}
        return found

    def lettered_on(self, as_of: date, customers: Sequence[str]) -> set[str]:
        letter = ct.dunning_letters.c
        found: set[str] = set()
        for batch in chunks(sorted(set(customers))):
            query = select(letter.customer_number).where(letter.as_of == as_of, letter.customer_number.in_(batch))
            found |= set(self.session.scalars(query))
        return found

    def run_summary(self, as_of: date, scope: str = "all") -> dict[str, Any] | None:
        r = ct.dunning_runs.c
        summary = self.session.scalar(select(r.summary).where(r.as_of == as_of, r.scope == scope))
        return None if summary is None else dict(summary)

    def add_run(self, as_of: date, by: str, at: datetime, summary: dict[str, Any], scope: str = "all") -> int:
        values = {"as_of": as_of, "scope": scope, "started_by": by, "started_at": at, "summary": summary}
        return int(
            self.session.execute(insert(ct.dunning_runs).values(**values).returning(ct.dunning_runs.c.id)).scalar_one()
        )

    def add_letter(self, run_id: int, letter: LetterContent, recipient: str) -> int:
        values = {
            "run_id": run_id,
            "customer_number": letter.customer_number,
            "as_of": letter.as_of,
            "level_number": letter.level_number,
            "level_name": letter.level_name,
            "channel": letter.channel,
            "language": letter.language,
            "currency": letter.currency,
            "total": letter.total.amount,
            "fee": letter.fee.amount,
            "interest": letter.interest.amount,
            "compensation": letter.compensation.amount,
            "recipient": recipient,
        }
        letter_id = int(
            self.session.execute(
                insert(ct.dunning_letters).values(**values).returning(ct.dunning_letters.c.id)
            ).scalar_one()
        )
        rows = [
            {
                "letter_id": letter_id,
                "item_id": line.item_id,
                "reference": line.reference,
                "due_date": line.due_date,
                "days_past_due": line.days_past_due,
                "level_number": line.level_number,
                "currency": line.open_amount.currency,
                "open_amount": line.open_amount.amount,
                "interest": line.interest.rounded().amount,
                "compensation": line.compensation.amount,
                "interest_days": line.interest_days,
            }
            for line in letter.lines
        ]
        self.session.execute(insert(ct.dunning_letter_lines), rows)
        return letter_id

    def set_delivery(self, letter_id: int, file_id: int, outbox_key: str | None) -> None:
        letters = ct.dunning_letters
        self.session.execute(
            update(letters).where(letters.c.id == letter_id).values(file_id=file_id, outbox_key=outbox_key)
        )

    def letters(self, *, customer: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        letter = ct.dunning_letters
        has_pdf = letter.c.file_id.is_not(None).label("has_pdf")
        query = select(letter, has_pdf).order_by(letter.c.id.desc()).limit(limit)
        if customer:
            query = query.where(letter.c.customer_number == customer)
        return [dict(r._mapping) for r in self.session.execute(query)]

    def letter_pdf(self, letter_id: int) -> tuple[str, bytes] | None:
        letter, files = ct.dunning_letters.c, it.document_files.c
        query = (
            select(files.file_name, files.content)
            .join_from(ct.dunning_letters, it.document_files, files.id == letter.file_id)
            .where(letter.id == letter_id)
        )
        row = self.session.execute(query).first()
        return None if row is None else (row.file_name, bytes(row.content))


def _policy(r: Any) -> PolicySettings:
    return PolicySettings(
        r.segment,
        r.name,
        tuple(LevelSettings.from_dict(level) for level in r.levels),
        r.grace_days,
        {c: Decimal(a) for c, a in r.minimum_amounts.items()},
        r.exclude_disputed,
        r.exclude_promised,
        r.exclude_blocked,
        r.late_interest,
    )
