from django.urls import path

from webapp.meetings import views

app_name = "meetings"
urlpatterns = [
    path("ward-meetings/", views.CouncillorMeetingListView.as_view(), name="councillor-list"),
    path("ward-meetings/new/", views.CouncillorMeetingCreateView.as_view(), name="councillor-add"),
    path(
        "ward-meetings/<uuid:pk>/change/",
        views.CouncillorMeetingUpdateView.as_view(),
        name="councillor-change",
    ),
    path("officer-sessions/", views.OfficerSessionListView.as_view(), name="officer-list"),
    path("officer-sessions/new/", views.OfficerSessionCreateView.as_view(), name="officer-add"),
    path(
        "officer-sessions/<uuid:pk>/change/",
        views.OfficerSessionUpdateView.as_view(),
        name="officer-change",
    ),
]
