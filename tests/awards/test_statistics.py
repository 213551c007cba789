"""Forms 0601–0605 (Thông tư 02/2023/TT-BNV) checked cell by cell against a small data set
counted by hand (see the comments at each campaign and award)."""

import secrets
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import make_unit
from thidua.accounts.models import Role
from thidua.awards import statistics as st
from thidua.awards.models import AwardRecord, AwardType, EmulationStaffing
from thidua.campaigns.models import Campaign, CampaignStatus, EmulationMethod
from thidua.core.models import ActionLog
from thidua.organizations.models import EmulationBlock, Person, UnitKind


def _campaign(owner, office_user, title, *, issued, method, start=None, end=None, **extra):
    status = extra.pop("status", CampaignStatus.RUNNING)
    return Campaign.objects.create(
        owner_unit=owner,
        issuer_name=owner.name,
        number=1,
        issued_on=issued,
        title=title,
        method=method,
        period_start=start,
        period_end=end,
        status=status,
        created_by=office_user,
        **extra,
    )


def _type(code, name, level, *, thematic=False):
    return AwardType.objects.create(
        code=code, name=name, level=level, signer_title="", is_thematic=thematic
    )


class Data:
    """The hand-counted data set of the city (TPBN) for 2022 (1/12/2021 – 30/11/2022)."""

    def __init__(self, city, office_user):
        self.city = city
        self.enterprise = make_unit("DN-A", "Công ty cổ phần A", UnitKind.ENTERPRISE, city.city)
        self.department = make_unit(
            "SNV", "Sở Nội vụ tỉnh Bắc Ninh", UnitKind.OFFICE, city.province
        )
        d = date
        u = office_user
        # 0601 – in the city's period: C1..C5
        self.c1 = _campaign(
            city.city,
            u,
            "C1",
            issued=d(2022, 5, 25),
            method="thematic",
            start=d(2022, 5, 1),
            end=d(2022, 12, 31),
        )  # 05, 06 (<1y), 11
        self.c2 = _campaign(
            city.city,
            u,
            "C2",
            issued=d(2022, 1, 10),
            method="regular",
            start=d(2022, 1, 1),
            end=d(2022, 12, 31),
        )  # 05, 07 (1y), 12
        _campaign(city.suoi_hoa, u, "C3", issued=d(2022, 3, 1), method="thematic")  # 05, 06, 11
        c4 = _campaign(
            city.city,
            u,
            "C4",
            issued=d(2022, 1, 20),
            method="regular",
            start=d(2022, 1, 1),
            end=d(2023, 12, 31),
        )  # 04 (blocks), 08 (2y), 12
        block = EmulationBlock.objects.create(year=2022, name="Khối các phường")
        c4.invited_blocks.add(block)
        _campaign(
            city.city,
            u,
            "C5",
            issued=d(2021, 12, 15),
            method="regular",
            start=d(2021, 1, 1),
            end=d(2025, 12, 31),
        )  # 05, 10 (5y), 12
        # left out: after 30/11 (C6), the province's (C7, in the province's statistics), a draft
        _campaign(city.city, u, "C6", issued=d(2022, 12, 5), method="thematic")
        _campaign(
            city.province,
            u,
            "C7",
            issued=d(2022, 6, 1),
            method="thematic",
            start=d(2022, 6, 1),
            end=d(2022, 9, 30),
        )  # 03 for the province, column 3
        _campaign(city.city, u, "C8", issued=d(2022, 2, 1), method="thematic",
                  status=CampaignStatus.DRAFT)  # fmt: skip

        bk = _type("X-BK", "Bằng khen của Chủ tịch UBND tỉnh", "province")
        cstd = _type("X-CSTD", "Chiến sĩ thi đua cấp tỉnh", "province")
        flag = _type("X-CO", "Cờ thi đua của UBND tỉnh", "province")
        paper = _type("X-GCN", "Giấy chứng nhận của UBND tỉnh", "province")
        gk = _type("X-GK", "Giấy khen của Chủ tịch UBND thành phố", "district", thematic=True)
        cstd_cs = _type("X-CSTDCS", "Chiến sĩ thi đua cơ sở", "district")
        medal = _type("X-HCLD3", "Huân chương Lao động hạng Ba", "state")
        pm = _type("X-BKTTG", "Bằng khen của Thủ tướng Chính phủ", "state")
        self.gk = gk
        self.number = 0
        r = self.record
        r(bk, "collective", city.suoi_hoa, d(2022, 3, 10))  # R1: 02, regular (11)
        r(
            bk, "individual", city.centre, d(2022, 4, 1), position="Phó Giám đốc", campaign=self.c1
        )  # R2: 05, 09 other leaders, thematic (12)
        r(cstd, "individual", city.city, d(2022, 4, 2), position="Phó Chủ tịch")  # R3: 05, 07
        r(flag, "collective", self.enterprise, d(2022, 4, 3))  # R4: 02, 03 enterprise
        r(
            bk,
            "individual",
            city.vu_ninh,
            d(2022, 4, 4),
            position="Công chức văn hóa",
            campaign=self.c1,
        )  # R5: 05, 10 workers, thematic
        r(bk, "individual", self.enterprise, d(2022, 4, 5), position="Giám đốc")  # R6: 05, 08
        r(gk, "collective", city.vu_ninh, d(2022, 6, 1), campaign=self.c2)  # R7 local, regular
        r(gk, "individual", city.suoi_hoa, d(2022, 6, 2))  # R8 local, workers, thematic type
        r(medal, "collective", self.enterprise, d(2022, 9, 2), issuer="CTN")  # R9: 0602
        r(pm, "individual", city.city, d(2022, 9, 3), issuer="TTG", position="Chủ tịch")  # R10
        r(bk, "collective", city.suoi_hoa, d(2022, 5, 1), status="revoked")  # R11 revoked
        r(bk, "collective", city.suoi_hoa, d(2022, 12, 1))  # R12 after 30/11 (calendar: in)
        r(bk, "collective", city.suoi_hoa, d(2021, 11, 30))  # R13 before 1/12/2021
        r(bk, "collective", self.department, d(2022, 5, 2))  # R14 province's own office
        r(paper, "collective", city.suoi_hoa, d(2022, 5, 3))  # R15 no 0603 column: note
        r(bk, "household", city.suoi_hoa, d(2022, 5, 4))  # R16 household: 04
        r(cstd_cs, "individual", city.noivu, d(2022, 7, 1), position="Trưởng phòng")  # R17

    def record(self, award_type, subject, unit, signed_on, *, position=None, campaign=None,
               issuer=None, status="valid"):  # fmt: skip
        self.number += 1
        person = None
        if subject == "individual":
            person = Person.objects.create(
                full_name=f"Người {self.number}", gender="male", unit=unit,
                position=position or "", category="civil_servant",
            )  # fmt: skip
        default = {"state": "CTN", "province": "TBN"}.get(award_type.level, "TPBN")
        return AwardRecord.objects.create(
            issuer_code=issuer or default,
            year=signed_on.year,
            number=self.number,
            award_type=award_type,
            campaign=campaign,
            legacy_decision=f"{self.number}/QĐ-UBND",
            legacy_signed_on=signed_on,
            subject=subject,
            person=person,
            unit=unit,
            recipient_name=person.full_name if person else unit.name,
            unit_name=unit.name,
            status=status,
            token=secrets.token_urlsafe(24),
        )


