"""Helpers shared by the workbench tests."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    """The CSRF token of the first form in ``html``."""
    match = _CSRF.search(html)
    assert match, "no csrf_token field in the page"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form, as a browser would."""
    token = csrf_from(client.get("/login").text)
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


HTMX = {"HX-Request": "true", "HX-Target": "customer-results"}
