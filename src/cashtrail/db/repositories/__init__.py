"""One SQL repository per aggregate; all queries live here."""