@pytest.fixture
def data(city, office_user):
    return Data(city, office_user)


def values(form, code):
    return list(form.line(code).values)


def test_period_is_december_to_november_unless_calendar():
    p = st.report_period(2022)
    assert (p.start, p.end) == (date(2021, 12, 1), date(2022, 11, 30))
    assert p.label == "Năm 2022 (từ 01/12/2021 đến 30/11/2022)"
    c = st.report_period(2022, calendar=True)
    assert (c.start, c.end) == (date(2022, 1, 1), date(2022, 12, 31))


def test_0601_campaigns_cell_by_cell(data):
    form = st.form_0601(data.city.city, st.report_period(2022))
    assert [c.text for c in form.codes] == ["A", "B", "1=(2+3+4)", "2", "3", "4"]
    assert form.unit_of_count == "Phong trào"
    expected = {
        "01": [5, 0, 0, 5],
        "02": [0, 0, 0, 0],
        "03": [0, 0, 0, 0],
        "04": [1, 0, 0, 1],
        "05": [4, 0, 0, 4],
        "06": [2, 0, 0, 2],
        "07": [1, 0, 0, 1],
        "08": [1, 0, 0, 1],
        "09": [0, 0, 0, 0],
        "10": [1, 0, 0, 1],
        "11": [2, 0, 0, 2],
        "12": [3, 0, 0, 3],
    }
    assert {line.code: list(line.values) for line in form.lines if line.code} == expected
    headings = [line.label for line in form.lines if line.style == "group"]
    assert headings == [
        "1. Chia theo phạm vi tổ chức thi đua",
        "2. Chia theo thời hạn thi đua",
        "3. Chia theo phương thức tổ chức phong trào thi đua",
    ]


