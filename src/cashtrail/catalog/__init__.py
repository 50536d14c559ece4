"""Products and dated price lists."""
