"""What every import kind provides: its column spec, the permission it needs, and a two-step plan.

``prepare`` reads the referenced entities once for the whole file (set-based, never one lookup per row), checks
every row against the domain rules and returns a :class:`Batch` plus every problem found; it writes nothing.
``Batch.write`` then applies the rows that are new or changed through the domain's ``apply_*`` use cases (which
record audit events) inside the caller's transaction, and reports what it did per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from cashtrail.clock import Clock
from cashtrail.errors import FieldError
from cashtrail.identity.model import Actor, Permission
from cashtrail.imports.spec import KindSpec, ParsedRow
from cashtrail.ports import UnitOfWork

Outcome = Literal["created", "updated", "unchanged"]


class Stored(Protocol):
    """An entity with a database id (known after the unit of work flushes)."""

    id: int | None


@dataclass
class Planned:
    """One valid row: where it is, its business key, the hash of its values, and whether its entity exists."""

    row: int
    external_id: str
    content_hash: str
    exists: bool


@dataclass(frozen=True)
class Written:
    """What writing one row did, and to which entity."""

    external_id: str
    entity_type: str
    entity: Stored
    outcome: Outcome


class Batch(Protocol):
    """The checked rows of one file, ready to be written."""

    planned: list[Planned]

    def write(
        self,
        uow: UnitOfWork,
        clock: Clock,
        actor: Actor,
        changed: Sequence[Planned],
        reason: Callable[[Planned], str],
    ) -> list[Written]:
        """Apply the ``changed`` rows (new or different from their last import); no commit."""
        ...


Prepare = Callable[[UnitOfWork, Sequence[ParsedRow]], tuple[Batch, list[FieldError]]]


@dataclass(frozen=True)
class Kind:
    """One importable kind of file."""

    spec: KindSpec
    permission: Permission
    entity_type: str
    prepare: Prepare
