import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.cards import phone_cards
from tests.factories.sheets import tcvn3
from tests.factories.xlsx import xlsx_upload
from thidua.organizations.models import Person, Unit, UnitKind
from thidua.organizations.services import _set_person_derived, _set_unit_derived

pytestmark = pytest.mark.django_db


def add_units(parent: Unit, n: int) -> None:
    for i in range(n):
        unit = Unit(code=f"X{i}", name=f"Đơn vị thử {i}", kind=UnitKind.OTHER, parent=parent)
        _set_unit_derived(unit)
        unit.save()


def add_people(unit: Unit, n: int) -> None:
    for i in range(n):
        person = Person(
            full_name=f"Nguyễn Văn {i}", gender="male", unit=unit, category="civil_servant"
        )
        _set_person_derived(person)
        person.save()


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("view", ["organizations:unit-list", "organizations:unit-tree"])
def test_unit_pages_query_count_is_flat(city, office_client, view):
    url = reverse(view)
    add_units(city.city, 1)
    few = count_queries(office_client, url)
    add_units_more = 49
    for i in range(add_units_more):
        unit = Unit(code=f"Y{i}", name=f"Đơn vị khác {i}", kind=UnitKind.OTHER, parent=city.vu_ninh)
        _set_unit_derived(unit)
        unit.save()
    assert count_queries(office_client, url) == few


def test_person_list_query_count_is_flat(city, office_client):
    url = reverse("organizations:person-list")
    add_people(city.vu_ninh, 1)
    few = count_queries(office_client, url)
    add_people(city.suoi_hoa, 49)
    assert count_queries(office_client, url) == few
    assert len(office_client.get(url).context["people"]) == 50


def test_person_list_is_a_card_per_person_on_a_phone(city, office_client):
    """Five columns squeezed a phone's screen to a word a line: each person is a card, titled
    with the name that opens the person's page."""
    add_people(city.vu_ninh, 1)
    page = office_client.get(reverse("organizations:person-list")).content.decode()
    assert phone_cards(page, "people") == [
        {
            "": "Nguyễn Văn 0",
            "Giới tính": "Nam",
            "Chức vụ": "—",
            "Đơn vị": "Ủy ban nhân dân phường Vũ Ninh",
            "Đối tượng": "Công chức",
        }
    ]
    person = Person.objects.get(full_name="Nguyễn Văn 0")
    assert reverse("organizations:person-edit", args=[person.pk]) in page


def test_unit_and_block_lists_are_cards_on_a_phone(city, office_client):
    """The unit list's and the block list's five columns were squeezed to a word a line on a
    phone; each is a card titled with its name. A unit's validity reads as words, not "— – nay"."""
    from thidua.organizations.models import EmulationBlock

    page = office_client.get(reverse("organizations:unit-list"), {"q": "vu ninh"})
    assert phone_cards(page.content.decode(), "units") == [
        {
            "": "Ủy ban nhân dân phường Vũ Ninh",
            "Mã": "P-VUNINH",
            "Loại": "Phường",
            "Cấp trên": "Ủy ban nhân dân thành phố Bắc Ninh",
            "Hiệu lực": "Từ 01/01/2000",
        }
    ]
    page = office_client.get(reverse("organizations:unit-list"), {"q": "noi vu"})
    assert phone_cards(page.content.decode(), "units")[0]["Hiệu lực"] == "Đang hoạt động"
    block = EmulationBlock.objects.create(year=2022, name="Khối các phường", head_unit=city.vu_ninh)
    block.members.add(city.vu_ninh, city.suoi_hoa)
    page = office_client.get(reverse("organizations:block-list")).content.decode()
    assert phone_cards(page, "blocks") == [
        {
            "": "Khối các phường Sửa",
            "Năm": "2022",
            "Khối trưởng": "Ủy ban nhân dân phường Vũ Ninh",
            "Khối phó": "—",
            "Thành viên": "Phường Suối Hoa, Phường Vũ Ninh",
        }
    ]


def test_unit_search_finds_vu_ninh_without_accents(city, office_client):
    response = office_client.get(reverse("organizations:unit-list"), {"q": "vu ninh"})
    assert [u.code for u in response.context["units"]] == ["P-VUNINH"]
    htmx = office_client.get(
        reverse("organizations:unit-list"), {"q": "vu ninh"}, HTTP_HX_REQUEST="true"
    )
    assert "Vũ Ninh" in htmx.content.decode()
    assert "<html" not in htmx.content.decode()


def test_import_page_shows_errors_and_imports_nothing(city, office_client):
    upload = xlsx_upload(
        [
            [
                "Họ và tên",
                "Giới tính",
                "Năm sinh",
                "Mã đơn vị",
                "Chức vụ",
                "Đối tượng",
                "Đảng viên",
            ],
            ["Nguyễn Văn Hùng", "Nam", 1980, "P-VUNINH", "Chuyên viên", "Công chức", "Có"],
            ["", "Nam", 1980, "P-VUNINH", "", "Công chức", ""],
        ]
    )
    response = office_client.post(reverse("organizations:person-import"), {"file": upload})
    page = response.content.decode()
    assert "Chưa nhập dòng nào" in page
    assert "Không được để trống" in page
    assert Person.objects.count() == 0


