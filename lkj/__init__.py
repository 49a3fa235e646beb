"""lkj: Indonesian performance reports (Laporan Kinerja) from PDF to audited, tidy data."""

__version__ = "0.1.0"
