"""The partnership described as data: areas, places, themes, priorities and measures.

A partnership YAML is validated by :class:`Partnership`. Every rule that a person
editing the YAML can break is checked here, and each error names the key that is wrong,
so ``sia config check FILE`` can say exactly what to fix.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sia.prioritise.parameters import MorileJudgement, PrioritisationParameters

GSS_PATTERN = r"^[EWSN]\d{8}$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

GssCode = Annotated[str, StringConstraints(pattern=GSS_PATTERN)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

#: The crime types police.uk publishes in its street-level files (the ``Crime type`` column).
POLICE_UK_CRIME_TYPES: tuple[str, ...] = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public disorder and weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
    "Violent crime",
)


class Source(StrEnum):
    """Every input format a measure can draw its events from."""

    POLICE_UK = "police-uk"
    FORCE_EXTRACT = "force-extract"
    ASB_COUNCIL = "asb-council"
    FIRE = "fire"
    HEALTH_ISTV = "health-istv"
    STATS19 = "stats19"
    INDICATOR = "indicator"
    MAPPED = "mapped"


class StatutoryDuty(StrEnum):
    """Duties that fall on a Community Safety Partnership or its members."""

    SERIOUS_VIOLENCE = "serious-violence-duty"
    DOMESTIC_ABUSE = "domestic-abuse-act"
    PREVENT = "prevent-duty"
    REDUCING_REOFFENDING = "reducing-reoffending"
    CRIME_AND_DISORDER = "crime-and-disorder"
    SUBSTANCE_MISUSE = "substance-misuse"


class Polarity(StrEnum):
    """Which direction of change is bad news for a measure."""

    UP_IS_BAD = "up-is-bad"
    DOWN_IS_BAD = "down-is-bad"
    NEUTRAL = "neutral"


class Strict(BaseModel):
    """Base for every config model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Area(Strict):
    code: GssCode
    name: NonEmpty


class Place(Strict):
    name: NonEmpty
    wards: list[NonEmpty] = Field(min_length=1, description="Ward names, as in the wards list")


class PoliceForce(Strict):
    name: NonEmpty = Field(description="As in police.uk's 'Reported by' column")
    serves_only_this_partnership: bool = Field(
        default=False,
        description=(
            "True when the force covers this partnership alone, so rows with no location "
            "can be counted at district level; otherwise they are skipped as no-location."
        ),
    )


class Target(Strict):
    value: float
    per: Literal["month", "year"] = "month"
    kind: Literal["at-most", "at-least"] = "at-most"


