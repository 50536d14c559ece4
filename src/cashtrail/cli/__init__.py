"""The ``cashtrail`` command line (Typer + Rich)."""
