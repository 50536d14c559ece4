"""Settings: one ``Settings`` object read from ``CASHTRAIL_*`` environment variables (and ``.env``).

Defaults give a zero-setup SQLite database in the working directory. Placeholder secrets are refused outside the
``dev`` environment. Domain code never reads settings; ``bootstrap`` hands values to what needs them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me-dev-only"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASHTRAIL_", env_file=".env", extra="ignore")

    env: Literal["dev", "test", "prod"] = "dev"
    database_url: str = "sqlite:///cashtrail.db"
    secret_key: str = PLACEHOLDER_SECRET
    host: str = "127.0.0.1"
    port: int = 8000
    timezone: str = "Europe/Brussels"
    #: Extra modules registering jobs (comma-separated import paths), imported by workers and ``cashtrail job``.
    job_modules: str = ""
    #: Outgoing mail: SMTP when a host is set, else ``.eml`` files in ``outbox_dir`` (the demo's local outbox).
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_sender: str = "billing@cashtrail.invalid"
    outbox_dir: str = "outbox"

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        if self.env == "prod" and self.secret_key == PLACEHOLDER_SECRET:
            raise ValueError("CASHTRAIL_SECRET_KEY must be set to a real secret when CASHTRAIL_ENV=prod")
        return self

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith("postgresql")