def test_import_page_shows_an_empty_file_as_text_without_a_table(city, office_client):
    header = [
        "Họ và tên",
        "Giới tính",
        "Năm sinh",
        "Mã đơn vị",
        "Chức vụ",
        "Đối tượng",
        "Đảng viên",
    ]
    upload = xlsx_upload([header])
    response = office_client.post(reverse("organizations:person-import"), {"file": upload})
    page = response.content.decode()
    assert "Chưa nhập dòng nào" in page
    assert '<p class="mb-0 mt-2">Tệp không có dòng dữ liệu nào.</p>' in page
    assert 'id="import-errors"' not in page


def test_unit_tree_shows_the_city_and_its_wards(city, office_client):
    page = office_client.get(reverse("organizations:unit-tree")).content.decode()
    assert "Ủy ban nhân dân thành phố Bắc Ninh" in page
    assert "Ủy ban nhân dân phường Vũ Ninh" in page


def test_tree_draws_two_levels_and_counts_the_rest(city, office_client):
    add_units(city.vu_ninh, 3)  # level 3 below province → city → ward
    page = office_client.get(reverse("organizations:unit-tree")).content.decode()
    assert "Ủy ban nhân dân phường Vũ Ninh" in page
    assert "Đơn vị thử 0" not in page
    assert "+ 3 đơn vị trực thuộc" in page


def _names_on_pages(client, pages: int) -> list[str]:
    url = reverse("organizations:person-list")
    return [
        p.full_name
        for n in range(1, pages + 1)
        for p in client.get(url, {"trang": n}).context["people"]
    ]


def test_person_pages_hold_every_person_once_in_name_order(city, office_client, monkeypatch):
    """Deep pages read their ids first (IdsFirstPaginator; here from page 2): with the plain
    first page they are the whole list in Vietnamese name order, each person once."""
    from thidua.core.pagination import IdsFirstPaginator

    monkeypatch.setattr(IdsFirstPaginator, "deep", 50)
    add_people(city.vu_ninh, 70)
    add_people(city.suoi_hoa, 50)
    expected = list(Person.objects.order_by("name_sort", "pk").values_list("full_name", flat=True))
    assert _names_on_pages(office_client, 3) == expected
    assert len(expected) == 120


def test_ward_officer_pages_through_its_own_subtree_only(city, make_user):
    """A ward's officer sees the ward's people and those of the units below it, none else."""
    from tests.conftest import verified_client
    from thidua.organizations.models import Role

    add_units(city.suoi_hoa, 2)
    below = Unit.objects.filter(parent=city.suoi_hoa)
    add_people(city.suoi_hoa, 20)
    for unit in below:
        add_people(unit, 20)
    add_people(city.vu_ninh, 30)
    client = verified_client(make_user(Role.UNIT_OFFICER, city.suoi_hoa))
    names = _names_on_pages(client, 2)
    mine = Person.objects.filter(unit__in=[city.suoi_hoa, *below]).order_by("name_sort", "pk")
    assert names == list(mine.values_list("full_name", flat=True))
    assert len(names) == 60
    response = client.get(reverse("organizations:person-list"))
    assert "Ủy ban nhân dân phường Vũ Ninh" not in response.content.decode()


def test_a_people_list_typed_in_tcvn3_is_refused_on_the_import_page(city, office_client):
    header = ["Họ và tên", "Giới tính", "Năm sinh", "Mã đơn vị", "Chức vụ", "Đối tượng"]
    rows = [
        ["Nguyễn Văn Hùng", "Nam", 1980, "P-VUNINH", "Chuyên viên", "Công chức"],
        ["Trần Thị Bình", "Nữ", 1985, "P-VUNINH", "Phó trưởng phòng", "Công chức"],
    ]
    upload = xlsx_upload(
        [header, *([tcvn3(c) if isinstance(c, str) else c for c in r] for r in rows)]
    )
    response = office_client.post(reverse("organizations:person-import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chưa nhập dòng nào" in page
    assert "bảng mã cũ (TCVN3/ABC" in page
    assert "ví dụ dòng 2: “NguyÔn V¨n Hïng”" in page
    assert Person.objects.count() == 0


def test_unit_form_refuses_a_code_in_other_capitals_and_keeps_what_was_typed(city, office_client):
    response = office_client.post(
        reverse("organizations:unit-create"),
        {
            "code": "p-suoihoa",
            "name": "Ủy ban nhân dân phường Suối Hoa 2",
            "kind": UnitKind.WARD,
            "parent": city.city.pk,
        },
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Mã đơn vị “p-suoihoa” trùng với mã “P-SUOIHOA” của đơn vị" in page
    assert "Ủy ban nhân dân phường Suối Hoa”" in page
    assert 'value="p-suoihoa"' in page
    assert 'value="Ủy ban nhân dân phường Suối Hoa 2"' in page
    assert not Unit.objects.filter(code__iexact="p-suoihoa").exclude(pk=city.suoi_hoa.pk).exists()


def test_unit_form_names_the_unit_holding_a_code_typed_exactly(city, office_client):
    """The same message as for a code in other capitals, on the field: the form leaves codes to
    the service, whose check names the unit (the database's unique indexes only back it)."""
    response = office_client.post(
        reverse("organizations:unit-create"),
        {"code": "P-SUOIHOA", "name": "Phường mới", "kind": UnitKind.WARD, "parent": city.city.pk},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": [
            "Mã đơn vị “P-SUOIHOA” trùng với mã “P-SUOIHOA” của đơn vị “Ủy ban nhân dân "
            "phường Suối Hoa”. Hãy chọn mã khác."
        ]
    }
    assert "Ủy ban nhân dân phường Suối Hoa”. Hãy chọn mã khác." in page
    assert Unit.objects.filter(code="P-SUOIHOA").count() == 1
