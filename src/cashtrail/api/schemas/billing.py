"""Bill-run and billing-block payloads. Amounts are decimal strings next to a currency, never JSON numbers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from cashtrail.api.schemas.common import money_text
from cashtrail.billing.blocks import Block
from cashtrail.billing.charges import Charge
from cashtrail.billing.run import RunResult


class ChargeOut(BaseModel):
    key: str
    contract_number: str
    kind: str
    description: str
    period_start: date
    period_end: date
    quantity: str
    unit_price: str
    amount: str
    currency: str
    formula: str
    asset: str
    site: str
    source: dict[str, str]

    @classmethod
    def of(cls, charge: Charge) -> ChargeOut:
        return cls(
            key=charge.key,
            contract_number=charge.contract_number,
            kind=charge.kind,
            description=charge.description,
            period_start=charge.period.start,
            period_end=charge.period.end,
            quantity=format(charge.quantity.normalize(), "f"),
            unit_price=format(charge.unit_price.normalize(), "f"),
            amount=money_text(charge.amount.amount, charge.amount.currency),
            currency=charge.amount.currency,
            formula=charge.formula,
            asset=charge.asset,
            site=charge.site,
            source=dict(charge.source),
        )


class DraftOut(BaseModel):
    group_key: str
    customer_number: str
    currency: str
    total: str
    deferred: bool
    lines: list[ChargeOut]


class HeldOut(BaseModel):
    charge: ChargeOut
    reasons: list[str]


class ChangeOut(BaseModel):
    status: Literal["new", "changed", "disappeared"]
    contract_number: str
    key: str
    description: str
    previous: str | None
    current: str | None


class BillRunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    period: str = Field(pattern=r"^\d{4}-\d{2}$", examples=["2026-04"])
    preview: bool = False
    max_amount_per_customer: str | None = Field(
        default=None, pattern=r"^\d+(\.\d{1,4})?$", description="Hold customers whose run total exceeds it."
    )
    real_reads_only: bool = Field(default=False, description="Hold usage billed from estimated reads.")


class CorrectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    contract: str = Field(min_length=1, max_length=32)
    period: str = Field(pattern=r"^\d{4}-\d{2}$", examples=["2026-04"])


class CorrectionOut(BaseModel):
    lines: list[ChargeOut]


class BillRunOut(BaseModel):
    period: str
    preview: bool
    contracts: int
    totals: dict[str, str]
    drafts: list[DraftOut]
    held: list[HeldOut]
    already_billed: int
    diff: list[ChangeOut]

    @classmethod
    def of(cls, result: RunResult) -> BillRunOut:
        return cls(
            period=result.period,
            preview=result.preview,
            contracts=result.contracts,
            totals={k: money_text(v, k) for k, v in result.totals().items()},
            drafts=[
                DraftOut(
                    group_key=d.group_key,
                    customer_number=d.customer_number,
                    currency=d.currency,
                    total=money_text(d.total.amount, d.currency),
                    deferred=d.deferred,
                    lines=[ChargeOut.of(c) for c in d.lines],
                )
                for d in result.drafts
            ],
            held=[HeldOut(charge=ChargeOut.of(c), reasons=why) for c, why in result.held],
            already_billed=result.already_billed,
            diff=[
                ChangeOut(
                    status=c.status,
                    contract_number=c.contract_number,
                    key=c.key,
                    description=c.description,
                    previous=None if c.previous is None else money_text(c.previous.amount, c.previous.currency),
                    current=None if c.current is None else money_text(c.current.amount, c.current.currency),
                )
                for c in result.diff
            ],
        )


class BlockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scope: Literal["charge", "contract", "customer"]
    target: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=500)
    owner: str = ""
    release_on: date | None = None


class ReleaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class BlockOut(BaseModel):
    id: int
    scope: str
    target: str
    reason: str
    detail: str
    owner: str
    automatic: bool
    contract_number: str
    created_at: datetime
    created_by: str
    release_on: date | None
    released_at: datetime | None
    released_by: str | None
    release_reason: str | None

    @classmethod
    def of(cls, block: Block) -> BlockOut:
        return cls(**{k: v for k, v in block.__dict__.items()})


class BlockList(BaseModel):
    items: list[BlockOut]
