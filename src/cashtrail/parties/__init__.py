"""Customers, their addresses and contacts, and payment terms."""
