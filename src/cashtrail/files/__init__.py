"""File adapters: turn bytes on disk (CSV, XLSX, later bank statements) into plain rows the domain can check."""
