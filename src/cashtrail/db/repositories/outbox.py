"""SQL repositories of rendered document files and of the outbox (Core)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from cashtrail.db import invoicing_tables as it
from cashtrail.db.repositories.billing import chunks
from cashtrail.outbox.model import AttachmentRef, Message, MessageStatus
from cashtrail.ports import StoredFile


class SqlDocumentFileRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(
        self,
        entity_type: str,
        entity_id: str,
        fmt: str,
        *,
        media_type: str,
        file_name: str,
        content: bytes,
        at: datetime,
    ) -> int:
        row = {
            "entity_type": entity_type,
            "entity_id": entity_id,
            "format": fmt,
            "media_type": media_type,
            "file_name": file_name,
            "content": content,
            "sha256": hashlib.sha256(content).hexdigest(),
            "rendered_at": at,
        }
        return int(
            self.session.execute(insert(it.document_files).values(**row).returning(it.document_files.c.id)).scalar_one()
        )

    def _select(self) -> Any:
        f = it.document_files.c
        return select(
            f.id,
            f.entity_type,
            f.entity_id,
            f.format,
            f.media_type,
            f.file_name,
            f.sha256,
            f.rendered_at,
            func.length(f.content).label("size"),
        )

    def find(self, entity_type: str, entity_id: str, fmt: str) -> StoredFile | None:
        f = it.document_files.c
        row = self.session.execute(
            self._select().where(f.entity_type == entity_type, f.entity_id == entity_id, f.format == fmt)
        ).first()
        return None if row is None else StoredFile(*row)

    def of_entity(self, entity_type: str, entity_id: str) -> list[StoredFile]:
        f = it.document_files.c
        rows = self.session.execute(
            self._select().where(f.entity_type == entity_type, f.entity_id == entity_id).order_by(f.format)
        )
        return [StoredFile(*row) for row in rows]

    def contents(self, file_ids: Sequence[int]) -> dict[int, bytes]:
        found: dict[int, bytes] = {}
        f = it.document_files.c
        for chunk in chunks(sorted(set(file_ids))):
            found.update({i: bytes(c) for i, c in self.session.execute(select(f.id, f.content).where(f.id.in_(chunk)))})
        return found


class SqlOutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, message: Message) -> None:
        message.id = int(
            self.session.execute(insert(it.outbox).values(**_row(message)).returning(it.outbox.c.id)).scalar_one()
        )

    def save(self, message: Message) -> None:
        self.session.execute(update(it.outbox).where(it.outbox.c.id == message.id).values(**_row(message)))

    def get(self, message_id: int) -> Message | None:
        rows = self._messages(it.outbox.c.id == message_id)
        return rows[0] if rows else None

    def get_by_key(self, key: str) -> Message | None:
        rows = self._messages(it.outbox.c.key == key)
        return rows[0] if rows else None

    def due(self, now: datetime, limit: int) -> list[int]:
        o = it.outbox.c
        query = (
            select(o.id)
            .where(o.status == MessageStatus.PENDING, o.next_attempt_at <= now)
            .order_by(o.next_attempt_at, o.id)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def for_entity(self, entity_type: str, entity_id: str) -> list[Message]:
        o = it.outbox.c
        return self._messages((o.entity_type == entity_type) & (o.entity_id == entity_id))

    def page(self, *, status: str | None, after_id: int | None, limit: int) -> list[Message]:
        o = it.outbox.c
        condition = o.id > (after_id or 0)
        if status:
            condition = condition & (o.status == status)
        return self._messages(condition, limit=limit)

    def _messages(self, condition: Any, limit: int | None = None) -> list[Message]:
        query = select(it.outbox).where(condition).order_by(it.outbox.c.id)
        return [_message(r) for r in self.session.execute(query.limit(limit) if limit else query)]


def _row(m: Message) -> dict[str, Any]:
    return {
        "key": m.key,
        "channel": m.channel,
        "recipient": m.recipient,
        "subject": m.subject[:300],
        "body": m.body,
        "attachments": [
            {"file_id": a.file_id, "file_name": a.file_name, "media_type": a.media_type} for a in m.attachments
        ],
        "entity_type": m.entity_type,
        "entity_id": m.entity_id,
        "status": m.status,
        "attempts": m.attempts,
        "last_error": m.last_error,
        "created_at": m.created_at,
        "next_attempt_at": m.next_attempt_at,
        "sent_at": m.sent_at,
    }


def _message(r: Any) -> Message:
    return Message(
        r.key,
        r.recipient,
        r.subject,
        r.body,
        r.entity_type,
        r.entity_id,
        tuple(AttachmentRef(a["file_id"], a["file_name"], a["media_type"]) for a in r.attachments),
        r.channel,
        MessageStatus(r.status),
        r.attempts,
        r.last_error,
        r.created_at,
        r.next_attempt_at,
        r.sent_at,
        r.id,
    )
