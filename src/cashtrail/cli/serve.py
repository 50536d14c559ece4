"""``cashtrail serve``: the HTTP API and the web workbench in one ASGI app (uvicorn)."""

from __future__ import annotations

import typer

from cashtrail.cli.context import get_app, out


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: str = typer.Option(None, help="Bind address (default CASHTRAIL_HOST or 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default CASHTRAIL_PORT or 8000)."),
) -> None:
    """Serve the web workbench at / and the HTTP API at /api."""
    import uvicorn

    from cashtrail.server import create_server

    cashtrail = get_app()
    bind_host = host or cashtrail.settings.host
    bind_port = port or cashtrail.settings.port
    out.print(f"Cashtrail workbench on http://{bind_host}:{bind_port}/  (API docs at /api/docs)")
    uvicorn.run(create_server(cashtrail), host=bind_host, port=bind_port, log_level="info")
