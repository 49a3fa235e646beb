"""The auditor's page: one self-contained HTML file of findings, each shown on its page.

Every failed finding carries a crop of the page with the cells it rests on outlined from
their boxes (the stated figure red, the figures it is computed from blue; `crops.py`), so
that it can be verified without the PDF. The findings can be filtered by severity, check
and table, sorted by any column and searched. Everything is in the one file: its CSS, its
script, its pictures (PNG data, set on an image only once it scrolls into view, so that a
long report opens quickly); nothing is fetched from anywhere, it works moved, mailed and
offline.

A page number also links to the PDF at that page (`file.pdf#page=N`), relative to where the
HTML is, and the number printed on that page follows it ("14 (hal. 10)") where the report
prints one. A link is only ever a URL-quoted relative path or a file: URI, whatever the
file is called: a PDF named "javascript:alert(1).pdf" is a file to open, not a script to run.
Every text of a report is escaped; the script only reads the page's own attributes.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lkj.auditpage import crops as crops_mod
from lkj.expectations.gx import load_suite
from lkj.extract.folios import with_folios
from lkj.extract.numbers import display_number
from lkj.schemas import contract

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;
max-width:1280px;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem}
.meta{color:#555;margin:0 0 1rem}
.cards{display:flex;gap:.8rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:8px;padding:.6rem .9rem;min-width:8rem}
.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #e5e5e5;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f7;position:sticky;top:0;z-index:1}
th[data-sort]{cursor:pointer;user-select:none} th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.val{max-width:14rem;overflow-wrap:anywhere}
.sev{font-weight:600;border-radius:4px;padding:0 .35rem;white-space:nowrap}
.error{background:#fde2e1;color:#a1160a}.warning{background:#fff1cc;color:#7a5200}
.held{background:#e3f5e6;color:#1c6b2a}.info{background:#eef;color:#334}
.msg{color:#333;min-width:22rem} details{margin:.3rem 0}
.controls{display:flex;gap:.8rem;flex-wrap:wrap;align-items:center;margin:.5rem 0;
padding:.5rem .6rem;background:#fafafa;border:1px solid #e5e5e5;border-radius:6px}
.controls input[type=search]{min-width:16rem} .shown{color:#555;margin-left:auto}
.legend{color:#555;font-size:.9em} .legend i{display:inline-block;width:.9em;height:.9em;
border:2px solid;vertical-align:-.1em;margin:0 .2em}
figure.crop .sheet{position:relative}
figure.crop{display:block;width:fit-content;margin:.5rem 0;
border:1px solid #ccc;cursor:zoom-in;background:#fff}
figure.crop.big{cursor:zoom-out}
figure.crop img{display:block;max-width:34rem;max-height:30rem;width:auto;height:auto}
figure.crop.big img{max-width:none;max-height:none}
figure.crop .mark{position:absolute;box-sizing:border-box;border:2px solid;pointer-events:none;
box-shadow:0 0 0 1px #fff}
figure.crop .mark.stated,.legend i.stated{border-color:#d0021b}
figure.crop .mark.from,.legend i.from{border-color:#1f6feb}
figure.crop figcaption{font-size:.8em;padding:0 .3em;color:#555;border-top:1px solid #eee}
.nocrop{color:#777;font-size:.9em}
"""

