"""ExtractSettings (lkj/extract/settings.py), the engine registry (lkj/extract/engines.py) and
the CLI's --set KEY=VALUE that builds the settings a worker reads with."""

from __future__ import annotations

import csv
import io
import pickle
from dataclasses import fields
from pathlib import Path

import click
import pytest
from conftest import SAMPLE_2023, lkj_here

from lkj.extract import engines
from lkj.extract.ocr import OcrSettings
from lkj.extract.settings import READERS, ExtractSettings, Limits, describe
from lkj.pipeline import cli

KEYS = ["engine", "reader", "ocr_pages", "ocr.dpi", "ocr.lang", "ocr.cell_langs",
        "ocr.check_lang", "ocr.figure_lang", "ocr.low_confidence", "ocr.tesseract",
        "ocr.workers", "limits.seconds", "limits.memory_mb"]


def test_the_defaults_are_todays():
    s = ExtractSettings()
    assert (s.engine, s.reader, s.ocr_pages) == ("both", None, None)
    assert s.ocr == OcrSettings() and s.limits == Limits(300.0, 3072)


@pytest.mark.parametrize(("made", "message"), [
    (lambda: ExtractSettings(engine="tabula"),
     "engine must be one of both, pdfplumber, camelot, got 'tabula'"),
    (lambda: ExtractSettings(reader="poppler"),
     "reader must be one of pdfium, pdfminer, got 'poppler'"),
    (lambda: ExtractSettings(ocr_pages=[0, 2]), "ocr_pages must be page numbers from 1"),
    (lambda: ExtractSettings(limits=Limits(seconds=0)), "seconds must be more than 0, got 0"),
    (lambda: ExtractSettings(limits=Limits(memory_mb=-1)), "memory_mb must be 0"),
    (lambda: ExtractSettings(ocr=OcrSettings(dpi=50)), "dpi must be between 150 and 600"),
    (lambda: ExtractSettings(ocr={"dpi": 300}), "ocr must be an OcrSettings"),
])
def test_a_bad_value_is_refused_when_made(made, message):
    with pytest.raises(ValueError, match=message) as err:
        made()
    assert "\n" not in str(err.value)


def test_ocr_pages_are_kept_as_a_tuple():
    assert ExtractSettings(ocr_pages=[3, 1]).ocr_pages == (3, 1)


def test_pairs_are_parsed_by_the_fields_types():
    s = ExtractSettings().with_pairs([
        "engine=camelot", "reader=pdfminer", "ocr_pages=1, 3", "ocr.dpi=400",
        "ocr.cell_langs=eng", "ocr.check_lang=none", "ocr.low_confidence=70.5",
        "limits.seconds=12.5", "limits.memory_mb=0"])
    assert s == ExtractSettings(
        engine="camelot", reader="pdfminer", ocr_pages=(1, 3),
        ocr=OcrSettings(dpi=400, cell_langs=("eng",), check_lang=None, low_confidence=70.5),
        limits=Limits(12.5, 0))
    assert s.with_pairs(["engine=both"]).engine == "both"  # later pairs win
    assert ExtractSettings().with_pairs([]) == ExtractSettings()


