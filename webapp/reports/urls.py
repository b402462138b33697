from django.urls import path

from webapp.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("run/", views.RunView.as_view(), name="run"),
    path("<uuid:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("<uuid:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("<uuid:pk>/files/<str:name>", views.DownloadView.as_view(), name="file"),
]
