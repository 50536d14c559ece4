"""Customer e-mails as :class:`~cashtrail.disputes.cases.Message`: parsed from ``.eml`` files (RFC 5322, stdlib
``email``) or fetched from an IMAP mailbox (stdlib ``imaplib``), for the case import.

The body is the first ``text/plain`` part (else the HTML part with its tags stripped); a message without a
Message-ID gets one derived from its content, so importing the same file twice still finds it.
"""

from __future__ import annotations

import contextlib
import hashlib
import imaplib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from cashtrail.disputes.cases import Message


def parse_eml(data: bytes, *, received_at: datetime | None = None) -> Message:
    """One message from the raw bytes of an ``.eml`` file."""
    mail = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(mail, EmailMessage)
    message_id = str(mail.get("Message-ID", "")).strip() or f"<sha256-{hashlib.sha256(data).hexdigest()}@cashtrail>"
    return Message(
        message_id,
        parseaddr(str(mail.get("From", "")))[1].lower(),
        str(mail.get("Subject", "")).strip(),
        _body(mail),
        received_at or _date(mail),
    )


def _date(mail: EmailMessage) -> datetime:
    header = mail.get("Date")
    if header:
        try:
            sent = parsedate_to_datetime(str(header))
            if sent.tzinfo is not None:
                return sent.astimezone(UTC)
        except (TypeError, ValueError):
            pass
    return datetime(1970, 1, 1, tzinfo=UTC)


def _body(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = str(part.get_content())
    if part.get_content_subtype() == "html":
        content = re.sub(r"<[^>]+>", " ", content)
    return content.strip()


def read_eml_files(paths: list[Path]) -> list[Message]:
    """Every ``.eml`` file named, and every ``.eml`` inside the folders named."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.eml")) if path.is_dir() else [path]
    return [parse_eml(f.read_bytes()) for f in files]


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    ssl: bool = True


def fetch_imap(mailbox: Mailbox, *, limit: int = 500) -> list[Message]:
    """The messages of the folder (newest ``limit``), read-only: nothing is flagged or moved on the server."""
    cls = imaplib.IMAP4_SSL if mailbox.ssl else imaplib.IMAP4
    client = cls(mailbox.host, mailbox.port)
    try:
        client.login(mailbox.user, mailbox.password)
        status, _ = client.select(mailbox.folder, readonly=True)
        if status != "OK":
            raise ConnectionError(f"IMAP folder {mailbox.folder} cannot be opened")
        _, data = client.search(None, "ALL")
        numbers = data[0].split()[-limit:] if data and data[0] else []
        messages = []
        for number in numbers:
            _, parts = client.fetch(number.decode(), "(RFC822)")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if isinstance(raw, bytes):
                messages.append(parse_eml(raw))
        return messages
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()
