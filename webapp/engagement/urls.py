from django.urls import path

from webapp.engagement import views

app_name = "engagement"
urlpatterns = [
    path("", views.EngagementListView.as_view(), name="list"),
    path("new/", views.EngagementCreateView.as_view(), name="add"),
    path("<uuid:pk>/change/", views.EngagementUpdateView.as_view(), name="change"),
]
