from django.conf import settings
from django.http import HttpRequest

# url name prefix → navigation section
_SECTIONS = {
    "unit": "units",
    "import": "units",
    "person": "people",
    "block": "blocks",
    "task": "tasks",
    "notice": "notifications",
}
# single pages whose section their prefix does not tell
_PAGES = {"reporting:my-reports": "reports"}  # the unit's "Báo cáo"


def navigation(request: HttpRequest) -> dict[str, str]:
    """Which item of the top navigation is the current page."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return {"nav_section": ""}
    if section := _PAGES.get(match.view_name):
        return {"nav_section": section}
    prefix = match.url_name.split("-")[0]
    return {"nav_section": _SECTIONS.get(prefix, match.namespace)}


def deployment_names() -> dict[str, str]:
    """Who runs this deployment (settings), for footers and titles; no database."""
    return {
        "organisation": settings.THIDUA_ORGANISATION,
        "portal_editors": settings.THIDUA_PORTAL_EDITORS,
    }


def deployment(request: HttpRequest) -> dict[str, dict[str, str]]:
    return {"deployment": deployment_names()}
