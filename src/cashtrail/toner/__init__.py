"""MPS toner reconciliation (TREC): shipped toner against billed pages, findings and the huddle board."""
