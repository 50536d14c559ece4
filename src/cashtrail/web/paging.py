"""Keyset ("cursor") paging for workbench tables: ``?after=<id of the last row shown>``.

One row more than the page size is fetched to learn whether a next page exists, so the last page never links to an
empty one. Unlike offsets, keyset pages never repeat or skip rows when rows are added meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
PAGE_SIZE = 50


def cut(rows: Sequence[T], limit: int, id_of: Callable[[T], int | None]) -> tuple[list[T], int | None]:
    """The page's rows and the ``after`` value of the next page (None on the last page).

    >>> cut([1, 2, 3], 2, lambda n: n)
    ([1, 2], 2)
    >>> cut([1, 2], 2, lambda n: n)
    ([1, 2], None)
    """
    items = list(rows[:limit])
    if len(rows) <= limit or not items:
        return items, None
    return items, id_of(items[-1])
