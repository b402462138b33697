"""DfT STATS19 road collisions, casualties and vehicles, in the DfT 2024 column format.

The Department for Transport publishes police-recorded injury road collisions as three
CSV files linked by ``collision_index``: one row per collision, one per casualty and one
per vehicle. Each is recognised by its exact header and goes through the common loading
engine (:mod:`sia.sources.tabular`), so every row is loaded, counted as a duplicate,
skipped with a reason or rejected with its line, field and reason.

Collisions
----------
A collision becomes an ``events`` row (source ``stats19``, ``source_id`` the collision
index, category the DfT severity name: ``fatal``, ``serious`` or ``slight``). It is placed
in its LSOA by ``lsoa_of_accident_location``; where that is blank or ``-1`` (the DfT code
for missing), by point-in-polygon from its British National Grid easting and northing.
Collisions outside the partnership are skipped (``outside-partnership``, or
``outside-district`` for a point outside the district); a force's file covers several
districts. Membership goes by LSOA, as for every source, not by the DfT's local authority
column: a collision the DfT codes to a neighbouring district but locates in one of the
partnership's LSOAs is the partnership's.

Casualties and vehicles
-----------------------
These files carry no date and no location of the collision (their LSOA columns are the
casualty's or driver's home). The engine places each row on its own, so casualties and
vehicles are loaded whole into ``road_casualties`` and ``road_vehicles`` with ``month`` the
January of their ``collision_year`` and no LSOA, ward or place. The views
``road_casualties_placed`` and ``road_vehicles_placed`` (``sql/schema_stats19.sql``) join
them to their collision event for the real month, LSOA, ward and place; rows whose
collision is not the partnership's drop out there. Load the collisions file for the views
to see them; the order of loading does not matter.

Codes
-----
DfT numeric codes are kept as numbers, ``-1`` (missing) stored as NULL; severities, casualty
class, sex and age bands are stored by name (see ``docs/stats19.md``).
"""

from __future__ import annotations

from pathlib import Path

from sia.sources.base import LoadResult
from sia.sources.tabular import Column, Progress, TabularFormat
from sia.sources.tabular import load_file as load_tabular
from sia.warehouse import Warehouse

SOURCE = "stats19"

#: DfT severity codes (collision_severity, casualty_severity).
SEVERITIES = {"1": "fatal", "2": "serious", "3": "slight"}
#: DfT casualty_class codes.
CASUALTY_CLASSES = {"1": "driver or rider", "2": "passenger", "3": "pedestrian"}
#: DfT age band codes (age_band_of_casualty, age_band_of_driver).
AGE_BANDS = {
    1: "0-5",
    2: "6-10",
    3: "11-15",
    4: "16-20",
    5: "21-25",
    6: "26-35",
    7: "36-45",
    8: "46-55",
    9: "56-65",
    10: "66-75",
    11: "Over 75",
}
#: DfT sex codes: casualties use 9 for unknown (self reported), drivers 3 for not known.
SEXES = {1: "male", 2: "female", 3: "unknown", 9: "unknown"}
#: DfT casualty_type codes grouped into road users (anything else is ``other``).
ROAD_USERS = {
    0: "pedestrian",
    1: "cyclist",
    2: "motorcyclist",
    3: "motorcyclist",
    4: "motorcyclist",
    5: "motorcyclist",
    23: "motorcyclist",
    97: "motorcyclist",
    8: "car occupant",
    9: "car occupant",
}
#: DfT first_road_class codes whose roads are named by number: (before, after) the number.
ROAD_CLASSES = {1: ("M", ""), 2: ("A", "(M)"), 3: ("A", ""), 4: ("B", "")}


def _case(expr: str, mapping: dict, quoted_keys: bool = False) -> str:
    """``CASE expr WHEN code THEN 'name' ... END`` (NULL for any other code)."""
    whens = " ".join(
        f"WHEN {repr(str(k)) if quoted_keys else k} THEN '{v}'" for k, v in mapping.items()
    )
    return f"CASE {expr} {whens} END"


def _code(expr: str) -> str:
    """A DfT numeric code with ``-1`` (missing) as NULL."""
    return f"nullif({expr}, -1)"


def _code_int(name: str, maximum: float | None = None, required: bool = False) -> Column:
    return Column(name, "int", required=required, minimum=-1, maximum=maximum)


def _untyped(*headers: str) -> tuple[Column, ...]:
    return tuple(Column(h) for h in headers)


_SEVERITY = ("1", "2", "3")

