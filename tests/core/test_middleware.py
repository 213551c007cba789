"""Every text that enters is NFC without control characters, cleaned once at the boundary
(core.middleware for query strings, forms and file names; the API's parser for JSON); a NUL in a
query string is a bad request (issue 18 L1), not a server error."""

import json
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from thidua.core.middleware import CleanInputMiddleware
from thidua.core.text import clean_text

NFD_TITLE = unicodedata.normalize("NFD", "Phát động thi đua Ngày Chủ nhật xanh")


def test_clean_text_composes_and_strips_controls_but_keeps_lines_and_tabs():
    assert clean_text(NFD_TITLE) == "Phát động thi đua Ngày Chủ nhật xanh"
    assert clean_text("a\x00b\x07c\u200bd\ufeffe") == "abcde"
    assert clean_text("dòng 1\r\ndòng 2\rdòng 3\u2028dòng\t4") == "dòng 1\ndòng 2\ndòng 3\ndòng\t4"
    assert clean_text("plain ascii") == "plain ascii"


def _through_middleware(request):
    seen = {}

    def view(req):
        seen["GET"] = req.GET.dict()
        seen["POST"] = req.POST.dict()
        seen["files"] = [f.name for f in req.FILES.values()]
        return HttpResponse("ok")

    middleware = CleanInputMiddleware(view)
    middleware.process_view(request, view, (), {})
    middleware(request)
    return seen


def test_forms_and_file_names_arrive_composed_and_clean():
    upload = SimpleUploadedFile(unicodedata.normalize("NFD", "Kế hoạch\x07.docx"), b"x")
    request = RequestFactory().post(
        "/x/?q=" + NFD_TITLE,
        {"title": NFD_TITLE + "\x00", "body": "a\r\nb", "password": NFD_TITLE, "file": upload},
    )
    seen = _through_middleware(request)
    assert seen["GET"]["q"] == "Phát động thi đua Ngày Chủ nhật xanh"
    assert seen["POST"]["title"] == "Phát động thi đua Ngày Chủ nhật xanh"
    assert seen["POST"]["body"] == "a\nb"
    assert seen["POST"]["password"] == NFD_TITLE  # secrets are compared as they were set
    assert seen["files"] == ["Kế hoạch.docx"]


@pytest.mark.parametrize(
    "url_name",
    [
        "organizations:unit-list",
        "organizations:person-list",
        "campaigns:campaign-list",
        "awards:registry",
    ],
)
def test_a_nul_in_a_staff_list_query_is_a_bad_request_not_a_server_error(url_name, office_client):
    url = reverse(url_name)
    assert office_client.get(url, {"q": "Suối\x00Hoa"}).status_code == 400
    assert office_client.get(url + "?q=Su%00").status_code == 400
    assert office_client.get(url, {"q": "Suối Hoa"}).status_code == 200


def test_a_nul_in_the_portal_search_is_a_bad_request(campaign, make_user, city):
    from thidua.accounts.models import Role
    from thidua.portal import services

    media = make_user(Role.MEDIA_STAFF, city.centre)
    site = services.site_save(actor=media, campaign=campaign, is_public=True, intro="Giới thiệu")
    url = reverse("portal:search", args=[site.slug])
    assert Client().get(url, {"q": "Nguyễn\x00"}).status_code == 400
    assert Client().get(url, {"q": "Nguyễn Văn Cừ"}).status_code == 200


def test_api_json_bodies_are_cleaned_by_the_parser(rf):
    from thidua.api.api import CleanParser

    request = rf.post(
        "/api/v1/x",
        json.dumps({"name": NFD_TITLE + "\x07", "items": [{"note": "a\u200bb\r\nc\x00"}]}),
        content_type="application/json",
    )
    body = CleanParser().parse_body(request)
    assert body == {
        "name": "Phát động thi đua Ngày Chủ nhật xanh",
        "items": [{"note": "ab\nc\x00"}],  # a NUL is refused by the schemas (422), not hidden
    }


def test_the_api_answers_a_nul_itself_in_its_json_error_body():
    request = RequestFactory().get("/api/v1/units", {"q": unicodedata.normalize("NFD", "Hòa\x00")})
    seen = _through_middleware(request)
    assert seen["GET"]["q"] == "Hòa\x00"  # composed, the NUL left for the schema's 422
