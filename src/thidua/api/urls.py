from django.urls import include, path, reverse_lazy
from django.views.generic import RedirectView

from thidua.api import views
from thidua.api.api import api

staff = [
    path("", views.token_list, name="token-list"),
    path("cap-moi/", views.token_issue, name="token-issue"),
    path("<int:pk>/thu-hoi/", views.token_revoke, name="token-revoke"),
]

urlpatterns = [
    path("api/v1/", api.urls),
    # The unversioned addresses named in the architecture point at the current version.
    path("api/openapi.json", RedirectView.as_view(url=reverse_lazy("api:openapi-json"))),
    path("api/docs", RedirectView.as_view(url=reverse_lazy("api:openapi-view"))),
    path("khoa-api/", include((staff, "integrations"))),
]
