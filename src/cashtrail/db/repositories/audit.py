"""The SQL audit log (append-only: no update or delete methods exist) and import records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from cashtrail.audit.model import AuditEvent
from cashtrail.db import tables as t
from cashtrail.imports.model import ImportRecord


class SqlAuditLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def append(self, event: AuditEvent) -> None:
        self.session.add(event)

    def for_entity(self, entity_type: str, entity_id: str) -> Sequence[AuditEvent]:
        query = select(AuditEvent).filter_by(entity_type=entity_type, entity_id=entity_id).order_by(t.audit_events.c.id)
        return list(self.session.scalars(query))

    def page(self, *, after_id: int | None, limit: int, entity_type: str | None = None) -> Sequence[AuditEvent]:
        query = select(AuditEvent)
        if entity_type:
            query = query.filter_by(entity_type=entity_type)
        if after_id is not None:
            query = query.where(t.audit_events.c.id < after_id)
        return list(self.session.scalars(query.order_by(t.audit_events.c.id.desc()).limit(limit)))


class SqlImportRecordRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: ImportRecord) -> None:
        self.session.add(record)

    def by_external_ids(self, source: str, external_ids: Iterable[str]) -> dict[str, ImportRecord]:
        wanted = sorted(set(external_ids))
        found: dict[str, ImportRecord] = {}
        for start in range(0, len(wanted), 500):
            query = select(ImportRecord).where(
                t.import_records.c.source == source,
                t.import_records.c.external_id.in_(wanted[start : start + 500]),
            )
            for record in self.session.scalars(query):
                found[record.external_id] = record
        return found
