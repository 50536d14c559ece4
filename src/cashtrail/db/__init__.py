"""SQLAlchemy 2 adapter: tables, imperative mappers, repositories and the unit of work; Alembic migrations."""
