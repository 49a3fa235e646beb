"""Shared fixtures: the sample reports and one extraction of each, reused across tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE_2023 = SAMPLES / "lkj-bp3mi-ntb-2023.pdf"


@pytest.fixture(scope="session")
def sample_2023() -> Path:
    return SAMPLE_2023


@pytest.fixture(scope="session")
def extraction_2023():
    from lkj.extract.report import extract_report

    return extract_report(SAMPLE_2023)
