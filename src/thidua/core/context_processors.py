from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The top navigation, highlighted by the current URL namespace."""
    match = getattr(request, "resolver_match", None)
    return {"nav_namespace": match.namespace if match else ""}
