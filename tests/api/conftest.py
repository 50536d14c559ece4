"""API contract-test fixtures: a TestClient over ``create_api`` on the rolled-back ``app`` (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from cashtrail.api.app import create_api
from cashtrail.bootstrap import App


@pytest.fixture
def api(app: App) -> FastAPI:
    return create_api(app)


@pytest.fixture
def client(api: FastAPI) -> TestClient:
    return TestClient(api)
