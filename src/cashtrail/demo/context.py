"""What demo chapters share: the :class:`DemoContext` they fill in, the :class:`Chapter` type and progress hooks.

A chapter is a function ``(app, rng, ctx) -> None`` with a name and a title. Chapters run in order; each records
in the context what later chapters need (customer numbers, SKUs, users), so a billing chapter can bill the
customers an earlier chapter created without querying for them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy import Column, Table

from cashtrail.bootstrap import App

DEFAULT_SEED = 2026
DEFAULT_CUSTOMERS = 300
#: Every demo user signs in with this password; the README and the end of ``cashtrail demo`` say so.
DEMO_PASSWORD = "demo-password"
#: The reason on the demo's audit events; it also marks a database as one the demo built.
DEMO_REASON = "cashtrail demo"
#: The demo company's first business day: price lists and later chapters' cycles start here.
DEMO_EPOCH = date(2026, 1, 1)


def _ignore_progress(done: int, total: int) -> None:
    """The default progress hook: report nothing."""


@dataclass
class DemoContext:
    """What the chapters built so far; later chapters read it and add to it."""

    seed: int = DEFAULT_SEED
    customer_count: int = DEFAULT_CUSTOMERS
    password: str = DEMO_PASSWORD
    epoch: date = DEMO_EPOCH
    #: username → role, in creation order.
    users: dict[str, str] = field(default_factory=dict)
    payment_terms: list[str] = field(default_factory=list)
    #: product type → SKUs of that type.
    products: dict[str, list[str]] = field(default_factory=dict)
    #: ``CODE@valid_from`` of every price-list version.
    price_lists: list[str] = field(default_factory=list)
    #: customer numbers, in number order.
    customers: list[str] = field(default_factory=list)
    #: country → customer numbers.
    customers_by_country: dict[str, list[str]] = field(default_factory=dict)
    #: contract numbers, in creation order.
    contracts: list[str] = field(default_factory=list)
    #: Call with (done, total) while a chapter works through many items.
    progress: Callable[[int, int], None] = _ignore_progress

    def usernames(self, role: str) -> list[str]:
        """The demo users holding ``role``."""
        return [name for name, held in self.users.items() if held == role]


ChapterFn = Callable[[App, random.Random, DemoContext], None]


@dataclass(frozen=True)
class Chapter:
    """One step of the demo: ``run(app, rng, ctx)`` under a human ``title``; ``name`` seeds its random stream."""

    name: str
    title: str
    run: ChapterFn


@dataclass(frozen=True)
class Count:
    """A summary line: how many rows ``table`` holds, optionally broken down by the values of ``by``."""

    label: str
    table: Table
    by: Column[str] | None = None


class Reporter(Protocol):
    """Receives progress while the demo is built (the CLI draws Rich progress bars)."""

    def started(self, chapter: Chapter) -> None: ...
    def progressed(self, done: int, total: int) -> None: ...
    def finished(self, chapter: Chapter) -> None: ...


class SilentReporter:
    """A reporter that shows nothing (tests, library use)."""

    def started(self, chapter: Chapter) -> None:
        """Ignore the start of a chapter."""

    def progressed(self, done: int, total: int) -> None:
        """Ignore progress."""

    def finished(self, chapter: Chapter) -> None:
        """Ignore the end of a chapter."""
