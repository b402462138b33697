"""What every page needs: the service's name, the person's roles and their menu."""

from __future__ import annotations

from django.urls import reverse

from webapp.partnership import partnership

#: The menu: (text, URL name, the permission it needs), in order.
MENU = (
    ("Home", "accounts:home", "accounts.use_service"),
    ("Dashboard", "dashboard:dashboard", "dashboard.view_dashboard"),
    ("Profiles", "profiles:list", "profiles.view_profiles"),
    ("Record an engagement", "engagement:add", "engagement.add_engagement"),
    ("Your engagements", "engagement:list", "engagement.list_own_engagements"),
    ("Ward meetings", "meetings:councillor-list", "meetings.list_own_councillor_meetings"),
    ("Officer sessions", "meetings:officer-list", "meetings.list_own_officer_sessions"),
    ("Tension log", "tension:weekly", "tension.view_weekly_list"),
    ("Tension summary", "tension:monthly", "tension.view_monthly_summary"),
    ("Audit history", "audit:list", "audit.view_history"),
    ("Priorities", "priorities:list", "priorities.review_priorities"),
    ("Data loads", "loads:list", "loads.load_files"),
    ("Reports", "reports:list", "reports.view_reports"),
    ("People and roles", "admin:index", "accounts.manage_people"),
)


def navigation(request) -> dict:
    user = request.user
    context = {"service_name": partnership().name, "navigation": [], "roles": []}
    if not user.is_authenticated:
        return context
    here = request.path
    links = [
        {"text": text, "url": reverse(name), "active": False}
        for text, name, permission in MENU
        if user.has_perm(permission)
    ]
    # the current page's link is the longest one that the path starts with
    matches = [link for link in links if here == link["url"] or here.startswith(link["url"])]
    if matches:
        max(matches, key=lambda link: len(link["url"]))["active"] = True
    context["navigation"] = links
    context["roles"] = sorted(user.groups.values_list("name", flat=True))
    return context
