"""One router per domain, named like the domain package it serves."""
