"""Request bodies are refused from their headers before anything reads them (issue 18, M2).

The test client's FakePayload raises when more is read than it holds, so a request that claims
1 GB but carries a few bytes proves that nothing read the body."""

import io
from pathlib import Path

import pytest
from django.test import Client
from django.test.client import FakePayload
from django.urls import reverse
from openpyxl import Workbook

pytestmark = pytest.mark.django_db

GIGABYTE = 1024**3
BOUNDARY = "----thidua-test"


def multipart_file(name: str = "evil.bin", content: bytes = b"x" * 100) -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="username"\r\n\r\nchuyenvien\r\n'
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


def send(client: Client, url: str, body: bytes, *, length: int | None = None, **meta):
    """A POST whose Content-Length may claim more than the body holds."""
    meta.setdefault("CONTENT_TYPE", f"multipart/form-data; boundary={BOUNDARY}")
    environ = {
        "CONTENT_LENGTH": str(len(body) if length is None else length),
        "wsgi.input": FakePayload(body),
        **meta,
    }
    return client.generic("POST", url, **environ)


@pytest.fixture
def no_temp_files(tmp_path, settings):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir()
    yield Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert list(Path(settings.FILE_UPLOAD_TEMP_DIR).iterdir()) == []


LOGIN = "/tai-khoan/dang-nhap/"


def test_an_anonymous_gigabyte_is_refused_before_reading(no_temp_files, city):
    response = send(Client(), LOGIN, multipart_file(), length=GIGABYTE)
    assert response.status_code == 413
    assert "Dữ liệu gửi lên quá lớn (tối đa 25 MB)" in response.content.decode()


def test_anonymous_bodies_have_a_lower_limit(no_temp_files, city):
    body = b"username=a&password=" + b"x" * (70 * 1024)
    response = send(Client(), LOGIN, body, CONTENT_TYPE="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "tối đa 64 KB" in response.content.decode()


def test_an_anonymous_upload_to_an_upload_page_is_refused_unread(no_temp_files, city):
    url = reverse("organizations:person-import")
    response = send(Client(), url, multipart_file(), length=60 * 1024)
    assert response.status_code == 403
    assert "Vui lòng đăng nhập trước khi tải tệp lên." in response.content.decode()


def test_a_file_sent_where_no_upload_is_expected_is_refused(no_temp_files, city):
    """Anonymous multipart within the limit: fields are read, the first file part ends it."""
    response = send(Client(), LOGIN, multipart_file())
    assert response.status_code == 400


def test_a_signed_in_user_cannot_upload_where_no_upload_is_expected(no_temp_files, office_client):
    response = send(
        office_client, reverse("organizations:person-create"), multipart_file(content=b"y" * 10**6)
    )
    assert response.status_code == 400


def test_a_chunked_body_without_length_is_refused(city):
    response = Client().generic(
        "POST",
        LOGIN,
        CONTENT_TYPE="application/x-www-form-urlencoded",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": FakePayload(b"")},
    )
    assert response.status_code == 411
    assert "Content-Length" in response.content.decode()


def test_a_malformed_length_is_refused(city):
    response = send(Client(), LOGIN, b"a=b", CONTENT_LENGTH="12abc")
    assert response.status_code == 400


def test_signed_in_limits_non_upload_and_upload_pages(no_temp_files, office_client, settings):
    create = reverse("organizations:person-create")
    response = send(office_client, create, b"x", length=settings.THIDUA_MAX_BODY_BYTES + 1)
    assert response.status_code == 413
    assert "tối đa 10 MB" in response.content.decode()
    upload = reverse("organizations:person-import")
    response = send(office_client, upload, b"x", length=settings.THIDUA_MAX_UPLOAD_BYTES + 1)
    assert response.status_code == 413
    assert "tối đa 25 MB" in response.content.decode()


def test_a_cross_site_upload_is_refused_before_reading(no_temp_files, office_client):
    url = reverse("organizations:person-import")
    office_client.handler.enforce_csrf_checks = True
    response = send(
        office_client,
        url,
        multipart_file(),
        length=20 * 1024**2,
        HTTP_ORIGIN="https://ke-gian.example",
    )
    assert response.status_code == 403
    assert "không đến từ trang của hệ thống" in response.content.decode()


def test_a_real_upload_still_works(office_client, city):
    workbook = Workbook()
    workbook.active.append(["Họ và tên", "Đơn vị"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "ca-nhan.xlsx"
    response = office_client.post(reverse("organizations:person-import"), {"file": buffer})
    assert response.status_code in {200, 302}
    assert "quá lớn" not in response.content.decode()


def test_limits_follow_the_session_not_a_forged_cookie(no_temp_files, city):
    """A session id that the server does not know counts as anonymous."""
    client = Client()
    client.cookies["sessionid"] = "khong-ton-tai"
    body = b"a=b" * 30000
    response = send(client, LOGIN, body, CONTENT_TYPE="application/x-www-form-urlencoded")
    assert response.status_code == 413