class Measure(Strict):
    """A filter over warehouse events, owned by one priority."""

    id: Slug
    name: NonEmpty
    source: Source | Slug = Field(
        union_mode="left_to_right",
        description="A built-in source, or the source a mapping gives its events "
        "(``sia ingest mapped``, e.g. council-cctv)",
    )
    categories: list[NonEmpty] = Field(default_factory=list)
    flags: list[NonEmpty] = Field(
        default_factory=list, description="Event flags that must all be set (force extract)"
    )
    offence_codes: list[NonEmpty] = Field(default_factory=list)
    polarity: Polarity = Polarity.UP_IS_BAD
    sensitive: bool = Field(
        default=False, description="Small counts are suppressed in published outputs"
    )
    target: Target | None = None
    parent: Slug | None = Field(
        default=None,
        description="The id of the measure this one is part of (e.g. homicide within serious "
        "violence); the assessment flags a sub-measure rising against its parent",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _filters(self) -> Measure:
        if not (self.categories or self.flags or self.offence_codes):
            raise ValueError("a measure needs at least one of categories, flags or offence_codes")
        if not isinstance(self.source, Source):
            import difflib

            near = difflib.get_close_matches(self.source, [str(x) for x in Source], 1, 0.8)
            if near:  # a built-in source mistyped would count nothing, silently
                raise ValueError(
                    f"source {self.source!r} is not a built-in source: did you mean "
                    f"{near[0]!r}? (a mapping's source must not look like a built-in one)"
                )
        if self.source in (Source.MAPPED, Source.INDICATOR):
            raise ValueError(
                f"source {str(self.source)!r} has no events of its own: for a partner's "
                "spreadsheet give the source its mapping names (e.g. council-cctv); a "
                "partner's figures are an indicator (indicators:), not a measure"
            )
        if self.source is Source.POLICE_UK:
            unknown = [c for c in self.categories if c not in POLICE_UK_CRIME_TYPES]
            if unknown:
                raise ValueError(
                    f"categories {unknown} are not police.uk crime types; "
                    f"choose from {list(POLICE_UK_CRIME_TYPES)}"
                )
        return self


class Unit(StrEnum):
    """What an indicator's value is."""

    COUNT = "count"
    RATE = "rate"
    PERCENTAGE = "percentage"
    PROPORTION = "proportion"
    SCORE = "score"


class Indicator(Strict):
    """A figure a partner supplies per period and area (``sia ingest indicator``)."""

    id: Slug
    name: NonEmpty
    priority: Slug = Field(description="The id of the priority the indicator informs")
    owner: NonEmpty = Field(description="The partner that supplies the figures")
    polarity: Polarity = Polarity.UP_IS_BAD
    unit: Unit
    sensitive: bool = Field(
        default=False, description="Small counts are suppressed in published outputs"
    )
    target: Target | None = None
    note: str | None = None


def _indicator_in_plan(indicator: Indicator, info: ValidationInfo) -> Indicator:
    """An indicator's priority exists and its id is not a measure's (checked per item, so
    the error names the indicator's key and line)."""
    priorities = info.data.get("priorities")
    if priorities is None:  # the priorities have errors of their own
        return indicator
    priority_ids = [p.id for p in priorities]
    if indicator.priority not in priority_ids:
        raise ValueError(
            f"indicator {indicator.id!r} has priority {indicator.priority!r}, "
            f"which is not in priorities {sorted(priority_ids)}"
        )
    if indicator.id in {m.id for p in priorities for m in p.measures}:
        raise ValueError(
            f"indicator id {indicator.id!r} is also a measure id; "
            "ids are unique across measures and indicators"
        )
    return indicator


class Theme(Strict):
    id: Slug
    name: NonEmpty


class Priority(Strict):
    id: Slug
    name: NonEmpty
    theme: Slug
    statutory_duties: list[StatutoryDuty] = Field(default_factory=list)
    owning_partnership: str | None = Field(
        default=None, description="Another board with oversight of this priority"
    )
    measures: list[Measure] = Field(default_factory=list)
    drives: list[Slug] = Field(
        default_factory=list,
        description="Ids of priorities this one drives or cuts across, in the partnership's "
        "judgement (a configured link for the cross-cutting test; sia prioritise)",
    )
    morile: MorileJudgement | None = Field(
        default=None, description="The partnership's own MoRiLE-style grades (sia prioritise)"
    )
    note: str | None = None


class Concern(Strict):
    """A concern of the insight taxonomy: a priority, or a cross-cutting theme, with the
    words and phrases that mark it in free text and the form labels that record it."""

    id: Slug
    name: NonEmpty
    kind: Literal["priority", "theme"]
    priority: Slug | None = Field(
        default=None, description="The id of the priority, for kind: priority"
    )
    keywords: list[NonEmpty] = Field(
        default_factory=list, description="Words that mark the concern (plurals match too)"
    )
    synonyms: list[NonEmpty] = Field(
        default_factory=list, description="Phrases that mark the concern, matched as a whole"
    )
    labels: list[Slug] = Field(
        default_factory=list,
        description="Ids recorded in the concerns, issues or category of insight records "
        "that mean this concern (its own id always does)",
    )

    @model_validator(mode="after")
    def _kind(self) -> Concern:
        if self.kind == "priority" and self.priority is None:
            raise ValueError(f"concern {self.id!r} has kind priority but no priority")
        if self.kind == "theme" and self.priority is not None:
            raise ValueError(
                f"concern {self.id!r} has kind theme but names priority {self.priority!r}; "
                "only a concern of kind priority names one"
            )
        if not (self.keywords or self.synonyms):
            raise ValueError(f"concern {self.id!r} needs at least one keyword or synonym")
        return self


def _concern_in_plan(concern: Concern, info: ValidationInfo) -> Concern:
    """A concern's priority exists (checked per item, so the error names its key and line)."""
    priorities = info.data.get("priorities")
    if priorities is None or concern.priority is None:
        return concern
    priority_ids = sorted(p.id for p in priorities)
    if concern.priority not in priority_ids:
        raise ValueError(
            f"concern {concern.id!r} has priority {concern.priority!r}, "
            f"which is not in priorities {priority_ids}"
        )
    return concern


def _proportion(value: float | None, info: ValidationInfo) -> float | None:
    if value is None:  # an optional proportion left out
        return value
    if not 0 < value <= 1:
        hint = "; give a proportion (0.189), not a percentage (18.9)" if value > 1 else ""
        raise ValueError(f"{info.field_name} must be above 0 and at most 1, not {value!r}{hint}")
    return value


class SurveyExpectation(Strict):
    """National rates for one measure: what the district would record if it matched England
    and Wales (sia.analysis.underreporting.ExpectedRecording).

    Either a survey ``prevalence`` (share of adults who were victims, applied to the
    district's residents aged 16+), or a national number for 12 months (``national_count``,
    e.g. the incidents the survey estimates or the police recorded) divided by the
    ``national_population`` of England and Wales, applied to the district's residents of all
    ages (``population_all_ages``), each with its source."""

    measure: Slug = Field(description="The id of the measure compared with the survey")
    topic: NonEmpty = Field(description="What the survey figure covers, e.g. Domestic abuse")
    prevalence: float | None = Field(
        default=None, description="Share (0-1) of adults who were victims in the last 12 months"
    )
    prevalence_source: NonEmpty | None = None
    national_count: float | None = Field(
        default=None, gt=0, description="A national number for 12 months, e.g. incidents"
    )
    national_count_source: NonEmpty | None = None
    national_population: float | None = Field(
        default=None, gt=0, description="Residents of England and Wales in the same year"
    )
    national_population_source: NonEmpty | None = None
    reporting_rate: float = Field(
        description="Share (0-1) of victims or incidents that came to the police's attention"
    )
    reporting_source: NonEmpty
    incidents_per_victim: float = Field(default=1.0, gt=0)
    assumption: NonEmpty = Field(description="What makes the comparison meaningful, in words")

    _proportions = field_validator("prevalence", "reporting_rate")(_proportion)

    @model_validator(mode="after")
    def _one_rate(self) -> SurveyExpectation:
        national = {
            "national_count": self.national_count,
            "national_count_source": self.national_count_source,
            "national_population": self.national_population,
            "national_population_source": self.national_population_source,
        }
        if self.prevalence is not None:
            if self.prevalence_source is None:
                raise ValueError(f"{self.measure}: prevalence needs a prevalence_source")
            given = [k for k, v in national.items() if v is not None]
            if given:
                raise ValueError(
                    f"{self.measure}: give prevalence or national_count, not both "
                    f"(remove {', '.join(given)} or prevalence)"
                )
        else:
            missing = [k for k, v in national.items() if v is None]
            if missing:
                raise ValueError(
                    f"{self.measure}: give prevalence and prevalence_source (share of adults, "
                    "from the survey), or national_count, national_population and their "
                    f"sources; missing {', '.join(missing)}"
                )
        return self

    @property
    def rate(self) -> float:
        """Prevalence per adult, or the national count per resident of England and Wales."""
        if self.prevalence is not None:
            return self.prevalence
        return self.national_count / self.national_population  # type: ignore[operator]


class Underreporting(Strict):
    """The population base and national survey rates of the under-reporting indicator."""

    population_16_plus: float = Field(gt=0, description="Residents aged 16 and over")
    population_all_ages: float | None = Field(
        default=None, gt=0, description="All residents, for rates per resident (national_count)"
    )
    population_year: int = Field(ge=1990, le=2100)
    population_source: NonEmpty
    measures: list[SurveyExpectation] = Field(min_length=1)

    @model_validator(mode="after")
    def _all_ages_when_needed(self) -> Underreporting:
        per_resident = [m.measure for m in self.measures if m.prevalence is None]
        if per_resident and self.population_all_ages is None:
            raise ValueError(
                f"underreporting: {', '.join(per_resident)} give a national_count per resident, "
                "so population_all_ages (the district's residents of all ages) is needed"
            )
        return self


class PublicDisclosure(Strict):
    """The ``public`` profile: for a report published outside the partnership."""

    threshold: int = Field(default=8, ge=1, description="Counts below this are suppressed")
    sensitive_label: str | None = Field(
        default=None, description='How a suppressed count is shown; default "<threshold"'
    )
    rounding: int = Field(
        default=5, ge=1, description="Other ward and LSOA counts are rounded to a multiple of this"
    )


class Disclosure(Strict):
    """Disclosure control of sensitive measures in published outputs (``sia report``).

    ``threshold`` and ``sensitive_label`` are the ``internal`` profile's (the default, for
    the partnership's own readers); ``public`` holds the stricter profile's, chosen with
    ``profile: public`` or ``sia report --disclosure public``.
    """

    profile: Literal["internal", "public"] = "internal"
    threshold: int = Field(default=5, ge=1, description="Counts below this are suppressed")
    sensitive_label: str = "<5"
    public: PublicDisclosure = Field(default_factory=PublicDisclosure)


class Principle(Strict):
    title: NonEmpty
    text: NonEmpty


class ReportText(Strict):
    """The partnership's own words for its report (``sia report``)."""

    principles: list[Principle] = Field(
        default_factory=list, description="The design principles of the plan"
    )
    next_steps: list[NonEmpty] = Field(default_factory=list, description="What happens next")


class Partnership(Strict):
    """One Community Safety Partnership, its geography and its plan."""

    id: Slug
    name: NonEmpty
    csp_code: GssCode | None = None
    district: Area
    police_force: PoliceForce
    wards: list[Area] = Field(min_length=1)
    places: list[Place] = Field(min_length=1)
    themes: list[Theme] = Field(min_length=1)
    priorities: list[Priority] = Field(min_length=1)
    indicators: list[Annotated[Indicator, AfterValidator(_indicator_in_plan)]] = Field(
        default_factory=list, description="Figures partners supply (sia ingest indicator)"
    )
    concerns: list[Annotated[Concern, AfterValidator(_concern_in_plan)]] = Field(
        default_factory=list, description="The insight taxonomy (sia insight)"
    )
    disclosure: Disclosure = Field(default_factory=Disclosure)
    report: ReportText = Field(
        default_factory=ReportText, description="Design principles and next steps (sia report)"
    )
    significance_level: float = Field(default=0.05, gt=0, lt=1)
    prioritisation: PrioritisationParameters = Field(
        default_factory=PrioritisationParameters,
        description="Thresholds of the priority recommendation (sia prioritise)",
    )

    @model_validator(mode="after")
    def _priority_drives(self) -> Partnership:
        priority_ids = {p.id for p in self.priorities}
        for priority in self.priorities:
            unknown = [d for d in priority.drives if d not in priority_ids]
            if unknown:
                raise ValueError(
                    f"priority {priority.id!r} drives {unknown}, which are not priority ids"
                )
            if priority.id in priority.drives:
                raise ValueError(f"priority {priority.id!r} cannot drive itself")
        return self

    underreporting: Underreporting | None = Field(
        default=None, description="National survey rates for the under-reporting indicator"
    )

    @model_validator(mode="after")
    def _underreporting_measures(self) -> Partnership:
        if self.underreporting is None:
            return self
        measure_ids = {m.id for p in self.priorities for m in p.measures}
        seen: set[str] = set()
        for expectation in self.underreporting.measures:
            if expectation.measure not in measure_ids:
                raise ValueError(
                    f"underreporting lists measure {expectation.measure!r}, which is not a "
                    "measure id"
                )
            if expectation.measure in seen:
                raise ValueError(
                    f"underreporting lists measure {expectation.measure!r} more than once"
                )
            seen.add(expectation.measure)
        return self

    @field_validator("wards")
    @classmethod
    def _unique_wards(cls, wards: list[Area]) -> list[Area]:
        _no_repeats([w.code for w in wards], "ward code")
        _no_repeats([w.name for w in wards], "ward name")
        return wards

    @field_validator("concerns")
    @classmethod
    def _unique_concerns(cls, concerns: list[Concern]) -> list[Concern]:
        _no_repeats([c.id for c in concerns], "concern id")
        claimed: dict[str, str] = {}
        for concern in concerns:
            for label in dict.fromkeys([concern.id, *concern.labels]):
                if label in claimed and claimed[label] != concern.id:
                    raise ValueError(
                        f"label {label!r} belongs to concerns {claimed[label]!r} and "
                        f"{concern.id!r}; a label means one concern"
                    )
                claimed[label] = concern.id
        return concerns

    @field_validator("indicators")
    @classmethod
    def _unique_indicators(cls, indicators: list[Indicator]) -> list[Indicator]:
        _no_repeats([i.id for i in indicators], "indicator id")
        return indicators

    @model_validator(mode="after")
    def _cross_references(self) -> Partnership:
        ward_names = {w.name for w in self.wards}
        placed: dict[str, str] = {}
        for place in self.places:
            for ward in place.wards:
                if ward not in ward_names:
                    raise ValueError(
                        f"place {place.name!r} lists ward {ward!r}, which is not in wards"
                    )
                if ward in placed:
                    raise ValueError(
                        f"ward {ward!r} is in two places: {placed[ward]!r} and {place.name!r}"
                    )
                placed[ward] = place.name
        unplaced = sorted(ward_names - placed.keys())
        if unplaced:
            raise ValueError(f"wards {unplaced} are in no place; every ward needs one place")
        _no_repeats([p.name for p in self.places], "place name")
        _no_repeats([t.id for t in self.themes], "theme id")
        _no_repeats([p.id for p in self.priorities], "priority id")
        _no_repeats([m.id for p in self.priorities for m in p.measures], "measure id")
        measure_ids = {m.id for p in self.priorities for m in p.measures}
        for priority in self.priorities:
            for m in priority.measures:
                if m.parent is not None and m.parent not in measure_ids:
                    raise ValueError(
                        f"measure {m.id!r} has parent {m.parent!r}, which is not a measure id"
                    )
                if m.parent == m.id:
                    raise ValueError(f"measure {m.id!r} cannot be its own parent")
        theme_ids = {t.id for t in self.themes}
        for priority in self.priorities:
            if priority.theme not in theme_ids:
                raise ValueError(
                    f"priority {priority.id!r} has theme {priority.theme!r}, "
                    f"which is not in themes {sorted(theme_ids)}"
                )
        return self

    # -- lookups used across the library -------------------------------------------------
    def place_of_ward(self) -> dict[str, str]:
        """Map ward code to place name."""
        by_name = {w.name: w.code for w in self.wards}
        return {by_name[ward]: place.name for place in self.places for ward in place.wards}

    def measures(self) -> list[tuple[Priority, Measure]]:
        return [(p, m) for p in self.priorities for m in p.measures]

    def priority(self, priority_id: str) -> Priority:
        for p in self.priorities:
            if p.id == priority_id:
                return p
        raise KeyError(priority_id)

    def indicator(self, indicator_id: str) -> Indicator:
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise KeyError(indicator_id)

    def theme_name(self, theme_id: str) -> str:
        return next(t.name for t in self.themes if t.id == theme_id)


def _no_repeats(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"{what} {v!r} appears more than once")
        seen.add(v)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
