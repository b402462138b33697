-- DfT STATS19 road casualties and vehicles (sia ingest stats19). Collisions are events
-- (source 'stats19', source_id = collision_index). Created idempotently.
--
-- The casualty and vehicle files hold no date and no place of the collision, and the
-- loading engine places each row on its own: rows are loaded with month = January of
-- their collision_year and no LSOA, ward or place. The *_placed views below take the
-- month, LSOA, ward and place from the collision event; rows whose collision is not the
-- partnership's (or not loaded yet) are not in the views.

-- One row per casualty. DfT codes: -1 (missing) is NULL.
CREATE TABLE IF NOT EXISTS road_casualties (
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,          -- collision_index|casualty_reference
    load_id INTEGER NOT NULL,
    month DATE NOT NULL,                 -- January of collision_year (see the view)
    lsoa_code VARCHAR,                   -- always NULL here (see the view)
    ward_code VARCHAR,
    place VARCHAR,
    collision_index VARCHAR NOT NULL,
    collision_year INTEGER NOT NULL,
    vehicle_reference INTEGER NOT NULL,
    casualty_reference INTEGER NOT NULL,
    casualty_class VARCHAR NOT NULL,     -- driver or rider, passenger, pedestrian
    casualty_severity VARCHAR NOT NULL,  -- fatal, serious, slight
    sex VARCHAR,                         -- male, female, unknown
    age INTEGER,
    age_band VARCHAR,                    -- 0-5, 6-10, ..., 66-75, Over 75
    casualty_type INTEGER,               -- DfT casualty_type code
    road_user VARCHAR,                   -- pedestrian, cyclist, motorcyclist, car occupant, other
    casualty_imd_decile INTEGER,         -- of the casualty's home LSOA (1 most deprived)
    adjusted_serious DOUBLE,             -- DfT severity adjustment: probability serious
    adjusted_slight DOUBLE
);

-- One row per vehicle. DfT codes: -1 (missing) is NULL.
CREATE TABLE IF NOT EXISTS road_vehicles (
    source VARCHAR NOT NULL,
    source_id VARCHAR NOT NULL,          -- collision_index|vehicle_reference
    load_id INTEGER NOT NULL,
    month DATE NOT NULL,                 -- January of collision_year (see the view)
    lsoa_code VARCHAR,                   -- always NULL here (see the view)
    ward_code VARCHAR,
    place VARCHAR,
    collision_index VARCHAR NOT NULL,
    collision_year INTEGER NOT NULL,
    vehicle_reference INTEGER NOT NULL,
    vehicle_type INTEGER,                -- DfT vehicle_type code
    vehicle_manoeuvre INTEGER,
    journey_purpose INTEGER,             -- DfT journey_purpose_of_driver code
    driver_sex VARCHAR,                  -- male, female, unknown
    driver_age INTEGER,
    driver_age_band VARCHAR,
    engine_capacity_cc INTEGER,
    propulsion_code INTEGER,
    age_of_vehicle INTEGER,
    make_model VARCHAR,                  -- generic_make_model
    driver_imd_decile INTEGER,
    escooter BOOLEAN
);

-- Casualties of the partnership's collisions, with the collision's date and place.
CREATE OR REPLACE VIEW road_casualties_placed AS
SELECT
    c.* EXCLUDE (month, lsoa_code, ward_code, place),
    e.month,
    e.occurred_on,
    e.lsoa_code,
    e.ward_code,
    e.place,
    e.category AS collision_severity
FROM road_casualties c
JOIN events e ON e.source = 'stats19' AND e.source_id = c.collision_index;

-- Vehicles of the partnership's collisions, with the collision's date and place.
CREATE OR REPLACE VIEW road_vehicles_placed AS
SELECT
    v.* EXCLUDE (month, lsoa_code, ward_code, place),
    e.month,
    e.occurred_on,
    e.lsoa_code,
    e.ward_code,
    e.place,
    e.category AS collision_severity
FROM road_vehicles v
JOIN events e ON e.source = 'stats19' AND e.source_id = v.collision_index;
