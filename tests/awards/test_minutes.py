import re
from datetime import date, time
from io import BytesIO

import docx
import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import verified_client
from thidua.awards import council
from thidua.awards.models import CouncilSession

pytestmark = pytest.mark.django_db

PLACE = "Phòng họp tầng 3, trụ sở UBND thành phố Bắc Ninh"


def _new_session(office_user, council11, agenda):
    """The council's session on the dossier's three nominees, not yet held."""
    body, members = council11
    session = council.session_create(
        actor=office_user,
        council=body,
        title="Xét khen thưởng phong trào thi đua đặc biệt năm 2022",
        held_on=date(2022, 12, 27),
        starts_at=time(14, 0),
        place=PLACE,
    )
    council.session_add_nominations(actor=office_user, session=session, nominations=[agenda])
    return session, list(session.items.order_by("position")), members


def held_session(office_user, council11, agenda) -> CouncilSession:
    """Eleven members: nine present, two absent who sent written opinions; three nominees."""
    session, items, members = _new_session(office_user, council11, agenda)
    for member in members[:9]:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    for member, reason, choices in (
        (members[9], "Đi công tác tại Hà Nội", ["agree", "agree", "agree"]),
        (members[10], "Nghỉ ốm", ["agree", "disagree", "disagree"]),
    ):
        council.written_opinion_submit(
            actor=member.user,
            session=session,
            reason=reason,
            choices={i.pk: c for i, c in zip(items, choices, strict=True)},
        )
    council.counting_committee_set(
        actor=office_user,
        session=session,
        roles={members[3].pk: "head", members[4].pk: "member", members[5].pk: "member"},
    )
    session = council.session_open(actor=office_user, session=session)
    plans = [
        ["agree"] * 9,
        ["agree"] * 7 + ["disagree"] * 2,
        ["agree"] * 3 + ["disagree"] * 5 + ["abstain"],
    ]
    chair = members[0].user
    for item, plan in zip(items, plans, strict=True):
        council.item_vote_open(actor=chair, item=item)
        for member, choice in zip(members[:9], plan, strict=True):
            council.ballot_cast(actor=member.user, item=item, choice=choice)
        council.item_close(actor=chair, item=item)
    with time_machine.travel("2022-12-27 16:30 +0700", tick=False):
        session = council.session_close(actor=chair, session=session)
    council.minutes_number(actor=office_user, session=session)
    return CouncilSession.objects.get(pk=session.pk)


def _text(pdf: bytes) -> tuple[str, list[str]]:
    pages = [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]
    return " ".join(" ".join(pages).split()), pages


