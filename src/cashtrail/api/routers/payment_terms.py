"""Payment terms: list every code, and create or replace one by code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from cashtrail.api.deps import CashtrailApp, CurrentActor
from cashtrail.api.problems import COMMON_PROBLEMS
from cashtrail.api.schemas.payment_terms import PaymentTermsIn, PaymentTermsList, PaymentTermsOut
from cashtrail.parties.queries import list_payment_terms
from cashtrail.parties.services import define_payment_terms

router = APIRouter(prefix="/v1/payment-terms", tags=["customers"], responses=COMMON_PROBLEMS)


@router.get("", summary="List payment terms")
def list_(app: CashtrailApp, actor: CurrentActor) -> PaymentTermsList:
    """Every payment-terms code, ordered by code."""
    return PaymentTermsList(items=[PaymentTermsOut.of(t) for t in list_payment_terms(app.uow(), actor)])


@router.put("/{code}", summary="Create or replace payment terms")
def put(
    code: Annotated[str, Path(min_length=1, max_length=32)],
    body: PaymentTermsIn,
    app: CashtrailApp,
    actor: CurrentActor,
) -> PaymentTermsOut:
    """Define the terms of ``code``; changes are written to the audit trail."""
    return PaymentTermsOut.of(define_payment_terms(app.uow(), app.clock, actor, body.to_domain(code)))
