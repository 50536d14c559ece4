"""Cash application: bank statements in, payments matched to open items out (issue 6)."""
