"""Workbench routes, one module per domain; ``auth`` is the only one open without a session."""
