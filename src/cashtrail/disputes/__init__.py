"""Disputes on invoices and customer cases (queries by e-mail, chat or ticket)."""
