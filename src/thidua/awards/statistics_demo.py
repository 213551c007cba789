"""Demo data for the 2022 statistics to Bộ Nội vụ (called by thidua.demo.load): two more
campaigns of 2022, the awards of 2022 from the old registry (imported with the registry's own
import), two more award kinds, and Nội vụ's figures for forms 0604/0605. All invented (†).

With the seed campaign and the demo's decision of 30/12/2022, the 2022 report of UBND thành
phố Bắc Ninh (period 01/12/2021 – 30/11/2022) then counts 3 campaigns and 8 awards; the
decision of 30/12/2022 falls in the 2023 period (or in 2022 by calendar year)."""

from datetime import date

from django.conf import settings
from django.urls import reverse

from thidua.accounts.models import User
from thidua.awards import statistics
from thidua.awards.models import AwardRecord, AwardType, EmulationStaffing
from thidua.awards.registry import registry_columns
from thidua.awards.registry_import import registry_import
from thidua.campaigns.models import Campaign, CampaignStatus, EmulationMethod
from thidua.core.excel import SheetFile, write_workbook
from thidua.organizations.models import EmulationBlock, Unit

MARKER = "Phong trào thi đua thực hiện thắng lợi nhiệm vụ chính trị năm 2022"

EXTRA_TYPES = [
    # code, name, level, signer, target, counted as thematic
    ("CO-TINH", "Cờ thi đua của UBND tỉnh", "province", "Chủ tịch UBND tỉnh", "collective", False),
    ("CSTD-CS", "Danh hiệu Chiến sĩ thi đua cơ sở", "district", "Chủ tịch UBND thành phố",
     "individual", False),
]  # fmt: skip

# Số vào sổ, năm, tên, chức vụ/đơn vị, đơn vị, đối tượng, hình thức, số QĐ, ngày QĐ, phong trào,
# tình trạng, mã cơ quan cấp sổ (the registry's own import layout)
REGISTRY_2022 = [
    ("0012/2022", 2022, "Ủy ban nhân dân phường Suối Hoa", "",
     "Ủy ban nhân dân phường Suối Hoa", "Tập thể", "Bằng khen của Chủ tịch UBND tỉnh",
     "415/QĐ-UBND", date(2022, 3, 10), "", "Có hiệu lực", "TBN"),
    ("0013/2022", 2022, "Ông Nguyễn Văn Hùng", "Phó Chủ tịch UBND phường, phường Kinh Bắc",
     "Ủy ban nhân dân phường Kinh Bắc", "Cá nhân", "Bằng khen của Chủ tịch UBND tỉnh",
     "415/QĐ-UBND", date(2022, 3, 10), "", "Có hiệu lực", "TBN"),
    ("0014/2022", 2022, "Công ty TNHH Gốm Phù Lãng Kinh Bắc", "",
     "Công ty TNHH Gốm Phù Lãng Kinh Bắc", "Tập thể", "Cờ thi đua của UBND tỉnh",
     "416/QĐ-UBND", date(2022, 3, 10), "", "Có hiệu lực", "TBN"),
    ("0001/2022", 2022, "Ủy ban nhân dân phường Vạn An", "", "Ủy ban nhân dân phường Vạn An",
     "Tập thể", "Giấy khen của Chủ tịch UBND thành phố", "35/QĐ-UBND", date(2022, 1, 14), "",
     "Có hiệu lực", "TPBN"),
    ("0002/2022", 2022, "Bà Trần Thị Lan", "Công chức văn hóa – xã hội, phường Đáp Cầu",
     "Ủy ban nhân dân phường Đáp Cầu", "Cá nhân", "Giấy khen của Chủ tịch UBND thành phố",
     "35/QĐ-UBND", date(2022, 1, 14), "", "Có hiệu lực", "TPBN"),
    ("0003/2022", 2022, "Ông Lê Văn Thắng", "Trưởng phòng, Phòng Tư pháp", "Phòng Tư pháp",
     "Cá nhân", "Danh hiệu Chiến sĩ thi đua cơ sở", "36/QĐ-UBND", date(2022, 1, 14), "",
     "Có hiệu lực", "TPBN"),
    ("0004/2022", 2022, "Bà Phạm Thị Hoa", "Giáo viên, Trường THCS Suối Hoa",
     "Trường THCS Suối Hoa", "Cá nhân", "Danh hiệu Chiến sĩ thi đua cơ sở", "36/QĐ-UBND",
     date(2022, 1, 14), "", "Có hiệu lực", "TPBN"),
    ("0005/2022", 2022, "Trường Tiểu học Kinh Bắc", "", "Trường Tiểu học Kinh Bắc", "Tập thể",
     "Giấy khen của Chủ tịch UBND thành phố", "512/QĐ-UBND", date(2022, 9, 5), "",
     "Có hiệu lực", "TPBN"),
]  # fmt: skip

