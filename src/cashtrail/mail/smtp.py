"""SMTP transport (stdlib ``smtplib``): one connection per message, optional STARTTLS and login."""

from __future__ import annotations

import smtplib

from cashtrail.mail.message import mime_message
from cashtrail.outbox.model import OutgoingMail, TransportError


class SmtpTransport:
    def __init__(
        self,
        host: str,
        port: int = 25,
        *,
        user: str = "",
        password: str = "",
        starttls: bool = False,
        timeout: float = 30.0,
    ) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, mail: OutgoingMail) -> None:
        """Hand ``mail`` to the SMTP server; any refusal or connection problem is a ``TransportError``."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as server:
                if self.starttls:
                    server.starttls()
                if self.user:
                    server.login(self.user, self.password)
                refused = server.send_message(mime_message(mail))
        except (smtplib.SMTPException, OSError) as exc:
            raise TransportError(f"{self.host}:{self.port}: {exc.__class__.__name__}: {exc}") from exc
        if refused:
            raise TransportError(f"{self.host}:{self.port} refused {', '.join(refused)}")
