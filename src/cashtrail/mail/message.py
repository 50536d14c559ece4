"""Turning an outgoing mail into a MIME message (stdlib ``email``), with a Message-ID derived from its outbox key,
so a message re-sent after a crash carries the same id and mail systems can drop the duplicate."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import formatdate

from cashtrail.outbox.model import OutgoingMail


def mime_message(mail: OutgoingMail) -> EmailMessage:
    """The MIME form of ``mail``: text body and each attachment with its media type."""
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    if mail.message_key:
        digest = hashlib.sha256(mail.message_key.encode()).hexdigest()[:32]
        domain = mail.sender.rsplit("@", 1)[-1] or "cashtrail.invalid"
        message["Message-ID"] = f"<{digest}@{domain}>"
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.body)
    for attachment in mail.attachments:
        maintype, _, subtype = attachment.media_type.partition("/")
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype or "octet-stream", filename=attachment.file_name
        )
    return message