def test_0601_province_counts_its_own_campaigns_in_column_3(data):
    form = st.form_0601(data.city.province, st.report_period(2022))
    assert values(form, "01") == [6, 0, 1, 5]
    assert values(form, "03") == [1, 0, 1, 0]
    assert values(form, "06") == [3, 0, 1, 2]  # C7: June–September


def test_0601_calendar_year(data):
    form = st.form_0601(data.city.city, st.report_period(2022, calendar=True))
    # C6 (5/12/2022) in, C5 (15/12/2021) out
    assert values(form, "01") == [5, 0, 0, 5]
    assert values(form, "10") == [0, 0, 0, 0]
    assert values(form, "06") == [3, 0, 0, 3]


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (date(2022, 1, 1), date(2022, 12, 30), "06"),
        (date(2022, 1, 1), date(2022, 12, 31), "07"),
        (date(2022, 3, 15), date(2023, 3, 14), "07"),
        (date(2022, 1, 1), date(2023, 1, 1), "08"),
        (date(2022, 1, 1), date(2024, 12, 31), "09"),
        (date(2021, 1, 1), date(2025, 12, 30), "09"),
        (date(2021, 1, 1), date(2025, 12, 31), "10"),
    ],
)
def test_duration_rows(start, end, code):
    assert st.duration_code(start, end, EmulationMethod.THEMATIC) == code


def test_0603_provincial_awards_cell_by_cell(data):
    rows = st.award_rows(data.city.city, st.report_period(2022))
    form = st.form_0603(data.city.city, st.report_period(2022), rows)
    assert [c.text for c in form.codes] == ["A", "B", "C", "1", "2", "3", "4", "5"]
    expected = {
        "01": [7, 5, 1, 1, 0],
        "02": [2, 1, 0, 1, 0],
        "03": [1, 0, 0, 1, 0],
        "04": [1, 1, 0, 0, 0],
        "05": [4, 3, 1, 0, 0],
        "06": [0, 0, 0, 0, 0],
        "07": [1, 0, 1, 0, 0],
        "08": [1, 1, 0, 0, 0],
        "09": [1, 1, 0, 0, 0],
        "10": [1, 1, 0, 0, 0],
        "11": [5, 3, 1, 1, 0],
        "12": [2, 2, 0, 0, 0],
        **{f"{n}": [0, 0, 0, 0, 0] for n in range(13, 18)},
    }
    assert {line.code: list(line.values) for line in form.lines if line.code} == expected
    assert [line.unit for line in form.lines if line.code in {"02", "03", "04", "05", "06"}] == [
        "Tập thể", "Doanh nghiệp", "Hộ", "Người", "Người",
    ]  # fmt: skip
    assert form.notes == (
        "1 khen thưởng cấp bộ, cấp tỉnh không thuộc cột nào của biểu (không phải bằng khen, "
        "chiến sĩ thi đua, cờ thi đua, huy hiệu, kỷ niệm chương) nên không được tính.",
    )


def test_0602_state_awards_cell_by_cell(data):
    form = st.form_0602(data.city.city, st.report_period(2022))
    total = [2, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]
    zero = [0] * 13
    assert values(form, "01") == total
    assert values(form, "02") == zero
    assert values(form, "03") == total
    assert values(form, "06") == [1, 1] + [0] * 11
    assert values(form, "07") == [1, 1] + [0] * 11  # the enterprise
    assert values(form, "08") == zero
    assert values(form, "09") == [1] + [0] * 8 + [1, 0, 0, 0]  # Bằng khen Thủ tướng, cá nhân
    assert values(form, "11") == [1] + [0] * 8 + [1, 0, 0, 0]  # a district's chairman
    assert values(form, "15") == total
    for code in ("04", "05"):  # not in the layout read (docs/statistics.md)
        with pytest.raises(StopIteration):
            form.line(code)
    assert form.width == 16