#: Filtering, sorting, searching and the pictures set as they scroll into view. It reads
#: only the page's own data- attributes; it writes no HTML from them.
_SCRIPT = """
(function(){
  function show(img){ if(img.dataset.src){ img.src = img.dataset.src; delete img.dataset.src; } }
  var lazy = document.querySelectorAll("img[data-src]");
  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function(entries){
      entries.forEach(function(e){
        if (e.isIntersecting) { show(e.target); seen.unobserve(e.target); }
      });
    }, {rootMargin: "400px"});
    lazy.forEach(function(img){ seen.observe(img); });
  } else { lazy.forEach(show); }
  document.querySelectorAll("figure.crop").forEach(function(f){
    f.addEventListener("click", function(){ f.classList.toggle("big"); });
  });
  document.querySelectorAll(".findings").forEach(function(block){
    var table = block.querySelector("table"), body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var controls = block.querySelectorAll("[data-filter]");
    var search = block.querySelector("input[type=search]");
    var shown = block.querySelector(".shown");
    function apply(){
      var words = (search.value || "").toLowerCase().split(/\\s+/).filter(Boolean);
      var n = 0;
      rows.forEach(function(r){
        var ok = true;
        controls.forEach(function(c){
          var v = c.value; if(!v) return;
          var have = (r.dataset[c.dataset.filter] || "").split(",");
          if (have.indexOf(v) < 0) ok = false;
        });
        if (ok && words.length) {
          var text = r.textContent.toLowerCase();
          ok = words.every(function(w){ return text.indexOf(w) >= 0; });
        }
        r.hidden = !ok; if (ok) n++;
      });
      shown.textContent = n + " of " + rows.length + " shown";
    }
    controls.forEach(function(c){ c.addEventListener("change", apply); });
    search.addEventListener("input", apply);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function(th, col){
      if (!th.hasAttribute("data-sort")) return;
      th.addEventListener("click", function(){
        var up = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function(o){
          o.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        function key(r){
          var c = r.cells[col];
          return c.dataset.key !== undefined ? c.dataset.key : c.textContent.trim();
        }
        rows.sort(function(a, b){
          var x = key(a), y = key(b), fx = parseFloat(x), fy = parseFloat(y), d;
          if (x === "" || y === "") d = (x === "") - (y === "");
          else if (!isNaN(fx) && !isNaN(fy) && isFinite(x) && isFinite(y)) d = fx - fy;
          else d = x.localeCompare(y);
          return up ? d : -d;
        });
        rows.forEach(function(r){ body.appendChild(r); });
      });
    });
    apply();
  });
})();
"""


def _esc(v: Any) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return display_number(v)
    return html.escape(str(v))


def _attr(v: Any) -> str:
    """A value as an attribute's text, quoted: escaped, quotes included."""
    return '"' + html.escape("" if v is None else str(v), quote=True) + '"'


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v


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
    out = []
    for p, folio in with_folios(pages, folios or {}):
        p = html.escape(p)
        shown = (f'<a href="{html.escape(pdf_href)}#page={p}">{p}</a>'
                 if pdf_href and p.isdigit() else p)
        out.append(shown + (f" (hal. {html.escape(folio)})" if folio else ""))
    return ", ".join(out)


def _figure(crop: crops_mod.Crop, folio: str | None) -> str:
    """One crop: the picture (set once in view) and an outline over each cell."""
    marks = []
    for m in crop.marks:
        left, top, width, height = crop.percent(m)
        box = ",".join(f"{v:.2f}" for v in m.box)
        marks.append(f'<span class="mark {m.role}" data-role={_attr(m.role)} '
                     f'data-text={_attr(m.text)} data-box="{box}" '
                     f'style="left:{left:.3f}%;top:{top:.3f}%;width:{width:.3f}%;'
                     f'height:{height:.3f}%"></span>')
    where = f"page {crop.page}" + (f" (hal. {html.escape(folio)})" if folio else "")
    box = ",".join(f"{v:.2f}" for v in crop.box)
    return (f'<figure class=crop data-page="{crop.page}" data-box="{box}"><div class=sheet>'
            f'<img alt="{where}" width="{crop.width}" height="{crop.height}" '
            f'data-src="{crop.data_uri()}">{"".join(marks)}</div>'
            f"<figcaption>{where}</figcaption></figure>")


def render(findings: list[dict[str, Any]], reports: Iterable[dict[str, Any]],
           out_path: Path, pdf_paths: dict[str, Path] | None = None,
           folios: dict[str, dict[int, str]] | None = None,
           cells: Iterable[Mapping[str, Any]] | None = None) -> Path:
    """Write the findings page to out_path; returns it. `folios`: per report, the number
    printed on each PDF page (the `pages` table), shown beside the page. `cells`: the
    reports' `cells` records; with them and the PDF, each failed finding shows the cells it
    rests on."""
    pdf_paths, folios = pdf_paths or {}, folios or {}
    by_report: dict[str, list[Mapping[str, Any]]] = {}
    for c in cells if cells is not None else ():
        by_report.setdefault(str(c["report_id"]), []).append(c)
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
        if failed:
            shown = crops_mod.crops_for(failed, by_report.get(rid, []), pdf)
            parts.append(_block(failed, href, mine_folios, shown, bool(by_report.get(rid))))
        else:
            parts.append("<p>No finding: every checked statement holds.</p>")
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
    parts.append(f"<script>{_SCRIPT}</script>")
    out_path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return out_path


