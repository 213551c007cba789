"""Demo data for Bắc Ninh city in 2022, created through the services. Safe to run twice.

Ward and office names are real (domain guide §4.5); schools, enterprises, people and every
account are invented. Blocks are editable demo groupings: the real 2022 blocks are unknown.
"""

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from thidua.accounts.models import Role, User
from thidua.campaigns import services as campaign_services
from thidua.campaigns.models import Campaign, EmulationMethod
from thidua.core.models import DocumentSequence
from thidua.core.text import fold
from thidua.organizations import services
from thidua.organizations.models import EmulationBlock, Person, PersonCategory, Unit, UnitKind

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


def login_lines() -> list[str]:
    return [
        f"Tài khoản dùng thử (mật khẩu chung: {DEMO_PASSWORD}):",
        f"  {'admin':<12} Quản trị cài đặt (superuser, trang /quan-tri/)",
        *(
            f"  {x.username:<12} {x.full_name} – {Role(x.role).label} ({x.unit_code})"
            for x in LOGINS
        ),
    ]


def ward_code(name: str) -> str:
    return "P-" + fold(name).replace(" ", "").upper()


def _unit(
    actor: User, code: str, name: str, kind: str, parent: Unit | None, **extra: object
) -> Unit:
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
