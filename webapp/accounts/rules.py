"""Every role and permission of the web app, declared once.

A role is a Django group (:data:`ROLES`); a permission is a rule over small named
predicates (django-rules). Views name the permission they need and nothing else decides
access: the permission-matrix test (``tests/webapp/test_permissions.py``) checks every URL
against every role.

=================  ===========================================================================
role               may
=================  ===========================================================================
officer            record engagements, ward meetings, officer sessions and tension reports and
                   edit their own; read the aggregated dashboard and the tension log (this
                   week's and last week's reports, and the monthly summary); download the
                   published reports
analyst            everything an officer may; read the audit history; load partner files,
                   run the assessment and the report (background jobs), review and override
                   priority statuses, publish and download every report run
partner viewer     read the dashboard and the monthly tension summary (counts and levels by
                   month only: never a report's words, place or ward); download the
                   published reports; read the ward and place profiles
councillor         record their own ward's meetings and edit their own (their ward is their
                   membership's: ``ward_of``, ``councillor_of_ward``; none without one);
                   download the published reports; read their ward's profile and its
                   place's (``councillor_of_area``)
admin              manage people and their roles (the admin pages)
=================  ===========================================================================

Officers never see record-level crime data: the dashboard shows counts and the assessment's
aggregated figures only.
"""

from __future__ import annotations

import rules

OFFICER = "officer"
ANALYST = "analyst"
PARTNER_VIEWER = "partner viewer"
COUNCILLOR = "councillor"
ADMIN = "admin"

#: Every role, as the name of its Django group, with what it is for (shown to admins).
ROLES: dict[str, str] = {
    OFFICER: "Community or place officer: records engagements; reads the dashboard",
    ANALYST: "Partnership analyst: everything an officer may, and the analysis",
    PARTNER_VIEWER: "Partner: reads the dashboard",
    COUNCILLOR: "Ward councillor",
    ADMIN: "Manages people and their roles",
}


def has_role(role: str) -> rules.Predicate:
    """True for an active person in the role's group."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; the roles are {', '.join(ROLES)}")
    return rules.is_group_member(role)


is_officer = has_role(OFFICER)
is_analyst = has_role(ANALYST)
is_partner_viewer = has_role(PARTNER_VIEWER)
is_councillor = has_role(COUNCILLOR)
is_admin = has_role(ADMIN)


@rules.predicate
def recorded_it(user, record) -> bool:
    """The person recorded the record (the record has a ``recorded_by``)."""
    return record is not None and record.recorded_by_id == user.pk


def ward_of(user) -> str | None:
    """The ward code of the person's membership (``accounts.Membership``), or ``None``."""
    membership = getattr(user, "membership", None)  # no membership: AttributeError, so None
    return (membership.ward_code or None) if membership is not None else None


def place_of(user) -> str | None:
    """The name of the place that holds the person's ward, or ``None``."""
    from webapp.partnership import partnership

    ward = ward_of(user)
    if ward is None:
        return None
    p = partnership()
    name = next((w.name for w in p.wards if w.code == ward), None)
    return next((place.name for place in p.places if name in place.wards), None)


@rules.predicate
def councillor_of_ward(user, ward_code) -> bool:
    """A councillor whose ward is ``ward_code`` (a ward code, e.g. ``E05001390``)."""
    return bool(ward_code) and is_councillor(user) and ward_of(user) == ward_code


@rules.predicate
def councillor_of_place(user, place_name) -> bool:
    """A councillor whose ward is in the place ``place_name``."""
    return bool(place_name) and is_councillor(user) and place_of(user) == place_name


records_insight = is_officer | is_analyst


@rules.predicate
def has_a_ward(user) -> bool:
    """The person's membership names a ward."""
    return ward_of(user) is not None


@rules.predicate
def meeting_of_own_ward(user, meeting) -> bool:
    """A councillor's own ward's meeting (a record with a ``ward_code``)."""
    return meeting is not None and councillor_of_ward(user, meeting.ward_code)


#: Officers and analysts write up any ward's meeting; a councillor only their own ward's.
records_ward_meetings = records_insight | (is_councillor & has_a_ward)
reads_dashboard = is_officer | is_analyst | is_partner_viewer