def test_local_reference_table(data):
    form = st.form_local(data.city.city, st.report_period(2022))
    assert not form.official
    assert values(form, "01") == [3, 2, 1, 0]
    assert values(form, "02") == [1, 1, 0, 0]
    assert values(form, "05") == [2, 1, 1, 0]
    assert values(form, "09") == [1, 0, 1, 0]  # Trưởng phòng of a city office
    assert values(form, "10") == [1, 1, 0, 0]
    assert values(form, "11") == [2, 1, 1, 0]
    assert values(form, "12") == [1, 1, 0, 0]


def test_province_sees_its_own_office_and_the_calendar_year_moves_awards(data):
    period = st.report_period(2022)
    assert values(st.form_0603(data.city.province, period), "02")[:2] == [3, 2]  # + R14
    calendar = st.form_0603(data.city.city, st.report_period(2022, calendar=True))
    assert values(calendar, "02")[:2] == [3, 2]  # + R12 of 1/12/2022


def test_award_kind_from_the_name_or_as_set():
    assert st.statistics_kind("Huân chương Lao động hạng Nhì") == "order_medal"
    assert st.statistics_kind("Danh hiệu Chiến sĩ thi đua cơ sở") == "grassroots_fighter"
    assert st.statistics_kind("Chiến sĩ thi đua cấp tỉnh") == "provincial_fighter"
    assert st.statistics_kind("Kỷ niệm chương Vì sự nghiệp Thi đua – Khen thưởng") == "badge"
    assert st.statistics_kind("Danh hiệu Nhà giáo nhân dân") == "state_honour"
    assert st.statistics_kind("Giấy khen của Chủ tịch UBND phường") == "commendation"
    assert st.statistics_kind("Tặng phẩm lưu niệm") == "other"
    assert st.statistics_kind("Giấy khen", "merit") == "merit"


@pytest.mark.parametrize(
    ("position", "kind", "parent", "group"),
    [
        ("Chủ tịch", UnitKind.PROVINCE, "", st.PROVINCIAL_LEADERS),
        ("Giám đốc", UnitKind.OFFICE, UnitKind.PROVINCE, st.DEPARTMENT_LEADERS),
        ("Phó Chủ tịch", UnitKind.DISTRICT, UnitKind.PROVINCE, st.DEPARTMENT_LEADERS),
        ("Giám đốc", UnitKind.ENTERPRISE, UnitKind.DISTRICT, st.BUSINESS),
        ("Phó Trưởng phòng", UnitKind.OFFICE, UnitKind.DISTRICT, st.OTHER_LEADERS),
        ("Hiệu trưởng", UnitKind.SCHOOL, UnitKind.DISTRICT, st.OTHER_LEADERS),
        ("Giáo viên", UnitKind.SCHOOL, UnitKind.DISTRICT, st.WORKERS),
        ("", UnitKind.WARD, UnitKind.DISTRICT, st.WORKERS),
    ],
)
def test_individual_groups(position, kind, parent, group):
    row = st.AwardRow("individual", kind, parent, position, "province", "merit", "regular")
    assert st.individual_group(row) == group


def test_receiving_unit_and_default_issuer(city, office_user):
    assert st.receiving_unit(city.province).startswith("Bộ Nội vụ")
    assert st.receiving_unit(city.city) == ("Sở Nội vụ tỉnh Bắc Ninh (Ban Thi đua – Khen thưởng)")
    assert st.receiving_unit(city.suoi_hoa) == "Phòng Nội vụ thành phố Bắc Ninh"
    assert st.default_issuer(office_user) == city.city  # granted in Phòng Nội vụ


def _staff(**rows):
    return {code: list(pair) for code, pair in rows.items()}


