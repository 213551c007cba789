"""The project's URLs plus one view that fails, for the 500 page test."""

from django.urls import path

from thidua.urls import handler500
from thidua.urls import urlpatterns as project_urls


def boom(request):
    raise RuntimeError("hỏng")


urlpatterns = [path("hong/", boom), *project_urls]
__all__ = ["handler500", "urlpatterns"]
