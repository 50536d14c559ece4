"""Pydantic models of the HTTP API, one module per router; they exist only at the edge."""
