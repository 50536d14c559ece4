"""Import records: what each (source, external id) last imported, so a replay changes nothing.

``content_hash`` is the hash of the row's normalized values; an equal hash means the row is unchanged and is
skipped, a different one updates the entity (with an audit event) and the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(eq=False)
class ImportRecord:
    source: str
    external_id: str
    content_hash: str
    entity_type: str
    entity_id: int
    imported_at: datetime
    updated_at: datetime
    id: int | None = None
