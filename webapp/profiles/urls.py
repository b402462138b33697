from django.urls import path

from webapp.profiles import views
from webapp.profiles.services import PLACE, WARD

app_name = "profiles"
urlpatterns = [
    path("", views.ProfileListView.as_view(), name="list"),
    path("wards/<slug:slug>/", views.AreaProfileView.as_view(kind=WARD), name="ward"),
    path("places/<slug:slug>/", views.AreaProfileView.as_view(kind=PLACE), name="place"),
]
