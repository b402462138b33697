"""The fixed words of the report: statutory context, methods with references, glossary.

Everything here is about method and law, true of every partnership; the partnership's own
words (its plan's principles and next steps) come from its configuration.
"""

from __future__ import annotations

#: Section 2: the SIA and the plan.
STATUTORY: tuple[str, ...] = (
    "The Strategic Intelligence Assessment (SIA) is a statutory requirement under the Crime "
    "and Disorder Act 1998 (sections 5 and 6) and the Crime and Disorder (Formulation and "
    "Implementation of Strategy) Regulations 2007. It brings together intelligence from "
    "police, council, health, fire and community partners to identify and assess the risks "
    "that affect community safety and quality of life.",
    "The assessment is refreshed every year and underpins the Community Safety Partnership "
    "Plan, which covers three years and is revised each year in the light of the assessment.",
    "The partnership's responsible authorities also carry specific duties: the Serious "
    "Violence Duty (Police, Crime, Sentencing and Courts Act 2022), the Prevent duty "
    "(Counter-Terrorism and Security Act 2015), the Domestic Abuse Act 2021 and the duty to "
    "have a strategy for reducing reoffending.",
)

#: Human names of the statutory duties in the configuration.
DUTIES: dict[str, str] = {
    "serious-violence-duty": "Serious Violence Duty",
    "domestic-abuse-act": "Domestic Abuse Act 2021",
    "prevent-duty": "Prevent duty",
    "reducing-reoffending": "Reducing reoffending strategy",
    "crime-and-disorder": "Crime and Disorder Act 1998",
    "substance-misuse": "Substance misuse (Crime and Disorder Act 1998, s6)",
}

#: Human names of the sources.
SOURCES: dict[str, str] = {
    "police-uk": "police.uk street-level crime and ASB",
    "force-extract": "Police force crime extract",
    "asb-council": "Council ASB and environmental reports",
    "fire": "Fire and rescue incidents",
    "health-istv": "Health: injuries from violence (ISTV)",
    "stats19": "DfT STATS19 road casualties",
    "indicator": "Partner indicators",
    "mapped": "Mapped partner spreadsheets",
    "engagement": "Community engagements",
    "councillor-session": "Councillor ward meetings",
    "officer-session": "Officer sessions",
    "tension": "Community tension reports",
}

#: Appendix B: how each figure is made, with the source of the method.
METHODS: tuple[tuple[str, str, str], ...] = (
    (
        "Change between periods",
        "The count of the period is compared with the previous period of equal length by the "
        "exact conditional Poisson test (a binomial test of one count given the two). A rise "
        "or fall is called only when the test is significant at the partnership's level.",
        "Przyborski, J. and Wilenski, H. (1940) 'Homogeneity of results in testing samples "
        "from Poisson series', Biometrika 31, 313-323; Krishnamoorthy, K. and Thomson, J. "
        "(2004) 'A more powerful test for comparing two Poisson means', J. Stat. Plan. "
        "Inference 119, 23-35.",
    ),
    (
        "Long-term trend",
        "A Poisson regression (quasi-Poisson when the counts are overdispersed) of the monthly "
        "counts on time with month-of-year effects; the annual change is the rate ratio a "
        "year. Fewer than 36 months are too short to call a trend.",
        "McCullagh, P. and Nelder, J. A. (1989) Generalized Linear Models, 2nd edn.",
    ),
    (
        "Control charts",
        "XmR charts as in NHS England's Making Data Count: limits at the mean ± 2.66 times "
        "the mean moving range, and the special-cause rules (a point outside the limits, a "
        "run of seven rising or falling, a run of seven on one side of the mean, two of three "
        "near a limit), read with the measure's polarity.",
        "NHS England (2019, 2021) Making Data Count; Wheeler, D. J. (2000) Understanding "
        "Variation.",
    ),
    (
        "Harm",
        "Counts weighted by the Office for National Statistics' Crime Severity Score, so that "
        "fewer but graver offences show; a compound-Poisson test tells whether harm rose "
        "inside a falling count.",
        "Office for National Statistics (2016) Research outputs: Crime Severity Score.",
    ),
    (
        "Hotspots",
        "The Getis-Ord Gi* statistic over LSOAs with queen contiguity, with the "
        "Benjamini-Hochberg false-discovery control, classified over the yearly periods "
        "(emerging, persistent, intermittent, former hotspot).",
        "Getis, A. and Ord, J. K. (1992) Geographical Analysis 24, 189-206; Ord, J. K. and "
        "Getis, A. (1995) Geographical Analysis 27, 286-306; Benjamini, Y. and Hochberg, Y. "
        "(1995) JRSS B 57, 289-300.",
    ),
    (
        "Rates and deprivation",
        "Rates per 1,000 residents from the ONS mid-year population estimates; deprivation "
        "from the English Indices of Deprivation (IMD deciles of LSOAs).",
        "Office for National Statistics, mid-year population estimates; Ministry of Housing, "
        "Communities and Local Government, English Indices of Deprivation.",
    ),
    (
        "Disclosure control",
        "For sensitive measures, counts below the threshold at ward and LSOA level are shown "
        "as a label, and further cells are hidden (shown as [c]) so that no hidden count can "
        "be worked out by subtracting the shown cells from a published total. Rates of hidden "
        "counts are hidden too. A monthly count of the district below the threshold is hidden "
        "the same way (against the period's total, the previous period's and the sum of every "
        "month charted); when more than a quarter of a measure's months would be hidden, its "
        "series is given in blocks of three months instead. The public profile hides counts "
        "from 1 to 7 and rounds the other small-area counts to the nearest 5, with rates "
        "worked out from the rounded counts.",
        "Office for National Statistics, Statistical disclosure control guidance; NHS Digital "
        "(2018) Hospital Episode Statistics analysis guide (small numbers).",
    ),
)

#: Appendix C.
GLOSSARY: tuple[tuple[str, str], ...] = (
    ("ASB", "Anti-social behaviour."),
    ("CSP", "Community Safety Partnership, under the Crime and Disorder Act 1998."),
    ("Control limits", "The range within which a measure varies by chance alone (XmR chart)."),
    ("Gi*", "The Getis-Ord statistic: how far an area and its neighbours stand out together."),
    ("High focus", "A priority proposed for the partnership's closest attention in the plan."),
    ("IMD", "The English Indices of Multiple Deprivation; decile 1 is the most deprived 10%."),
    ("LSOA", "Lower layer Super Output Area: about 1,500 residents; the smallest area used."),
    ("Rate per 1,000", "Events for every 1,000 residents of the area."),
    ("SIA", "Strategic Intelligence Assessment."),
    ("Special cause", "A signal in a control chart that something other than chance is at work."),
    ("VAWG", "Violence against women and girls."),
    ("Ward", "An electoral ward of the council."),
    ("[c]", "A figure hidden so that a small count cannot be worked out from a total."),
)
