from django.urls import path

from webapp.tension import views

app_name = "tension"
urlpatterns = [
    path("", views.WeeklyView.as_view(), name="weekly"),
    path("monthly/", views.MonthlyView.as_view(), name="monthly"),
    path("reports/", views.TensionReportListView.as_view(), name="list"),
    path("reports/new/", views.TensionReportCreateView.as_view(), name="add"),
    path("reports/<uuid:pk>/change/", views.TensionReportUpdateView.as_view(), name="change"),
]
