"""Public portal landing page: server time (cached vs uncached) and total page weight.

Builds its own SQLite database in a temporary directory (never var/), loads the Bắc Ninh demo
(thidua.demo.load: the seed campaign's public pages with articles, an album, books, events and
good models), then adds more published articles (full: 200, --quick: 40) so the page draws
from a realistic news list.

As an anonymous visitor (django.test.Client) it measures:

    uncached   the landing page rendered every time (cache cleared before each request):
               the baseline of the same run, p50/p95 and query count
    cached     the landing page served from the portal's page cache: p50/p95
    weight     bytes of the HTML plus every stylesheet, script and image the first screen
               loads (images marked loading="lazy" are left out, as a browser defers them)

Targets: total weight < 500 KB; the cached page several times faster than the uncached one.

Run from the repo root: .venv/bin/python bench/portal.py [--quick]
Progress goes to stderr; stdout gets exactly one line of JSON at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import tempfile
import time
from typing import TYPE_CHECKING, Any

from _common import log, setup_django  # bench/ is the script directory

if TYPE_CHECKING:
    from django.test import Client

WEIGHT_TARGET = 500 * 1024
_ASSET = re.compile(r"<(link|script|img)\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _time(client: Client, url: str, n: int, clear: bool) -> tuple[float, float]:
    from django.core.cache import cache

    samples = []
    for _ in range(n):
        if clear:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return statistics.median(samples), _percentile(samples, 95)


def _body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def page_weight(client: Client, url: str) -> dict[str, int]:
    html = client.get(url)
    text = _body(html).decode()
    sizes = {"html": len(text.encode())}
    assets: set[str] = set()
    for tag, attrs_text in _ASSET.findall(text):
        attrs = dict(_ATTR.findall(attrs_text))
        if tag.lower() == "link" and attrs.get("rel") == "stylesheet":
            assets.add(attrs["href"])
        elif (tag.lower() == "script" and "src" in attrs) or (
            tag.lower() == "img" and attrs.get("loading") != "lazy" and attrs.get("src")
        ):
            assets.add(attrs["src"])
    for kind in ("css", "js", "img"):
        sizes[kind] = 0
    for src in sorted(assets):
        response = client.get(src)
        if response.status_code != 200:
            raise SystemExit(f"{src} answered {response.status_code}")
        kind = "css" if src.endswith(".css") else "js" if src.endswith(".js") else "img"
        sizes[kind] += len(_body(response))
        if hasattr(response, "close"):
            response.close()
    sizes["total"] = sum(sizes.values())
    sizes["requests"] = 1 + len(assets)
    return sizes


def run(quick: bool) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from thidua import demo
    from thidua.accounts.models import User
    from thidua.portal import services
    from thidua.portal.models import PortalSite

    log("loading the demo data …")
    demo.load()
    site = PortalSite.objects.get()
    media = User.objects.get(username="truyenthong")
    section = site.sections.first()
    assert section is not None
    extra = 40 if quick else 200
    log(f"adding {extra} articles …")
    for i in range(extra):
        article = services.article_save(
            actor=media,
            site=site,
            section=section,
            title=f"Tin hoạt động số {i + 1} của các phường",
            summary="Các phường tổ chức hoạt động hưởng ứng phong trào thi đua.",
            body="<p>" + "Nội dung tin bài. " * 80 + "</p>",
        )
        services.article_publish(actor=media, article=article)

    client = Client()
    url = f"/cong-thong-tin/{site.slug}/"
    n = 30 if quick else 200
    for _ in range(5):
        client.get(url)
    from django.core.cache import cache

    cache.clear()
    executed: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        first = client.get(url)
    if first["X-Portal-Cache"] != "miss":
        raise SystemExit("the query count must be taken on an uncached page")
    log(f"timing {n} requests each …")
    uncached_p50, uncached_p95 = _time(client, url, n, clear=True)
    cached_p50, cached_p95 = _time(client, url, n, clear=False)
    weight = page_weight(client, url)
    return {
        "bench": "portal",
        "quick": quick,
        "articles": extra + 4,
        "uncached_p50_ms": round(uncached_p50, 2),
        "uncached_p95_ms": round(uncached_p95, 2),
        "uncached_queries": len(executed),
        "cached_p50_ms": round(cached_p50, 2),
        "cached_p95_ms": round(cached_p95, 2),
        "ratio_uncached_cached": round(uncached_p50 / cached_p50, 1),
        "weight_html_kb": round(weight["html"] / 1024, 1),
        "weight_css_kb": round(weight["css"] / 1024, 1),
        "weight_js_kb": round(weight["js"] / 1024, 1),
        "weight_img_kb": round(weight["img"] / 1024, 1),
        "weight_total_kb": round(weight["total"] / 1024, 1),
        "requests": weight["requests"],
        "weight_target_kb": WEIGHT_TARGET // 1024,
        "weight_ok": weight["total"] < WEIGHT_TARGET,
        # the page cache must serve faster than a render, or visitors get no cached page
        "cached_ok": cached_p50 < uncached_p50,
        "meets_target": weight["total"] < WEIGHT_TARGET and cached_p50 < uncached_p50,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer articles and requests")
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="thidua-bench-portal-")
    # The demo sends mail through the outbox; keep it off stdout, which carries the JSON.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    try:
        setup_django(var_dir)
        result = run(args.quick)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