def test_staffing_entered_and_shown_in_0604_0605(city, office_user):
    staffing = st.staffing_save(
        actor=office_user,
        issuer=city.city,
        year=2022,
        organisations={"04": 1, "05": 2},
        staff=_staff(
            **{"02": (1, 1), "04": (2, 1), "11": (2, 1), "12": (1, 1), "13": (1, 1), "14": (2, 1)}
        ),
    )
    assert staffing.version == 1
    assert ActionLog.objects.filter(action="awards.statistics.staffing_saved").count() == 1
    report = st.yearly_report(issuer=city.city, year=2022)
    f0604, f0605 = report.form("0604"), report.form("0605")
    assert values(f0604, "01") == [3]
    assert values(f0604, "02") == [0]
    assert values(f0604, "05") == [2]
    assert values(f0605, "01") == [3, 2]
    assert values(f0605, "04") == [2, 1]
    assert values(f0605, "11") == [2, 1]
    assert values(f0605, "15") == [0, 0]
    assert f0605.notes == ()
    again = st.staffing_save(
        actor=office_user, issuer=city.city, year=2022, organisations={"04": 1, "05": 2},
        staff=staffing.staff, version=1,
    )  # fmt: skip
    assert again.version == 1  # nothing changed: no new version, no log entry
    assert ActionLog.objects.filter(action="awards.statistics.staffing_saved").count() == 1


def test_staffing_refuses_what_does_not_add_up(city, office_user):
    with pytest.raises(ValidationError) as exc:
        st.staffing_save(
            actor=office_user, issuer=city.city, year=2022, organisations={},
            staff=_staff(**{"02": (1, 2), "13": (3, 0), "11": (5, 0)}),
        )  # fmt: skip
    assert exc.value.messages == [
        "Dòng 02: số nữ (2) lớn hơn tổng số (1).",
        "Tổng theo thâm niên (3 người, 0 nữ) phải bằng tổng theo độ tuổi (1 người, 2 nữ).",
        "Tổng theo trình độ đào tạo (5 người, 0 nữ) không được lớn hơn tổng theo độ tuổi "
        "(1 người, 2 nữ).",
    ]
    assert not EmulationStaffing.objects.exists()


def test_staffing_stale_version_and_permission(city, office_user, make_user):
    st.staffing_save(actor=office_user, issuer=city.city, year=2022, organisations={}, staff={})
    st.staffing_save(
        actor=office_user, issuer=city.city, year=2022, organisations={"05": 1}, staff={},
        version=1,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="người khác cập nhật"):
        st.staffing_save(
            actor=office_user, issuer=city.city, year=2022, organisations={"05": 2}, staff={},
            version=1,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        st.staffing_save(
            actor=make_user(Role.SIGNER), issuer=city.city, year=2022, organisations={}, staff={}
        )


def test_forms_without_entered_figures_are_blank(city):
    report = st.yearly_report(issuer=city.city, year=2022)
    assert values(report.form("0604"), "01") == [None]
    assert report.form("0605").notes == ("Chưa nhập số liệu cho năm này: biểu để trống.",)


def test_report_reads_in_a_fixed_number_of_queries(data, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        report = st.yearly_report(issuer=data.city.city, year=2022)
    assert [f.key for f in report.forms] == list(st.FORM_KEYS)


def test_a_wards_noi_vu_enters_only_its_own_staffing_figures(city, office_user, make_user):
    """Forms 0604/0605 of the city go to the Bộ Nội vụ in the city's name: a ward's officer
    enters the ward's, the city's Nội vụ the city's and its wards' (docs/security.md R23)."""
    ward_office = make_user(Role.EMULATION_OFFICE, city.suoi_hoa, username="noivu-suoihoa")
    figures = {"year": 2022, "organisations": {"04": 1}, "staff": _staff()}
    with pytest.raises(PermissionDenied):
        st.staffing_save(actor=ward_office, issuer=city.city, **figures)
    assert not EmulationStaffing.objects.exists()
    st.staffing_save(actor=ward_office, issuer=city.suoi_hoa, **figures)
    st.staffing_save(actor=office_user, issuer=city.vu_ninh, **figures)
    with pytest.raises(PermissionDenied):
        st.staffing_save(actor=ward_office, issuer=city.vu_ninh, **figures)
