"""Demo data for Bắc Ninh city in 2022, created through the services. Safe to run twice.

Ward and office names are real (domain guide §4.5); schools, enterprises, people and every
account are invented. Blocks are editable demo groupings: the real 2022 blocks are unknown.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument
from PIL import Image, ImageDraw

from thidua.accounts.models import Role, User
from thidua.awards import award_rules, council, decisions, fund_demo, rules, statistics_demo
from thidua.awards import services as awards
from thidua.awards.law import seed_rules
from thidua.awards.models import (
    AppraisalRound,
    AwardRule,
    AwardType,
    Council,
    CouncilMember,
    Decision,
    Nomination,
    PrinterProfile,
    RuleSet,
)
from thidua.awards.selectors import recommended_nominees
from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import ActivityForm, Campaign, Delivery, EmulationMethod
from thidua.contests import hotpath, results_demo
from thidua.contests import services as contests
from thidua.contests.models import Attempt, AttemptsPolicy, Contest
from thidua.core.clock import now as clock_now
from thidua.core.models import DocumentSequence
from thidua.core.text import fold
from thidua.documents.demo_keys import demo_key_for
from thidua.organizations import services
from thidua.organizations.models import (
    EmulationBlock,
    Person,
    PersonCategory,
    Unit,
    UnitKind,
    UnitRole,
)
from thidua.participation import services as participation
from thidua.participation.models import Registration
from thidua.reporting import services as reporting
from thidua.reporting.models import ReportAssignment, ReportRequest, ReportTemplate

DEMO_PASSWORD = "Sen-Vang@2022"  # noqa: S105 - demo only, printed on start

WARDS = [
    "Đại Phúc",
    "Đáp Cầu",
    "Hạp Lĩnh",
    "Hòa Long",
    "Khắc Niệm",
    "Khúc Xuyên",
    "Kim Chân",
    "Kinh Bắc",
    "Nam Sơn",
    "Ninh Xá",
    "Phong Khê",
    "Suối Hoa",
    "Thị Cầu",
    "Tiền An",
    "Vạn An",
    "Vân Dương",
    "Vệ An",
    "Võ Cường",
    "Vũ Ninh",
]
OFFICES = [
    ("NV", "Phòng Nội vụ"),
    ("TP", "Phòng Tư pháp"),
    ("TCKH", "Phòng Tài chính – Kế hoạch"),
    ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("LĐTBXH", "Phòng Lao động – Thương binh và Xã hội"),
    ("VHTT", "Phòng Văn hóa và Thông tin"),
    ("GDĐT", "Phòng Giáo dục và Đào tạo"),
    ("YT", "Phòng Y tế"),
    ("TTr", "Thanh tra thành phố"),
    ("VP", "Văn phòng HĐND và UBND thành phố"),
]
OTHER_CITY_UNITS = [
    (
        "TTVHTTTT",
        "Trung tâm Văn hóa, Thể thao và Truyền thông thành phố",
        UnitKind.SERVICE_UNIT,
        "TTVHTTTT",
    ),
    ("TU", "Thành ủy Bắc Ninh", UnitKind.PARTY, "TU"),
    ("BTGTU", "Ban Tuyên giáo Thành ủy", UnitKind.PARTY, "BTGTU"),
    ("TTCT", "Trung tâm Chính trị thành phố", UnitKind.SERVICE_UNIT, "TTCT"),
    ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố", UnitKind.MASS_ORG, "MTTQ"),
]
SCHOOLS = [  # invented
    ("THCS-SH", "Trường THCS Suối Hoa"),
    ("THCS-VA", "Trường THCS Vạn An"),
    ("TH-KB", "Trường Tiểu học Kinh Bắc"),
    ("MN-DP", "Trường Mầm non Đại Phúc"),
]
ENTERPRISES = [  # invented
    ("DN-GOMPK", "Công ty TNHH Gốm Phù Lãng Kinh Bắc"),
    ("DN-GIAYPK", "Công ty Cổ phần Giấy Phong Khê"),
    ("DN-DTVN", "Công ty TNHH Điện tử Vân Dương"),
]

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đỗ",
    "Ngô",
    "Đặng",
    "Bùi",
    "Dương",
    "Đào",
    "Phùng",
    "Lương",
]
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Xuân", "Công"]
MIDDLE_FEMALE = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương"]
GIVEN_MALE = [
    "Hùng",
    "Dũng",
    "Nam",
    "Tuấn",
    "Long",
    "Hải",
    "Cường",
    "Khánh",
    "Sơn",
    "Toàn",
    "Thắng",
    "Đạt",
]
GIVEN_FEMALE = [
    "Lan",
    "Hương",
    "Hằng",
    "Mai",
    "Ngọc",
    "Thảo",
    "Trang",
    "Yến",
    "Loan",
    "Huyền",
    "Ánh",
    "Giang",
]
POSITIONS = [
    "Chuyên viên",
    "Cán bộ văn hóa – xã hội",
    "Phó Trưởng phòng",
    "Kế toán",
    "Giáo viên",
    "Công chức tư pháp",
    "Nhân viên",
    "Tổ trưởng",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    role: str
    unit_code: str


LOGINS = [
    DemoLogin("quantri", "Quản trị hệ thống", Role.SYSTEM_ADMIN, "TPBN"),
    DemoLogin("noivu", "Nguyễn Thị Thu Hà", Role.EMULATION_OFFICE, "NV"),
    DemoLogin("hoidong", "Trần Văn Khải", Role.COUNCIL_MEMBER, "TPBN"),
    DemoLogin("lanhdao", "Lê Quang Minh", Role.SIGNER, "TPBN"),
    DemoLogin("donvi", "Phạm Thị Ngọc Anh", Role.UNIT_OFFICER, "P-SUOIHOA"),
    DemoLogin("thutruong", "Đỗ Văn Tiến", Role.UNIT_HEAD, "P-SUOIHOA"),
    DemoLogin("truyenthong", "Vũ Thị Hồng Nhung", Role.MEDIA_STAFF, "TTVHTTTT"),
    DemoLogin("bantochuc", "Hoàng Minh Tuấn", Role.CONTEST_ORGANISER, "BTGTU"),
]


# The eleven members of the city's council (Hội đồng Thi đua – Khen thưởng): three of the
# logins above, and eight more, each with a working account (role council_member in TPBN).
COUNCIL_SEATS = [  # (username, full name, council role, title)
    ("lanhdao", "Lê Quang Minh", "chair", "Chủ tịch UBND thành phố"),
    ("hd.thanh", "Nguyễn Văn Thành", "vice_chair", "Phó Chủ tịch UBND thành phố"),
    ("noivu", "Nguyễn Thị Thu Hà", "secretary", "Phó Trưởng phòng Nội vụ"),
    ("hoidong", "Trần Văn Khải", "member", "Chánh Văn phòng HĐND và UBND thành phố"),
    ("hd.lan", "Phạm Thị Lan", "member", "Trưởng phòng Tài chính – Kế hoạch"),
    ("hd.duc", "Đỗ Minh Đức", "member", "Trưởng phòng Văn hóa và Thông tin"),
    ("hd.mai", "Hoàng Thị Mai", "member", "Chủ tịch Ủy ban MTTQ Việt Nam thành phố"),
    ("hd.long", "Vũ Đình Long", "member", "Chủ tịch Liên đoàn Lao động thành phố"),
    ("hd.hang", "Ngô Thị Hằng", "member", "Chủ tịch Hội Liên hiệp Phụ nữ thành phố"),
    ("hd.nam", "Bùi Văn Nam", "member", "Bí thư Thành đoàn"),
    ("hd.thu", "Đặng Thị Thu", "member", "Trưởng phòng Giáo dục và Đào tạo"),
]


def login_lines() -> list[str]:
    return [
        f"Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):",
        f"  {'admin':<12} Quản trị cài đặt (superuser, trang /quan-tri/)",
        *(
            f"  {x.username:<12} {x.full_name} – {Role(x.role).label} ({x.unit_code})"
            for x in LOGINS
        ),
        f"Hội đồng Thi đua – Khen thưởng thành phố: {len(COUNCIL_SEATS)} thành viên, cùng mật "
        "khẩu, trang “Phiên họp”:",
        *(
            f"  {username:<12} {name} – {CouncilMember.CouncilRole(role).label} ({title})"
            for username, name, role, title in COUNCIL_SEATS
        ),
        "",
        *_report_round_instructions(),
        *statistics_demo.instructions(),
        *fund_demo.instructions(),
        *results_demo.instructions(Contest.objects.filter(title=CONTEST_TITLE).first()),
    ]


def ward_code(name: str) -> str:
    return "P-" + fold(name).replace(" ", "").upper()


def _unit(actor: User, code: str, name: str, kind: str, parent: Unit | None, **extra: Any) -> Unit:
    existing = Unit.objects.filter(code=code).first()
    if existing:
        return existing
    return services.unit_create(
        actor=actor, code=code, name=name, kind=kind, parent=parent, **extra
    )


def _admin() -> User:
    user, created = User.objects.get_or_create(
        username="admin",
        defaults={"full_name": "Quản trị cài đặt", "is_staff": True, "is_superuser": True},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load() -> list[DemoLogin]:
    admin = _admin()
    rng = random.Random(2022)  # noqa: S311 - reproducible demo names
    province = _unit(
        admin,
        "TBN",
        "Ủy ban nhân dân tỉnh Bắc Ninh",
        UnitKind.PROVINCE,
        None,
        short_name="UBND tỉnh Bắc Ninh",
        symbol="UBND",
    )
    _unit(admin, "SNV", "Sở Nội vụ tỉnh Bắc Ninh", UnitKind.OFFICE, province, symbol="SNV")
    city = _unit(
        admin,
        "TPBN",
        "Ủy ban nhân dân thành phố Bắc Ninh",
        UnitKind.DISTRICT,
        province,
        short_name="UBND thành phố Bắc Ninh",
        symbol="UBND",
        headcount=420,
        email="ubnd@tpbacninh.example.vn",
    )
    wards = {}
    for name in WARDS:
        wards[name] = _unit(
            admin,
            ward_code(name),
            f"Ủy ban nhân dân phường {name}",
            UnitKind.WARD,
            city,
            short_name=f"Phường {name}",
            symbol="UBND",
            valid_from=date(2000, 1, 1),
            headcount=rng.randint(35, 70),
            email=f"{ward_code(name).lower()}@tpbacninh.example.vn",
        )
    for symbol, name in OFFICES:
        _unit(
            admin, symbol, name, UnitKind.OFFICE, city, symbol=symbol, headcount=rng.randint(6, 18)
        )
    for code, name, kind, symbol in OTHER_CITY_UNITS:
        _unit(admin, code, name, kind, city, symbol=symbol, headcount=rng.randint(10, 40))
    for code, name in SCHOOLS:
        _unit(admin, code, name, UnitKind.SCHOOL, city, headcount=rng.randint(30, 80))
    for code, name in ENTERPRISES:
        _unit(admin, code, name, UnitKind.ENTERPRISE, city, headcount=rng.randint(50, 300))

    # Nghị quyết 1255/NQ-UBTVQH15: Tiền An, Ninh Xá and Vệ An became Tiền Ninh Vệ on 1/12/2024.
    if not Unit.objects.filter(code="P-TIENNINHVE").exists():
        services.unit_merge(
            actor=admin,
            predecessors=[wards["Tiền An"], wards["Ninh Xá"], wards["Vệ An"]],
            code="P-TIENNINHVE",
            name="Ủy ban nhân dân phường Tiền Ninh Vệ",
            short_name="Phường Tiền Ninh Vệ",
            symbol="UBND",
            effective=date(2024, 12, 1),
            legal_basis="Nghị quyết số 1255/NQ-UBTVQH15",
        )

    for login in LOGINS:
        user, created = User.objects.get_or_create(
            username=login.username,
            defaults={
                "full_name": login.full_name,
                "email": f"{login.username}@tpbacninh.example.vn",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        services.unit_role_grant(
            actor=None, user=user, unit=Unit.objects.get(code=login.unit_code), role=login.role
        )

    _blocks(admin, city, wards)
    if not Person.objects.exists():
        _people(admin, rng)
    _seed_campaign()
    _participation(rng)
    _report_template()
    _report_round()
    _awards()
    statistics_demo.load()  # the 2022 statistics to Bộ Nội vụ; registry numbers before 30/12
    # demo keys (self-made demo CA, files under var/): the city leader's "Ký duyệt" signs the
    # decision; Nội vụ's officer, the council's secretary, signs the minutes when numbering them
    demo_key_for(User.objects.get(username="lanhdao"), city)
    demo_key_for(User.objects.get(username="noivu"), city)
    _decisions()
    fund_demo.load()  # the city's fund of 2022: budget, prizes of the signed decision, some paid
    _portal()
    _contest(rng)
    # a contestant of the closed round 1 who can review her answers
    results_demo.load(Contest.objects.filter(title=CONTEST_TITLE).first())
    return LOGINS


def _blocks(admin: User, city: Unit, wards: dict[str, Unit]) -> None:
    ward_units = list(wards.values())
    offices = list(
        Unit.objects.filter(parent=city, kind__in=[UnitKind.OFFICE, UnitKind.SERVICE_UNIT])
    )
    groups = [
        ("Khối các phường", ward_units, wards["Suối Hoa"], wards["Kinh Bắc"]),
        ("Khối các phòng, ban, đơn vị sự nghiệp", offices, offices[0], offices[1]),
        (
            "Khối Đảng, Mặt trận và các đoàn thể",
            list(Unit.objects.filter(parent=city, kind__in=[UnitKind.PARTY, UnitKind.MASS_ORG])),
            None,
            None,
        ),
        ("Khối trường học", list(Unit.objects.filter(kind=UnitKind.SCHOOL)), None, None),
        ("Khối doanh nghiệp", list(Unit.objects.filter(kind=UnitKind.ENTERPRISE)), None, None),
    ]
    for name, members, head, deputy in groups:
        if not EmulationBlock.objects.filter(year=2022, name=name).exists():
            services.block_save(
                actor=admin,
                block=None,
                year=2022,
                name=name,
                kind=EmulationBlock.Kind.BLOCK,
                head_unit=head,
                deputy_unit=deputy,
                members=members,
            )


def _people(admin: User, rng: random.Random) -> None:
    units = list(Unit.objects.filter(valid_to__isnull=True).exclude(kind=UnitKind.PROVINCE))
    categories = [
        PersonCategory.CIVIL_SERVANT,
        PersonCategory.PUBLIC_EMPLOYEE,
        PersonCategory.CADRE,
        PersonCategory.WORKER,
    ]
    for unit in units:
        for _ in range(rng.randint(5, 12)):
            male = rng.random() < 0.5  # noqa: PLR2004
            name = " ".join(
                [
                    rng.choice(SURNAMES),
                    rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE),
                    rng.choice(GIVEN_MALE if male else GIVEN_FEMALE),
                ]
            )
            services.person_create(
                actor=admin,
                full_name=name,
                gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
                birth_year=rng.randint(1965, 1998),
                unit=unit,
                position=rng.choice(POSITIONS),
                category=rng.choice(categories),
                is_party_member=rng.random() < 0.6,  # noqa: PLR2004
            )


SEED_PLAN = Path(__file__).parent / "demo_data" / "ke-hoach-110-nam-nguyen-van-cu.txt"
CONTEST_QUESTIONS = Path(__file__).parent / "demo_data" / "cau-hoi-nguyen-van-cu.csv"
CONTEST_TITLE = "Cuộc thi trực tuyến tìm hiểu cuộc đời và sự nghiệp Tổng Bí thư Nguyễn Văn Cừ"
CONTEST_RULES = """Cuộc thi gồm 4 vòng hằng tuần từ 08:00 thứ Hai 13/6/2022 đến 07:00 ngày 11/7/2022.
Mỗi lượt thi có 20 câu hỏi trắc nghiệm và 1 câu hỏi dự đoán, làm trong 20 phút; mỗi người dự thi
tối đa 3 lần mỗi vòng, lấy kết quả cao nhất.
Xếp hạng theo số câu trả lời đúng, rồi dự đoán gần đáp án hơn, rồi thời gian làm bài ngắn hơn,
rồi nộp bài sớm hơn. Mỗi vòng có 1 giải Nhất, 2 giải Nhì, 5 giải Ba, 8 giải Khuyến khích.
Người của Ban tổ chức không được dự thi."""


def _seed_campaign() -> None:
    """Domain guide §13: entered 20/5/2022, issued 25/5/2022 as 118/KH-UBND (number invented)."""
    if Campaign.objects.filter(
        title__contains="110 năm Ngày sinh Tổng Bí thư Nguyễn Văn Cừ"
    ).exists():
        return
    office = User.objects.get(username="noivu")
    city = Unit.objects.get(code="TPBN")
    campaign = campaign_services.campaign_import(
        actor=office, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city
    )
    campaign = campaign_services.campaign_update(
        actor=office,
        campaign=campaign,
        version=campaign.version,
        method=EmulationMethod.THEMATIC,
        is_special=True,
        signer_authority="TM. ỦY BAN NHÂN DÂN",
        signer_title_line="KT. CHỦ TỊCH",
        signer_title="PHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn Thành",
        standing_agency=campaign.standing_agency or Unit.objects.get(code="NV"),
    )
    campaign_services.campaign_items_replace(
        actor=office, campaign=campaign, kind="criteria", items=CRITERIA
    )
    for assignment in campaign.assignments.filter(
        clause="IV.2"
    ):  # the anniversary column by 10/6/2022
        campaign_services.assignment_save(
            actor=office,
            campaign=campaign,
            assignment=assignment,
            clause=assignment.clause,
            text=assignment.text,
            units=[t.unit for t in assignment.targets.select_related("unit")],
            due_date=date(2022, 6, 10),
            due_working_days=None,
        )
    # Earlier plans of 2022 took numbers 1–117 in the city's register.
    DocumentSequence.objects.get_or_create(
        issuer_code="TPBN", doc_type="KH", year=2022, defaults={"last_number": 117}
    )
    campaign_services.campaign_issue(actor=office, campaign=campaign, issued_on=date(2022, 5, 25))


# Demo criteria drawn from the plan's contents (III.1); the seed itself names none.
CRITERIA = [
    {
        "text": "Tổ chức tọa đàm, nói chuyện chuyên đề về Tổng Bí thư Nguyễn Văn Cừ",
        "target_value": 2,
        "target_unit": "buổi",
    },
    {
        "text": "Cán bộ, đảng viên tham gia cuộc thi tìm hiểu",
        "target_value": 60,
        "target_unit": "%",
    },
    {
        "text": "Tin, bài tuyên truyền về phong trào thi đua",
        "target_value": 5,
        "target_unit": "tin, bài",
    },
]
UNREGISTERED_EVERY, DRAFT_EVERY = 7, 5  # one unit in 7 has not registered; one in 5 is a draft
PHOTO_COLOURS = [(139, 26, 26), (30, 90, 140), (40, 120, 70), (160, 110, 20), (90, 60, 130)]


def _photo(caption: str, n: int) -> SimpleUploadedFile:
    """A generated photo (no real people) for demo evidence."""
    colour = PHOTO_COLOURS[(n + len(caption)) % len(PHOTO_COLOURS)]
    image = Image.new("RGB", (800, 533), colour)
    draw = ImageDraw.Draw(image)
    for i in range(6):  # a row of "people" silhouettes so thumbnails are not blank
        x = 90 + i * 110
        draw.ellipse((x, 170, x + 60, 230), fill=(240, 220, 200))
        draw.rectangle((x - 10, 235, x + 70, 360), fill=(250, 250, 250))
    draw.rectangle((40, 380, 760, 500), fill=(255, 255, 255))
    draw.text((60, 420), f"{fold(caption)[:60]} #{n + 1}", fill=(0, 0, 0))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return SimpleUploadedFile(f"anh-{n + 1}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _officer(unit: Unit) -> User:
    """The unit's focal officer (demo accounts without a password, except the listed logins)."""
    grant = (
        UnitRole.objects.filter(unit=unit, role=Role.UNIT_OFFICER).select_related("user").first()
    )
    if grant:
        return grant.user
    user = User.objects.create(
        username=f"dm.{unit.code.lower()}",
        full_name=f"Cán bộ thi đua {unit.short_name or unit.name}",
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    services.unit_role_grant(actor=None, user=user, unit=unit, role=Role.UNIT_OFFICER)
    services.unit_role_grant(actor=None, user=user, unit=unit, role=Role.UNIT_HEAD)
    return user


# (unit code, form code, title, date, participants, photos); §13 of the domain guide marks these.
ACTIVITIES = [
    (
        "P-DAPCAU",
        "SEMINAR",
        "Tọa đàm kỷ niệm 110 năm Ngày sinh Tổng Bí thư Nguyễn Văn Cừ",
        date(2022, 7, 5),
        85,
        3,
    ),
    (
        "TTVHTTTT",
        "PHOTO_EXHIBITION",
        "Triển lãm ảnh trực tuyến “Nguyễn Văn Cừ – người con ưu tú của quê hương Kinh Bắc”",
        date(2022, 7, 1),
        0,
        4,
    ),
    (
        "GDĐT",
        "TALK",
        "Nói chuyện chuyên đề cho giáo viên về cuộc đời Tổng Bí thư Nguyễn Văn Cừ",
        date(2022, 7, 8),
        210,
        2,
    ),
    (
        "P-SUOIHOA",
        "SEMINAR",
        "Tọa đàm “Học tập tấm gương Tổng Bí thư Nguyễn Văn Cừ”",
        date(2022, 6, 28),
        120,
        2,
    ),
    ("P-SUOIHOA", "TALK", "Nói chuyện chuyên đề tại nhà văn hóa khu phố", date(2022, 7, 2), 95, 1),
]


def _participation(rng: random.Random) -> None:
    """The seed campaign in mid-life: registrations, activities, good models, difficulties."""
    campaign = Campaign.objects.filter(title__contains="110 năm Ngày sinh").first()
    if campaign is None or Registration.objects.filter(campaign=campaign).exists():
        return
    office = User.objects.get(username="noivu")
    deliveries = list(
        Delivery.objects.filter(campaign=campaign)
        .select_related("unit")
        .order_by("unit__name_sort")
    )
    criteria = list(campaign.criteria.all())
    forms = {f.code: f for f in campaign.forms.all()}
    for i, delivery in enumerate(deliveries):
        unit = delivery.unit
        in_city = unit.parent_id == campaign.owner_unit_id
        if (
            not in_city
            or unit.kind not in {UnitKind.WARD, UnitKind.OFFICE, UnitKind.SERVICE_UNIT}
            or i % UNREGISTERED_EVERY == UNREGISTERED_EVERY - 1
        ):
            continue  # some units have not registered yet
        actor = User.objects.get(username="donvi") if unit.code == "P-SUOIHOA" else _officer(unit)
        # A unit that registers has opened the plan and confirmed receiving it (the plan page's
        # "Tiếp nhận" tab), as its officer does in the product.
        campaign_services.delivery_open(actor=actor, campaign=campaign)
        campaign_services.delivery_acknowledge(actor=actor, campaign=campaign)
        commitments = [
            {
                "criterion_id": c.pk,
                "text": c.text,
                "target_kind": "number",
                "target_value": c.target_value,
                "target_unit": c.target_unit,
            }
            for c in criteria
        ]
        reg = participation.registration_save(
            actor=actor, campaign=campaign, unit=unit, note="", commitments=commitments
        )
        if i % DRAFT_EVERY != DRAFT_EVERY - 1:  # most are approved and submitted
            head = User.objects.get(username="thutruong") if unit.code == "P-SUOIHOA" else actor
            participation.registration_approve(actor=head, registration=reg)
    registered = {
        r.unit.code: r
        for r in Registration.objects.filter(campaign=campaign).select_related("unit")
    }
    done = 0
    for code, form_code, title, held_on, people, photos in ACTIVITIES:
        if code in registered:
            _activity(campaign, registered[code], forms[form_code], title, held_on, people, photos)
            done += 1
    for n, (_code, reg) in enumerate(sorted(registered.items())):
        if done >= 36:  # noqa: PLR2004 - a few dozen in all
            break
        form = list(forms.values())[n % len(forms)]
        _activity(
            campaign,
            reg,
            form,
            f"{form.label.capitalize()} – {reg.unit.short_name or reg.unit.name}",
            date(2022, 6, 1 + n % 28),
            rng.randint(30, 250),
            1 + n % 3,
        )
        done += 1
    _good_models_and_difficulties(campaign, office)


def _activity(  # noqa: PLR0917 - one row of ACTIVITIES
    campaign: Campaign,
    reg: Registration,
    form: ActivityForm,
    title: str,
    held_on: date,
    people: int,
    photos: int,
) -> None:
    actor = reg.submitted_by or reg.created_by
    talks = reg.commitments.filter(criterion__position=0).first()
    contributions = {talks.pk: Decimal(1)} if talks and form.code in {"SEMINAR", "TALK"} else {}
    participation.activity_record(
        actor=actor,
        campaign=campaign,
        unit=reg.unit,
        form=form,
        title=title,
        held_on=held_on,
        ends_on=date(2022, 7, 31) if form.code == "PHOTO_EXHIBITION" else None,
        place=reg.unit.short_name or "",
        description=f"{title}. Hoạt động hưởng ứng phong trào thi đua đặc biệt.",
        participants=people,
        contributions=contributions,
        files=[_photo(title, n) for n in range(photos)],
    )


def _good_models_and_difficulties(campaign: Campaign, office: User) -> None:
    def officer(code: str) -> tuple[User, Unit]:
        unit = Unit.objects.get(code=code)
        return (User.objects.get(username="donvi") if code == "P-SUOIHOA" else _officer(unit)), unit

    actor, unit = officer("P-KINHBAC")
    shelf = participation.good_model_propose(
        actor=actor,
        campaign=campaign,
        unit=unit,
        kind="model",
        title="Tủ sách Nguyễn Văn Cừ tại nhà văn hóa khu phố",
        description="Mỗi nhà văn hóa khu phố có một tủ sách về cuộc đời, sự nghiệp Tổng Bí thư Nguyễn Văn Cừ.",
        results="12 tủ sách, hơn 600 lượt mượn trong 3 tháng.",
        files=[_photo("Tu sach", 0)],
    )
    participation.good_model_review(
        actor=office, good_model=shelf, decision="accept", note="Mô hình hiệu quả, cần nhân rộng."
    )
    for code in ("P-VANAN", "P-THICAU", "P-DAIPHUC"):
        adopter, adopter_unit = officer(code)
        participation.good_model_adopt(
            actor=adopter, good_model=shelf, unit=adopter_unit, note="Lập tủ sách tại nhà văn hóa."
        )
    actor, unit = officer("P-SUOIHOA")
    participation.good_model_propose(
        actor=actor,
        campaign=campaign,
        unit=unit,
        kind="model",
        title="Sân khấu hóa câu chuyện về Tổng Bí thư",
        description="Đoàn thanh niên phường dựng tiểu phẩm về thời niên thiếu của Tổng Bí thư Nguyễn Văn Cừ.",
    )
    actor, unit = officer("P-VUNINH")
    video = participation.good_model_propose(
        actor=actor,
        campaign=campaign,
        unit=unit,
        kind="model",
        title="Video ngắn tuyên truyền trên mạng xã hội",
        description="Chuỗi video ngắn giới thiệu di tích, quê hương Tổng Bí thư.",
    )
    participation.good_model_review(
        actor=office,
        good_model=video,
        decision="more",
        note="Đề nghị bổ sung số lượt xem và đường dẫn các video.",
    )
    actor, unit = officer("P-HAPLINH")
    photos = participation.difficulty_raise(
        actor=actor,
        campaign=campaign,
        unit=unit,
        title="Thiếu tư liệu ảnh cho triển lãm",
        text="Phường chưa có bộ ảnh tư liệu về Tổng Bí thư Nguyễn Văn Cừ để tổ chức triển lãm.",
    )
    participation.difficulty_answer(
        actor=office,
        difficulty=photos,
        answer="Trung tâm Văn hóa, Thể thao và Truyền thông thành phố chia sẻ bộ 64 ảnh.",
    )
    actor, unit = officer("P-KHUCXUYEN")
    participation.difficulty_raise(
        actor=actor,
        campaign=campaign,
        unit=unit,
        title="Kinh phí tổ chức cuộc thi tìm hiểu",
        text="Đề nghị hướng dẫn nguồn kinh phí khen thưởng cho cuộc thi tìm hiểu cấp phường.",
    )


def _report_template() -> None:
    """A ready template for the final report (tổng kết); Nội vụ sends the request itself."""
    campaign = Campaign.objects.filter(title__contains="110 năm Ngày sinh").first()
    if campaign is None or ReportTemplate.objects.filter(campaign=campaign).exists():
        return
    reporting.template_create(
        actor=User.objects.get(username="noivu"),
        campaign=campaign,
        name="Báo cáo kết quả thực hiện phong trào thi đua đặc biệt",
        sections=[
            {
                "title": "Công tác chỉ đạo, triển khai",
                "guidance": "Văn bản, kế hoạch đơn vị đã ban hành.",
            },
            {
                "title": "Kết quả thực hiện",
                "guidance": "Các hoạt động nổi bật, mô hình hay, điển hình tiên tiến.",
            },
            {"title": "Khó khăn, vướng mắc và kiến nghị", "guidance": ""},
        ],
        indicators=[
            {
                "name": "Số hoạt động đã tổ chức",
                "unit_of_measure": "hoạt động",
                "aggregation": "sum",
                "source": "activities",
            },
            {
                "name": "Số lượt người tham gia",
                "unit_of_measure": "lượt",
                "aggregation": "sum",
                "source": "participants",
            },
            {
                "name": "Số người dự thi tìm hiểu",
                "unit_of_measure": "người",
                "aggregation": "sum",
                "source": "manual",
            },
            {
                "name": "Số tin, bài tuyên truyền",
                "unit_of_measure": "tin, bài",
                "aggregation": "sum",
                "source": "manual",
            },
            {
                "name": "Đã ban hành kế hoạch của đơn vị",
                "aggregation": "yes_share",
                "source": "manual",
                "is_yes_no": True,
            },
        ],
    )


REPORT_ROUND_TITLE = "Báo cáo kết quả thực hiện phong trào thi đua đặc biệt (đợt 1)"
# What the units that have reported wrote (the template's three sections), and their figures.
REPORT_TEXTS = [
    (
        "Đảng ủy, UBND ban hành kế hoạch thực hiện, phân công cán bộ đầu mối; quán triệt tới các "
        "tổ dân phố, chi hội.",
        "Tổ chức tọa đàm, trưng bày ảnh tư liệu về đồng chí Nguyễn Văn Cừ; phát động cuộc thi "
        "tìm hiểu tới đoàn viên, hội viên.",
        "Kinh phí tổ chức hoạt động ở tổ dân phố còn hạn chế.",
    ),
    (
        "Ban hành kế hoạch, lồng ghép tuyên truyền trong sinh hoạt chi bộ và hội nghị cơ quan.",
        "Trưng bày sách, báo về cuộc đời và sự nghiệp đồng chí Nguyễn Văn Cừ; 100% cán bộ tham "
        "gia cuộc thi tìm hiểu.",
        "",
    ),
]


def _report_round_instructions() -> list[str]:
    request = ReportRequest.objects.filter(title=REPORT_ROUND_TITLE).first()
    if request is None:
        return []
    return [
        "Báo cáo đợt 1 của phong trào (đã nộp, bị trả lại, chờ thủ trưởng duyệt, chưa nộp): "
        "noivu → Phong trào → Báo cáo; donvi lập báo cáo của phường Suối Hoa, thutruong duyệt và "
        "nộp:",
        f"  {settings.SITE_URL}{reverse('reporting:request-detail', args=[request.pk])}",
    ]


def _report_round() -> None:
    """Follow-up in mid-life (domain §6): Nội vụ has asked the units that registered for a
    progress report due in ten working days; a few reported, one was returned for more
    figures and one is with its head, so the request's page, the dashboard and the aggregated
    report have something to show. Suối Hoa's report is left for `donvi` to write."""
    template = ReportTemplate.objects.filter(campaign__title__contains="110 năm Ngày sinh").first()
    if template is None or ReportRequest.objects.filter(template=template).exists():
        return
    campaign = template.campaign
    office = User.objects.get(username="noivu")
    units = [
        r.unit
        for r in Registration.objects.filter(campaign=campaign)
        .select_related("unit")
        .order_by("unit__name_sort")
    ]
    request = reporting.request_create(
        actor=office,
        campaign=campaign,
        template=template,
        title=REPORT_ROUND_TITLE,
        units=units,
        due_working_days=10,
    )
    sections = [
        str(pk) for pk in template.sections.order_by("position").values_list("pk", flat=True)
    ]
    manual = {i.name: str(i.pk) for i in template.indicators.filter(source="manual")}
    others = [
        a
        for a in ReportAssignment.objects.filter(request=request)
        .select_related("unit", "request__template")
        .order_by("unit__name_sort")
        if a.unit.code != "P-SUOIHOA"
    ]
    # where each of the first five reports is now: accepted, returned, two submitted, one
    # with its head (the demo officer heads its unit too, so it sends and submits)
    outcomes = ["accepted", "returned", "submitted", "submitted", "with_head"]
    for n, (assignment, outcome) in enumerate(zip(others, outcomes, strict=False)):
        officer = _officer(assignment.unit)
        texts = REPORT_TEXTS[n % len(REPORT_TEXTS)]
        written = reporting.report_draft_save(
            actor=officer,
            assignment=assignment,
            narratives={key: text for key, text in zip(sections, texts, strict=True) if text},
            values={
                manual["Số người dự thi tìm hiểu"]: 120 + 35 * n,
                manual["Số tin, bài tuyên truyền"]: 6 + n,
                manual["Đã ban hành kế hoạch của đơn vị"]: True,
            },
        )
        sent = reporting.report_send_for_approval(actor=officer, assignment=written)
        if outcome == "with_head":
            continue
        submitted = reporting.report_submit(actor=officer, assignment=sent)
        if outcome == "accepted":
            reporting.report_accept(actor=office, assignment=submitted)
        elif outcome == "returned":
            reporting.report_return(
                actor=office,
                assignment=submitted,
                note="Đề nghị bổ sung số lượt người tham gia các hoạt động tại tổ dân phố.",
            )


def _dossier_file(name: str) -> SimpleUploadedFile:
    document = DocxDocument()
    document.add_paragraph(name)
    buffer = BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(f"{fold(name).replace(' ', '-')}.docx", buffer.getvalue())


def _dossier(campaign: Campaign, code: str, award: AwardType, *, collective: bool) -> Nomination:
    """A complete dossier of one ward or office, submitted by its head."""
    unit = Unit.objects.get(code=code)
    actor = User.objects.get(username="donvi") if code == "P-SUOIHOA" else _officer(unit)
    n = awards.nomination_create(actor=actor, campaign=campaign, unit=unit, award_type=award)
    if collective:
        awards.nominee_add(
            actor=actor,
            nomination=n,
            unit=unit,
            achievements="Tổ chức nhiều hoạt động thiết thực hưởng ứng phong trào.",
        )
    else:
        person = Person.objects.filter(unit=unit).order_by("name_sort").first()
        awards.nominee_add(
            actor=actor,
            nomination=n,
            person=person,
            achievements="Phụ trách triển lãm ảnh trực tuyến về Tổng Bí thư Nguyễn Văn Cừ.",
        )
    awards.document_attach(
        actor=actor, nomination=n, kind="submission", upload=_dossier_file("Tờ trình")
    )
    awards.document_attach(
        actor=actor, nomination=n, kind="minutes", upload=_dossier_file("Biên bản họp xét")
    )
    head = User.objects.get(username="thutruong") if code == "P-SUOIHOA" else actor
    return awards.nomination_submit(actor=head, nomination=n)


DEMO_GIAY_KHEN = "GK-HUYEN"  # the city's Giấy khen: the shipped district-level kind, renamed


def _award_rules() -> tuple[AwardType, AwardType]:
    """The shipped law (data migration 0010), with the district Giấy khen named for the city and
    kept in the current rule set so the 2022 story can go on today; the note says so."""
    seed_rules(AwardType, RuleSet, AwardRule)
    giay_khen = AwardType.objects.get(code=DEMO_GIAY_KHEN)
    if giay_khen.name != "Giấy khen của Chủ tịch UBND thành phố":
        giay_khen.name, giay_khen.signer_title = (
            "Giấy khen của Chủ tịch UBND thành phố",
            "Chủ tịch UBND thành phố",
        )
        giay_khen.save(update_fields=["name", "signer_title"])
    current = award_rules.rule_set_in_force(date(2025, 7, 1))
    office = User.objects.get(username="noivu")
    if current is not None and not current.rules.filter(award_type=giay_khen).exists():
        award_rules.rule_set_save(
            actor=office,
            rule_set=current,
            values={
                "note": current.note + "\n\nDữ liệu trình diễn: thành phố Bắc Ninh (cấp huyện) "
                "được giữ lại để trình diễn quy trình năm 2022 đến nay, nên quy định này có thêm "
                "Giấy khen của Chủ tịch UBND thành phố; theo pháp luật hiện hành không còn cấp "
                "huyện."
            },
            award_rules=[
                award_rules.AwardRuleData(
                    giay_khen,
                    {
                        "decided_by": "Chủ tịch UBND thành phố",
                        "full_documents": ["submission", "achievement_report", "minutes"],
                        "simplified_documents": ["submission", "summary"],
                        "allows_simplified": True,
                        "threshold_percent": 50,
                        "processing_working_days": 10,
                        "quota_per_unit": 3,
                        "prize_individual": Decimal("0.3"),  # as under Nghị định 98/2023
                        "prize_collective": Decimal("0.6"),
                        "prize_household": Decimal("0.3"),
                    },
                )
            ],
        )
    # The city's Giấy khen is given to households too in the demo (a ward's contributors).
    AwardType.objects.filter(pk=giay_khen.pk).update(allows_households=True)
    return AwardType.objects.get(code="BK-TINH"), giay_khen


def _awards() -> None:
    """Award types with their rules, an eleven-member council and nominations in several states."""
    campaign = Campaign.objects.filter(title__contains="110 năm Ngày sinh").first()
    if campaign is None or Council.objects.exists():
        return
    bang_khen, giay_khen = _award_rules()
    city = campaign.owner_unit
    body = Council.objects.create(
        owner_unit=city,
        name="Hội đồng Thi đua – Khen thưởng thành phố Bắc Ninh",
        term_start=date(2021, 7, 1),
    )
    for username, full_name, role, title in COUNCIL_SEATS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "email": f"{username}@tpbacninh.example.vn"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            services.unit_role_grant(actor=None, user=user, unit=city, role=Role.COUNCIL_MEMBER)
        CouncilMember.objects.create(council=body, user=user, role=role, title=title)
    office = User.objects.get(username="noivu")

    def dossier(code: str, award: AwardType, collective: bool) -> Nomination:
        return _dossier(campaign, code, award, collective=collective)

    kinh_bac = awards.nomination_receive(
        actor=office, nomination=dossier("P-KINHBAC", giay_khen, collective=True)
    )
    kinh_bac = awards.nomination_appraise(
        actor=office, nomination=kinh_bac, eligible=True, checklist=AppraisalRound.every_check()
    )
    centre = awards.nomination_receive(
        actor=office, nomination=dossier("TTVHTTTT", giay_khen, collective=False)
    )
    awards.nomination_return(
        actor=office,
        nomination=centre,
        note="Đề nghị bổ sung báo cáo thành tích có xác nhận của thủ trưởng đơn vị.",
    )
    dossier("VHTT", bang_khen, collective=True)  # submitted, waiting for receipt
    session = council.session_create(
        actor=office,
        council=body,
        title="Phiên họp xét khen thưởng phong trào 110 năm",
        held_on=date(2022, 12, 27),
        starts_at=time(14, 0),
        place="Phòng họp tầng 3, trụ sở UBND thành phố Bắc Ninh",
    )
    council.session_add_nominations(actor=office, session=session, nominations=[kinh_bac])


def _decisions() -> None:
    """A council session already held, a signed decision, its registry entries and a printer."""
    campaign = Campaign.objects.filter(title__contains="110 năm Ngày sinh").first()
    award = AwardType.objects.filter(code=DEMO_GIAY_KHEN).first()
    if campaign is None or award is None or Decision.objects.exists():
        return
    office = User.objects.get(username="noivu")
    chair = User.objects.get(username="lanhdao")
    body = Council.objects.get(owner_unit=campaign.owner_unit)
    dossiers = [
        _dossier(campaign, ward_code(name), award, collective=collective)
        for name, collective in (
            ("Đại Phúc", True),
            ("Đáp Cầu", False),
            ("Hòa Long", False),
            ("Khắc Niệm", True),
        )
    ]
    for n in dossiers:
        awards.nomination_receive(actor=office, nomination=n)
        awards.nomination_appraise(
            actor=office, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
        )
    session = council.session_create(
        actor=office,
        council=body,
        title="Phiên họp xét tặng Giấy khen phong trào 110 năm",
        held_on=date(2022, 12, 26),
        starts_at=time(8, 30),
        place="Phòng họp số 1, trụ sở UBND thành phố Bắc Ninh",
    )
    council.session_add_nominations(actor=office, session=session, nominations=dossiers)
    members = list(body.members.select_related("user").order_by("pk"))
    for member in members[:10]:  # one member is away and sends a written opinion
        council.attendance_set(actor=office, session=session, member=member, presence="present")
    council.written_opinion_submit(
        actor=members[10].user,
        session=session,
        reason="Đi công tác tại Hà Nội",
        choices=dict.fromkeys(session.items.values_list("pk", flat=True), "agree"),
    )
    council.counting_committee_set(
        actor=office,
        session=session,
        roles={members[3].pk: "head", members[4].pk: "member", members[5].pk: "member"},
    )
    session = council.session_open(actor=office, session=session)
    for item in session.items.all():
        council.item_vote_open(actor=office, item=item)
        for i, member in enumerate(members[:10]):
            choice = "disagree" if i == 9 else "agree"  # noqa: PLR2004 - one dissenting vote
            council.ballot_cast(actor=member.user, item=item, choice=choice)
        council.item_close(actor=chair, item=item)
    session = council.session_close(actor=chair, session=session)
    council.minutes_number(actor=office, session=session)
    draft = decisions.decision_draft(
        actor=office,
        campaign=campaign,
        award_type=award,
        nominees=list(recommended_nominees(campaign=campaign, award_type=award)),
    )
    decisions.decision_send_for_signature(actor=office, decision=draft)
    decisions.decision_approve(actor=chair, decision=draft, signed_on=date(2022, 12, 30))
    PrinterProfile.objects.get_or_create(
        owner_id=rules.runner_issuer_id(campaign),  # the city's, kept by its Phòng Nội vụ
        name="Máy in Canon LBP phòng Nội vụ",
        defaults={"offset_x_mm": Decimal("1.5"), "offset_y_mm": Decimal("-1.0")},
    )


def _portal() -> None:
    """The seed campaign's public pages (issue #10): articles, exhibition, books, events."""
    from thidua.portal import demo as portal_demo

    campaign = Campaign.objects.get(title__contains="110 năm Ngày sinh Tổng Bí thư Nguyễn Văn Cừ")
    portal_demo.load(campaign)


def _contest(rng: random.Random) -> None:
    """Domain guide §13.5: the knowledge contest (hypothetical), with 40 questions from the CSV
    file, round 1 of 2022 with sample entries, ranked, and a practice round open for a tour."""
    campaign = Campaign.objects.filter(title__contains="110 năm Ngày sinh").first()
    if campaign is None or Contest.objects.filter(title=CONTEST_TITLE).exists():
        return
    organiser = User.objects.get(username="bantochuc")
    contest = contests.contest_create(
        actor=organiser,
        campaign=campaign,
        organiser_unit=Unit.objects.get(code="BTGTU"),
        title=CONTEST_TITLE,
        rules_text=CONTEST_RULES,
    )
    with CONTEST_QUESTIONS.open("rb") as upload:
        contests.question_import(
            actor=organiser, contest=contest, upload=upload, filename=CONTEST_QUESTIONS.name
        )
    prizes = [
        {"tier": "first", "count": 1},
        {"tier": "second", "count": 2},
        {"tier": "third", "count": 5},
        {"tier": "consolation", "count": 8},
    ]
    hanoi = timezone.get_default_timezone()
    first = contests.round_create(
        actor=organiser,
        contest=contest,
        title="Vòng 1",
        opens_at=datetime(2022, 6, 13, 8, tzinfo=hanoi),
        closes_at=datetime(2022, 6, 20, 7, tzinfo=hanoi),
        question_count=20,
        time_limit_seconds=20 * 60,
        attempts_policy=AttemptsPolicy.LIMITED,
        max_attempts=3,
        prizes=prizes,
    )
    key = {str(q.pk): q.correct for q in first.pool.all()}
    wards = list(Unit.objects.filter(kind=UnitKind.WARD, valid_to__isnull=True))
    for i in range(40):  # invented entrants
        person = contests.contestant_register(
            contest=contest,
            full_name=f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}",
            birth_year=rng.randint(1960, 2006),
            unit=rng.choice(wards),
            consent=True,
        )
        started = first.opens_at + timedelta(hours=i * 3 + rng.randint(0, 2))
        attempt = Attempt.objects.create(
            round=first,
            contestant=person,
            number=1,
            attempt_limit=3,
            started_at=started,
            deadline=started + timedelta(seconds=first.time_limit_seconds + first.grace_seconds),
            questions=contests.draw(first),
        )
        right = rng.randint(14, 20)
        answers = {str(q): key[str(q)] for q, *_ in attempt.questions[:right]}
        hotpath.submit(
            str(attempt.token),
            uuid.uuid4(),
            answers,
            rng.randint(2, 12),
            now=started + timedelta(seconds=rng.randint(240, 1150)),
        )
    contests.round_rank(actor=organiser, round_=first)
    # Collective prizes by participation rate (entrants ÷ the wards' headcount), §13.5.
    contests.contest_update(
        actor=organiser,
        contest=contest,
        collective_prizes=[{"tier": "first", "count": 1}, {"tier": "second", "count": 2}],
    )
    contests.collective_prizes_allocate(actor=organiser, contest=contest)
    now = clock_now()
    contests.round_create(
        actor=organiser,
        contest=contest,
        title="Vòng thi thử (mở để dùng thử)",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=60),
        question_count=10,
        time_limit_seconds=15 * 60,
        is_practice=True,
    )
