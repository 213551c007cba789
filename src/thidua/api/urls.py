from django.urls import path, reverse_lazy
from django.views.generic import RedirectView

from thidua.api.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    # The unversioned addresses named in the architecture point at the current version.
    path("api/openapi.json", RedirectView.as_view(url=reverse_lazy("api:openapi-json"))),
    path("api/docs", RedirectView.as_view(url=reverse_lazy("api:openapi-view"))),
]