@rules.predicate
def councillor_of_area(user, area) -> bool:
    """A councillor whose ward is ``area`` (a ward) or lies in it (a place); ``area`` has a
    ``kind``, ``code`` and ``name`` (``webapp.profiles.services.Area``)."""
    if area is None:
        return False
    if area.kind == "ward":
        return councillor_of_ward(user, area.code)
    return councillor_of_place(user, area.name)


# -- the permissions ------------------------------------------------------------------------
#: Signed in with at least one role: the home page.
rules.add_perm("accounts.use_service", rules.is_active)
#: The dashboard: counts and the latest assessment's figures (no record-level data).
rules.add_perm("dashboard.view_dashboard", rules.is_active & reads_dashboard)
#: Record a community engagement; list one's own.
rules.add_perm("engagement.add_engagement", rules.is_active & records_insight)
rules.add_perm("engagement.list_own_engagements", rules.is_active & records_insight)
#: Edit an engagement: only one's own, while one may still record them.
rules.add_perm("engagement.change_engagement", rules.is_active & records_insight & recorded_it)
#: Priority review: the recommendation, its criteria and figures, the history of decisions.
rules.add_perm("priorities.review_priorities", rules.is_active & is_analyst)
#: Override a priority's recommended status (with a reason): the analyst's call.
rules.add_perm("priorities.override_priority", rules.is_active & is_analyst)
#: Background jobs (file loads, assessments): their progress and results.
rules.add_perm("jobs.view_job", rules.is_active & is_analyst)
#: Upload partner files and load them into the warehouse; see past loads.
rules.add_perm("loads.load_files", rules.is_active & is_analyst)


@rules.predicate
def is_published(user, run) -> bool:
    """A report run that an analyst has published."""
    return run is not None and run.published_at is not None


#: Those who read the published report: everyone with a role but admins.
reads_reports = is_officer | is_analyst | is_partner_viewer | is_councillor
#: The reports' list (analysts: every run; others: the published ones).
rules.add_perm("reports.view_reports", rules.is_active & reads_reports)
#: One run and its files: any run for analysts, a published one for the others.
rules.add_perm(
    "reports.view_report", rules.is_active & (is_analyst | (reads_reports & is_published))
)
#: Run the assessment, the recommendation and the report (a job); publish a run.
rules.add_perm("reports.run_assessment", rules.is_active & is_analyst)
rules.add_perm("reports.publish_report", rules.is_active & is_analyst)
#: Record a councillor ward meeting; list one's own; change one's own (a councillor: while
#: the meeting is of their ward).
rules.add_perm("meetings.add_councillor_meeting", rules.is_active & records_ward_meetings)
rules.add_perm("meetings.list_own_councillor_meetings", rules.is_active & records_ward_meetings)
rules.add_perm(
    "meetings.change_councillor_meeting",
    rules.is_active & recorded_it & (records_insight | meeting_of_own_ward),
)
#: Record an officer session; list and change one's own.
rules.add_perm("meetings.add_officer_session", rules.is_active & records_insight)
rules.add_perm("meetings.list_own_officer_sessions", rules.is_active & records_insight)
rules.add_perm("meetings.change_officer_session", rules.is_active & records_insight & recorded_it)
#: Record a tension report; list and change one's own.
rules.add_perm("tension.add_report", rules.is_active & records_insight)
rules.add_perm("tension.list_own_reports", rules.is_active & records_insight)
rules.add_perm("tension.change_report", rules.is_active & records_insight & recorded_it)
#: The weekly tension log: every report of this week and last week, with what it says.
rules.add_perm("tension.view_weekly_list", rules.is_active & records_insight)
#: The monthly tension summary: counts and levels by month (partners see these only).
rules.add_perm("tension.view_monthly_summary", rules.is_active & reads_dashboard)
#: Ward and place profiles: every area for those who read the dashboard; a councillor
#: lists and reads their own ward's and its place's.
rules.add_perm("profiles.view_profiles", rules.is_active & (reads_dashboard | is_councillor))
rules.add_perm("profiles.view_profile", rules.is_active & (reads_dashboard | councillor_of_area))
#: The audit history of insight records and priority overrides: analysts only.
rules.add_perm("audit.view_history", rules.is_active & is_analyst)
#: The admin pages: people, their roles.
rules.add_perm("accounts.manage_people", rules.is_active & is_admin)
for _model in ("auth.user", "auth.group", "accounts.membership"):
    _app, _name = _model.split(".")
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"{_app}.{_action}_{_name}", rules.is_active & is_admin)
