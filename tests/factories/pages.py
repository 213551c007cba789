"""What every public page must hold: a <title> of its own and no resource from another host
(closed networks, CSP 'self': a CDN link is a broken page there)."""

import html
import re

_RESOURCE = re.compile(
    r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?"
    r"\b(?:src|href|srcset|data)=\"\s*(?:https?:)?//",
    re.IGNORECASE,
)
_TITLE = re.compile(r"<title>([^<]*)</title>")


def page_title(page: str) -> str:
    """The page's <title>, after checking it loads nothing from another host."""
    found = _RESOURCE.search(page)
    assert found is None, (
        f"a resource from another host: {page[found.start() : found.start() + 160]}"
    )
    title = _TITLE.search(page)
    assert title, "no <title>"
    return " ".join(html.unescape(title[1]).split())
