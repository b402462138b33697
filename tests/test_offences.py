"""Tests for sia.offences and the tables shipped in sia/data/offences.

The expected values are written out here, looked up by hand in the source file of the
shared test data, ``shared/data/crime_weights/policeuk-ons-code-join.csv`` (PROVENANCE.md,
section 6b), so they do not depend on the build script being right. Each was found with

    grep -n ',CODE,' shared/data/crime_weights/policeuk-ons-code-join.csv

and read off the matching line: ``ONS_COUNTS_description`` is the 2nd field,
``ONS_COUNTS_code`` the 4th, ``ONS_SEVERITY_weight`` the 7th and
``POLICE_UK_CAT_MAP_category`` the last (the source capitalises it differently from
police.uk, e.g. "Violence and Sexual Offences"). Tests that re-read the source file itself
are skipped when that folder is absent (as in CI): the package never needs it.
"""

from __future__ import annotations

import builtins
import csv
import importlib.util
import io
import re
import statistics
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

import sia
from sia import offences
from sia.config.schema import POLICE_UK_CRIME_TYPES
from sia.offences import Offence, UnknownOffenceCode, UnknownPoliceUkCategory

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "sia" / "data" / "offences"
SOURCE = REPO.parent / "shared" / "data" / "crime_weights"
SOURCE_FILE = SOURCE / "policeuk-ons-code-join.csv"
needs_source = pytest.mark.skipif(not SOURCE_FILE.is_file(), reason="shared source data absent")

#: Every ONS_COUNTS_code of the source (its 4th column), in file order, listed with
#: ``python -c "import csv; print(*[r[3] for r in csv.reader(open(PATH))][1:])"`` (not
#: ``cut -d, -f4``, which misreads the five homicide rows whose 3rd field is the quoted
#: "1, 4.1/2/10") and checked by eye against the file.
SOURCE_CODES = (  # noqa: SIM905 (text, to compare with the source by eye)
    "56A 56B 58B 58A 58C 58D 58J 92C 92E 92D 92A 80 76 83 26 15 802 95 24 60 814 33 54 33A "
    "86 69 61 99 67 79 61A 38 27 59 96 81 90 10D 10B 10A 10C 66 9A 9B 62A 34A 34B 71 73 "
    "22A 88E 23 88C 19J 19K 19C 19E 19D 19F 19H 19G 70 21 22B 20A 20B 17A 17B 88A 72 88D "
    "31A 29A 31 29 37.2 30D 28F 28H 30B 28B 28D 35 30C 30A 28E 28A 28C 43 28G 126 49A 49 "
    "46 41 47 39 45 40 42 44 48 8N 8S 5D 105A 104 2 37.1 4.6 4.8 4.9 4.4 4.7 13 3A 4.10 "
    "4.2 4.1 1 1/4.1/4.10/4.2 11A 5E 8L 4.3 36 8R 106 14 8P 105B 8M 8Q 3B"
).split()
#: The one source row that is a group of codes listed one by one as well, not a code.
HOMICIDE_GROUP_ROW = "1/4.1/4.10/4.2"


