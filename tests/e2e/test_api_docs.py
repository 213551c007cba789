import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_interactive_docs_render_from_vendored_assets_under_the_strict_csp(page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto("/api/v1/docs")
    expect(page.get_by_text("Thi đua – Khen thưởng API").first).to_be_visible()
    expect(page.get_by_text("/api/v1/campaigns/{campaign_id}/activities").first).to_be_visible()
    base = page.url.split("/api/")[0]
    assert all(url.startswith(base) or url.startswith("data:") for url in requests), requests
    # The page fixture fails the test on any CSP violation or missing static file.