# Nội vụ's figures for 0605 (row: total, women): two civil servants do emulation work.
STAFF_2022 = {"03": (1, 1), "04": (1, 0), "11": (2, 1), "13": (1, 1), "15": (1, 0)}


def _award_types() -> None:
    for code, name, level, signer, target, thematic in EXTRA_TYPES:
        AwardType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "level": level,
                "signer_title": signer,
                "target": target,
                "is_thematic": thematic,
            },
        )


def _campaigns(office: User) -> None:
    """Recorded as already issued (the plans of early 2022 are on paper; the register's numbers
    1–117 of 2022 are taken, demo.py)."""
    ward = Unit.objects.get(code="P-SUOIHOA")
    city = Unit.objects.get(code="TPBN")
    Campaign.objects.create(
        owner_unit=ward,
        issuer_parent_name="ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH",
        issuer_name=ward.name,
        number=3,
        issued_on=date(2022, 1, 14),
        title=MARKER + " trên địa bàn phường Suối Hoa",
        method=EmulationMethod.REGULAR,
        period_start=date(2022, 1, 1),
        period_end=date(2022, 12, 31),
        period_text="Năm 2022",
        status=CampaignStatus.CLOSED,
        counts_for_annual_evaluation=True,
        created_by=office,
    )
    blocks = Campaign.objects.create(
        owner_unit=city,
        issuer_parent_name="ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
        issuer_name=city.name,
        number=12,
        issued_on=date(2022, 2, 8),
        title="Phát động thi đua trong Khối các phường năm 2022",
        method=EmulationMethod.REGULAR,
        period_start=date(2022, 1, 1),
        period_end=date(2022, 12, 31),
        period_text="Năm 2022",
        status=CampaignStatus.CLOSED,
        created_by=office,
    )
    block = EmulationBlock.objects.filter(year=2022, name="Khối các phường").first()
    if block is not None:
        blocks.invited_blocks.add(block)


def _registry(office: User) -> None:
    content = write_workbook(registry_columns(), REGISTRY_2022, sheet_name="Sổ vàng")
    created, _unchanged, errors = registry_import(
        actor=office, upload=SheetFile(data=content, filename="so-vang-2022.xlsx")
    )
    if errors:  # pragma: no cover - the demo's own rows
        raise RuntimeError([e.as_dict() for e in errors])
    assert created == len(REGISTRY_2022)  # noqa: S101 - demo data


def load() -> None:
    if Campaign.objects.filter(title__startswith=MARKER).exists():
        return
    office = User.objects.get(username="noivu")
    _award_types()
    _campaigns(office)
    if not AwardRecord.objects.filter(year=2022, issuer_code="TBN").exists():
        _registry(office)
    city = Unit.objects.get(code="TPBN")
    if not EmulationStaffing.objects.filter(issuer=city, year=2022).exists():
        statistics.staffing_save(
            actor=office,
            issuer=city,
            year=2022,
            organisations={},
            staff=dict(STAFF_2022),
        )


def instructions() -> list[str]:
    return [
        "Báo cáo thống kê thi đua, khen thưởng năm 2022 gửi Bộ Nội vụ (biểu 0601–0605, Thông tư "
        "02/2023/TT-BNV): noivu → Sổ vàng → Báo cáo thống kê Bộ Nội vụ, năm 2022:",
        f"  {settings.SITE_URL}{reverse('awards:bnv-statistics')}?nam=2022",
    ]
