"""robots.txt: crawlers read the public portal and a contest's public pages, nothing else."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

pytestmark = pytest.mark.django_db

# The pages a search engine may show: the portal's public pages (not its search or the
# certificate look-up, which are forms), its images and a contest's public pages.
CRAWLABLE = {
    "portal:index",
    "portal:sitemap",
    "portal:image",
    "portal:home",
    "portal:news",
    "portal:section",
    "portal:article",
    "portal:exhibition",
    "portal:album",
    "portal:books",
    "portal:events",
    "portal:event",
    "portal:honours",
    "portal:good-models",
    "portal:good-model",
    "portal:feed-rss",
    "portal:feed-atom",
    "contests:public-contest",
    "contests:public-collective",
    "contests:public-results",
}
_SAMPLE = {
    "int": "7",
    "slug": "mau",
    "str": "mau",
    "path": "mau",
    "uuid": "0f8fad5b-d9cb-469f-a165-70867728950e",
}


def _rules(text: str) -> list[tuple[bool, str]]:
    return [
        (field.lower() == "allow", value.strip())
        for field, _, value in (line.partition(":") for line in text.splitlines())
        if field.lower() in {"allow", "disallow"} and value.strip()
    ]


def _allowed(rules: list[tuple[bool, str]], path: str) -> bool:
    """RFC 9309: the longest matching rule wins, Allow on a tie; `*` is any run, `$` the end."""
    best: tuple[int, bool] = (-1, True)
    for allow, pattern in rules:
        regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\$", "$")
        if re.match(regex, path) and (len(pattern), allow) > best:
            best = (len(pattern), allow)
    return best[1]


def _named_paths(patterns=None, prefix: str = "", namespace: str = ""):
    """Every named URL of the project as a path, its parameters filled with samples."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p.pattern, RegexPattern):  # the admin's own: its prefix is enough
            yield f"regex:{prefix}{p.pattern}", "/" + prefix
        elif isinstance(p, URLResolver):
            yield from _named_paths(
                p.url_patterns, prefix + str(p.pattern), p.namespace or namespace
            )
        elif isinstance(p, URLPattern) and p.name:
            route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLE[m[1] or "str"], str(p.pattern))
            yield f"{namespace}:{p.name}" if namespace else p.name, "/" + prefix + route


@override_settings(SITE_URL="https://thidua.bacninh.gov.vn")
def test_robots_lets_crawlers_read_the_public_portal_only():
    """No robots.txt: a crawler walked the staff sign-in redirects, the API and a contestant's
    paper links. Now every public page is allowed and every other URL of the project
    (staff pages, the API, a contest's papers and submissions, private files) is not."""
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=86400"
    text = response.content.decode()
    assert "Sitemap: https://thidua.bacninh.gov.vn/sitemap.xml" in text.splitlines()
    rules = _rules(text)
    paths = dict(_named_paths())
    del paths["portal:robots"]  # read by every crawler whatever it says
    assert paths.keys() >= CRAWLABLE
    wrong = {
        name: path for name, path in paths.items() if _allowed(rules, path) != (name in CRAWLABLE)
    }
    assert wrong == {}
    for private in ("/media/minh-chung/1.pdf", "/api/v1/", "/quan-tri/", "/tai-khoan/dang-nhap/"):
        assert not _allowed(rules, private)
    assert _allowed(rules, "/static/css/portal.css")
    assert _allowed(rules, reverse("portal:news", args=["mau"]) + "?trang=2")
