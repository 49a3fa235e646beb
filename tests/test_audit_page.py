"""The auditor's page: each failed finding shows the cells it rests on, outlined on a crop of
the page, and the page can be filtered, sorted and searched, offline.

The outlines are checked against the PDF itself, not against lkj's own reading: the text
pdfplumber finds inside each outlined box must be what the outline says it is (the stated
figure, or one it is computed from), and Tesseract must read the same figure in the
picture under the outline. The page is then opened in a real headless Chromium, with every
network request refused, filtered, searched and sorted, and its crops looked at.
"""

from __future__ import annotations

import base64
import html as html_mod
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REAL, SAMPLES, in_ci, need_tesseract

from lkj.archive.check import check_sources
from lkj.auditpage import crops
from lkj.extract.settings import ExtractSettings

MAKERS = SAMPLES / "makers"


@dataclass
class Mark:
    role: str
    text: str
    box: tuple[float, ...]  # points on the page
    left: float  # percent of the crop
    top: float
    width: float
    height: float


@dataclass
class Figure:
    page: int
    box: tuple[float, ...]
    png: bytes
    marks: list[Mark]


_FIGURE = re.compile(r'<figure class=crop data-page="(\d+)" data-box="([^"]+)">(.*?)</figure>',
                     re.S)
_MARK = re.compile(r'<span class="mark (\w+)" data-role="\w+" data-text="([^"]*)" '
                   r'data-box="([^"]+)" style="left:([\d.-]+)%;top:([\d.-]+)%;'
                   r'width:([\d.-]+)%;height:([\d.-]+)%"')


def figures_of(page: str) -> list[list[Figure]]:
    """Per finding row of the findings table (in order), its figures."""
    body = page.split("<div class=findings>", 1)[1].split("</tbody>", 1)[0]
    out = []
    for row in body.split("<tr ")[1:]:
        figs = []
        for m in _FIGURE.finditer(row):
            src = re.search(r'data-src="data:image/png;base64,([^"]+)"', m.group(3)).group(1)
            marks = [Mark(k.group(1), html_mod.unescape(k.group(2)),
                          tuple(map(float, k.group(3).split(","))),
                          *map(float, k.groups()[3:])) for k in _MARK.finditer(m.group(3))]
            figs.append(Figure(int(m.group(1)), tuple(map(float, m.group(2).split(","))),
                               base64.b64decode(src), marks))
        out.append(figs)
    return out


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_marks_on_their_text(pdf: Path, figures: list[list[Figure]]) -> int:
    """Every mark's box holds, in the PDF's own text layer, the text the mark names; and
    the mark sits where its box is on the crop. Returns how many marks were checked."""
    import pdfplumber

    n = 0
    with pdfplumber.open(pdf) as doc:
        for figs in figures:
            for fig in figs:
                page = doc.pages[fig.page - 1]
                x0, top, x1, bottom = fig.box
                for mark in fig.marks:
                    inside = page.within_bbox(mark.box, relative=False).extract_text() or ""
                    assert _squeezed(inside) == _squeezed(mark.text), (fig.page, mark)
                    # its place on the crop, in percent, is its box on the page
                    assert mark.left == pytest.approx((mark.box[0] - x0) / (x1 - x0) * 100,
                                                      abs=0.01)
                    assert mark.top == pytest.approx((mark.box[1] - top) / (bottom - top) * 100,
                                                     abs=0.01)
                    n += 1
    return n


def _ocr(image) -> str:
    out = subprocess.run(["tesseract", "stdin", "stdout", "--psm", "7"], input=image,
                         capture_output=True, check=True)
    return out.stdout.decode()


