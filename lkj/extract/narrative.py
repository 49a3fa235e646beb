"""Claims of the running text: the figures a report states in prose about its tables.

Pure functions on page texts (tables already cut out). Each claim keeps its page, the whole
sentence and the heading it sits under, so that an auditor can find it; which table row a
claim is about is decided later, by the checks.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lkj.extract.numbers import parse_quantity
from lkj.schemas import domains, families
from lkj.schemas import narrative as words

#: A bold line this short is a heading: the subject of the paragraphs below it.
HEADING_MAX_CHARS = 120


@dataclass(frozen=True)
class Line:
    """A line of running text and whether it is set in bold (Word headings are)."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Sentence:
    page: int
    text: str
    heading: str | None


PageLines = list[tuple[int, list[Line]]]


def body_lines(pages: PageLines) -> list[tuple[int, Line]]:
    """Lines of running text: the running header (the first line of most pages) and lone
    page numbers are dropped."""
    firsts = Counter(lines[0].text.strip() for _, lines in pages if lines)
    common = {ln for ln, n in firsts.items() if n >= max(3, len(pages) // 2)}
    out = []
    for page, lines in pages:
        for line in lines:
            s = line.text.strip()
            if not s or s in common or re.fullmatch(r"[ivxlc\d]{1,4}", s, re.IGNORECASE):
                continue
            out.append((page, Line(s, line.bold)))
    return out


def _ends_sentence(text: str, at: int) -> bool:
    before = text[:at].rsplit(None, 1)[-1].lower().rstrip(".") if text[:at].strip() else ""
    return before not in words.ABBREVIATIONS and not re.search(r"\d$", text[:at])


def sentences(pages: PageLines) -> list[Sentence]:
    """Sentences with the page they start on and the heading above them."""
    out: list[Sentence] = []
    heading: str | None = None
    in_heading = False
    buf, buf_page = "", 0
    for page, item in body_lines(pages):
        line = item.text
        if item.bold and len(line) <= HEADING_MAX_CHARS:
            if buf:  # a heading ends the paragraph before it, full stop or not
                out.append(Sentence(buf_page, buf, heading))
                buf = ""
            heading = f"{heading} {line}" if in_heading and heading else line
            in_heading = True  # a heading wrapped over two bold lines is one heading
            continue
        in_heading = False
        if not buf:
            buf_page = page
        buf = f"{buf} {line}".strip()
        start = 0
        for m in re.finditer(r"[.!?](?=\s+[A-Z(]|$)", buf):
            if _ends_sentence(buf, m.start()):
                out.append(Sentence(buf_page, buf[start:m.end()].strip(), heading))
                start = m.end()
        buf = buf[start:].strip()
        if not buf:
            continue
        buf_page = page if start else buf_page
    if buf:
        out.append(Sentence(buf_page, buf, heading))
    return out


def _value(raw: str, kind: str) -> float | int | None:
    raw = raw.strip()
    if raw.lower() in words.NUMBER_WORDS:
        return words.NUMBER_WORDS[raw.lower()]
    q = parse_quantity(raw, kind)
    if q.value is None:
        return None
    return int(q.value) if q.value == q.value.to_integral_value() else float(q.value)


def _claim(s: Sentence, measure: str, raw: str, kind: str, unit: str | None,
           clause: str, **extra: object) -> dict:
    low = clause.lower()
    return {
        "page": s.page, "measure": measure, "stated_value": _value(raw, kind),
        "stated_unit": unit, "stated_raw": raw.strip(),
        "subject": families.event_kind(clause) if measure in ("locations", "participants")
        else None,
        "qualifier": families.funding_of(low) if measure in ("locations", "participants")
        else None,
        "heading": s.heading, "sentence": s.text, **extra,
    }


def _unit(raw: str | None) -> str | None:
    if not raw:
        return None
    low = raw.lower()
    return "%" if low in ("%", "persen") else \
        "orang" if low == "orang" or low in domains.PERSON_UNITS else low


def claims_of(s: Sentence) -> list[dict]:
    """Every checkable figure in one sentence."""
    out = []
    for m in words.PAGU_RE.finditer(s.text):
        out.append(_claim(s, "pagu", m.group("raw"), "money", "rp", s.text))
    for m in words.REALISASI_ANGGARAN_RE.finditer(s.text):
        out.append(_claim(s, "budget_realisasi", m.group("raw"), "money", "rp", s.text))
        if m.group("pct"):
            out.append(_claim(s, "budget_realisasi_pct", m.group("pct"), "percent", "%", s.text))
    for clause in words.CLAUSE_SPLIT_RE.split(s.text):
        for m in words.LOCATIONS_RE.finditer(clause):
            out.append(_claim(s, "locations", m.group("value"), "count", "lokasi", clause))
        for m in words.PARTICIPANTS_RE.finditer(clause):
            out.append(_claim(s, "participants", m.group("value"), "count", "orang", clause))
    if not words.REALISASI_ANGGARAN_RE.search(s.text):
        for m in words.REALISASI_RE.finditer(s.text):
            unit = _unit(m.group("unit"))
            kind = "percent" if unit == "%" else "count" if unit else "score"
            out.append(_claim(s, "realisasi", m.group("value"), kind, unit, s.text))
            after = words.CAPAIAN_AFTER_RE.match(s.text[m.end():])
            if after:
                out.append(_claim(s, "capaian", after.group("value"), "percent", "%", s.text))
        for m in words.CAPAIAN_RE.finditer(s.text):
            out.append(_claim(s, "capaian", m.group("value"), "percent", "%", s.text))
    targets = list(words.TARGET_RE.finditer(s.text))
    if len(targets) == 1:  # two targets in one sentence are parts of an output, not the IKU's
        m = targets[0]
        unit = _unit(m.group("unit"))
        out.append(_claim(s, "target", m.group("value"), "percent" if unit == "%" else
                          "count" if unit else "score", unit, s.text))
    for m in words.REALISASI_YEAR_RE.finditer(s.text):
        out.append(_claim(s, "year", m.group("year"), "count", None, s.text))
    for m in words.LOWER_IS_BETTER_RE.finditer(s.text):
        # no figure: the words that say less is better, for the capaian check's polarity
        out.append(_claim(s, "polarity", " ".join(m.group(0).split()), "count", None,
                          s.text, stated_value=None,
                          qualifier="general" if m.group("general") else "named"))
    return out


def read_polarities(claims: list[dict], iku: list[dict]) -> None:
    """Where a sentence saying less is better (a claim of measure polarity) names an
    indicator of the report's IKU rows (every word that tells its name, two at least, in
    the sentence or its heading), those rows are lower-is-better, flagged with the page,
    and the claim's subject is the indicator as printed. A sentence that names none keeps
    no subject: said of realisasi at large, it is for the capaian check to weigh."""
    for claim in (c for c in claims if c["measure"] == "polarity"):
        said = families.content_tokens(claim["sentence"]) | families.content_tokens(
            claim["heading"])
        for row in iku:
            own = families.content_tokens(row.get("indicator"))
            if len(own) < 2 or not own <= said:
                continue
            claim["subject"] = claim["subject"] or " ".join(str(row["indicator"]).split())
            if families.polarity_stated_on(row.get("flags")) is None:
                row["polarity"] = "lower_is_better"
                row["flags"] = "; ".join(filter(None, [
                    row.get("flags"), f"{families.POLARITY_IN_TEXT} page {claim['page']}"]))


def extract_claims(pages: PageLines, report_id: str) -> list[dict]:
    """All claims of a report's running text, in reading order."""
    out = []
    for s in sentences(pages):
        for claim in claims_of(s):
            out.append({"report_id": report_id, **claim})
    return out
