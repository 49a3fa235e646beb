-- The lkj SQLite store: one row per report, its tables and rows, the findings of the checks,
-- and the files that could not be read.
--
-- Columns are those of lkj/schemas/contract.py (COLUMNS), in that order; the store adds only
-- keys and what it derives at load time (reports.loaded_at, lkj_version and source_path,
-- iku/quarterly.indicator_id and indicator_match). Every child row belongs to one report: deleting the report (lkj load
-- --replace) deletes its rows (ON DELETE CASCADE; the loader turns foreign keys on).
--
-- Tables are STRICT. A number column is ANY with a CHECK that it holds a number: ANY keeps the
-- value as parsed (16000 stays an integer, 88.73 a real, 104.0 a real), where REAL or NUMERIC
-- affinity would rewrite it. Booleans are 0/1. Raw text (*_raw) sits beside every parsed value.
--
-- Bump user_version (last line) whenever this file changes shape: lkj refuses to open a store
-- of another version instead of misreading it.

-- One report stored: who published it, for which year, from which file (name and sha256).
CREATE TABLE reports (
    report_id   TEXT PRIMARY KEY,          -- agency_id-year, or sha-<hash> when unidentified
    agency_id   TEXT,                      -- canonical id (lkj/schemas/registry.py), NULL if unknown
    agency      TEXT,
    province    TEXT,
    year        INTEGER,
    title       TEXT,
    source_file TEXT NOT NULL,             -- file name as loaded
    sha256      TEXT NOT NULL UNIQUE,      -- of the PDF bytes: the same file loads once
    pages       INTEGER,
    flags       TEXT,
    agency_raw  TEXT,                      -- the office's name as printed (BP3TKI Mataram ...)
    loaded_at   TEXT NOT NULL,             -- UTC, ISO 8601
    lkj_version TEXT,                      -- the lkj that read it (re-read: lkj load --replace)
    source_path TEXT                       -- absolute path when read; NULL from bytes (schema 6)
) STRICT;
CREATE INDEX reports_agency_year ON reports (agency_id, year);

-- Every located table (Tabel 2.3 ...); a table continued under the same caption is a part.
CREATE TABLE tables (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part INTEGER NOT NULL,
    title      TEXT,
    family     TEXT,
    pages      TEXT,                       -- "14,15"
    rows       INTEGER,
    engine     TEXT,
    verified   INTEGER CHECK (verified IN (0, 1)),
    flags      TEXT,
    PRIMARY KEY (report_id, table_id, table_part)
) STRICT;

-- IKU: one indicator row of one table (target, realisasi, capaian as printed and parsed).
CREATE TABLE iku (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part INTEGER NOT NULL,
    "row"      INTEGER,
    page       INTEGER,
    sasaran    TEXT,
    indicator  TEXT,                       -- as printed
    polarity   TEXT,                       -- as read from the report
    value_kind TEXT,
    target     ANY CHECK (typeof(target) IN ('integer', 'real', 'null')), -- its unit in target_unit
    target_unit TEXT,
    target_note TEXT,
    realisasi  ANY CHECK (typeof(realisasi) IN ('integer', 'real', 'null')), -- its unit in realisasi_unit
    realisasi_unit TEXT,
    realisasi_note TEXT,
    realisasi_labelled TEXT,
    capaian_pct ANY CHECK (typeof(capaian_pct) IN ('integer', 'real', 'null')), -- percent (88.73 for 88,73%)
    target_raw TEXT,
    realisasi_raw TEXT,
    capaian_raw TEXT,
    has_realisasi_column INTEGER CHECK (has_realisasi_column IN (0, 1)),
    flags      TEXT,
    indicator_id TEXT,                     -- canonical id, NULL when the wording is unknown
    indicator_match TEXT                   -- exact | contains | fuzzy | ambiguous | unknown
) STRICT;
CREATE INDEX iku_report ON iku (report_id, table_id, table_part, "row");
CREATE INDEX iku_indicator ON iku (indicator_id);