def _shipped(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# -- values looked up by hand ---------------------------------------------------------------


def test_modern_slavery():
    # source line: violence against the person,Modern slavery,106,106,...,1069.064103,
    #              36/6,Violence without injury,Hold person in slavery or servitude,
    #              Violence and Sexual Offences
    got = offences.offence("106")
    assert got == Offence(
        code="106",
        offence="Modern slavery",
        ons_category="violence against the person",
        css_weight=1069.064103,
        police_uk_category="Violence and sexual offences",
    )
    assert offences.css_weight("106") == 1069.064103
    assert offences.police_uk_category("106") == "Violence and sexual offences"


@pytest.mark.parametrize(
    ("code", "name", "weight", "category"),
    [
        # grep -n ',56A,' : "Arson endangering life", 826.1900614, Criminal Damage and Arson
        ("56A", "Arson endangering life", 826.1900614, "Criminal damage and arson"),
        # grep -n ',39,' : "Theft from the person", 80.4051597, Theft from the Person
        ("39", "Theft from the person", 80.4051597, "Theft from the person"),
        # grep -n ',37.2,' : "Aggravated vehicle taking", 53.45003689, Vehicle Crime
        ("37.2", "Aggravated vehicle taking", 53.45003689, "Vehicle crime"),
        # grep -n ',10D,' : no police.uk mapping; ONS possession of weapons; 53.0382391
        ("10D", "Possession of article with blade or point", 53.0382391, "Possession of weapons"),
        # grep -n ',9B,' : map code 20302 (an Excel date); ONS public order; 12.76338434
        (
            "9B",
            "Racially or religiously aggravated public fear, alarm or distress",
            12.76338434,
            "Public order",
        ),
        # grep -n ',28A,' : ONS_SEVERITY_code 28C; 465.3814732; Burglary
        ("28A", "Burglary in a dwelling(outcome only)", 465.3814732, "Burglary"),
        # grep -n ',44,' : "Theft or unauthorised taking of a pedal cycle", 15.17572799
        ("44", "Theft or unauthorised taking of a pedal cycle", 15.17572799, "Bicycle theft"),
        # grep -n ',46,' : Shoplifting, 11.85553905
        ("46", "Shoplifting", 11.85553905, "Shoplifting"),
        # grep -n ',35,' : Blackmail, 785.8097197, Other Theft
        ("35", "Blackmail", 785.8097197, "Other theft"),
        # grep -n ',99,' : "Other notifiable offences", 179.2494716, Other Crime
        ("99", "Other notifiable offences", 179.2494716, "Other crime"),
        # grep -n ',34B,' : "Robbery of personal property", 799.6288702, Robbery
        ("34B", "Robbery of personal property", 799.6288702, "Robbery"),
        # grep -n ',4.10,' : "Corporate manslaughter" (4.1 is "Manslaughter"), 7973.393423
        ("4.10", "Corporate manslaughter", 7973.393423, "Violence and sexual offences"),
        ("4.1", "Manslaughter", 7973.393423, "Violence and sexual offences"),
    ],
)
def test_codes_looked_up_by_hand(code, name, weight, category):
    got = offences.offence(code)
    assert (got.code, got.offence, got.css_weight, got.police_uk_category) == (
        code,
        name,
        weight,
        category,
    )


def test_homicide_has_the_highest_weight():
    # grep -n 'Homicide' : the rows 4.10, 4.2, 4.1, 1 (and the group row) all carry
    # 7973.393423, the highest weight in the file (PROVENANCE.md: "to 7,973 (homicide)").
    table = offences.all_offences()
    top = table[table["css_weight"] == table["css_weight"].max()]
    assert set(top["ho_offence_code"]) == {"1", "4.1", "4.2", "4.10"}
    assert offences.css_weight("1") == 7973.393423
    assert offences.offence("1").offence == "Murder"


def test_cannabis_possession_has_the_lowest_weight():
    # grep -n ',92E,' : "Possession of controlled drugs (Cannabis)", 1.770623478, Drugs
    table = offences.all_offences()
    low = table.loc[table["css_weight"].idxmin()]
    assert low["ho_offence_code"] == "92E"
    assert low["css_weight"] == 1.770623478
    assert offences.police_uk_category("92E") == "Drugs"
    assert (table["css_weight"] == low["css_weight"]).sum() == 1


# -- the whole table ------------------------------------------------------------------------


def test_shipped_codes_are_the_sources():
    # The source has 134 rows and 134 distinct ONS_COUNTS_code values, but one of them is
    # the homicide group row "1/4.1/4.10/4.2", whose codes are also listed one by one
    # with the same weight; it is not an offence code and is left out (see the README).
    assert len(SOURCE_CODES) == len(set(SOURCE_CODES)) == 134
    shipped = [r["ho_offence_code"] for r in _shipped("offence_codes.csv")]
    assert shipped == [c for c in SOURCE_CODES if c != HOMICIDE_GROUP_ROW]
    assert len(shipped) == len(set(shipped)) == 133
    assert list(offences.all_offences()["ho_offence_code"]) == shipped


def test_shipped_csv_columns():
    with (DATA / "offence_codes.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == [
        "ho_offence_code",
        "offence",
        "ons_category",
        "css_weight",
        "police_uk_category",
    ]
    with (DATA / "police_uk_category_weights.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["police_uk_category", "css_weight", "method", "codes"]


def test_every_code_has_a_police_uk_category_and_a_weight():
    for row in _shipped("offence_codes.csv"):
        assert row["police_uk_category"] in POLICE_UK_CRIME_TYPES, row
        assert float(row["css_weight"]) > 0, row
        assert row["offence"] and row["ons_category"], row


def test_all_offences_frame():
    table = offences.all_offences()
    assert list(table.columns) == [
        "ho_offence_code",
        "offence",
        "ons_category",
        "css_weight",
        "police_uk_category",
    ]
    assert table["css_weight"].dtype == "float64"
    assert len(table) == 133
    # codes stay text: 4.10 is not 4.1
    assert {"4.1", "4.10"} <= set(table["ho_offence_code"])
    # a fresh copy each call
    table.loc[0, "css_weight"] = -1.0
    assert offences.all_offences().loc[0, "css_weight"] > 0


# -- category weights -----------------------------------------------------------------------


def test_every_category_used_has_a_weight():
    used = {r["police_uk_category"] for r in _shipped("offence_codes.csv")}
    weighted = {r["police_uk_category"] for r in _shipped("police_uk_category_weights.csv")}
    assert used == weighted
    for name in used:
        assert offences.category_weight(name) > 0


def test_category_weight_is_the_median_recomputed_independently():
    # The documented method (README): the unweighted median of the weights of the codes
    # mapped to the category, each code once. Recomputed here from the shipped code table
    # with the csv and statistics modules only.
    weights: dict[str, list[float]] = defaultdict(list)
    codes: dict[str, list[str]] = defaultdict(list)
    for row in _shipped("offence_codes.csv"):
        weights[row["police_uk_category"]].append(float(row["css_weight"]))
        codes[row["police_uk_category"]].append(row["ho_offence_code"])
    shipped = _shipped("police_uk_category_weights.csv")
    assert len(shipped) == len(weights) == 13
    for row in shipped:
        name = row["police_uk_category"]
        expected = statistics.median(weights[name])
        assert float(row["css_weight"]) == pytest.approx(expected, rel=1e-12), name
        assert offences.category_weight(name) == pytest.approx(expected, rel=1e-12), name
        assert row["method"] == "unweighted median of code weights"
        assert row["codes"].split(";") == codes[name]


def test_category_weights_by_hand():
    # Drugs: 92C 9.062218937, 92E 1.770623478, 92D 8.082043408, 92A 512.9573594 (source
    # lines for those codes): median = (8.082043408 + 9.062218937) / 2 = 8.5721311725.
    assert Decimal(_weights_row("Drugs")["css_weight"]) == Decimal("8.5721311725")
    # Criminal damage and arson: 56A 826.19, 56B 186.67, 58A-58D 5.39670789 each, 58J
    # 14.01: the median of the seven is 5.39670789.
    assert offences.category_weight("Criminal damage and arson") == 5.39670789
    # Robbery: 34A and 34B both 799.6288702.
    assert offences.category_weight("Robbery") == 799.6288702
    # single-code categories take that code's weight
    assert offences.category_weight("Bicycle theft") == 15.17572799
    assert offences.category_weight("Shoplifting") == 11.85553905
    assert offences.category_weight("Theft from the person") == 80.4051597


def _weights_row(name: str) -> dict[str, str]:
    return next(
        r for r in _shipped("police_uk_category_weights.csv") if r["police_uk_category"] == name
    )


def test_category_weight_names():
    # matched ignoring case and spacing, as the source itself capitalises differently
    assert offences.category_weight("Violence and Sexual Offences") == offences.category_weight(
        "Violence and sexual offences"
    )
    assert offences.category_weight("  other   THEFT ") == offences.category_weight("Other theft")
    frame = offences.category_weights()
    assert list(frame.columns) == ["police_uk_category", "css_weight", "method", "codes"]
    assert frame["css_weight"].dtype == "float64"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Anti-social behaviour", "not a notifiable crime"),
        ("Violent crime", "early years of police.uk"),
        ("Public disorder and weapons", "split into 'Public order' and 'Possession of weapons'"),
        ("Burglery", "Did you mean 'Burglary'"),
    ],
)
def test_category_without_weight(name, message):
    with pytest.raises(UnknownPoliceUkCategory, match=re.escape(message)) as info:
        offences.category_weight(name)
    assert isinstance(info.value, LookupError)
    assert repr(name) in str(info.value)


