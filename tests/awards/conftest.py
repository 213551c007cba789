from datetime import date

import pytest

from thidua.accounts.models import Role
from thidua.awards import council, services
from thidua.awards.models import AppraisalRound, AwardRule, AwardType, Council, CouncilMember
from thidua.organizations.models import Person

FULL = ["submission", "achievement_report", "minutes"]


@pytest.fixture
def giay_khen(db):
    award = AwardType.objects.create(
        code="GK-TP",
        name="Giấy khen của Chủ tịch UBND thành phố",
        level="district",
        signer_title="Chủ tịch UBND thành phố",
    )
    AwardRule.objects.create(
        award_type=award,
        effective_from=date(2020, 1, 1),
        full_documents=FULL,
        quota_per_unit=2,
        processing_working_days=10,
        threshold_percent=50,
    )
    return award


@pytest.fixture
def board(city, make_user):
    """A council of 15: the chair and 14 members (domain guide §13)."""
    body = Council.objects.create(
        owner_unit=city.city, name="Hội đồng TĐKT thành phố", term_start=date(2021, 1, 1)
    )
    members = []
    for i in range(15):
        user = make_user(Role.COUNCIL_MEMBER, username=f"hd{i}")
        members.append(
            CouncilMember.objects.create(
                council=body, user=user, role="chair" if i == 0 else "member"
            )
        )
    return body, members


@pytest.fixture
def eligible(campaign, giay_khen, officer, head, office_user, city):
    person = Person.objects.create(
        full_name="Vũ Thị Hạnh", gender="female", unit=city.suoi_hoa, category="public_employee"
    )
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    from tests.awards.test_services import complete

    complete(n, officer, [person])
    services.nomination_submit(actor=head, nomination=n)
    services.nomination_receive(actor=office_user, nomination=n)
    return services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )


@pytest.fixture
def signer(make_user, city):
    user = make_user(Role.SIGNER, city.city, username="chutich")
    user.full_name = "Lê Quang Minh"
    user.save(update_fields=["full_name"])
    return user


@pytest.fixture
def recommended(office_user, board, eligible):
    """The eligible dossier's nominee, voted for by 13 of 15 members."""
    from tests.awards.test_council import open_session

    _session, item, members = open_session(office_user, board, eligible, present=13, written=0)
    for member in members[:13]:
        council.ballot_cast(actor=member.user, item=item, choice="agree")
    council.item_close(actor=members[0].user, item=item)
    return eligible


@pytest.fixture
def decided(office_user, signer, campaign, recommended):
    """A final decision (01/QĐ-UBND of 30/12/2022) with one registry entry."""
    from thidua.awards import decisions
    from thidua.awards.selectors import recommended_nominees

    d = decisions.decision_draft(
        actor=office_user,
        campaign=campaign,
        award_type=recommended.award_type,
        nominees=list(recommended_nominees(campaign=campaign)),
    )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    return decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))


ELEVEN = [  # (username, full name, council role, title)
    ("chutichhd", "Lê Quang Minh", "chair", "Chủ tịch UBND thành phố"),
    ("phochutichhd", "Nguyễn Văn Thành", "vice_chair", "Phó Chủ tịch UBND thành phố"),
    ("thukyhd", "Nguyễn Thị Thu Hà", "secretary", "Trưởng phòng Nội vụ"),
    ("uyvien1", "Trần Văn Khải", "member", "Chánh Văn phòng HĐND và UBND thành phố"),
    ("uyvien2", "Phạm Thị Lan", "member", "Trưởng phòng Tài chính – Kế hoạch"),
    ("uyvien3", "Đỗ Minh Đức", "member", "Trưởng phòng Văn hóa và Thông tin"),
    ("uyvien4", "Hoàng Thị Mai", "member", "Chủ tịch Ủy ban MTTQ Việt Nam thành phố"),
    ("uyvien5", "Vũ Đình Long", "member", "Chủ tịch Liên đoàn Lao động thành phố"),
    ("uyvien6", "Ngô Thị Hằng", "member", "Chủ tịch Hội Liên hiệp Phụ nữ thành phố"),
    ("uyvien7", "Bùi Văn Nam", "member", "Bí thư Thành đoàn"),
    ("uyvien8", "Đặng Thị Thu", "member", "Trưởng phòng Giáo dục và Đào tạo"),
]


@pytest.fixture
def council11(city, make_user):
    """An eleven-member council like the demo's: chair, vice-chair, secretary, eight members."""
    body = Council.objects.create(
        owner_unit=city.city,
        name="Hội đồng Thi đua – Khen thưởng thành phố Bắc Ninh",
        term_start=date(2021, 7, 1),
    )
    members = []
    for username, name, role, title in ELEVEN:
        user = make_user(Role.COUNCIL_MEMBER, username=username)
        user.full_name = name
        user.save(update_fields=["full_name"])
        members.append(
            CouncilMember.objects.create(council=body, user=user, role=role, title=title)
        )
    return body, members


@pytest.fixture
def agenda(campaign, giay_khen, officer, head, office_user, city):
    """An eligible dossier of phường Suối Hoa with three nominees: two people and the ward."""
    giay_khen.rules.update(quota_per_unit=None)
    people = [
        Person.objects.create(
            full_name=name,
            gender=gender,
            unit=city.suoi_hoa,
            category="civil_servant",
            position=position,
        )
        for name, gender, position in (
            ("Vũ Thị Hạnh", "female", "Công chức văn hóa – xã hội"),
            ("Ngô Văn Bình", "male", "Phó Chủ tịch UBND phường"),
        )
    ]
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    from tests.awards.test_services import complete

    complete(n, officer, people)
    services.nominee_add(
        actor=officer, nomination=n, unit=city.suoi_hoa, achievements="Tổ chức 4 buổi tọa đàm"
    )
    services.nomination_submit(actor=head, nomination=n)
    services.nomination_receive(actor=office_user, nomination=n)
    return services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
