"""The one ASGI application: the web workbench at ``/`` with the HTTP API mounted at ``/api``."""

from __future__ import annotations

from fastapi import FastAPI

from cashtrail.bootstrap import App


def create_server(app: App) -> FastAPI:
    """Build the combined ASGI app for ``app``."""
    from cashtrail.api.app import create_api
    from cashtrail.web.app import create_web

    root: FastAPI = create_web(app)
    root.mount("/api", create_api(app))
    return root
