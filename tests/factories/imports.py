from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.factories.sheets import upload
from thidua.core.models import ImportFile

REPEAT = "Tệp này đã được nhập trước đây"


def imports_then_asks_before_repeating(
    client: Client,
    url: str,
    data: bytes,
    state: Callable[[], Any],
    *,
    name: str = "tep.xlsx",
    extra: dict[str, str] | None = None,
) -> None:
    """Issue 18 L3: the file imports; the same content again shows the confirmation step, and
    "Không nhập" leaves everything as it was."""
    extra = extra or {}
    before = state()
    response = client.post(url, {"file": upload(data, name), **extra})
    assert response.status_code == 302, response.content.decode()[-3000:]
    after = state()
    assert after != before
    page = client.post(url, {"file": upload(data, "lan-hai-" + name), **extra})
    assert page.status_code == 200
    assert REPEAT in page.content.decode()
    record = ImportFile.objects.filter(status=ImportFile.Status.PENDING).latest("pk")
    cancel = {"import-token": str(record.token), "import-step": "cancel", **extra}
    assert client.post(url, cancel).status_code == 302
    assert state() == after
