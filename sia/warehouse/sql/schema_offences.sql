-- Home Office offence codes with their police.uk category and ONS Crime Severity weight
-- (sia/data/offences), written by the warehouse from the shipped table.
CREATE TABLE IF NOT EXISTS offence_codes (
    ho_offence_code VARCHAR NOT NULL,
    offence VARCHAR NOT NULL,
    ons_category VARCHAR,
    css_weight DOUBLE NOT NULL,
    police_uk_category VARCHAR NOT NULL
);
