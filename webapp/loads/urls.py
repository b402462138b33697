from django.urls import path

from webapp.loads import views

app_name = "loads"
urlpatterns = [
    path("", views.LoadListView.as_view(), name="list"),
    path("new/", views.UploadView.as_view(), name="add"),
    path("<uuid:pk>/", views.LoadDetailView.as_view(), name="detail"),
]
