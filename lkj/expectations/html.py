"""The auditor's page: one self-contained HTML file of findings, each linked to its page.

Plain HTML and a little CSS, no scripts and no network: it opens from a USB stick. A page
number links to the PDF at that page (`file.pdf#page=N`), relative to where the HTML is, and
the number printed on that page follows it ("14 (hal. 10)") where the report prints one.
A link is only ever a URL-quoted relative path or a file: URI, whatever the file is called:
a PDF named "javascript:alert(1).pdf" is a file to open, not a script to run.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lkj.expectations.gx import load_suite
from lkj.extract.numbers import display_number

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1200px;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem}
.meta{color:#555;margin:0 0 1rem}
.cards{display:flex;gap:.8rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:8px;padding:.6rem .9rem;min-width:8rem}
.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #e5e5e5;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f7;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.sev{font-weight:600;border-radius:4px;padding:0 .35rem;white-space:nowrap}
.error{background:#fde2e1;color:#a1160a}.warning{background:#fff1cc;color:#7a5200}
.held{background:#e3f5e6;color:#1c6b2a}.info{background:#eef;color:#334}
.msg{color:#333} details{margin:.3rem 0}
"""


def _esc(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return display_number(v)
    return html.escape(str(v))


def _href(pdf: Path, folder: Path) -> str:
    """The link to a PDF from a page in folder: its relative path URL-quoted (":" too, so
    no file name reads as a scheme), or its file: URI where none exists (another drive)."""
    try:
        return quote(Path(os.path.relpath(pdf, folder)).as_posix())
    except ValueError:
        return Path(pdf).resolve().as_uri()


def _pages(pages: Any, pdf_href: str | None, folios: dict[int, str] | None = None) -> str:
    """PDF page numbers, each linked to its page where the PDF is known, and followed by
    the number printed on it where the report prints one ("14 (hal. 10)")."""
    from lkj.expectations.audit import with_folios

    out = []
    for p, folio in with_folios(pages, folios or {}):
        p = html.escape(p)
        shown = (f'<a href="{html.escape(pdf_href)}#page={p}">{p}</a>'
                 if pdf_href and p.isdigit() else p)
        out.append(shown + (f" (hal. {html.escape(folio)})" if folio else ""))
    return ", ".join(out)


def render(findings: list[dict[str, Any]], reports: Iterable[dict[str, Any]],
           out_path: Path, pdf_paths: dict[str, Path] | None = None,
           folios: dict[str, dict[int, str]] | None = None) -> Path:
    """Write the findings page to out_path; returns it. `folios`: per report, the number
    printed on each PDF page (the `pages` table), shown beside the page."""
    pdf_paths, folios = pdf_paths or {}, folios or {}
    rules = {e["meta"]["check"]: e["meta"] for e in load_suite("outcomes")["expectations"]}
    parts = [f"<!doctype html><meta charset=utf-8><title>lkj audit</title><style>{_CSS}</style>"]
    for report in reports:
        rid = report["report_id"]
        mine = [f for f in findings if f["report_id"] == rid]
        pdf = pdf_paths.get(rid)
        href = _href(pdf, out_path.parent) if pdf else None
        failed = [f for f in mine if f["status"] == "failed"]
        count = {s: sum(1 for f in failed if f["severity"] == s) for s in ("error", "warning")}
        held = [f for f in mine if f["status"] == "held"]
        unchecked = [f for f in mine if f["status"] == "not checked"]
        name = report.get("agency") or report.get("title") or rid
        parts.append(f"<h1>Audit: {_esc(name)}, {_esc(report.get('year') or 'year unknown')}"
                     "</h1>")
        parts.append(f"<p class=meta>{_esc(report.get('title'))} · report {_esc(rid)}"
                     f" · {_esc(report.get('source_file'))} · {_esc(report.get('pages'))} pages"
                     f" · sha256 {_esc(str(report.get('sha256') or '')[:16])}…</p>")
        parts.append("<div class=cards>"
                     f"<div class=card><b>{count['error']}</b>errors</div>"
                     f"<div class=card><b>{count['warning']}</b>warnings</div>"
                     f"<div class=card><b>{len(held)}</b>statements verified</div>"
                     f"<div class=card><b>{len(unchecked)}</b>not checked</div></div>")
        parts.append("<h2>Findings</h2>")
        mine_folios = folios.get(rid, {})
        parts.append(_table(failed, href, mine_folios, with_severity=True) if failed
                     else "<p>No finding: every checked statement holds.</p>")
        parts.append("<h2>What each check verifies</h2><table><tr><th>check</th><th>rule</th>"
                     "<th>held</th><th>failed</th></tr>")
        for check, meta in rules.items():
            n_held = sum(1 for f in held if f["check"] == check)
            n_failed = sum(1 for f in failed if f["check"] == check)
            parts.append(f"<tr><td>{_esc(meta['title'])}</td><td>{_esc(meta['rule'])}</td>"
                         f"<td class=num>{n_held}</td><td class=num>{n_failed}</td></tr>")
        parts.append("</table>")
        if unchecked:
            parts.append(f"<h2>Not checked ({len(unchecked)})</h2>")
            parts.append(_table(unchecked, href, mine_folios, with_severity=False))
        parts.append(f"<details><summary><b>Verified statements ({len(held)})</b></summary>")
        parts.append(_table(held, href, mine_folios, with_severity=False))
        parts.append("</details>")
    out_path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return out_path


def _table(rows: list[dict[str, Any]], href: str | None, folios: dict[int, str],
           with_severity: bool) -> str:
    head = ("<tr>" + ("<th>severity</th>" if with_severity else "") +
            "<th>check</th><th>subject</th><th>tables</th><th>pages</th><th>stated</th>"
            "<th>computed</th><th>difference</th><th>message</th></tr>")
    body = []
    for f in rows:
        sev = (f"<td><span class='sev {f['severity']}'>{_esc(f['severity'])}</span></td>"
               if with_severity else "")
        body.append(f"<tr>{sev}<td>{_esc(f['check'])}</td><td>{_esc(f['subject'])}</td>"
                    f"<td>{_esc(f['tables'])}</td><td>{_pages(f['pages'], href, folios)}</td>"
                    f"<td class=num>{_esc(f['stated'])}</td>"
                    f"<td class=num>{_esc(f['computed'])}</td>"
                    f"<td class=num>{_esc(f['difference'])}</td>"
                    f"<td class=msg>{_esc(f['message'])}</td></tr>")
    return "<table>" + head + "".join(body) + "</table>"
