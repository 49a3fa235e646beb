"""Storage: the SQLite, PostgreSQL and CSV stores, and files written by `lkj extract`."""
