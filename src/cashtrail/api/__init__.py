"""The HTTP API door: FastAPI routers over the service layer, Pydantic schemas at the edge, problem+json errors."""