def assert_pictures_show_the_stated_figure(figures: list[list[Figure]], limit: int = 6) -> int:
    """Tesseract reads, in the picture under a stated figure's outline, that figure's digits."""
    from PIL import Image

    need_tesseract()
    n = 0
    for figs in figures:
        for fig in figs:
            image = Image.open(io.BytesIO(fig.png))
            for mark in fig.marks:
                digits = re.sub(r"\D", "", mark.text)
                if mark.role != "stated" or not digits or n >= limit:
                    continue
                w, h = image.size
                box = (mark.left / 100 * w, mark.top / 100 * h,
                       (mark.left + mark.width) / 100 * w, (mark.top + mark.height) / 100 * h)
                cell = image.crop(tuple(round(v) for v in box))
                cell = cell.resize((cell.width * 4, cell.height * 4))
                buf = io.BytesIO()
                cell.save(buf, format="PNG")
                assert re.sub(r"\D", "", _ocr(buf.getvalue())) == digits, mark
                n += 1
    return n


@pytest.fixture(scope="module")
def page_2023(tmp_path_factory, sample_2023, extraction_2023):
    out = tmp_path_factory.mktemp("audit")
    run = check_sources([sample_2023], out, read=lambda path, settings: extraction_2023)
    failed = [f for f in run.findings if f["status"] == "failed"]
    return out / "findings.html", failed


def test_every_outline_holds_the_text_it_names_in_the_pdf(page_2023, sample_2023):
    path, failed = page_2023
    figures = figures_of(path.read_text(encoding="utf-8"))
    assert len(figures) == len(failed)
    assert assert_marks_on_their_text(sample_2023, figures) > 40
    # each capaian finding: its stated capaian red, target and realisasi blue
    for f, figs in zip(failed, figures, strict=True):
        roles = sorted(m.role for fig in figs for m in fig.marks)
        if f["check"] == "capaian" and f["computed"] is not None:
            assert roles.count("stated") == 1 and roles.count("from") == 2, f["subject"]
        if f["check"] == "consistency":  # two tables, each on its page
            assert roles == ["from", "stated"] and len(figs) >= 1, f["subject"]


def test_the_pictures_show_the_stated_figures(page_2023):
    path, _ = page_2023
    assert assert_pictures_show_the_stated_figure(
        figures_of(path.read_text(encoding="utf-8"))) == 6


def test_a_cell_not_found_is_said_and_not_outlined():
    cells = [{"report_id": "r", "table_id": "1", "table_part": 1, "row": 1, "page": 2,
              "kind": "body", "text": "9\n0", "x0": 10, "top": 20, "x1": 40, "bottom": 30}]
    index = crops.CellIndex(cells)
    planned, missing = crops.plan([("stated", "1", 1, 1, "9 0"), ("from", "1", 1, 1, "7"),
                                   ("from", "1", 1, 2, "9 0")], index)
    assert missing == 2 and len(planned) == 1
    (crop,) = planned
    assert crop.page == 2 and [m.role for m in crop.marks] == ["stated"]
    assert crop.box[0] < 10 and crop.box[3] > 30  # a margin round the cell


@pytest.mark.slow  # another maker's drawing of a whole report
@pytest.mark.parametrize("maker", ["docx-lo", "html-chromium"])
def test_outlines_on_a_report_drawn_by_another_maker(tmp_path, maker):
    pdf = MAKERS / maker / "lkj-bp3mi-ntb-2023.pdf"
    run = check_sources([pdf], tmp_path, ExtractSettings(engine="pdfplumber"))
    figures = figures_of((tmp_path / "findings.html").read_text(encoding="utf-8"))
    assert len(figures) == sum(f["status"] == "failed" for f in run.findings)
    assert assert_marks_on_their_text(pdf, figures) > 40


@pytest.mark.slow  # a real report of another office, read whole
def test_outlines_on_a_real_report(tmp_path):
    pdf = REAL / "lkip-kesbangpol-jabar-2016.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} is not beside the clone")
    check_sources([pdf], tmp_path, ExtractSettings(engine="pdfplumber"))
    figures = figures_of((tmp_path / "findings.html").read_text(encoding="utf-8"))
    assert assert_marks_on_their_text(pdf, figures) >= 3


# --- in a browser ------------------------------------------------------------------------------

