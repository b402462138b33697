-- Partner indicators: one figure per indicator, period and area (sia ingest indicator),
-- loaded by sia.sources.indicator. The indicators themselves (name, owner, unit, polarity,
-- sensitivity) are declared in the partnership configuration, not here.
-- `month` is the first day of the month of `period_start`. `area_type` is `district`,
-- `place`, `ward` or `lsoa`; `area_code` is the area's code as in `areas` (a place's code
-- there is its id, e.g. `batley-spen`) and an LSOA's as written (2011 or 2021).
-- `ward_code` and `place` are filled where the area is a ward, a place or an LSOA;
-- `lsoa_code` only where it is an LSOA.
CREATE TABLE IF NOT EXISTS indicator_values (
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,
    load_id INTEGER NOT NULL,
    month DATE NOT NULL,
    lsoa_code VARCHAR,
    ward_code VARCHAR,
    place VARCHAR,
    indicator_id VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    area_type VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    denominator DOUBLE,
    CHECK (period_end >= period_start),
    CHECK (denominator IS NULL OR denominator > 0)
);
