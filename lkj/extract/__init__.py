"""From a PDF to located tables, cells and tidy rows."""
