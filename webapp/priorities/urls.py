from django.urls import path

from webapp.priorities import views

app_name = "priorities"
urlpatterns = [
    path("", views.PriorityListView.as_view(), name="list"),
    path("<slug:priority_id>/", views.PriorityDetailView.as_view(), name="detail"),
]