# -- codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("8N", "8N"),
        (" 8n ", "8N"),
        ("008N", "8N"),
        ("08 N", "8N"),
        ("001", "1"),
        (1, "1"),
        (106, "106"),
        ("0106", "106"),
        ("4.10", "4.10"),
        ("4/10", "4.10"),
        ("004/010", "4.10"),
        ("4/1", "4.1"),
        ("004/01", "4.1"),
        ("37/2", "37.2"),
        ("92e", "92E"),
        ("ABC", "ABC"),
    ],
)
def test_normalise_code(given, expected):
    assert offences.normalise_code(given) == expected


def test_normalised_codes_look_up():
    assert offences.offence("008n") == offences.offence("8N")
    assert offences.offence("004/10").offence == "Corporate manslaughter"
    assert offences.offence("4/1").offence == "Manslaughter"
    assert offences.offence(106).code == "106"
    assert offences.css_weight(" 92e ") == 1.770623478


def test_float_code_is_refused():
    # 4.1 and 4.10 are different offences; a float cannot tell them apart
    with pytest.raises(TypeError, match="read code columns as text"):
        offences.offence(4.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        offences.offence(True)  # type: ignore[arg-type]


def test_unknown_code_names_it_and_suggests_close_codes():
    with pytest.raises(UnknownOffenceCode) as info:
        offences.offence("8x")
    err = info.value
    assert isinstance(err, LookupError)
    assert err.code == "8x" and err.normalised == "8X"
    assert "'8x' (read as '8X')" in str(err)
    assert {"8L", "8M", "8N", "8P", "8Q", "8R", "8S"} <= set(err.suggestions)
    assert "8N (Assault with injury)" in str(err)

    with pytest.raises(UnknownOffenceCode, match=r"'999'.*99 \(Other notifiable offences\)"):
        offences.css_weight("999")
    with pytest.raises(UnknownOffenceCode) as info:
        offences.police_uk_category("104/23")
    assert info.value.suggestions[0] == "104"
    # the homicide group row of the source is not a code
    with pytest.raises(UnknownOffenceCode):
        offences.offence(HOMICIDE_GROUP_ROW)


# -- the data README ------------------------------------------------------------------------


def test_readme_states_source_licence_and_caveats():
    text = (DATA / "README.md").read_text(encoding="utf-8")
    assert "M-O-P-D/Police-Supply-Demand" in text
    assert "132ec613ab57371cf54c17d013bfbe750de24604" in text
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0."
        in text
    )
    assert "Crime Severity Score data tool" in text
    assert "does not say which ONS release" in text
    assert "crude approximation" in text
    # every hand-mapped code is listed in the README's table
    table_codes = set(re.findall(r"^\| ([0-9][0-9A-Z.]*) \|", text, flags=re.MULTILINE))
    assert len(table_codes) == 77
    assert table_codes <= {r["ho_offence_code"] for r in _shipped("offence_codes.csv")}
    assert {"8N", "9B", "19C", "28E", "92A", "10D", "1"} <= table_codes


