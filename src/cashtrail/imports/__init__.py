"""Idempotent file imports: whole-file validation, then all-or-nothing writes keyed by (source, external id)."""