-- One indicator in one quarter (Triwulan I-IV).
CREATE TABLE quarterly (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part INTEGER NOT NULL,
    "row"      INTEGER,
    page       INTEGER,
    sasaran    TEXT,
    indicator  TEXT,
    quarter    INTEGER,                    -- 1-4 (Triwulan I-IV)
    value_kind TEXT,
    target     ANY CHECK (typeof(target) IN ('integer', 'real', 'null')), -- its unit in target_unit
    target_unit TEXT,
    target_note TEXT,
    realisasi  ANY CHECK (typeof(realisasi) IN ('integer', 'real', 'null')), -- its unit in realisasi_unit
    realisasi_unit TEXT,
    realisasi_note TEXT,
    target_raw TEXT,
    realisasi_raw TEXT,
    flags      TEXT,
    indicator_id TEXT,
    indicator_match TEXT
) STRICT;
CREATE INDEX quarterly_report ON quarterly (report_id, table_id, table_part, "row", quarter);
CREATE INDEX quarterly_indicator ON quarterly (indicator_id);

-- One activity (sosialisasi, pemberdayaan ...): when, where, how many took part.
CREATE TABLE events (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part INTEGER NOT NULL,
    "row"      INTEGER,
    page       INTEGER,
    kind       TEXT,
    row_no     INTEGER,
    group_no   INTEGER,
    month      TEXT,
    place      TEXT,
    continues_previous INTEGER CHECK (continues_previous IN (0, 1)),
    date_start TEXT,                       -- ISO date
    date_end   TEXT,
    date_note  TEXT,
    participants ANY CHECK (typeof(participants) IN ('integer', 'real', 'null')), -- people (unit as printed)
    participants_unit TEXT,
    participants_note TEXT,
    funding    TEXT,
    activity   TEXT,
    no_raw     TEXT,
    month_raw  TEXT,
    place_raw  TEXT,
    date_raw   TEXT,
    participants_raw TEXT,
    flags      TEXT
) STRICT;
CREATE INDEX events_report ON events (report_id, table_id, table_part, "row");

-- One budget line: pagu (ceiling), realisasi (spent), %.
CREATE TABLE budget (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part INTEGER NOT NULL,
    "row"      INTEGER,
    page       INTEGER,
    level      TEXT,
    name       TEXT,
    "group"    TEXT,
    pagu       ANY CHECK (typeof(pagu) IN ('integer', 'real', 'null')), -- rupiah: the ceiling
    realisasi  ANY CHECK (typeof(realisasi) IN ('integer', 'real', 'null')), -- rupiah spent
    realisasi_pct ANY CHECK (typeof(realisasi_pct) IN ('integer', 'real', 'null')), -- percent of pagu
    avg_capaian_pct ANY CHECK (typeof(avg_capaian_pct) IN ('integer', 'real', 'null')), -- percent (rata-rata)
    name_raw   TEXT,
    pagu_raw   TEXT,
    realisasi_raw TEXT,
    realisasi_pct_raw TEXT,
    avg_capaian_raw TEXT,
    flags      TEXT
) STRICT;
CREATE INDEX budget_report ON budget (report_id, table_id, table_part, "row");

-- A comparison over years: one row per indicator and figure column (schema 5).
CREATE TABLE comparison (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part INTEGER NOT NULL,
    "row"      INTEGER,
    page       INTEGER,
    sasaran    TEXT,
    indicator  TEXT,
    satuan     TEXT,
    "column"   TEXT,
    measure    TEXT,
    year       INTEGER,                    -- the year the column is of (NULL for a period)
    period     TEXT,
    value_kind TEXT,
    value      ANY CHECK (typeof(value) IN ('integer', 'real', 'null')), -- its unit in value_unit
    value_unit TEXT,
    value_note TEXT,
    value_raw  TEXT,
    flags      TEXT
) STRICT;
CREATE INDEX comparison_report ON comparison (report_id, table_id, table_part, "row");

-- A total the report states (TOTAL, JUMLAH): a claim for the checks, not data.
CREATE TABLE stated_totals (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part INTEGER NOT NULL,
    measure    TEXT,
    "column"   TEXT,
    stated_value ANY CHECK (typeof(stated_value) IN ('integer', 'real', 'null')), -- unit in stated_unit
    stated_unit TEXT,
    stated_raw TEXT,
    page       INTEGER,
    flags      TEXT
) STRICT;
CREATE INDEX stated_totals_report ON stated_totals (report_id, table_id, table_part);

-- A figure the running text states (prose, tables cut out), with its page and sentence.
CREATE TABLE claims (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    page       INTEGER,
    measure    TEXT,
    stated_value ANY CHECK (typeof(stated_value) IN ('integer', 'real', 'null')), -- unit in stated_unit
    stated_unit TEXT,
    stated_raw TEXT,
    subject    TEXT,
    qualifier  TEXT,
    heading    TEXT,
    sentence   TEXT
) STRICT;
CREATE INDEX claims_report ON claims (report_id, page);

-- One row per PDF page: the folio printed on it (where a neighbouring page confirms it) and
-- whether it was read by OCR (schema 4; added to an older store when a newer lkj opens it).
CREATE TABLE pages (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    page       INTEGER NOT NULL,
    folio      TEXT,
    ocr        INTEGER NOT NULL CHECK (ocr IN (0, 1)),
    PRIMARY KEY (report_id, page)
) STRICT;

-- Every table cell read by OCR, with its confidence (schema 3; a store of schema 2 gets this
-- table when a newer lkj opens it: see lkj.load.sqlite.connect).
CREATE TABLE ocr_cells (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part INTEGER NOT NULL,
    "row"      INTEGER,
    grid_row   INTEGER NOT NULL,
    col        INTEGER NOT NULL,
    page       INTEGER,
    text       TEXT,
    confidence ANY CHECK (typeof(confidence) IN ('integer', 'real', 'null')), -- Tesseract's, percent
    flagged    INTEGER NOT NULL CHECK (flagged IN (0, 1)),
    doubt      TEXT
) STRICT;
CREATE INDEX ocr_cells_report ON ocr_cells (report_id, table_id, table_part, "row");

-- Every table as the grid lkj read, whatever its family: one row per printed cell, with its
-- spans and its box (points from the page's top left) (schema 5).
CREATE TABLE cells (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part INTEGER NOT NULL,
    "row"      INTEGER,
    grid_row   INTEGER NOT NULL,
    col        INTEGER NOT NULL,
    rowspan    INTEGER NOT NULL,
    colspan    INTEGER NOT NULL,
    page       INTEGER,
    kind       TEXT NOT NULL,
    text       TEXT,
    x0         ANY CHECK (typeof(x0) IN ('integer', 'real', 'null')), -- points from page top left
    top        ANY CHECK (typeof(top) IN ('integer', 'real', 'null')), -- points from page top left
    x1         ANY CHECK (typeof(x1) IN ('integer', 'real', 'null')), -- points from page top left
    bottom     ANY CHECK (typeof(bottom) IN ('integer', 'real', 'null')), -- points from page top left
    split_by_text INTEGER NOT NULL CHECK (split_by_text IN (0, 1)),
    doubt      TEXT                        -- why the text is in doubt, if it is (schema 7)
) STRICT;
CREATE INDEX cells_report ON cells (report_id, table_id, table_part, grid_row);

-- One outcome of a check on a report: a finding, or a check that held.
-- stated / computed / difference are ANY without a check: a number or a text as the check gave.
CREATE TABLE findings (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    "check"    TEXT,
    severity   TEXT,
    status     TEXT,
    subject    TEXT,
    tables     TEXT,
    pages      TEXT,
    stated     ANY,
    computed   ANY,
    difference ANY,
    formula    TEXT,
    message    TEXT
) STRICT;
CREATE INDEX findings_report ON findings (report_id, severity);

-- A file that could not be stored, and why. Not tied to a report: there may be none.
CREATE TABLE ingest_errors (
    id          INTEGER PRIMARY KEY,
    source_file TEXT NOT NULL,
    sha256      TEXT,                      -- NULL when the file could not be read at all
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL              -- UTC, ISO 8601
) STRICT;

-- The canonical indicators (lkj/schemas/registry.py INDICATORS), rewritten at every load so
-- that plain SQL can name an indicator and know its polarity.
CREATE TABLE indicators (
    indicator_id TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    polarity    TEXT NOT NULL
) STRICT;


-- VIEWS for researchers ------------------------------------------------------------------

-- v_iku_by_year: every IKU row of every report, with its agency and year.
--   indicator_id / indicator_name: canonical (NULL when the printed wording is unknown);
--   indicator: as printed; indicator_match: how the wording was matched (fuzzy = check it).
--   polarity: the canonical indicator's, else the row's as read.
--   capaian_pct: capaian (%) as stated; capaian_recomputed: realisasi / target * 100,
--   rounded to 2 decimals, only for higher_is_better rows with a non-zero target (lower-is-
--   better formulas differ between reports: see capaian_pct).
--   comparable: 1 when the row states target and realisasi in the same terms: both present,
--   the realisasi not a cell of figures labelled by year ("2022 : 883 2023 : 959": levels,
--   not the change a target states), and no two different units (6.25 % against 959 orang).
--   doc_order: 1, 2, ... over the rows of one indicator in one report: comparable rows
--   first, then rows stating both, then the rest; each in document order (page, table, row).
CREATE VIEW v_iku_by_year AS
SELECT r.agency_id, r.agency, r.year,
       i.indicator_id, ind.name AS indicator_name, i.indicator, i.indicator_match,
       i.table_id, i.table_part, i."row", i.page,
       COALESCE(ind.polarity, i.polarity) AS polarity,
       i.target, i.target_unit, i.realisasi, i.realisasi_unit, i.realisasi_labelled,
       i.capaian_pct,
       CASE WHEN COALESCE(ind.polarity, i.polarity) = 'higher_is_better'
                 AND i.target IS NOT NULL AND i.target <> 0 AND i.realisasi IS NOT NULL
            THEN ROUND(i.realisasi * 100.0 / i.target, 2) END AS capaian_recomputed,
       i.target_raw, i.realisasi_raw, i.capaian_raw, i.flags,
       (i.target IS NOT NULL AND i.realisasi IS NOT NULL AND i.realisasi_labelled IS NULL
        AND (i.target_unit IS NULL OR i.realisasi_unit IS NULL
             OR i.target_unit = i.realisasi_unit)) AS comparable,
       ROW_NUMBER() OVER (
           PARTITION BY i.report_id, COALESCE(i.indicator_id, i.indicator)
           ORDER BY (i.target IS NOT NULL AND i.realisasi IS NOT NULL
                     AND i.realisasi_labelled IS NULL
                     AND (i.target_unit IS NULL OR i.realisasi_unit IS NULL
                          OR i.target_unit = i.realisasi_unit)) DESC,
                    (i.target IS NULL OR i.realisasi IS NULL), i.page, t.rowid, i."row"
       ) AS doc_order,
       i.report_id, r.source_file
FROM iku AS i
JOIN reports AS r USING (report_id)
LEFT JOIN tables AS t
       ON t.report_id = i.report_id AND t.table_id = i.table_id AND t.table_part = i.table_part
LEFT JOIN indicators AS ind ON ind.indicator_id = i.indicator_id;

-- v_iku_compare: one row per agency, year and canonical indicator, for comparing years.
--   The row chosen is the one with doc_order 1: the first comparable row in document order
--   (usually the summary / Perjanjian Kinerja table); failing that, the first stating both
--   target and realisasi; else the first. comparable says which kind it is. rows_stating: how many rows of that report name the indicator;
--   realisasi_variants: how many different realisasi they state (> 1: the report disagrees
--   with itself, see findings).
CREATE VIEW v_iku_compare AS
SELECT v.*,
       (SELECT COUNT(*) FROM iku AS o
         WHERE o.report_id = v.report_id AND o.indicator_id = v.indicator_id) AS rows_stating,
       (SELECT COUNT(DISTINCT o.realisasi) FROM iku AS o
         WHERE o.report_id = v.report_id AND o.indicator_id = v.indicator_id)
           AS realisasi_variants
FROM v_iku_by_year AS v
WHERE v.indicator_id IS NOT NULL AND v.doc_order = 1;

-- v_budget_by_year: every budget line with its agency and year; realisasi_pct as stated,
--   realisasi_pct_recomputed = realisasi / pagu * 100 (2 decimals) where both are printed.
CREATE VIEW v_budget_by_year AS
SELECT r.agency_id, r.agency, r.year,
       b.table_id, b.table_part, b."row", b.page, b.level, b.name, b."group",
       b.pagu, b.realisasi, b.realisasi_pct,
       CASE WHEN b.pagu IS NOT NULL AND b.pagu <> 0 AND b.realisasi IS NOT NULL
            THEN ROUND(b.realisasi * 100.0 / b.pagu, 2) END AS realisasi_pct_recomputed,
       b.avg_capaian_pct, b.pagu_raw, b.realisasi_raw, b.realisasi_pct_raw, b.flags,
       b.report_id, r.source_file
FROM budget AS b
JOIN reports AS r USING (report_id);

-- v_findings: the outcome of every check with the report's agency, year and file.
CREATE VIEW v_findings AS
SELECT r.agency_id, r.agency, r.year,
       f."check", f.severity, f.status, f.subject, f.tables, f.pages,
       f.stated, f.computed, f.difference, f.formula, f.message,
       f.report_id, r.source_file
FROM findings AS f
JOIN reports AS r USING (report_id);

PRAGMA user_version = 7;
