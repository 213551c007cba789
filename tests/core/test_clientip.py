"""Issue 18, M6: the client address behind trusted proxies (rate limits, lockouts, logs)."""

import logging
import subprocess
import sys

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tests.core.test_security import REPO, _production_env
from thidua.core.clientip import client_ip, in_networks

PROXY = "10.0.0.5"


def request_from(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_peer_is_the_client_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_forwarded_client_counts(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from(PROXY, "198.51.100.7")) == "198.51.100.7"


def test_a_client_cannot_spoof_its_address_through_the_proxy(settings):
    """nginx appends the address it saw; what the client wrote sits to the left and is ignored."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    spoofed = "1.2.3.4, 198.51.100.7"  # client sent "1.2.3.4", nginx appended the real peer
    assert client_ip(request_from(PROXY, spoofed)) == "198.51.100.7"


def test_chains_of_trusted_proxies_are_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.1.1"]
    chain = "1.2.3.4, 198.51.100.7, 192.168.1.1, 10.1.1.1"
    assert client_ip(request_from(PROXY, chain)) == "198.51.100.7"


def test_an_untrusted_peer_sending_the_header_is_the_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from("203.0.113.9", "10.0.0.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("", PROXY),  # no header: the proxy itself
        ("garbage", PROXY),
        ("1.2.3.4, garbage, 198.51.100.7", "198.51.100.7"),
        ("[2001:db8::5]:4711", "2001:db8::5"),
        ("198.51.100.7:5123", "198.51.100.7"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_malformed_or_decorated_hops(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(request_from(PROXY, forwarded)) == expected


def test_in_networks_takes_addresses_and_cidrs():
    assert in_networks("127.0.0.1", ["127.0.0.1", "::1"])
    assert in_networks("10.2.3.4", ["10.0.0.0/8"])
    assert not in_networks("10.2.3.4", ["127.0.0.1"])
    assert not in_networks("not-an-ip", ["0.0.0.0/0"])


@pytest.mark.django_db
def test_metrics_allow_list_uses_the_client_behind_the_proxy(client, settings):
    """Before: nginx on 127.0.0.1 made every visitor an allowed scraper of /metrics."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.METRICS_ALLOWED_IPS = ["127.0.0.1", "10.9.0.0/16"]
    url = reverse("core:metrics")
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 404
    assert client.get(url, HTTP_X_FORWARDED_FOR="10.9.3.3").status_code == 200
    assert client.get(url).status_code == 200  # the scraper on the host itself


@pytest.mark.django_db
def test_the_access_log_names_the_client_behind_the_proxy(client, settings, caplog):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    with caplog.at_level(logging.INFO, logger="thidua.request"):
        client.get(reverse("core:healthz"), HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    (line,) = [r for r in caplog.records if r.name == "thidua.request"]
    assert line.client_ip == "198.51.100.7"


def test_a_bad_trusted_proxy_entry_stops_the_start(tmp_path):
    result = subprocess.run(
        [sys.executable, "src/manage.py", "check"],
        cwd=REPO,
        env=_production_env(var=str(tmp_path), TRUSTED_PROXIES="10.0.0.0/8,nginx"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr
