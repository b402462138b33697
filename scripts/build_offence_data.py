"""Build the offence-code tables shipped in ``sia/data/offences`` from the shared test data.

A maintainer script: run it once when the source data change, review the diff, commit
the output. The package itself never reads the shared data folder; ``sia.offences`` reads
only what this script writes.

    python scripts/build_offence_data.py [SOURCE_DIR] [--no-verify]

SOURCE_DIR is the folder holding ``policeuk-ons-code-join.csv`` (default
``../shared/data/crime_weights`` relative to the repository root; see section 6b of the
shared data's ``PROVENANCE.md``). If the folder above it holds ``SHA256SUMS``, the file is
checked against it first (skip with ``--no-verify``).

Writes:

* ``sia/data/offences/offence_codes.csv``                Home Office code -> offence, ONS
  category, ONS Crime Severity Score weight, police.uk crime type
* ``sia/data/offences/police_uk_category_weights.csv``   approximate weight per police.uk
  crime type
* ``sia/data/offences/README.md``                        source, licence, caveats, the rows
  mapped by hand and the category-weight method

Nothing is invented: every weight is copied from the source. Where the source gives no
usable police.uk mapping for a code, the crime type is decided here, by hand, from the
offence's ONS category (``HAND_MAPPED`` below) and listed in the README.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sia.config.schema import POLICE_UK_CRIME_TYPES
from sia.offences import CATEGORY_COLUMNS, OFFENCE_COLUMNS, normalise_code

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_data import verify as check_sums

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "sia" / "data" / "offences"
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "crime_weights"

SOURCE_FILE = "policeuk-ons-code-join.csv"
SOURCE_REPO = "M-O-P-D/Police-Supply-Demand"
SOURCE_PATH = "data/policeuk-ons-code-join.csv"
SOURCE_COMMIT = "132ec613ab57371cf54c17d013bfbe750de24604"
SOURCE_LICENCE_COPYRIGHT = "Copyright (c) 2020 Andrew P Smith"

EXPECTED_HEADER = (
    "ONS_COUNTS_category",
    "ONS_COUNTS_description",
    "ONS_SEVERITY_code",
    "ONS_COUNTS_code",
    "ONS_SEVERITY_category",
    "ONS_SEVERITY_offence",
    "ONS_SEVERITY_weight",
    "POLICE_UK_CAT_MAP_code",
    "POLICE_UK_CAT_MAP_sub_class",
    "POLICE_UK_CAT_MAP_offence",
    "POLICE_UK_CAT_MAP_category",
)
EXPECTED_ROWS = 134

#: Source rows that are not one offence code but a group of codes already listed one by
#: one, with the same weight. They are checked and left out.
AGGREGATE_ROWS: dict[str, tuple[str, ...]] = {"1/4.1/4.10/4.2": ("1", "4.1", "4.10", "4.2")}

METHOD = "unweighted median of code weights"

#: Codes whose police.uk crime type is decided here by hand, because the source row has
#: no police.uk mapping (empty ``POLICE_UK_CAT_MAP_code``) or a malformed one (the code
#: turned into an Excel date serial). The set must equal what the script finds in the
#: source, so a change in the source forces a new decision.
HAND_MAPPED: dict[str, tuple[str, ...]] = {
    "Burglary": ("28A", "28B", "28C", "28D", "28E", "28F", "28G", "28H", "30B"),
    "Drugs": ("92A", "92C", "92D"),
    "Other crime": ("15", "27", "38", "61", "61A", "69", "83", "96"),
    "Possession of weapons": ("10A", "10B", "10C", "10D", "81", "90"),
    "Public order": ("9A", "9B", "66"),
    "Violence and sexual offences": (
        # sexual offences
        "17A", "17B", "19C", "19D", "19F", "19G", "19J", "19K", "20A", "20B", "21", "22A",
        "22B", "23", "70", "71", "72", "73", "88A", "88C", "88D", "88E",
        # violence against the person
        "1", "3A", "3B", "4.1", "4.10", "4.2", "4.3", "4.4", "4.6", "4.7", "4.8", "4.9",
        "5D", "5E", "8L", "8M", "8N", "8P", "8Q", "8R", "8S", "11A", "13", "14", "105A",
        "105B",
    ),
}  # fmt: skip

#: Why each (ONS category, police.uk crime type) pair used by a hand mapping is right.
HAND_MAPPING_REASONS: dict[tuple[str, str], str] = {
    ("theft offences", "Burglary"): (
        "a burglary offence (residential or business and community, including attempts, "
        "distraction burglary and the older 'outcome only' codes); police.uk publishes "
        "every burglary as 'Burglary'"
    ),
    ("drug offences", "Drugs"): (
        "ONS 'drug offences' (possession, supply, production) is police.uk 'Drugs'"
    ),
    ("miscellaneous crimes", "Other crime"): (
        "ONS 'miscellaneous crimes against society' is police.uk 'Other crime' "
        "(forgery, perjury and other miscellaneous crime)"
    ),
    ("possession of weapons offences", "Possession of weapons"): (
        "ONS 'possession of weapons offences' is police.uk 'Possession of weapons'"
    ),
    ("public order offences", "Public order"): (
        "ONS 'public order offences' is police.uk 'Public order'"
    ),
    ("sexual offences", "Violence and sexual offences"): (
        "police.uk publishes sexual offences under 'Violence and sexual offences'"
    ),
    ("violence against the person", "Violence and sexual offences"): (
        "police.uk publishes violence against the person (including homicide and causing "
        "death by driving) under 'Violence and sexual offences'"
    ),
}


@dataclass
class Row:
    code: str
    offence: str
    ons_category: str
    weight_text: str
    weight: float
    police_uk_category: str
    source_category: str  # the source's own last column, normalised ("" if unusable)
    source_map_code: str  # POLICE_UK_CAT_MAP_code as written
    hand_mapped_because: str  # "" when the source's mapping was used


# -- reading --------------------------------------------------------------------------------


def verify(source: Path) -> None:
    check_sums(source.parent, [f"{source.name}/{SOURCE_FILE}"])


def read_source(source: Path) -> list[dict[str, str]]:
    """Every field as text, exactly as written (BOM removed), parsed by the csv module."""
    with (source / SOURCE_FILE).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != EXPECTED_HEADER:
            sys.exit(f"{SOURCE_FILE}: unexpected columns {reader.fieldnames}")
        rows = list(reader)
    if len(rows) != EXPECTED_ROWS:
        sys.exit(f"{SOURCE_FILE}: expected {EXPECTED_ROWS} rows, found {len(rows)}")
    if any(None in r or None in r.values() for r in rows):
        sys.exit(f"{SOURCE_FILE}: a row has the wrong number of fields")
    return rows


def police_uk_name(text: str) -> str:
    """The exact police.uk spelling of a crime type written with other capitals, or ""."""
    wanted = " ".join(text.split()).casefold()
    for name in POLICE_UK_CRIME_TYPES:
        if name.casefold() == wanted:
            return name
    return ""


def excel_serial(text: str) -> dt.date | None:
    """The date Excel made of a code such as ``28/3`` (a five-digit day number), or None."""
    if re.fullmatch(r"\d{5}", text) and int(text) >= 20000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(text))
    return None


# -- building -------------------------------------------------------------------------------


def build_rows(raw: list[dict[str, str]]) -> tuple[list[Row], list[str]]:
    """The offence rows and the notes on source rows that were left out."""
    hand = {code: cat for cat, codes in HAND_MAPPED.items() for code in codes}
    if len(hand) != sum(len(c) for c in HAND_MAPPED.values()):
        sys.exit("HAND_MAPPED lists a code twice")
    unknown_cats = set(HAND_MAPPED) - set(POLICE_UK_CRIME_TYPES)
    if unknown_cats:
        sys.exit(f"HAND_MAPPED uses crime types that police.uk does not: {unknown_cats}")

    rows: list[Row] = []
    left_out: list[str] = []
    weights: dict[str, str] = {}
    needs_hand: set[str] = set()
    for r in raw:
        code_text = r["ONS_COUNTS_code"].strip()
        weight_text = r["ONS_SEVERITY_weight"].strip()
        weight = float(weight_text)
        if not weight > 0:
            sys.exit(f"code {code_text}: weight {weight_text!r} is not positive")
        if code_text in AGGREGATE_ROWS:
            left_out.append(code_text)
            weights[code_text] = weight_text
            continue
        code = normalise_code(code_text)
        if code != code_text:
            sys.exit(f"source code {code_text!r} is not in normal form ({code!r})")

        map_code = r["POLICE_UK_CAT_MAP_code"].strip()
        source_category = police_uk_name(r["POLICE_UK_CAT_MAP_category"])
        serial = excel_serial(map_code)
        because = ""
        if not map_code:
            because = "no police.uk mapping in the source (POLICE_UK_CAT_MAP_code empty)"
        elif serial is not None:
            because = (
                f"malformed police.uk mapping: POLICE_UK_CAT_MAP_code {map_code} is an Excel "
                f"date serial ({serial.isoformat()}), not an offence code"
            )
        elif not source_category:
            because = (
                f"malformed police.uk mapping: category {r['POLICE_UK_CAT_MAP_category']!r} "
                "is not a police.uk crime type"
            )

        ons_category = r["ONS_COUNTS_category"].strip()
        if because:
            needs_hand.add(code)
            if code not in hand:
                sys.exit(f"code {code} needs a hand mapping ({because}); add it to HAND_MAPPED")
            category = hand[code]
            if (ons_category, category) not in HAND_MAPPING_REASONS:
                sys.exit(
                    f"code {code}: no reason recorded for mapping ONS {ons_category!r} "
                    f"to police.uk {category!r}; add one to HAND_MAPPING_REASONS"
                )
        else:
            category = source_category
        rows.append(
            Row(
                code=code,
                offence=r["ONS_COUNTS_description"].strip(),
                ons_category=ons_category,
                weight_text=weight_text,
                weight=weight,
                police_uk_category=category,
                source_category=source_category,
                source_map_code=map_code,
                hand_mapped_because=because,
            )
        )
        weights[code] = weight_text

    extra = set(hand) - needs_hand
    if extra:
        sys.exit(f"HAND_MAPPED lists codes the source maps itself: {sorted(extra)}")
    codes = [r.code for r in rows]
    if len(set(codes)) != len(codes):
        sys.exit("the source repeats an offence code")
    for aggregate, members in AGGREGATE_ROWS.items():
        if aggregate in weights and any(weights.get(m) != weights[aggregate] for m in members):
            sys.exit(f"aggregate row {aggregate}: members do not all carry its weight")
    return rows, left_out


def median_text(weights: list[str]) -> Decimal:
    """The median of weights written as decimal text, computed exactly (no float rounding)."""
    return statistics.median(Decimal(w) for w in weights).normalize()


def category_weights(rows: list[Row]) -> list[dict[str, str]]:
    by_category: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_category[r.police_uk_category].append(r)
    out = []
    for name in POLICE_UK_CRIME_TYPES:
        members = by_category.get(name)
        if not members:
            continue
        out.append(
            {
                "police_uk_category": name,
                "css_weight": format(median_text([m.weight_text for m in members]), "f"),
                "method": METHOD,
                "codes": ";".join(m.code for m in members),
            }
        )
    return out


# -- writing --------------------------------------------------------------------------------


def write_csv(path: Path, columns: tuple[str, ...], records: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def fmt(value: float) -> str:
    return f"{value:,.2f}"


def readme(rows: list[Row], cats: list[dict[str, str]], left_out: list[str]) -> str:
    by_category: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_category[r.police_uk_category].append(r)
    hand_rows = [r for r in rows if r.hand_mapped_because]
    no_map = [r for r in hand_rows if not r.source_map_code]
    serials = [r for r in hand_rows if r.source_map_code]
    disagree = [r for r in hand_rows if r.source_category != r.police_uk_category]
    lowest = min(rows, key=lambda r: r.weight)
    highest = max(rows, key=lambda r: r.weight)
    highest_codes = ", ".join(r.code for r in rows if r.weight == highest.weight)

    lines = [
        "# Offence codes and Crime Severity weights",
        "",
        "Everything in this folder is **generated** by `scripts/build_offence_data.py`. Do not",
        "edit it by hand: change the script and run it again. `sia.offences` reads only these",
        "files at run time, never the shared data folder.",
        "",
        "## Source",
        "",
        f"`{SOURCE_REPO}` : `{SOURCE_PATH}` @ `{SOURCE_COMMIT}`, copied unchanged to the",
        f"project's shared test data as `crime_weights/{SOURCE_FILE}` (its `PROVENANCE.md`,",
        f"section 6b). {EXPECTED_ROWS} rows, read with the csv module (several fields are quoted",
        "and contain commas).",
        "",
        "It holds the ONS Crime Severity Score (CSS) weight of each Home Office offence code",
        "(`ONS_SEVERITY_weight`), joined by the repository's authors, by hand, to the ONS",
        "offence-count categories and to a police.uk category mapping (`POLICE_UK_CAT_MAP_*`).",
        "",
        "## Licence and attribution",
        "",
        "The CSS weights and offence names are ONS data, Crown copyright, published under the",
        "[Open Government Licence v3.0](https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/).",
        "Any reuse must carry:",
        "",
        "> Contains public sector information licensed under the Open Government Licence v3.0.",
        "",
        "The join to police.uk categories is the work of the authors of",
        f"`{SOURCE_REPO}`, under the MIT licence (`LICENSE` in that repository):",
        "",
        f"> MIT License. {SOURCE_LICENCE_COPYRIGHT}. Permission is hereby granted, free of",
        "> charge, to any person obtaining a copy of this software and associated",
        '> documentation files (the "Software"), to deal in the Software without restriction,',
        "> including without limitation the rights to use, copy, modify, merge, publish,",
        "> distribute, sublicense, and/or sell copies of the Software, and to permit persons to",
        "> whom the Software is furnished to do so, subject to the following conditions: The",
        "> above copyright notice and this permission notice shall be included in all copies or",
        '> substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT',
        "> WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES",
        "> OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT",
        "> SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER",
        "> LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF",
        "> OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.",
        "",
        "## Caveat: the vintage of the weights",
        "",
        "**The source does not say which ONS release the weights come from** (the shared",
        "data's `PROVENANCE.md` suggests the 2016-2020 experimental release). Here the lowest",
        "weight is",
        f"{lowest.weight:,.2f} ({lowest.offence}, {lowest.code}) and the highest",
        f"{highest.weight:,.2f} (homicide: codes {highest_codes}); the ONS publications quoted in",
        "the project's methods reference give possession of cannabis a weight of about 3 and",
        "homicide 7,797 or 7,979, so these weights do not match those releases. Check them",
        'against the current ONS "Crime Severity Score data tool" before relying on them, and',
        "rebuild from that tool when it can be obtained.",
        "",
        "## `offence_codes.csv`",
        "",
        "Columns `" + ", ".join(OFFENCE_COLUMNS) + "`, one row per Home Office offence code,",
        f"{len(rows)} codes, in the source's order.",
        "",
        "- `ho_offence_code`: the source's `ONS_COUNTS_code`, already in the normal form",
        "  `sia.offences` looks codes up by: no leading zeros, capital letters, `.` between",
        "  class and sub-class (`4.1` manslaughter, `4.10` corporate manslaughter, `37.1`,",
        "  `37.2`).",
        "  Look-ups accept `008N`, `8n`, `4/10` or `004/10` and turn them into this form; a",
        "  trailing zero is never dropped, so read code columns as text, never as numbers.",
        "- `offence`: the source's `ONS_COUNTS_description` (white space trimmed).",
        "- `ons_category`: the source's `ONS_COUNTS_category` (the ONS offence group).",
        "- `css_weight`: the source's `ONS_SEVERITY_weight`, copied as written (10 significant",
        "  figures). No weight is invented or changed.",
        "- `police_uk_category`: the police.uk crime type, spelt exactly as police.uk publishes",
        "  it (the source writes e.g. `Violence and Sexual Offences`; here",
        "  `Violence and sexual offences`). Taken from the source's `POLICE_UK_CAT_MAP_category`",
        "  where the source holds a real police.uk mapping for the code; decided here by hand",
        "  otherwise (next section).",
        "",
    ]
    for code in left_out:
        members = ", ".join(AGGREGATE_ROWS[code])
        lines += [
            f'Left out: the source row `{code}` ("Homicide"). It is not an offence code but the',
            f"group of codes {members}, which the source also lists one by one with the same",
            f"weight. So the source's {EXPECTED_ROWS} rows give {len(rows)} offence codes.",
            "",
        ]
    lines += [
        "## Rows mapped to a police.uk crime type by hand",
        "",
        f"{len(hand_rows)} of the {len(rows)} codes have no usable police.uk mapping in the",
        "source:",
        "",
        f"- {len(no_map)} have an empty `POLICE_UK_CAT_MAP_code` (and offence): the join found no",
        "  police.uk offence for them;",
        f"- {len(serials)} have a malformed `POLICE_UK_CAT_MAP_code`: a class/sub-class code such",
        "  as `28/3` was turned by a spreadsheet into a date, stored as an Excel day number",
        "  (e.g. 43918 = 28 March 2020). The original code cannot be recovered with certainty.",
        "",
        "The source's last column (`POLICE_UK_CAT_MAP_category`) is filled in even for these",
        "rows, apparently by its authors from the ONS group, but it is not backed by a mapping.",
        "For each of them the crime type was decided here from the offence's ONS category, by",
        "the rules below (`HAND_MAPPED` and `HAND_MAPPING_REASONS` in the build script):",
        "",
    ]
    used = sorted({(r.ons_category, r.police_uk_category) for r in hand_rows})
    for pair in used:
        lines.append(f"- ONS `{pair[0]}` -> `{pair[1]}`: {HAND_MAPPING_REASONS[pair]}.")
    lines += [
        "",
        (
            "Every decision agrees with the source's own last column."
            if not disagree
            else f"{len(disagree)} decisions differ from the source's own last column: "
            + ", ".join(f"{r.code} (source: {r.source_category or 'none'})" for r in disagree)
            + "."
        ),
        "",
        "| code | offence | ONS category | why by hand | police.uk crime type |",
        "|---|---|---|---|---|",
    ]
    for r in hand_rows:
        if r.source_map_code:
            date = excel_serial(r.source_map_code)
            why = f"code {r.source_map_code} is a date ({date.isoformat() if date else '?'})"
        else:
            why = "no mapping"
        lines.append(
            f"| {r.code} | {r.offence} | {r.ons_category} | {why} | {r.police_uk_category} |"
        )
    lines += [
        "",
        "## `police_uk_category_weights.csv`",
        "",
        "Columns `" + ", ".join(CATEGORY_COLUMNS) + "`: an approximate CSS weight for each",
        "police.uk crime type used by the codes above, for police.uk data, which have no",
        "offence code. `codes` lists (`;`-separated) the offence codes it is computed from.",
        "",
        f"**Method: the {METHOD}**, i.e. the median of the `css_weight` of the offence",
        "codes mapped to the crime type, each code counted once (for an even number of codes,",
        "the mean of the two middle weights).",
        "",
        "**This is a crude approximation; an unweighted mean would be one too.** The right",
        "category weight is the mean of the code weights weighted by how many crimes of each",
        "code are recorded (Σ weight × count ÷ Σ count; methods reference, section 2.2), which",
        "needs recorded crime by offence code for the area. Those counts are not in the shared",
        "data, so every code counts the same here, whether it is recorded thousands of times a",
        "year (common assault, criminal damage) or almost never (infanticide); old 'outcome",
        "only' codes count as much as the codes that replaced them. The median was chosen over",
        "the mean because the weights within a crime type are very skewed: a few rare, very",
        "serious offences (homicide in violence, arson endangering life in criminal damage,",
        "trafficking in drugs) pull the mean far above the weight of the offences that make",
        "up most crimes of that type. The median is less sensitive to them; it is still far too",
        "high for 'Violence and sexual offences', whose list is dominated by rare, heavily",
        "weighted sexual and homicide offences while most recorded crimes of that type are",
        "assaults, harassment and stalking with weights between about 8 and 190. Use these",
        "weights only to rank or compare police.uk data coarsely, say so in any output, and",
        "prefer code-level weights whenever the offence code is known.",
        "",
        "| police.uk crime type | codes | css_weight (median) | mean, for comparison | min | max |",
        "|---|---|---|---|---|---|",
    ]
    for c in cats:
        members = by_category[c["police_uk_category"]]
        ws = [m.weight for m in members]
        lines.append(
            f"| {c['police_uk_category']} | {len(ws)} | {fmt(float(c['css_weight']))} | "
            f"{fmt(statistics.fmean(ws))} | {fmt(min(ws))} | {fmt(max(ws))} |"
        )
    unweighted = [c for c in POLICE_UK_CRIME_TYPES if c not in by_category]
    lines += [
        "",
        "No weight is shipped for " + ", ".join(f"'{c}'" for c in unweighted) + ":",
        "anti-social behaviour is not a notifiable crime and has no CSS weight (a weight for it",
        "is a policy choice for the user); the others are police.uk crime types of police.uk's",
        "early years whose coverage differs from the current types.",
        "",
        "## Oddities in the source",
        "",
        "- The last column, `POLICE_UK_CAT_MAP_category`, uses other capitals than police.uk",
        "  (`Violence and Sexual Offences`, `Other Crime`, `Vehicle Crime`, `Theft from the",
        "  Person`); normalised here.",
        "- `POLICE_UK_CAT_MAP_code` holds Excel date serials instead of codes in",
        f"  {len(serials)} rows (see above), including 22129 (1 August 1960) for 8P and",
        "  20302 (1 August 1955) for 9B.",
        "- Code 28A (burglary in a dwelling, outcome only) takes its weight from 28C",
        "  (`ONS_SEVERITY_code` 28C, `ONS_SEVERITY_offence` 'Distraction burglary in a",
        "  dwelling'), and 30A from 30C. All residential burglary codes share one weight",
        "  (465.38) and all business and community burglary codes another (123.02), so the",
        "  weights are unaffected.",
        "- The five homicide rows (1, 4.1, 4.2, 4.10 and the group row) share the",
        "  `ONS_SEVERITY_code` '1, 4.1/2/10' and one weight; corporate manslaughter (4.10) and",
        "  infanticide (4.2) are therefore weighted as murder.",
        "- Many codes share one weight: the four criminal damage codes 58A-58D share 5.40,",
        "  robbery 34A and 34B share 799.63.",
        "- The earlier version of the same table in the source repository (shared data",
        "  `crime_weights/ons_css_severity_codes.csv`) gives corporate manslaughter the code",
        "  `4.1` (the trailing zero lost, so two rows have code 4.1); this file has `4.10`.",
        "  Its weights are unrounded; rounded to 10 significant figures they equal these.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source",
        nargs="?",
        type=Path,
        default=DEFAULT_SOURCE,
        help="folder holding policeuk-ons-code-join.csv (default: ../shared/data/crime_weights)",
    )
    parser.add_argument("--no-verify", action="store_true", help="skip the SHA256SUMS check")
    parser.add_argument(
        "--out", type=Path, default=OUT, help="output folder (default: sia/data/offences)"
    )
    args = parser.parse_args(argv)
    source: Path = args.source.resolve()
    out: Path = args.out.resolve()
    if not (source / SOURCE_FILE).is_file():
        parser.error(f"{source / SOURCE_FILE} not found")
    if not args.no_verify:
        verify(source)

    rows, left_out = build_rows(read_source(source))
    cats = category_weights(rows)
    write_csv(
        out / "offence_codes.csv",
        OFFENCE_COLUMNS,
        [
            {
                "ho_offence_code": r.code,
                "offence": r.offence,
                "ons_category": r.ons_category,
                "css_weight": r.weight_text,
                "police_uk_category": r.police_uk_category,
            }
            for r in rows
        ],
    )
    write_csv(out / "police_uk_category_weights.csv", CATEGORY_COLUMNS, cats)
    (out / "README.md").write_text(readme(rows, cats, left_out), encoding="utf-8")

    # -- report -------------------------------------------------------------------------
    hand_rows = [r for r in rows if r.hand_mapped_because]
    print(f"source: {source / SOURCE_FILE}")
    print(f"codes: {len(rows)} (left out group rows: {', '.join(left_out) or 'none'})")
    print(f"hand-mapped: {len(hand_rows)}")
    for r in hand_rows:
        if r.source_category != r.police_uk_category:
            print(f"  DIFFERS from source: {r.code} {r.police_uk_category} vs {r.source_category}")
    for c in cats:
        print(f"{c['police_uk_category']}: {float(c['css_weight']):.4f}")
    for path in sorted(out.iterdir()):
        print(f"{path}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