@pytest.mark.parametrize(("pair", "message"), [
    ("ocr.resolution=300", "unknown setting 'ocr.resolution' (known: engine, reader, "),
    ("engine", "'engine': a setting is key=value"),
    ("ocr.dpi=high", "ocr.dpi must be a whole number, got 'high'"),
    ("limits.seconds=soon", "limits.seconds must be a number, got 'soon'"),
    ("ocr.dpi=50", "ocr.dpi must be between 150 and 600, got 50"),
    ("limits.seconds=0", "limits.seconds must be more than 0"),
    ("ocr.lang=ind;rm", "ocr.lang must be Tesseract model names"),
    ("engine=tabula", "engine must be one of both, pdfplumber, camelot"),
])
def test_a_bad_pair_names_its_key(pair, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        ExtractSettings().with_pairs([pair])


def test_every_key_is_listed_with_its_type_default_and_meaning():
    listed = describe()
    assert [row[0] for row in listed] == KEYS
    assert all(kind and default and meaning for _, kind, default, meaning in listed)
    assert dict((k, d) for k, _, d, _ in listed)["limits.seconds"] == "300.0"


def test_settings_pickle_for_the_workers():
    s = ExtractSettings(engine="pdfplumber", ocr_pages=(2,), limits=Limits(5, 0))
    assert pickle.loads(pickle.dumps(s)) == s


def test_the_engine_choices_are_the_registrys():
    assert engines.ENGINE_CHOICES == tuple(engines.CHOICES) == ("both", "pdfplumber", "camelot")
    both = engines.CHOICES["both"]
    assert (both.primary, both.check, both.scans) == (engines.Pdfplumber, engines.Camelot,
                                                      engines.Ocr)
    assert engines.CHOICES["camelot"].check is None
    assert engines.CHOICES["pdfplumber"].modules == ("pdfplumber",)
    assert both.modules == ("pdfplumber", "camelot")
    for name in ("extract", "tables", "check", "load", "run"):
        option = next(p for p in cli.commands[name].params if p.name == "engine")
        assert isinstance(option.type, click.Choice)
        assert tuple(option.type.choices) == engines.ENGINE_CHOICES
        assert any(p.name == "pairs" and p.multiple for p in cli.commands[name].params)
    assert READERS == ("pdfium", "pdfminer")
    assert {f.name for f in fields(ExtractSettings)} == {"engine", "reader", "ocr_pages", "ocr",
                                                         "limits"}


def test_set_reaches_the_extraction():
    """--set is applied after the --engine shortcut: the tables are pdfplumber's alone, with
    no camelot cross-check (verified stays empty)."""
    ran = lkj_here("tables", SAMPLE_2023, "--format", "csv", "--engine", "camelot",
                   "--set", "engine=pdfplumber")
    assert ran.returncode == 0, ran.stderr
    rows = list(csv.DictReader(io.StringIO(ran.stdout)))
    assert rows and {r["engine"] for r in rows} == {"pdfplumber"}
    assert {r["verified"] for r in rows} == {""}
    assert "engines disagree" not in ran.stdout


def test_the_settings_are_what_the_worker_reads_with(tmp_path, monkeypatch):
    """The shortcuts and --set build one ExtractSettings, which crosses to the worker."""
    import lkj.extract.report as report

    real, seen = report.extract_report, tmp_path / "settings.pickle"

    def spy(path, settings=None, progress=None):
        seen.write_bytes(pickle.dumps(settings))
        return real(path, settings, progress)

    monkeypatch.setattr(report, "extract_report", spy)  # the worker is forked: it has the spy
    ran = lkj_here("extract", SAMPLE_2023, "--out", tmp_path / "out", "--silent",
                   "--time-limit", "120", "--set", "engine=pdfplumber",
                   "--set", "reader=pdfminer", "--set", "ocr.dpi=200")
    assert ran.returncode == 0, ran.stderr
    assert pickle.loads(seen.read_bytes()) == ExtractSettings(
        engine="pdfplumber", reader="pdfminer", ocr=OcrSettings(dpi=200),
        limits=Limits(seconds=120))


@pytest.mark.parametrize(("args", "line"), [
    (("--set", "ocr.resolution=300"),
     "Error: Invalid value for '--set': unknown setting 'ocr.resolution' (known: engine, "),
    (("--set", "limits.memory_mb=-5"),
     "Error: Invalid value for '--set': limits.memory_mb must be 0 (no limit) or more MiB"),
    (("--time-limit", "0"),
     "Error: Invalid value for '--time-limit': limits.seconds must be more than 0"),
])
def test_a_bad_setting_is_a_usage_error_in_one_line(tmp_path: Path, args, line):
    ran = lkj_here("extract", SAMPLE_2023, "--out", tmp_path / "out", *args)
    assert ran.returncode == 2
    assert ran.stderr.splitlines()[-1].startswith(line)
    assert not (tmp_path / "out").exists()


def test_lkj_settings_lists_the_keys():
    ran = lkj_here("settings")
    assert ran.returncode == 0, ran.stderr
    listed = [ln.split()[0] for ln in ran.stdout.splitlines()[2:]]
    assert listed == KEYS
