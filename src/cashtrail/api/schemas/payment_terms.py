"""Payment-terms schemas; the code is the path parameter, so it is not part of the body."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from cashtrail.api.schemas.common import Percent, decimal_text
from cashtrail.parties.model import PaymentTerms, TermsBasis


class PaymentTermsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: str = Field(max_length=200, examples=["Net 30 days"])
    basis: TermsBasis = TermsBasis.NET
    days: int = Field(30, ge=0, le=3650)
    discount_percent: Percent = Field(Decimal(0), description='Cash discount, e.g. `"2"` for 2 %.')
    discount_days: int = Field(0, ge=0, le=3650)

    def to_domain(self, code: str) -> PaymentTerms:
        """The domain payment terms with ``code``."""
        return PaymentTerms(code=code, **self.model_dump())


class PaymentTermsOut(BaseModel):
    code: str
    description: str
    basis: str
    days: int
    discount_percent: str
    discount_days: int

    @classmethod
    def of(cls, terms: PaymentTerms) -> PaymentTermsOut:
        """The API view of domain payment terms."""
        return cls(
            code=terms.code,
            description=terms.description,
            basis=str(terms.basis),
            days=terms.days,
            discount_percent=decimal_text(terms.discount_percent),
            discount_days=terms.discount_days,
        )


class PaymentTermsList(BaseModel):
    """Every payment-terms code (a short reference list; ``next_cursor`` is always null)."""

    items: list[PaymentTermsOut]
    next_cursor: None = None
