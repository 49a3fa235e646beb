"""Writing normalised tables to SQLite or CSV."""