def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        found = None
    if not found:
        if in_ci():
            pytest.fail("Chromium and playwright are needed (.ci/run installs them)",
                        pytrace=False)
        pytest.skip("no Chromium or no playwright here")
    return found


def test_the_page_in_a_browser_filters_sorts_searches_and_draws_its_crops(page_2023):
    from playwright.sync_api import sync_playwright

    path, failed = page_2023
    exe = _chromium()
    fetched = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def refuse(route):  # the page must need nothing but itself
                if not route.request.url.startswith(("file:", "data:")):
                    fetched.append(route.request.url)
                    return route.abort()
                return route.continue_()
            page.route("**/*", refuse)
            page.goto(path.as_uri())
            rows = page.locator(".findings tbody tr")
            visible = page.locator(".findings tbody tr:not([hidden])")
            assert rows.count() == len(failed) == visible.count()
            # pictures far below are not drawn before they are scrolled to (a long report
            # opens quickly)
            images = page.locator("figure.crop img")
            waiting = images.evaluate_all("is => is.filter(i => !i.src && i.dataset.src).length")
            assert images.count() > 10 and 0 < waiting < images.count()
            shown = page.locator(".findings .shown")
            assert shown.inner_text() == f"{len(failed)} of {len(failed)} shown"

            # filter by severity, then by check too
            page.select_option("select[data-filter=severity]", "warning")
            warnings = [f for f in failed if f["severity"] == "warning"]
            assert visible.count() == len(warnings) > 0
            assert set(visible.evaluate_all("rs => rs.map(r => r.dataset.severity)")) == {
                "warning"}
            page.select_option("select[data-filter=check]", "capaian")
            assert visible.count() == sum(f["check"] == "capaian" for f in warnings)
            page.select_option("select[data-filter=severity]", "")
            page.select_option("select[data-filter=check]", "")
            # by table: a finding on Tabel 1 and 2.11 is on each
            page.select_option("select[data-filter=tables]", "2.11")
            assert visible.count() == sum("2.11" in f["tables"].split(",") for f in failed)
            page.select_option("select[data-filter=tables]", "")
            # search: every word, anywhere in the row
            page.fill("input[type=search]", "ikpa 104.71")
            texts = visible.all_inner_texts()
            assert texts and all("ikpa" in t.lower() and "104.71" in t for t in texts)
            assert len(texts) == sum("ikpa" in (f["subject"] + f["message"]).lower()
                                     and "104.71" in f["message"] for f in failed)
            page.fill("input[type=search]", "")
            assert visible.count() == len(failed)

            # sort by difference, up then down (numbers as numbers, blanks last)
            header = page.locator(".findings thead th", has_text="difference")
            col = page.locator(".findings thead th").all_inner_texts().index("difference")

            def differences():
                keys = rows.evaluate_all(
                    f"rs => rs.map(r => r.cells[{col}].dataset.key || '')")
                return [float(k) for k in keys if k]
            header.click()
            assert differences() == sorted(differences())
            header.click()
            assert differences() == sorted(differences(), reverse=True)

            # the crops: drawn once in view, each outline inside its picture
            figure = page.locator("figure.crop").first
            image = figure.locator("img")
            figure.scroll_into_view_if_needed()
            page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                   arg=image.element_handle())
            drawn = image.bounding_box()
            stated = figure.locator(".mark.stated").first
            box = stated.bounding_box()
            assert drawn["x"] <= box["x"] and box["x"] + box["width"] <= drawn["x"] + \
                drawn["width"] + 1 and drawn["y"] <= box["y"]
            # red where the stated outline is drawn, on the screen
            from PIL import Image
            shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
            x, y = round(box["x"] + 1), round(box["y"] + box["height"] / 2)
            red = [shot.getpixel((x + dx, y)) for dx in range(-1, 3)]
            assert any(r > 150 and g < 80 and b < 80 for r, g, b in red), red
        finally:
            browser.close()
    assert fetched == []
