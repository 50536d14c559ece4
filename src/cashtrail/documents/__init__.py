"""Document adapters: outbound invoices, credit notes and letters rendered as UBL or PDF, and their validation."""
