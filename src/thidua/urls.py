from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from thidua.api.urls import urlpatterns as api_urls

admin.site.site_header = "Quản trị hệ thống Thi đua – Khen thưởng"
admin.site.site_title = "Thi đua – Khen thưởng"

handler500 = "thidua.core.views.server_error"  # no database, no context processors

urlpatterns = [
    path("", include("thidua.core.urls")),
    path("tai-khoan/", include("thidua.accounts.urls")),
    path("", include("thidua.organizations.urls")),
    path("", include("thidua.notifications.urls")),
    path("", include("thidua.campaigns.urls")),
    path("", include("thidua.participation.urls")),
    path("", include("thidua.reporting.urls")),
    path("", include("thidua.awards.urls")),
    path("", include("thidua.portal.urls")),
    *api_urls,
    path("", include("thidua.contests.urls")),
    path("", include("thidua.workspace.urls")),
    # One sign-in page for everyone: its limits (per address, lockout) and the second factor
    # apply to administrators too, whose own admin form would skip the per-address limit.
    path(
        "quan-tri/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("quan-tri/", admin.site.urls),
]
