"""A transport that writes each message as an ``.eml`` file into a folder (the demo's local outbox)."""

from __future__ import annotations

import re
from pathlib import Path

from cashtrail.mail.message import mime_message
from cashtrail.outbox.model import OutgoingMail, TransportError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class DirectoryTransport:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, mail: OutgoingMail) -> None:
        """Write ``mail`` to ``<folder>/<key>.eml`` (replacing an earlier copy of the same message)."""
        name = _UNSAFE.sub("_", mail.message_key or mail.subject) or "message"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / f"{name}.eml").write_bytes(bytes(mime_message(mail)))
        except OSError as exc:
            raise TransportError(f"cannot write to {self.folder}: {exc}") from exc
