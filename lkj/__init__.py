"""lkj: Indonesian performance reports (Laporan Kinerja) from PDF to audited, tidy data.

The library under the `lkj` command (README, Python):

    import lkj

    report = lkj.read("LKj-2023.pdf")       # every table, as DataFrames
    findings = lkj.audit(report)             # where the report disagrees with itself
    with lkj.Store.open("lkj.sqlite") as store:
        store.load(report, findings)

Nothing heavy is imported until it is used: `import lkj` is cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["ExtractSettings", "Findings", "Report", "ReportError", "Store", "StoreError",
           "audit", "read", "run", "__version__"]

_WHERE = {"Report": "lkj.api", "Findings": "lkj.api", "Store": "lkj.api", "read": "lkj.api",
          "audit": "lkj.api", "run": "lkj.api", "ReportError": "lkj.extract.document",
          "StoreError": "lkj.load.store", "ExtractSettings": "lkj.extract.settings"}


def __getattr__(name: str) -> Any:
    """The public names, each imported from its module on first use (PEP 562)."""
    if name not in _WHERE:
        raise AttributeError(f"module 'lkj' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