def test_minutes_hold_every_element_the_rules_ask_for(office_user, council11, agenda):
    session = held_session(office_user, council11, agenda)
    client = verified_client(office_user)
    pdf = client.get(reverse("awards:minutes-pdf", args=[session.pk])).content
    text, pages = _text(pdf)
    first_lines = [line.strip() for line in pages[0].splitlines()]
    # Header: the issuer name keeps "BẮC NINH" whole; number from the council's own series.
    assert first_lines[:3] == ["UBND THÀNH PHỐ BẮC NINH", "HỘI ĐỒNG THI ĐUA –", "KHEN THƯỞNG"]
    assert not any(line.endswith("BẮC") for line in first_lines)
    assert "Số: 01/BB-HĐTĐKT" in text
    assert "Bắc Ninh, ngày 27 tháng 12 năm 2022" in text
    assert "BIÊN BẢN" in text
    # Time and place.
    assert "Thời gian: 14 giờ 00, ngày 27/12/2022." in text
    assert f"Địa điểm: {PLACE}." in text
    # Chair and secretary.
    assert "Chủ trì: đồng chí Lê Quang Minh, Chủ tịch UBND thành phố – Chủ tịch Hội đồng." in text
    assert "Thư ký: đồng chí Nguyễn Thị Thu Hà, Trưởng phòng Nội vụ – Thư ký Hội đồng." in text
    # Present and absent members, with reasons.
    assert "Tổng số thành viên Hội đồng: 11 đồng chí; có mặt: 09 đồng chí (81,8%)" in text
    for name in ("Nguyễn Văn Thành", "Trần Văn Khải", "Ngô Thị Hằng", "Vũ Đình Long"):
        assert name in text
    assert (
        "Đồng chí Bùi Văn Nam, Bí thư Thành đoàn – Ủy viên (lý do: Đi công tác tại Hà Nội; "
        "có ý kiến bằng văn bản)" in text
    )
    assert (
        "Đồng chí Đặng Thị Thu, Trưởng phòng Giáo dục và Đào tạo – Ủy viên (lý do: Nghỉ ốm" in text
    )
    assert "bảo đảm từ 2/3 tổng số thành viên Hội đồng trở lên: phiên họp hợp lệ" in text
    # The written opinions.
    assert "Có 02 thành viên vắng mặt gửi ý kiến bằng văn bản" in text
    assert "Đồng chí Bùi Văn Nam: đồng ý 03 trường hợp (Bà Vũ Thị Hạnh" in text
    assert "Đồng chí Đặng Thị Thu: đồng ý 01 trường hợp (Bà Vũ Thị Hạnh" in text
    assert "không đồng ý 02 trường hợp (Ông Ngô Văn Bình" in text
    # Secret ballot, counting committee.
    assert "Hội đồng biểu quyết bằng hình thức bỏ phiếu kín." in text
    assert (
        "Ban kiểm phiếu gồm: đồng chí Trần Văn Khải – Trưởng ban; đồng chí Phạm Thị Lan – "
        "Thành viên; đồng chí Đỗ Minh Đức – Thành viên." in text
    )
    # Results per nominee against the threshold of the whole membership.
    assert (
        "Bà Vũ Thị Hạnh, Công chức văn hóa – xã hội, Phường Suối Hoa (Giấy khen của Chủ tịch "
        "UBND thành phố): đồng ý 11/11 (100%) (gồm 09 phiếu tại phiên họp và 02 ý kiến bằng văn "
        "bản); không đồng ý 0; không biểu quyết 0. Ngưỡng: từ 50% tổng số thành viên trở lên "
        "đồng ý: đạt. Kết luận: Đề nghị khen thưởng." in text
    )
    assert "đồng ý 8/11 (72,7%) (gồm 07 phiếu tại phiên họp và 01 ý kiến bằng văn bản)" in text
    assert (
        "Tập thể Ủy ban nhân dân phường Suối Hoa (Giấy khen của Chủ tịch UBND thành phố): đồng ý "
        "4/11 (36,4%) (gồm 03 phiếu tại phiên họp và 01 ý kiến bằng văn bản); không đồng ý 6; "
        "không biểu quyết 1. Ngưỡng: từ 50% tổng số thành viên trở lên đồng ý: không đạt. Kết "
        "luận: Không đề nghị khen thưởng." in text
    )
    assert not re.search(r"\d\.\d%", text)  # decimal comma only
    # Conclusion, closing time, signatures of secretary and chair with the last paragraph.
    assert (
        "đề nghị Chủ tịch UBND thành phố xét, tặng Giấy khen của Chủ tịch UBND thành phố cho 02 "
        "cá nhân đạt tỷ lệ" in text
    )
    assert "Phiên họp kết thúc vào hồi 16 giờ 30 cùng ngày." in text
    last = " ".join(pages[-1].split())
    for sign in ("THƯ KÝ HỘI ĐỒNG", "CHỦ TỊCH HỘI ĐỒNG", "Nguyễn Thị Thu Hà", "Lê Quang Minh"):
        assert sign in last
    assert "được thông qua tại phiên họp./." in last


