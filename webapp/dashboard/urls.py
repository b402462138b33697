from django.urls import path

from webapp.dashboard import views

app_name = "dashboard"
urlpatterns = [path("", views.DashboardView.as_view(), name="dashboard")]
