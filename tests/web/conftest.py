"""Workbench fixtures: a TestClient over ``create_web`` alone, on the rolled-back ``app`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cashtrail.bootstrap import App
from cashtrail.web.app import create_web
from tests import factories
from tests.web.support import PASSWORD, sign_in


@pytest.fixture
def client(app: App) -> TestClient:
    return TestClient(create_web(app))


@pytest.fixture
def supervisor(app: App, client: TestClient) -> TestClient:
    """The client, signed in as a supervisor (who may read customers and their audit history)."""
    factories.user(app, username="sam", roles=["supervisor"], password=PASSWORD)
    sign_in(client, "sam")
    return client
