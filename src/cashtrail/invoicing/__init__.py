"""Invoicing: VAT decisions, invoice totals and structured payment references (pure domain, no IO)."""
