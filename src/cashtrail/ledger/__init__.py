"""The AR ledger: an append-only double-entry journal and the customers' open items."""