def test_minutes_docx_holds_the_same_record(office_user, council11, agenda):
    session = held_session(office_user, council11, agenda)
    client = verified_client(office_user)
    response = client.get(reverse("awards:minutes-pdf", args=[session.pk]) + "?dang=docx")
    assert response["Content-Disposition"].endswith('.docx"')
    document = docx.Document(BytesIO(response.content))
    text = " ".join(p.text for p in document.paragraphs)
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Thời gian: 14 giờ 00, ngày 27/12/2022." in text
    assert "có mặt: 09 đồng chí (81,8%)" in text
    assert "đồng ý 8/11 (72,7%)" in text
    assert "bỏ phiếu kín" in text
    assert "Ban kiểm phiếu gồm" in text
    assert "UBND THÀNH PHỐ BẮC NINH\nHỘI ĐỒNG THI ĐUA –\nKHEN THƯỞNG" in cells
    assert "THƯ KÝ HỘI ĐỒNG" in cells
    assert "CHỦ TỊCH HỘI ĐỒNG" in cells


@pytest.mark.parametrize(
    "owner_name",
    ["Uỷ ban nhân dân thành phố Bắc Ninh", "ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH"],
)
def test_minutes_header_shortens_the_authority_however_it_is_spelt(
    office_user, council11, agenda, city, owner_name
):
    """A city stored as "Uỷ ban nhân dân …" (tone on the y) or in capitals: the header read
    "UỶ BAN NHÂN DÂN THÀNH PHỐ BẮC NINH" over "HỘI ĐỒNG … THÀNH PHỐ BẮC NINH", the place said
    twice, where "Ủy ban nhân dân …" gives "UBND THÀNH PHỐ BẮC NINH" and the place once."""
    city.city.name = owner_name
    city.city.save(update_fields=["name"])
    session = held_session(office_user, council11, agenda)
    client = verified_client(office_user)
    url = reverse("awards:minutes-pdf", args=[session.pk])
    first_lines = [line.strip() for line in _text(client.get(url).content)[1][0].splitlines()]
    assert first_lines[:3] == ["UBND THÀNH PHỐ BẮC NINH", "HỘI ĐỒNG THI ĐUA –", "KHEN THƯỞNG"]
    document = docx.Document(BytesIO(client.get(url + "?dang=docx").content))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "UBND THÀNH PHỐ BẮC NINH\nHỘI ĐỒNG THI ĐUA –\nKHEN THƯỞNG" in cells
    assert "ỦY BAN" not in cells.upper().replace("Ỷ", "Ủ")


@pytest.mark.parametrize(
    ("ballots", "result"),
    [
        # ten ballots and one absence with no opinion: the line adds up to eleven
        (
            ["agree"] * 8 + ["disagree", "abstain"],
            "đồng ý 8/11 (72,7%); không đồng ý 1; không biểu quyết 1; vắng mặt, không có ý kiến "
            "1. Ngưỡng:",
        ),
        # ten present, nine ballots: who was absent and who was present but did not vote (the
        # minutes are an official record), not two absences
        (
            ["agree"] * 7 + ["disagree", "abstain"],
            "đồng ý 7/11 (63,6%); không đồng ý 1; không biểu quyết 1; vắng mặt, không có ý kiến "
            "1; có mặt nhưng không bỏ phiếu 1. Ngưỡng:",
        ),
    ],
)
def test_members_who_gave_no_vote_are_counted_apart(
    office_user, council11, agenda, ballots, result
):
    """Ten members present, one absent without a written opinion."""
    session, items, members = _new_session(office_user, council11, agenda)
    for member in members[:10]:
        council.attendance_set(
            actor=office_user, session=session, member=member, presence="present"
        )
    council.attendance_set(
        actor=office_user, session=session, member=members[10], presence="absent", reason="Ốm"
    )
    session = council.session_open(actor=office_user, session=session)
    chair = members[0].user
    for item in items:
        council.item_vote_open(actor=chair, item=item)
        for member, choice in zip(members, ballots, strict=False):
            council.ballot_cast(actor=member.user, item=item, choice=choice)
        council.item_close(actor=chair, item=item)
    session = council.session_close(actor=chair, session=session)
    council.minutes_number(actor=office_user, session=session)
    pdf = verified_client(office_user).get(reverse("awards:minutes-pdf", args=[session.pk]))
    assert result in _text(pdf.content)[0]
