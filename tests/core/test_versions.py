import pytest
from django.core.cache import cache
from django.template import engines
from django.urls import clear_script_prefix, set_script_prefix

from thidua.core import versions


def test_a_lost_version_comes_back_new_never_old():
    first = versions.current("sample")
    assert versions.current("sample") == first
    cache.clear()  # evicted, or Redis restarted
    assert versions.current("sample") != first


@pytest.mark.django_db
def test_bump_renews_now_and_on_commit(django_capture_on_commit_callbacks):
    before = versions.current("sample")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        versions.bump("sample")
    now = versions.current("sample")
    assert now != before
    callbacks[0]()
    assert versions.current("sample") not in {before, now}


def test_fragment_is_kept_per_key_and_an_empty_key_renders_afresh():
    template = engines["django"].from_string(
        "{% load thidua %}{% fragment key 'part' %}{{ value }}{% endfragment %}"
    )
    assert template.render({"key": "k1", "value": "một"}) == "một"
    assert template.render({"key": "k1", "value": "hai"}) == "một"
    assert template.render({"key": "k2", "value": "hai"}) == "hai"
    assert template.render({"key": "", "value": "ba"}) == "ba"
    assert template.render({"key": "", "value": "bốn"}) == "bốn"


def test_a_fragment_is_kept_per_script_prefix():
    template = engines["django"].from_string(
        "{% load thidua %}{% fragment 'k' %}{% url 'core:home' %}{% endfragment %}"
    )
    try:
        set_script_prefix("/a/")
        assert template.render({}) == "/a/"
        set_script_prefix("/b/")
        assert template.render({}) == "/b/"
    finally:
        clear_script_prefix()