COLLISIONS = TabularFormat(
    name="STATS19 collisions",
    source=SOURCE,
    columns=(
        Column("collision_index", required=True),
        Column("collision_year", "int", required=True, minimum=1979, maximum=2100),
        Column("collision_ref_no"),
        Column("location_easting_osgr", "easting"),
        Column("location_northing_osgr", "northing"),
        Column("longitude", "longitude"),
        Column("latitude", "latitude"),
        Column("police_force"),
        Column("collision_severity", "choice", required=True, choices=_SEVERITY, exact=True),
        Column("number_of_vehicles", "int", minimum=0),
        Column("number_of_casualties", "int", minimum=0),
        Column("date", "date", required=True),
        Column("day_of_week"),
        Column("time", "time"),
        Column("local_authority_district"),
        Column("local_authority_ons_district"),
        *_untyped("local_authority_highway", "local_authority_highway_current"),
        _code_int("first_road_class"),
        _code_int("first_road_number"),
        _code_int("road_type"),
        _code_int("speed_limit"),
        *_untyped(
            "junction_detail_historic",
            "junction_detail",
            "junction_control",
            "second_road_class",
            "second_road_number",
            "pedestrian_crossing_human_control_historic",
            "pedestrian_crossing_physical_facilities_historic",
            "pedestrian_crossing",
        ),
        _code_int("light_conditions"),
        _code_int("weather_conditions"),
        _code_int("road_surface_conditions"),
        *_untyped(
            "special_conditions_at_site",
            "carriageway_hazards_historic",
            "carriageway_hazards",
        ),
        _code_int("urban_or_rural_area"),
        *_untyped("did_police_officer_attend_scene_of_accident", "trunk_road_flag"),
        Column("lsoa_of_accident_location", "lsoa", missing=("-1",)),
        *_untyped(
            "enhanced_severity_collision",
            "collision_injury_based",
            "collision_adjusted_severity_serious",
            "collision_adjusted_severity_slight",
        ),
    ),
    period="date",
    key="r.collision_index",
    lsoa="lsoa_of_accident_location",
    place_by=("bng", "location_easting_osgr", "location_northing_osgr"),
    pairs=(
        ("location_easting_osgr", "location_northing_osgr"),
        ("longitude", "latitude"),
    ),
    unlocated="skip",
    fields={
        "month": "date_trunc('month', r.date)::DATE",
        "occurred_on": "r.date",
        "category": _case("r.collision_severity", SEVERITIES, quoted_keys=True),
        "location": "CASE "
        + " ".join(
            f"WHEN r.first_road_class = {k} AND r.first_road_number > 0 "
            f"THEN '{before}' || r.first_road_number || '{after}'"
            for k, (before, after) in ROAD_CLASSES.items()
        )
        + " END",
        "longitude": "r.longitude",
        "latitude": "r.latitude",
        "attributes": (
            "json_object("
            "'time', left(CAST(r.time AS VARCHAR), 5), "
            "'number_of_vehicles', r.number_of_vehicles, "
            "'number_of_casualties', r.number_of_casualties, "
            f"'speed_limit', {_code('r.speed_limit')}, "
            f"'road_type', {_code('r.road_type')}, "
            f"'first_road_class', {_code('r.first_road_class')}, "
            f"'first_road_number', {_code('r.first_road_number')}, "
            f"'light_conditions', {_code('r.light_conditions')}, "
            f"'weather_conditions', {_code('r.weather_conditions')}, "
            f"'road_surface_conditions', {_code('r.road_surface_conditions')}, "
            f"'urban_or_rural_area', {_code('r.urban_or_rural_area')}, "
            "'local_authority_ons_district', r.local_authority_ons_district, "
            "'easting', r.location_easting_osgr, "
            "'northing', r.location_northing_osgr)"
        ),
    },
)

CASUALTIES = TabularFormat(
    name="STATS19 casualties",
    source=SOURCE,
    columns=(
        Column("collision_index", required=True),
        Column("collision_year", "int", required=True, minimum=1979, maximum=2100),
        Column("collision_ref_no"),
        Column("vehicle_reference", "int", required=True, minimum=1),
        Column("casualty_reference", "int", required=True, minimum=1),
        Column(
            "casualty_class", "choice", required=True, choices=tuple(CASUALTY_CLASSES), exact=True
        ),
        _code_int("sex_of_casualty"),
        _code_int("age_of_casualty", maximum=130),
        _code_int("age_band_of_casualty", maximum=11),
        Column("casualty_severity", "choice", required=True, choices=_SEVERITY, exact=True),
        *_untyped(
            "pedestrian_location",
            "pedestrian_movement",
            "car_passenger",
            "bus_or_coach_passenger",
            "pedestrian_road_maintenance_worker",
        ),
        _code_int("casualty_type"),
        _code_int("casualty_imd_decile", maximum=10),
        Column("lsoa_of_casualty"),  # the casualty's home: not used
        *_untyped("enhanced_casualty_severity", "casualty_injury_based"),
        Column("casualty_adjusted_severity_serious", "number", minimum=0, maximum=1),
        Column("casualty_adjusted_severity_slight", "number", minimum=0, maximum=1),
        Column("casualty_distance_banding"),
    ),
    period="make_date(collision_year, 1, 1)",
    key="r.collision_index || '|' || r.casualty_reference",
    unlocated="keep",
    target="road_casualties",
    fields={
        "month": "make_date(r.collision_year, 1, 1)",
        "collision_index": "r.collision_index",
        "collision_year": "r.collision_year",
        "vehicle_reference": "r.vehicle_reference",
        "casualty_reference": "r.casualty_reference",
        "casualty_class": _case("r.casualty_class", CASUALTY_CLASSES, quoted_keys=True),
        "casualty_severity": _case("r.casualty_severity", SEVERITIES, quoted_keys=True),
        "sex": _case("r.sex_of_casualty", SEXES),
        "age": _code("r.age_of_casualty"),
        "age_band": _case("r.age_band_of_casualty", AGE_BANDS),
        "casualty_type": _code("r.casualty_type"),
        "road_user": (
            "CASE WHEN r.casualty_type IS NULL OR r.casualty_type = -1 THEN NULL "
            f"ELSE coalesce({_case('r.casualty_type', ROAD_USERS)}, 'other') END"
        ),
        "casualty_imd_decile": _code("r.casualty_imd_decile"),
        "adjusted_serious": "r.casualty_adjusted_severity_serious",
        "adjusted_slight": "r.casualty_adjusted_severity_slight",
    },
)

VEHICLES = TabularFormat(
    name="STATS19 vehicles",
    source=SOURCE,
    columns=(
        Column("collision_index", required=True),
        Column("collision_year", "int", required=True, minimum=1979, maximum=2100),
        Column("collision_ref_no"),
        Column("vehicle_reference", "int", required=True, minimum=1),
        _code_int("vehicle_type"),
        Column("towing_and_articulation"),
        Column("vehicle_manoeuvre_historic"),
        _code_int("vehicle_manoeuvre"),
        *_untyped(
            "vehicle_direction_from",
            "vehicle_direction_to",
            "vehicle_location_restricted_lane_historic",
            "vehicle_location_restricted_lane",
            "junction_location",
            "skidding_and_overturning",
            "hit_object_in_carriageway",
            "vehicle_leaving_carriageway",
            "hit_object_off_carriageway",
            "first_point_of_impact",
            "vehicle_left_hand_drive",
            "journey_purpose_of_driver_historic",
        ),
        _code_int("journey_purpose_of_driver"),
        _code_int("sex_of_driver"),
        _code_int("age_of_driver", maximum=130),
        _code_int("age_band_of_driver", maximum=11),
        _code_int("engine_capacity_cc"),
        _code_int("propulsion_code"),
        _code_int("age_of_vehicle", maximum=150),
        Column("generic_make_model"),
        _code_int("driver_imd_decile", maximum=10),
        Column("lsoa_of_driver"),  # the driver's home: not used
        _code_int("escooter_flag", maximum=1),
        Column("driver_distance_banding"),
    ),
    period="make_date(collision_year, 1, 1)",
    key="r.collision_index || '|' || r.vehicle_reference",
    unlocated="keep",
    target="road_vehicles",
    fields={
        "month": "make_date(r.collision_year, 1, 1)",
        "collision_index": "r.collision_index",
        "collision_year": "r.collision_year",
        "vehicle_reference": "r.vehicle_reference",
        "vehicle_type": _code("r.vehicle_type"),
        "vehicle_manoeuvre": _code("r.vehicle_manoeuvre"),
        "journey_purpose": _code("r.journey_purpose_of_driver"),
        "driver_sex": _case("r.sex_of_driver", SEXES),
        "driver_age": _code("r.age_of_driver"),
        "driver_age_band": _case("r.age_band_of_driver", AGE_BANDS),
        "engine_capacity_cc": _code("r.engine_capacity_cc"),
        "propulsion_code": _code("r.propulsion_code"),
        "age_of_vehicle": _code("r.age_of_vehicle"),
        "make_model": "nullif(r.generic_make_model, '-1')",
        "driver_imd_decile": _code("r.driver_imd_decile"),
        "escooter": "CASE r.escooter_flag WHEN 1 THEN true WHEN 0 THEN false END",
    },
)

FORMATS = {f.name: f for f in (COLLISIONS, CASUALTIES, VEHICLES)}
COLLISION_COLUMNS = COLLISIONS.headers
CASUALTY_COLUMNS = CASUALTIES.headers
VEHICLE_COLUMNS = VEHICLES.headers


def load_file(wh: Warehouse, path: Path, progress: Progress | None = None) -> LoadResult:
    """Load one STATS19 collisions, casualties or vehicles CSV, all or nothing."""
    return load_tabular(wh, path, FORMATS, progress)
