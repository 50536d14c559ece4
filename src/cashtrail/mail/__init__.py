"""Mail transports (adapters): SMTP for production, a directory of ``.eml`` files for the demo and development."""

from __future__ import annotations

from pathlib import Path

from cashtrail.mail.directory import DirectoryTransport
from cashtrail.mail.smtp import SmtpTransport
from cashtrail.ports import MailTransport

__all__ = ["DirectoryTransport", "SmtpTransport", "build_transport"]


def build_transport(
    *,
    smtp_host: str,
    smtp_port: int,
    smtp_user: str,
    smtp_password: str,
    smtp_starttls: bool,
    outbox_dir: str,
) -> MailTransport:
    """SMTP when a host is configured, else ``.eml`` files written to ``outbox_dir``."""
    if smtp_host:
        return SmtpTransport(smtp_host, smtp_port, user=smtp_user, password=smtp_password, starttls=smtp_starttls)
    return DirectoryTransport(Path(outbox_dir))
