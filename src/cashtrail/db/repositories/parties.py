"""SQL repositories for customers and payment terms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from cashtrail.db import tables as t
from cashtrail.parties.model import Customer, PaymentTerms


class SqlCustomerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, customer: Customer) -> None:
        self.session.add(customer)

    def get(self, customer_id: int) -> Customer | None:
        return self.session.get(Customer, customer_id)

    def get_by_number(self, number: str) -> Customer | None:
        return self.session.scalars(select(Customer).filter_by(number=number)).one_or_none()

    def by_numbers(self, numbers: Iterable[str]) -> dict[str, Customer]:
        wanted = sorted(set(numbers))
        found: dict[str, Customer] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for customer in self.session.scalars(select(Customer).where(t.customers.c.number.in_(chunk))):
                found[customer.number] = customer
        return found

    def _filtered(self, search: str | None, country: str | None) -> Select[Any]:
        query = select(Customer)
        if search:
            pattern = f"%{search.lower()}%"
            query = query.where(
                or_(
                    func.lower(t.customers.c.legal_name).like(pattern),
                    func.lower(t.customers.c.number).like(pattern),
                    func.lower(t.customers.c.vat_number).like(pattern),
                )
            )
        if country:
            query = query.where(t.customers.c.country == country.upper())
        return query

    def page(
        self, *, after_id: int | None, limit: int, search: str | None = None, country: str | None = None
    ) -> Sequence[Customer]:
        query = self._filtered(search, country)
        if after_id is not None:
            query = query.where(t.customers.c.id > after_id)
        return list(self.session.scalars(query.order_by(t.customers.c.id).limit(limit)))

    def count(self, *, search: str | None = None, country: str | None = None) -> int:
        query = self._filtered(search, country)
        return int(self.session.scalar(select(func.count()).select_from(query.subquery())) or 0)


class SqlPaymentTermsRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, terms: PaymentTerms) -> None:
        self.session.add(terms)

    def get_by_code(self, code: str) -> PaymentTerms | None:
        return self.session.scalars(select(PaymentTerms).filter_by(code=code)).one_or_none()

    def all(self) -> Sequence[PaymentTerms]:
        return list(self.session.scalars(select(PaymentTerms).order_by(t.payment_terms.c.code)))
