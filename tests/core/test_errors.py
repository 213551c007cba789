"""Error pages: the site's layout, Vietnamese, a way back; the 500 page without the database."""

import gettext
import io
import re
from pathlib import Path

import pytest
import time_machine
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from PIL import Image

import thidua
from tests.conftest import verified_client
from thidua.accounts.models import Role
from thidua.core.http import too_many_requests

LOCALE = Path(thidua.__file__).parent / "locale" / "vi" / "LC_MESSAGES"


def test_404_in_the_layout_with_a_way_back(client, db):
    response = client.get("/khong-co-trang-nay/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang bạn cần" in html
    assert 'href="/">Về trang chủ' in html
    assert "Thi đua – Khen thưởng" in html  # the brand bar of base.html


def test_403_in_the_layout_for_a_role_without_the_right(make_user):
    response = verified_client(make_user(Role.UNIT_OFFICER)).get("/nguoi-dung/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này" in html
    assert "Việc cần làm" in html


def test_500_renders_without_touching_the_database(settings, db):
    settings.ROOT_URLCONF = "tests.core.urls_boom"
    client = Client(raise_request_exception=False)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/hong/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Hệ thống gặp sự cố" in html
    assert "Về trang chủ" in html
    assert "mã yêu cầu" in html
    assert "UBND thành phố Bắc Ninh · Phòng Nội vụ" in html  # the footer, from settings
    assert len(queries) == 0


def test_429_page_says_when_to_try_again(rf):
    request = rf.get("/cuoc-thi/", HTTP_REFERER="http://testserver/cuoc-thi/1/")
    response = too_many_requests(request, "Bạn thao tác quá nhanh.", retry_after=60)
    html = response.content.decode()
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Bạn thao tác quá nhanh. Vui lòng thử lại sau 60 giây." in html
    assert 'href="http://testserver/cuoc-thi/1/"' in html  # the way back
    foreign = too_many_requests(rf.get("/", HTTP_REFERER="https://evil.example/"))
    assert "evil.example" not in foreign.content.decode()


def test_portal_search_over_the_limit_gets_the_429_page(client, settings, db):
    from thidua.portal.views import public as views

    settings.RATELIMIT_ENABLE = True
    limit = int(views.SEARCH_RATE.split("/")[0])
    # inside one rate-limit window whatever the machine's speed (the windows follow the clock)
    with time_machine.travel(timezone.now().replace(second=1), tick=False):
        for _ in range(limit + 1):
            client.get("/cong-thong-tin/khong-co/tim-kiem/?q=a")
        response = client.get("/cong-thong-tin/khong-co/tim-kiem/?q=a")
    assert response.status_code == 429
    assert "Bạn tìm kiếm quá nhanh." in response.content.decode()


def test_csrf_failure_page_is_vietnamese(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tai-khoan/dang-nhap/", {"username": "a", "password": "b"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "phiên làm việc đã hết hạn" in html
    assert "CSRF verification failed" not in html


def test_favicon_served_at_the_root_in_three_sizes(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert {(16, 16), (32, 32), (48, 48)} <= set(icon.info["sizes"])
    static = Path(thidua.__file__).parent / "static" / "thidua"
    for name, size in (("apple-touch-icon.png", 180), ("icon-192.png", 192), ("icon-512.png", 512)):
        with Image.open(static / name) as image:
            assert image.size == (size, size)
    html = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert 'rel="apple-touch-icon"' in html
    assert 'rel="manifest"' in html


def _po_catalog(path: Path) -> dict[str, str]:
    """msgid (first plural form for plurals) → msgstr, from our .po file."""
    text = path.read_text(encoding="utf-8")
    catalog = {}
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line)
            if m:
                key = m.group(1)
                fields[key] = m.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid"):
            catalog[fields["msgid"]] = fields.get("msgstr", fields.get("msgstr[0]", ""))
    return {
        k.encode().decode("unicode_escape").encode("latin-1").decode(): v
        for k, v in catalog.items()
    }


def test_compiled_messages_match_the_po_file():
    with (LOCALE / "django.mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for msgid, msgstr in _po_catalog(LOCALE / "django.po").items():
        translated = mo.gettext(msgid)
        if translated == msgid:  # a plural entry: looked up by ngettext
            translated = mo.ngettext(msgid, msgid + "s", 1)
        expected = msgstr.encode().decode("unicode_escape").encode("latin-1").decode()
        assert translated == expected, msgid


def test_formset_and_field_messages_are_vietnamese():
    class Line(forms.Form):
        text = forms.CharField()
        number = forms.IntegerField()

    lines = forms.formset_factory(Line, min_num=1, validate_min=True, extra=0)
    data = {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}
    with translation.override("vi"):
        formset = lines(data)
        assert not formset.is_valid()
        assert formset.non_form_errors() == ["Cần nhập ít nhất 1 dòng."]
        form = Line({"text": "", "number": "một"})
        form.is_valid()
        assert form.errors["number"] == ["Nhập một số nguyên."]


def _model_forms(cls=forms.ModelForm):
    for sub in cls.__subclasses__():
        yield sub
        yield from _model_forms(sub)


def test_every_constraint_a_form_checks_has_a_vietnamese_message():
    import thidua.api.forms
    import thidua.campaigns.forms
    import thidua.contests.forms
    import thidua.organizations.forms
    import thidua.portal.forms  # noqa: F401

    models = {f._meta.model for f in _model_forms() if f.__module__.startswith("thidua.")}
    assert models
    default = "Constraint “%(name)s” is violated."
    for model in models:
        for constraint in model._meta.constraints:
            message = str(constraint.violation_error_message)
            assert message != default, constraint.name
            assert "%(name)s" not in message, constraint.name


@pytest.mark.parametrize("role", [None, *Role.values])
def test_menu_shows_only_pages_the_role_can_open(role, make_user):
    user = make_user(role) if role else make_user()
    client = verified_client(user)
    html = client.get("/viec-can-lam/").content.decode()
    nav = html[html.index('id="mainnav"') : html.index("</nav>")]
    links = [href for href in re.findall(r'href="(/[^"#]*)"', nav) if href != "/"]
    assert "/viec-can-lam/" in links
    for href in links:
        assert client.get(href).status_code == 200, (role, href)
    if role in {None, Role.MEDIA_STAFF}:
        assert "Sổ vàng" not in nav
        assert "Người dùng và phân quyền" not in nav
    if role == Role.SYSTEM_ADMIN:
        assert "Người dùng và phân quyền" in nav
