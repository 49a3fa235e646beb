-- The lkj PostgreSQL store (lkj --db postgresql://...): the schema of store.sql on PostgreSQL.
--
-- Same tables, columns (in the same order), keys, foreign keys, indexes and views as
-- store.sql; tests/test_store_pg.py parses both files and fails when they part. Change both
-- together, and the schema_version (last lines) with user_version in store.sql.
--
-- Types: a number is NUMERIC without a scale, which keeps the value as written (16000 stays
-- 16000, 88.73 stays 88.73, 104.0 keeps its decimal: lkj/load/postgres.py gives back ints and
-- floats as they were parsed). A whole-number column is BIGINT (SQLite's INTEGER), a boolean
-- BOOLEAN. findings.stated / computed, which are ANY in SQLite (a number or a text, as the check
-- gave), are JSONB: 2022.0 and "Rp. 1.250.000,-" both come back as they went in (in SQL:
-- stated::numeric for a number, stated #>> '{}' for the text). Dates and times stay ISO text,
-- as in SQLite.
--
-- rowid: SQLite's implicit row number, made explicit (an identity column, last in each table):
-- rows are read back in the order they were stored, and v_iku_by_year orders tables by it.
-- ingest_errors has its id instead, as in SQLite.

CREATE TABLE reports (
    report_id   TEXT PRIMARY KEY,          -- agency_id-year, or sha-<hash> when unidentified
    agency_id   TEXT,                      -- canonical id (lkj/schemas/registry.py), NULL if unknown
    agency      TEXT,
    province    TEXT,
    year        BIGINT,
    title       TEXT,
    source_file TEXT NOT NULL,             -- file name as loaded
    sha256      TEXT NOT NULL UNIQUE,      -- of the PDF bytes: the same file loads once
    pages       BIGINT,
    flags       TEXT,
    agency_raw  TEXT,                      -- the office's name as printed (BP3TKI Mataram ...)
    loaded_at   TEXT NOT NULL,             -- UTC, ISO 8601
    lkj_version TEXT,                      -- the lkj that read it (re-read: lkj load --replace)
    source_path TEXT,                      -- the file's absolute path when read (schema 6)
    rowid       BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX reports_agency_year ON reports (agency_id, year);

-- Every located table (Tabel 2.3 ...); a table continued under the same caption is a part.
CREATE TABLE tables (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part BIGINT NOT NULL,
    title      TEXT,
    family     TEXT,
    pages      TEXT,                       -- "14,15"
    rows       BIGINT,
    engine     TEXT,
    verified   BOOLEAN,
    flags      TEXT,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (report_id, table_id, table_part)
);

-- IKU: one indicator row of one table (target, realisasi, capaian as printed and parsed).
CREATE TABLE iku (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part BIGINT NOT NULL,
    "row"      BIGINT,
    page       BIGINT,
    sasaran    TEXT,
    indicator  TEXT,                       -- as printed
    polarity   TEXT,                       -- as read from the report
    value_kind TEXT,
    target     NUMERIC,
    target_unit TEXT,
    target_note TEXT,
    realisasi  NUMERIC,
    realisasi_unit TEXT,
    realisasi_note TEXT,
    realisasi_labelled TEXT,
    capaian_pct NUMERIC,
    target_raw TEXT,
    realisasi_raw TEXT,
    capaian_raw TEXT,
    has_realisasi_column BOOLEAN,
    flags      TEXT,
    indicator_id TEXT,                     -- canonical id, NULL when the wording is unknown
    indicator_match TEXT,                  -- exact | contains | fuzzy | ambiguous | unknown
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX iku_report ON iku (report_id, table_id, table_part, "row");
CREATE INDEX iku_indicator ON iku (indicator_id);

-- One indicator in one quarter (Triwulan I-IV).
CREATE TABLE quarterly (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part BIGINT NOT NULL,
    "row"      BIGINT,
    page       BIGINT,
    sasaran    TEXT,
    indicator  TEXT,
    quarter    BIGINT,
    value_kind TEXT,
    target     NUMERIC,
    target_unit TEXT,
    target_note TEXT,
    realisasi  NUMERIC,
    realisasi_unit TEXT,
    realisasi_note TEXT,
    target_raw TEXT,
    realisasi_raw TEXT,
    flags      TEXT,
    indicator_id TEXT,
    indicator_match TEXT,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX quarterly_report ON quarterly (report_id, table_id, table_part, "row", quarter);
CREATE INDEX quarterly_indicator ON quarterly (indicator_id);

-- One activity (sosialisasi, pemberdayaan ...): when, where, how many took part.
CREATE TABLE events (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part BIGINT NOT NULL,
    "row"      BIGINT,
    page       BIGINT,
    kind       TEXT,
    row_no     BIGINT,
    group_no   BIGINT,
    month      TEXT,
    place      TEXT,
    continues_previous BOOLEAN,
    date_start TEXT,                       -- ISO date
    date_end   TEXT,
    date_note  TEXT,
    participants NUMERIC,
    participants_unit TEXT,
    participants_note TEXT,
    funding    TEXT,
    activity   TEXT,
    no_raw     TEXT,
    month_raw  TEXT,
    place_raw  TEXT,
    date_raw   TEXT,
    participants_raw TEXT,
    flags      TEXT,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX events_report ON events (report_id, table_id, table_part, "row");

-- One budget line: pagu (ceiling), realisasi (spent), %.
CREATE TABLE budget (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part BIGINT NOT NULL,
    "row"      BIGINT,
    page       BIGINT,
    level      TEXT,
    name       TEXT,
    "group"    TEXT,
    pagu       NUMERIC,
    realisasi  NUMERIC,
    realisasi_pct NUMERIC,
    avg_capaian_pct NUMERIC,
    name_raw   TEXT,
    pagu_raw   TEXT,
    realisasi_raw TEXT,
    realisasi_pct_raw TEXT,
    avg_capaian_raw TEXT,
    flags      TEXT,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX budget_report ON budget (report_id, table_id, table_part, "row");

-- A comparison over years: one row per indicator and figure column (schema 5).
CREATE TABLE comparison (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part BIGINT NOT NULL,
    "row"      BIGINT,
    page       BIGINT,
    sasaran    TEXT,
    indicator  TEXT,
    satuan     TEXT,
    "column"   TEXT,
    measure    TEXT,
    year       BIGINT,
    period     TEXT,
    value_kind TEXT,
    value      NUMERIC,
    value_unit TEXT,
    value_note TEXT,
    value_raw  TEXT,
    flags      TEXT,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX comparison_report ON comparison (report_id, table_id, table_part, "row");

-- A total the report states (TOTAL, JUMLAH): a claim for the checks, not data.
CREATE TABLE stated_totals (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part BIGINT NOT NULL,
    measure    TEXT,
    "column"   TEXT,
    stated_value NUMERIC,
    stated_unit TEXT,
    stated_raw TEXT,
    page       BIGINT,
    flags      TEXT,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX stated_totals_report ON stated_totals (report_id, table_id, table_part);

-- A figure the running text states (prose, tables cut out), with its page and sentence.
CREATE TABLE claims (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    page       BIGINT,
    measure    TEXT,
    stated_value NUMERIC,
    stated_unit TEXT,
    stated_raw TEXT,
    subject    TEXT,
    qualifier  TEXT,
    heading    TEXT,
    sentence   TEXT,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX claims_report ON claims (report_id, page);

-- One row per PDF page: the folio printed on it (where a neighbouring page confirms it) and
-- whether it was read by OCR (schema 4; added to an older store when a newer lkj opens it).
CREATE TABLE pages (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    page       BIGINT NOT NULL,
    folio      TEXT,
    ocr        BOOLEAN NOT NULL,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (report_id, page)
);

-- Every table cell read by OCR, with its confidence (schema 3; a store of schema 2 gets this
-- table when a newer lkj opens it: see lkj.load.postgres.PgStore.open).
CREATE TABLE ocr_cells (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part BIGINT NOT NULL,
    "row"      BIGINT,
    grid_row   BIGINT NOT NULL,
    col        BIGINT NOT NULL,
    page       BIGINT,
    text       TEXT,
    confidence NUMERIC,
    flagged    BOOLEAN NOT NULL,
    doubt      TEXT,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX ocr_cells_report ON ocr_cells (report_id, table_id, table_part, "row");

-- Every table as the grid lkj read, whatever its family: one row per printed cell, with its
-- spans and its box (points from the page's top left) (schema 5).
CREATE TABLE cells (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    table_id   TEXT NOT NULL,
    table_part BIGINT NOT NULL,
    "row"      BIGINT,
    grid_row   BIGINT NOT NULL,
    col        BIGINT NOT NULL,
    rowspan    BIGINT NOT NULL,
    colspan    BIGINT NOT NULL,
    page       BIGINT,
    kind       TEXT NOT NULL,
    text       TEXT,
    x0         NUMERIC,
    top        NUMERIC,
    x1         NUMERIC,
    bottom     NUMERIC,
    split_by_text BOOLEAN NOT NULL,
    doubt      TEXT,                       -- why the text is in doubt, if it is (schema 7)
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX cells_report ON cells (report_id, table_id, table_part, grid_row);

-- One outcome of a check on a report: a finding, or a check that held.
-- stated / computed are JSONB: a number or a text as the check gave (ANY in SQLite).
CREATE TABLE findings (
    report_id  TEXT NOT NULL REFERENCES reports ON DELETE CASCADE,
    "check"    TEXT,
    severity   TEXT,
    status     TEXT,
    subject    TEXT,
    tables     TEXT,
    pages      TEXT,
    stated     JSONB,
    computed   JSONB,
    difference NUMERIC,
    formula    TEXT,
    message    TEXT,
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX findings_report ON findings (report_id, severity);

-- A file that could not be stored, and why. Not tied to a report: there may be none.
CREATE TABLE ingest_errors (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    source_file TEXT NOT NULL,
    sha256      TEXT,                      -- NULL when the file could not be read at all
    reason      TEXT NOT NULL,
    at          TEXT NOT NULL              -- UTC, ISO 8601
);

-- The canonical indicators (lkj/schemas/registry.py INDICATORS), rewritten at every load so
-- that plain SQL can name an indicator and know its polarity.
CREATE TABLE indicators (
    indicator_id TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    polarity    TEXT NOT NULL,
    rowid       BIGINT GENERATED ALWAYS AS IDENTITY
);


-- VIEWS for researchers: the same columns and rows as store.sql's (see the comments there).
-- comparable is 0/1 as in SQLite, so that lkj compare writes the same from both stores;
-- NULLS FIRST orders as SQLite does.

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
             OR i.target_unit = i.realisasi_unit))::integer AS comparable,
       ROW_NUMBER() OVER (
           PARTITION BY i.report_id, COALESCE(i.indicator_id, i.indicator)
           ORDER BY (i.target IS NOT NULL AND i.realisasi IS NOT NULL
                     AND i.realisasi_labelled IS NULL
                     AND (i.target_unit IS NULL OR i.realisasi_unit IS NULL
                          OR i.target_unit = i.realisasi_unit)) DESC,
                    (i.target IS NULL OR i.realisasi IS NULL), i.page NULLS FIRST,
                    t.rowid NULLS FIRST, i."row" NULLS FIRST
       ) AS doc_order,
       i.report_id, r.source_file
FROM iku AS i
JOIN reports AS r USING (report_id)
LEFT JOIN tables AS t
       ON t.report_id = i.report_id AND t.table_id = i.table_id AND t.table_part = i.table_part
LEFT JOIN indicators AS ind ON ind.indicator_id = i.indicator_id;

CREATE VIEW v_iku_compare AS
SELECT v.*,
       (SELECT COUNT(*) FROM iku AS o
         WHERE o.report_id = v.report_id AND o.indicator_id = v.indicator_id) AS rows_stating,
       (SELECT COUNT(DISTINCT o.realisasi) FROM iku AS o
         WHERE o.report_id = v.report_id AND o.indicator_id = v.indicator_id)
           AS realisasi_variants
FROM v_iku_by_year AS v
WHERE v.indicator_id IS NOT NULL AND v.doc_order = 1;

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

CREATE VIEW v_findings AS
SELECT r.agency_id, r.agency, r.year,
       f."check", f.severity, f.status, f.subject, f.tables, f.pages,
       f.stated, f.computed, f.difference, f.formula, f.message,
       f.report_id, r.source_file
FROM findings AS f
JOIN reports AS r USING (report_id);

-- The schema version (SQLite: PRAGMA user_version): lkj refuses a store of another version.
CREATE TABLE lkj_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO lkj_meta (key, value) VALUES ('schema_version', '7');
