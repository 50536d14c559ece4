"""``Idempotency-Key`` on POSTs that move money (house style I2): the first response is stored with a hash of the
request and replayed for a retry with the same key; the same key with another request is a 422 problem.

The key is scoped to the caller (two API users may use the same key). The outcome is stored right after the use
case commits; a retry that arrives while the first request is still running runs the use case again, which the
use cases themselves make safe (issuing an issued document is refused, numbers are allocated once).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from cashtrail.bootstrap import App
from cashtrail.errors import ValidationFailed
from cashtrail.identity.model import Actor

Out = TypeVar("Out", bound=BaseModel)


def request_hash(operation: str, body: BaseModel | None) -> str:
    """A stable digest of what was asked."""
    payload = json.dumps([operation, body.model_dump() if body else None], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def idempotent(
    app: App,
    actor: Actor,
    key: str | None,
    operation: str,
    body: BaseModel | None,
    run: Callable[[], Out],
    *,
    status_code: int = 200,
) -> Out | JSONResponse:
    """``run()`` once per (caller, key); a retry gets the stored response back."""
    if not key:
        return run()
    digest = request_hash(operation, body)
    with app.uow() as uow:
        stored = uow.idempotency.find(actor.username, key)
    if stored is not None:
        if stored["request_hash"] != digest:
            raise ValidationFailed(
                "this Idempotency-Key was used for another request", code="idempotency.key_reused", key=key
            )
        return JSONResponse(
            stored["response"], status_code=stored["status_code"], headers={"Idempotent-Replay": "true"}
        )
    result = run()
    _store(app, actor, key, operation, digest, status_code, result.model_dump(mode="json"))
    return result


def _store(app: App, actor: Actor, key: str, operation: str, digest: str, code: int, response: Any) -> None:
    try:
        with app.uow() as uow:
            uow.idempotency.put(
                actor.username,
                key,
                operation=operation,
                request_hash=digest,
                status_code=code,
                response=response,
                at=app.clock.now(),
            )
            uow.commit()
    except IntegrityError:  # a concurrent request with the same key stored its outcome first
        return
