"""Record a ward meeting or an officer session; list and change one's own. Access is
decided by ``rules.py``: a councillor records meetings of their own ward only (the ward is
their membership's and is not asked for)."""

from __future__ import annotations

from webapp.accounts.rules import is_councillor, records_insight, ward_of
from webapp.engagement.views import RecordCreateView, RecordListView, RecordUpdateView
from webapp.meetings.forms import CouncillorMeetingForm, OfficerSessionForm
from webapp.meetings.models import CouncillorMeeting, OfficerSession
from webapp.partnership import partnership


def _fixed_ward(user) -> str | None:
    """A councillor's own ward (officers and analysts choose the ward)."""
    if is_councillor(user) and not records_insight(user):
        return ward_of(user)
    return None


def _ward_name(code: str) -> str:
    return next((w.name for w in partnership().wards if w.code == code), code)


class _MeetingForm:
    form_class = CouncillorMeetingForm
    list_url = "meetings:councillor-list"
    noun = "Ward meeting"

    def extra_form_kwargs(self) -> dict:
        return {"ward": _fixed_ward(self.request.user)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ward = _fixed_ward(self.request.user)
        context["fixed_ward"] = _ward_name(ward) if ward else None
        return context


class CouncillorMeetingCreateView(_MeetingForm, RecordCreateView):
    permission_required = "meetings.add_councillor_meeting"
    extra_context = {"heading": "Record a ward meeting", "button": "Save meeting"}


class CouncillorMeetingUpdateView(_MeetingForm, RecordUpdateView):
    permission_required = "meetings.change_councillor_meeting"
    extra_context = {"heading": "Change a ward meeting", "button": "Save changes"}


class CouncillorMeetingListView(RecordListView):
    permission_required = "meetings.list_own_councillor_meetings"
    model = CouncillorMeeting
    headings = ("Date", "Ward", "Councillors", "Concerns")
    add_url = "meetings:councillor-add"
    change_url = "meetings:councillor-change"
    heading = "Your ward meetings"
    add_text = "Record a ward meeting"
    none_text = "You have not recorded any ward meetings yet."
    noun = "Ward meeting"

    def cells(self, m: CouncillorMeeting) -> list[str]:
        concerns = {c.id: c.name for c in partnership().concerns}
        return [
            f"{m.date:%-d %b %Y}",
            _ward_name(m.ward_code),
            "" if m.councillors_attending is None else str(m.councillors_attending),
            ", ".join(concerns.get(c, c) for c in m.concerns) or "None",
        ]


class _SessionForm:
    form_class = OfficerSessionForm
    list_url = "meetings:officer-list"
    noun = "Officer session"


class OfficerSessionCreateView(_SessionForm, RecordCreateView):
    permission_required = "meetings.add_officer_session"
    extra_context = {"heading": "Record an officer session", "button": "Save session"}


class OfficerSessionUpdateView(_SessionForm, RecordUpdateView):
    permission_required = "meetings.change_officer_session"
    extra_context = {"heading": "Change an officer session", "button": "Save changes"}


class OfficerSessionListView(RecordListView):
    permission_required = "meetings.list_own_officer_sessions"
    model = OfficerSession
    headings = ("Date", "Place", "Theme", "Issues")
    add_url = "meetings:officer-add"
    change_url = "meetings:officer-change"
    heading = "Your officer sessions"
    add_text = "Record an officer session"
    none_text = "You have not recorded any officer sessions yet."
    noun = "Officer session"

    def cells(self, s: OfficerSession) -> list[str]:
        p = partnership()
        concerns = {c.id: c.name for c in p.concerns}
        themes = {t.id: t.name for t in p.themes}
        return [
            f"{s.date:%-d %b %Y}",
            s.place,
            themes.get(s.theme, s.theme) or "Place session",
            ", ".join(concerns.get(c, c) for c in s.issues) or "None",
        ]
