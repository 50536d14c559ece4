"""Cursor pagination: ``?cursor=...&limit=...`` in, ``{"items": [...], "next_cursor": ...}`` out.

The cursor is opaque to clients: the URL-safe base64 of ``id:<n>``, the id of the last item of the previous page.
Keyset paging on the id never repeats or skips a row when rows are added between requests, unlike offsets. One
row more than ``limit`` is fetched to learn whether another page exists, so the last page never links to an empty
one.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query

from cashtrail.errors import FieldError, ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
_PREFIX = "id:"

T = TypeVar("T")


def encode_cursor(last_id: int) -> str:
    """The opaque cursor that continues after ``last_id``.

    >>> encode_cursor(42)
    'aWQ6NDI'
    """
    return base64.urlsafe_b64encode(f"{_PREFIX}{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor stands for; anything this API did not issue is a ``ValidationFailed`` (422).

    >>> decode_cursor(encode_cursor(42))
    42
    """
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    digits = text.removeprefix(_PREFIX)
    if not text.startswith(_PREFIX) or not digits.isdigit() or len(digits) > 18 or int(digits) < 1:
        raise ValidationFailed(
            "the cursor is malformed; use the next_cursor of a previous page, or omit it to start again",
            code="pagination.bad_cursor",
            errors=[FieldError("cursor", "is not a cursor issued by this API", value=cursor)],
        )
    return int(digits)


@dataclass(frozen=True)
class PageRequest:
    """The decoded paging parameters of one request."""

    after_id: int | None
    limit: int

    @property
    def fetch_size(self) -> int:
        """How many rows to ask for: one more than the page, to know whether a next page exists."""
        return self.limit + 1

    def cut(self, rows: Sequence[T], id_of: Callable[[T], int | None]) -> tuple[list[T], str | None]:
        """The page's rows and the cursor of the next page (None when ``rows`` held no extra row)."""
        items = list(rows[: self.limit])
        if len(rows) <= self.limit or not items:
            return items, None
        last_id = id_of(items[-1])
        return items, None if last_id is None else encode_cursor(last_id)


def page_request(
    cursor: Annotated[
        str | None, Query(max_length=200, description="`next_cursor` of the previous page; omit for the first.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
) -> PageRequest:
    """FastAPI dependency: read ``cursor`` and ``limit`` from the query string."""
    return PageRequest(after_id=None if cursor is None else decode_cursor(cursor), limit=limit)


PageParams = Annotated[PageRequest, Depends(page_request)]