def _options(label: str, key: str, values: Iterable[str]) -> str:
    opts = "".join(f"<option value={_attr(v)}>{_esc(v)}</option>"
                   for v in sorted(set(values)))
    return (f"<label>{label} <select data-filter={_attr(key)}><option value=\"\">all</option>"
            f"{opts}</select></label>")


def _block(rows: list[dict[str, Any]], href: str | None, folios: dict[int, str],
           shown: dict[int, tuple[list[crops_mod.Crop], int]], with_cells: bool) -> str:
    """The failed findings with their controls (filter, search, count) and crops."""
    tables = [t.strip() for f in rows for t in str(f.get("tables") or "").split(",")
              if t.strip()]
    controls = ("<div class=controls>"
                + _options("severity", "severity", (str(f["severity"]) for f in rows
                                                    if f.get("severity")))
                + _options("check", "check", (str(f["check"]) for f in rows))
                + _options("table", "tables", tables)
                + "<input type=search placeholder=\"search the findings\" "
                "aria-label=\"search the findings\"><span class=shown></span></div>")
    legend = ("<p class=legend>On each crop of the page: <i class=stated></i>the figure "
              "stated, <i class=from></i>the figures it is computed from. Click a crop to "
              "see it at full size.</p>") if with_cells else ""
    return ("<div class=findings>" + controls + legend
            + _table(rows, href, folios, with_severity=True, shown=shown) + "</div>")


def _table(rows: list[dict[str, Any]], href: str | None, folios: dict[int, str],
           with_severity: bool,
           shown: dict[int, tuple[list[crops_mod.Crop], int]] | None = None) -> str:
    names = (["severity"] if with_severity else []) + [
        "check", "subject", "tables", "pages", "stated", "computed", "difference", "message"]
    sortable = shown is not None
    head = "<thead><tr>" + "".join(
        f"<th{' data-sort' if sortable else ''}>{n}</th>" for n in names) + "</tr></thead>"
    body = []
    for i, f in enumerate(rows):
        sev = (f"<td data-key={_attr(contract.SEVERITY_RANK.get(f['severity'], ''))}>"
               f"<span class='sev {_esc(f['severity'])}'>{_esc(f['severity'])}</span></td>"
               if with_severity else "")
        figures = ""
        if shown is not None and i in shown:
            crops, missing = shown[i]
            drawn = [c for c in crops if c.png]
            figures = "".join(_figure(c, folios.get(c.page)) for c in drawn)
            if missing:
                figures += (f"<p class=nocrop>{missing} of the cells this rests on not "
                            "found in the table as read</p>")
        attrs = (f" data-severity={_attr(f.get('severity'))} data-check={_attr(f.get('check'))}"
                 f" data-tables={_attr(f.get('tables'))}") if shown is not None else ""
        body.append(f"<tr{attrs}>{sev}<td>{_esc(f['check'])}</td><td>{_esc(f['subject'])}</td>"
                    f"<td>{_esc(f['tables'])}</td>"
                    f"<td data-key={_attr(_first_page(f['pages']))}>"
                    f"{_pages(f['pages'], href, folios)}</td>"
                    + "".join(_value_cell(f[k]) for k in ("stated", "computed", "difference"))
                    + f"<td class=msg>{_esc(f['message'])}{figures}</td></tr>")
    return "<table>" + head + "<tbody>" + "".join(body) + "</tbody></table>"


#: Severities sorted most severe first.


def _value_cell(v: Any) -> str:
    """A stated, computed or difference cell: a number right-aligned, a text (a place name)
    wrapped within its column."""
    if _is_num(v):
        return f"<td class=num data-key={_attr(repr(float(v)))}>{_esc(v)}</td>"
    return f"<td class=val>{_esc(v)}</td>"


def _first_page(pages: Any) -> str:
    first = str(pages or "").split(",")[0].strip()
    return first if first.isdigit() else ""