# -- the package reads only its own data ----------------------------------------------------


def test_package_reads_only_package_data(monkeypatch):
    real_open = builtins.open
    opened: list[str] = []

    def guarded_open(file, *args, **kwargs):
        name = str(file)
        opened.append(name)
        if "shared" in Path(name).parts:
            raise AssertionError(f"sia read {name}")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    offences._by_code.cache_clear()
    offences._categories.cache_clear()
    try:
        offences.offence("106")
        offences.category_weight("Drugs")
    finally:
        offences._by_code.cache_clear()
        offences._categories.cache_clear()
    package = Path(sia.__file__).resolve().parent
    reads = [p for p in opened if p.endswith(".csv")]
    assert len(reads) == 2
    assert all(Path(p).resolve().is_relative_to(package / "data" / "offences") for p in reads)


# -- against the source file (skipped without shared/data) ----------------------------------


def _source_rows() -> list[dict[str, str]]:
    with SOURCE_FILE.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@needs_source
def test_source_copied_exactly():
    rows = _source_rows()
    assert [r["ONS_COUNTS_code"] for r in rows] == SOURCE_CODES
    shipped = {r["ho_offence_code"]: r for r in _shipped("offence_codes.csv")}
    for r in rows:
        code = r["ONS_COUNTS_code"]
        if code == HOMICIDE_GROUP_ROW:
            assert code not in shipped
            continue
        got = shipped[code]
        assert got["css_weight"] == r["ONS_SEVERITY_weight"]
        assert got["offence"] == r["ONS_COUNTS_description"].strip()
        assert got["ons_category"] == r["ONS_COUNTS_category"]
        # the hand mappings all agree with the source's own last column, once its
        # capitals are normalised to police.uk's
        assert got["police_uk_category"].casefold() == (
            " ".join(r["POLICE_UK_CAT_MAP_category"].split()).casefold()
        )


@needs_source
def test_build_reproduces_shipped_files(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "build_offence_data", REPO / "scripts" / "build_offence_data.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    assert module.main([str(SOURCE), "--out", str(tmp_path)]) == 0
    for name in ("offence_codes.csv", "police_uk_category_weights.csv", "README.md"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_frame_values_match_csv():
    table = offences.all_offences().set_index("ho_offence_code")
    for row in _shipped("offence_codes.csv"):
        assert table.at[row["ho_offence_code"], "css_weight"] == float(row["css_weight"])
    assert isinstance(table, pd.DataFrame)
