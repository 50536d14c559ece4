"""Shared fixtures.

``db_engine`` is parametrized over the backends in ``CASHTRAIL_TEST_BACKENDS`` (default ``sqlite,postgresql``);
the schema is built once per backend and session through the real Alembic migrations. ``app`` gives each test a
Cashtrail :class:`App` whose every commit lands in a SAVEPOINT of one outer transaction that is rolled back after
the test, so tests never see each other's data. PostgreSQL runs in a schema per xdist worker.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from cashtrail.bootstrap import App
from cashtrail.clock import FixedClock
from cashtrail.config import Settings
from cashtrail.db.engine import make_engine
from cashtrail.db.mappers import start_mappers
from cashtrail.db.schema import upgrade
from cashtrail.identity.model import Actor

POSTGRES_URL = os.environ.get("CASHTRAIL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = [b.strip() for b in os.environ.get("CASHTRAIL_TEST_BACKENDS", "sqlite,postgresql").split(",") if b.strip()]


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


_SCHEMA = f"ct_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def postgres_schema() -> str:
    """This test process's own PostgreSQL schema (unique per xdist worker and process; dropped at the end)."""
    return _SCHEMA


def postgres_url_for_worker() -> str:
    """The PostgreSQL URL whose search_path is this xdist worker's own schema."""
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options=-csearch_path%3D{postgres_schema()}"


def _make_backend(name: str, tmp_dir: Path) -> Engine:
    start_mappers()
    if name == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_dir / 'cashtrail-test.db'}")
    elif name == "postgresql":
        admin = make_engine(POSTGRES_URL)
        try:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA IF EXISTS {postgres_schema()} CASCADE"))
                conn.execute(text(f"CREATE SCHEMA {postgres_schema()}"))
        except Exception as exc:  # noqa: BLE001 - turned into a clear failure below
            pytest.fail(
                f"PostgreSQL at {POSTGRES_URL} is not reachable ({exc.__class__.__name__}); start it or set "
                "CASHTRAIL_TEST_BACKENDS=sqlite",
                pytrace=False,
            )
        finally:
            admin.dispose()
        engine = make_engine(postgres_url_for_worker())
    else:
        raise ValueError(f"unknown backend {name}")
    upgrade(engine)
    return engine


@pytest.fixture(scope="session", params=BACKENDS)
def db_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = _make_backend(request.param, tmp_path_factory.mktemp(request.param))
    yield engine
    engine.dispose()
    if request.param == "postgresql":
        admin = make_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {postgres_schema()} CASCADE"))
        admin.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def app(db_engine: Engine, clock: FixedClock, tmp_path: Path) -> Iterator[App]:
    """An App whose commits are rolled back after the test."""
    connection = db_engine.connect()
    outer = connection.begin()
    factory = sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    settings = Settings(
        database_url=db_engine.url.render_as_string(hide_password=False),
        env="test",
        outbox_dir=str(tmp_path / "outbox"),
    )
    yield App(settings=settings, engine=db_engine, session_factory=factory, clock=clock)
    outer.rollback()
    connection.close()


@pytest.fixture
def system() -> Actor:
    return Actor.system()
