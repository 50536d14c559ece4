"""The single composition root: settings → engine → mappers → unit of work, clock and job runner.

Doors (CLI, API, web) and workers call :func:`bootstrap` once and pass the resulting :class:`App` around.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from cashtrail.clock import Clock, SystemClock
from cashtrail.config import Settings
from cashtrail.db.engine import make_engine
from cashtrail.db.mappers import start_mappers
from cashtrail.db.uow import SqlUnitOfWork
from cashtrail.documents.renderer import SnapshotRenderer
from cashtrail.mail import build_transport
from cashtrail.ports import DocumentRenderer, MailTransport


@dataclass
class App:
    """Everything a door needs: settings, clock, and a factory of units of work."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock = field(default_factory=SystemClock)

    def uow(self) -> SqlUnitOfWork:
        """A fresh unit of work (one per use-case call)."""
        return SqlUnitOfWork(self.session_factory)

    def renderer(self) -> DocumentRenderer:
        """The PDF and Peppol UBL renderer of issued documents."""
        return SnapshotRenderer()

    def mail_transport(self) -> MailTransport:
        """The configured transport: SMTP, or the local ``.eml`` outbox folder."""
        s = self.settings
        return build_transport(
            smtp_host=s.smtp_host,
            smtp_port=s.smtp_port,
            smtp_user=s.smtp_user,
            smtp_password=s.smtp_password,
            smtp_starttls=s.smtp_starttls,
            outbox_dir=s.outbox_dir,
        )


def bootstrap(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    session_factory: Callable[[Engine], sessionmaker[Session]] | None = None,
) -> App:
    """Wire the application; tests may pass a session factory bound to a rolled-back connection."""
    settings = settings or Settings()
    start_mappers()
    engine = make_engine(settings.database_url)
    factory = (session_factory or _default_factory)(engine)
    return App(settings=settings, engine=engine, session_factory=factory, clock=clock or SystemClock())


def _default_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
