from urllib.parse import urlencode

from django import template
from django.template.context import Context

from thidua.portal import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute(context: Context, path: str) -> str:
    """An absolute address for Open Graph tags and feeds ("https://host/path")."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.simple_tag
def portal_slug(campaign_id: int | None) -> str:
    """The slug of the campaign's published portal site, or "": the contest's public pages
    link back to it."""
    return selectors.public_site_slug(campaign_id)


@register.simple_tag
def search_params(query: str, kind: str = "") -> str:
    """The search page's query string for a query and, to page one kind, that kind."""
    return urlencode({"q": query, "loai": kind} if kind else {"q": query})
