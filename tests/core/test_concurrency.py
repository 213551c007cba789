"""Issue 18, M7: edit forms opened in two places never lose an update (core.concurrency)."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import verified_client
from thidua.core.concurrency import bases_of, fingerprint, merge_edit, parse_bases
from thidua.organizations import services as organizations
from thidua.organizations.models import Person


def test_fingerprints_match_stored_and_submitted_forms_of_a_value(city):
    assert fingerprint(Decimal("5.00")) == fingerprint(5)
    assert fingerprint(city.suoi_hoa) == fingerprint(city.suoi_hoa.pk)
    assert fingerprint("a\r\nb") == fingerprint("a\nb")
    assert fingerprint(date(2022, 7, 1)) == fingerprint("2022-07-01")
    assert fingerprint("") != fingerprint(None)


def test_merge_writes_only_what_this_page_changed():
    shown = {"title": "Cũ", "place": "Hội trường"}
    bases = parse_bases(bases_of(shown))
    stored = {"title": "Cũ", "place": "Nhà văn hóa"}  # someone changed the place meanwhile
    write, kept = merge_edit(
        current=stored, incoming={"title": "Mới", "place": "Hội trường"}, bases=bases
    )
    assert write == {"title": "Mới"}
    assert kept == ["place"]
    with pytest.raises(ValidationError) as excinfo:
        merge_edit(
            current=stored,
            incoming={"title": "Cũ", "place": "Sân vận động"},
            bases=bases,
            labels={"place": "Địa điểm"},
        )
    assert "người khác đã lưu nội dung khác ở “Địa điểm”" in excinfo.value.messages[0]
    # The same change made by both is no conflict.
    write, _ = merge_edit(current=stored, incoming={"place": "Nhà văn hóa"}, bases=bases)
    assert write == {"place": "Nhà văn hóa"}
    # Without bases (API, old pages): as sent.
    assert merge_edit(current=stored, incoming={"place": "X"}, bases=None) == ({"place": "X"}, [])


class Tab:
    """One browser tab with an edit form: the values and hidden fields it was given."""

    def __init__(self, client, url: str) -> None:
        self.client, self.url = client, url
        page = client.get(url).content.decode()
        self.data = {
            name: html.unescape(value)
            for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
            if name != "csrfmiddlewaretoken"
        }
        self.data |= {
            name: html.unescape(text)
            for name, text in re.findall(
                r'<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)</textarea>', page
            )
        }
        for name, options in re.findall(
            r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S
        ):
            chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
            self.data[name] = chosen[1] if chosen else ""
        assert "_bases" in self.data

    def save(self, **changes):
        return self.client.post(self.url, {**self.data, **changes})


@pytest.mark.django_db
def test_two_tabs_editing_one_person_both_keep_their_change(city, office_user, make_user):
    person = organizations.person_create(
        actor=office_user,
        full_name="Nguyễn Văn An",
        gender="male",
        unit=city.suoi_hoa,
        category="civil_servant",
        birth_year=1980,
        position="Chuyên viên",
    )
    url = reverse("organizations:person-edit", args=[person.pk])
    mine = Tab(verified_client(office_user), url)
    theirs = Tab(verified_client(make_user("emulation_office")), url)
    assert mine.save(position="Trưởng phòng").status_code == 302
    assert theirs.save(birth_year="1981").status_code == 302  # its page still said Chuyên viên
    person.refresh_from_db()
    assert (person.position, person.birth_year) == ("Trưởng phòng", 1981)
    response = theirs.save(birth_year="1981", position="Phó trưởng phòng")
    assert response.status_code == 200
    page = response.content.decode()
    assert "người khác đã lưu nội dung khác ở “chức vụ”" in page
    assert 'value="Phó trưởng phòng"' in page  # what was typed stays on screen
    person.refresh_from_db()
    assert person.position == "Trưởng phòng"
    assert Person.objects.count() == 1
