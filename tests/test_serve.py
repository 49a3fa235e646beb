"""`lkj serve`: the store in Datasette over HTTP on 127.0.0.1, what each table means from
the schema, full-text search on claims and table titles, the store itself unchanged."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import LKJ

import lkj
from lkj.serve import schema_docs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory, extraction_2023):
    pytest.importorskip("datasette")
    db = tmp_path_factory.mktemp("serve") / "lkj.sqlite"
    report = lkj.Report(extraction_2023)
    with lkj.Store.open(db) as store:
        store.load(report, lkj.audit(report))
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    port = _free_port()
    proc = subprocess.Popen([str(LKJ), "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(base + "/-/versions.json")
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"lkj serve did not start: {proc.communicate()[0]}")
            time.sleep(0.2)
    try:
        yield base + "/lkj", db, before
    finally:
        proc.terminate()
        proc.wait(10)


def test_every_table_and_view_says_what_it_is(served):
    base, _, _ = served
    meta = json.loads(_get(base.rsplit("/", 1)[0] + "/-/metadata.json"))
    tables = meta["databases"]["lkj"]["tables"]
    docs = schema_docs()
    assert set(docs) <= set(tables)
    for name, doc in docs.items():
        assert tables[name]["description"] == doc["description"] != "", name
    assert tables["iku"]["columns"]["indicator_id"].startswith("canonical id")
    assert tables["iku"]["columns"]["target_raw"] == "the text as printed, before parsing"
    # the units: a figure's column says where its unit is, or what it is
    assert "target_unit" in tables["iku"]["columns"]["target"]
    assert "percent" in tables["iku"]["columns"]["capaian_pct"]
    assert "rupiah" in tables["budget"]["columns"]["pagu"]
    assert "points" in tables["cells"]["columns"]["x0"]
    page = _get(base + "/iku?_size=1")  # the table's page shows it
    assert docs["iku"]["description"].split(" (")[0] in page


def test_claims_and_titles_are_searched(served):
    base, _, _ = served
    found = json.loads(_get(base + "/tables.json?_shape=array&_search="
                            + urllib.parse.quote("Sosialisasi")))
    assert found and all("sosialisasi" in r["title"].lower() for r in found)
    every = json.loads(_get(base + "/claims.json?_shape=array&_size=max"))
    # a word of one claim's sentence that not every claim's has
    texts = [" ".join(str(r[c] or "") for c in ("sentence", "subject", "heading")).lower()
             for r in every]
    word = next(w for w in sorted(set(re.findall(r"[a-z]{6,}", texts[0])))
                if not all(w in t for t in texts))
    claims = json.loads(_get(base + "/claims.json?_shape=array&_size=max&_search=" + word))
    assert claims and len(claims) < len(every)
    assert all(word in " ".join(str(r[c] or "") for c in ("sentence", "subject",
                                                          "heading")).lower() for r in claims)


def test_the_store_is_not_changed(served):
    _, db, before = served
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_missing_store_is_one_line(tmp_path):
    proc = subprocess.run([str(LKJ), "serve", "--db", str(tmp_path / "none.sqlite")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"Error: {tmp_path / 'none.sqlite'}: no such store"
