"""The outbox: messages to customers (invoices, reminders) queued in the same transaction as what caused them."""
