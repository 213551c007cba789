import io
import random
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories.images import photo
from tests.factories.xlsx import xlsx_upload
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.notifications.models import Notice
from thidua.participation import selectors, services
from thidua.participation.models import Difficulty, GoodModel, Registration

pytestmark = pytest.mark.django_db


def commitments(campaign):
    talk = campaign.criteria.first()
    return [
        {
            "criterion_id": talk.pk,
            "text": talk.text,
            "target_kind": "number",
            "target_value": Decimal(3),
            "target_unit": "buổi",
        },
        {
            "criterion_id": None,
            "text": "Trưng bày sách tại thư viện phường",
            "target_kind": "yes_no",
        },
    ]


def register(campaign, officer, head, unit):
    reg = services.registration_save(
        actor=officer, campaign=campaign, unit=unit, note="", commitments=commitments(campaign)
    )
    reg = services.registration_send_for_approval(actor=officer, registration=reg)
    return services.registration_approve(actor=head, registration=reg)


def test_registration_flow_and_log(campaign, officer, head, city):
    reg = services.registration_save(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        note="Quyết tâm",
        commitments=commitments(campaign),
    )
    assert reg.status == Registration.Status.DRAFT
    assert reg.commitments.count() == 2
    reg = services.registration_send_for_approval(actor=officer, registration=reg)
    assert Notice.objects.filter(user=head, title__startswith="Đăng ký thi đua chờ duyệt").exists()
    with pytest.raises(PermissionDenied):
        services.registration_approve(actor=officer, registration=reg)  # only the head approves
    reg = services.registration_return(
        actor=head, registration=reg, note="Bổ sung chỉ tiêu tin bài"
    )
    assert reg.status == Registration.Status.DRAFT
    reg = services.registration_approve(actor=head, registration=reg)
    assert reg.status == Registration.Status.SUBMITTED
    assert reg.submitted_by == head
    actions = list(
        ActionLog.objects.filter(
            target_id=str(reg.pk), action__startswith="participation.registration"
        )
        .values_list("action", flat=True)
        .order_by("pk")
    )
    assert actions == [
        "participation.registration.created",
        "participation.registration.sent_for_approval",
        "participation.registration.returned",
        "participation.registration.submitted",
    ]
    with pytest.raises(ValidationError):
        services.registration_save(
            actor=officer,
            campaign=campaign,
            unit=city.suoi_hoa,
            note="",
            commitments=commitments(campaign),
        )


def test_number_commitment_needs_a_value_and_units_act_only_for_themselves(campaign, officer, city):
    with pytest.raises(ValidationError):
        services.registration_save(
            actor=officer,
            campaign=campaign,
            unit=city.suoi_hoa,
            note="",
            commitments=[{"text": "Tọa đàm", "target_kind": "number"}],
        )
    with pytest.raises(PermissionDenied):
        services.registration_save(
            actor=officer,
            campaign=campaign,
            unit=city.vu_ninh,
            note="",
            commitments=commitments(campaign),
        )


def test_remind_reaches_units_not_registered(campaign, officer, head, office_user, make_user, city):
    register(campaign, officer, head, city.suoi_hoa)
    vu_ninh_officer = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    reminded = services.registration_remind_missing(actor=office_user, campaign=campaign)
    assert reminded >= 1
    assert Notice.objects.filter(
        user=vu_ninh_officer, title__startswith="Đề nghị đăng ký thi đua"
    ).exists()
    assert not Notice.objects.filter(
        user=officer, title__startswith="Đề nghị đăng ký thi đua"
    ).exists()
    with pytest.raises(PermissionDenied):
        services.registration_remind_missing(actor=officer, campaign=campaign)


def test_a_body_the_plan_reports_to_neither_registers_nor_is_reminded(
    campaign, officer, office_user, make_user, city
):
    """A plan sent "để báo cáo" or "để biết" (a superior, an informed body) asks nothing of it:
    not on the registration board, not reminded to register, and cannot register."""
    from thidua.campaigns.models import Delivery, RecipientRole

    Delivery.objects.filter(campaign=campaign, unit=city.vu_ninh).update(role=RecipientRole.REPORT)
    vu_ninh_officer = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    board = [
        row.unit for row in selectors.registration_overview(actor=office_user, campaign=campaign)
    ]
    assert city.suoi_hoa in board
    assert city.vu_ninh not in board
    assert selectors.acting_units(vu_ninh_officer, campaign) == []
    rollup = selectors.campaign_rollup(actor=office_user, campaign=campaign)
    assert city.vu_ninh.pk not in {row.unit_id for row in rollup["units"]}
    assert city.suoi_hoa.pk in {row.unit_id for row in rollup["units"]}
    services.registration_remind_missing(actor=office_user, campaign=campaign)
    assert not Notice.objects.filter(user=vu_ninh_officer).exists()
    assert Notice.objects.filter(user=officer, title__startswith="Đề nghị đăng ký").exists()
    with pytest.raises(ValidationError, match="để báo cáo hoặc để biết"):
        services.registration_save(
            actor=vu_ninh_officer,
            campaign=campaign,
            unit=city.vu_ninh,
            note="",
            commitments=commitments(campaign),
        )


def test_photo_exhibition_raises_progress_and_strips_location(campaign, officer, head, city):
    reg = register(campaign, officer, head, city.suoi_hoa)
    talks = reg.commitments.get(position=0)
    form = campaign.forms.get(code="PHOTO_EXHIBITION")
    activity = services.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=form,
        title="Triển lãm ảnh về Tổng Bí thư",
        held_on=date(2022, 7, 1),
        participants=120,
        contributions={talks.pk: Decimal(1)},
        files=[photo("a.jpg", gps=True), photo("b.jpg"), photo("c.jpg")],
    )
    assert activity.evidence.count() == 3
    stored = activity.evidence.first()
    with default_storage.open(stored.file.name) as f:
        assert not Image.open(f).getexif().get_ifd(0x8825)
    assert stored.thumbnail.name
    progress = selectors.commitments_with_progress().get(pk=talks.pk)
    assert progress.actual == 1
    rollup = selectors.campaign_rollup(actor=officer, campaign=campaign)
    assert rollup["total"].participants == 120


def test_renamed_executable_is_refused_and_nothing_is_saved(campaign, officer, head, city):
    register(campaign, officer, head, city.suoi_hoa)
    fake = SimpleUploadedFile(
        "anh.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, content_type="image/jpeg"
    )
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            actor=officer,
            campaign=campaign,
            unit=city.suoi_hoa,
            form=campaign.forms.first(),
            title="Tọa đàm",
            held_on=date(2022, 7, 1),
            participants=10,
            files=[photo(), fake],
        )
    assert "anh.jpg" in exc.value.messages[0]
    assert not campaign.activities.exists()


def test_activity_import_all_or_nothing(campaign, officer, head, city):
    register(campaign, officer, head, city.suoi_hoa)
    header = [
        "Hình thức",
        "Tên hoạt động",
        "Ngày tổ chức",
        "Đến ngày",
        "Địa điểm",
        "Số người tham gia",
        "Mô tả",
    ]
    bad = xlsx_upload(
        [
            header,
            ["Tọa đàm", "Tọa đàm A", "05/07/2022", None, "Nhà văn hóa", 50, None],
            ["Hội diễn", "Hội diễn B", "32/07/2022", None, None, "nhiều", None],
        ]
    )
    count, errors = services.activities_import(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, upload=bad
    )
    assert count == 0
    assert {(e.row, e.column) for e in errors} == {
        (3, "Ngày tổ chức"),
        (3, "Số người tham gia"),
        (3, "Hình thức"),
    }
    assert not campaign.activities.exists()
    good = xlsx_upload(
        [
            header,
            ["tọa đàm", "Tọa đàm A", "05/07/2022", None, "Nhà văn hóa", 50, None],
            ["Trưng bày sách", "Trưng bày B", "10/07/2022", "20/07/2022", None, 300, None],
        ]
    )
    count, errors = services.activities_import(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, upload=good
    )
    assert (count, errors) == (2, [])
    assert campaign.activities.count() == 2


def test_good_model_review_adoption_and_refusals(campaign, officer, office_user, make_user, city):
    gm = services.good_model_propose(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        kind="model",
        title="Tủ sách khu phố",
        description="Mô tả",
    )
    with pytest.raises(PermissionDenied):
        services.good_model_review(actor=officer, good_model=gm, decision="accept", note="")
    with pytest.raises(ValidationError):
        services.good_model_review(actor=office_user, good_model=gm, decision="decline", note="")
    gm = services.good_model_review(
        actor=office_user, good_model=gm, decision="more", note="Bổ sung số liệu"
    )
    gm = services.good_model_resubmit(
        actor=officer, good_model=gm, description="Mô tả đầy đủ", results="600 lượt"
    )
    gm = services.good_model_review(actor=office_user, good_model=gm, decision="accept", note="")
    assert gm.ready_for_portal
    with pytest.raises(ValidationError):
        services.good_model_adopt(actor=officer, good_model=gm, unit=city.suoi_hoa, note="")
    other = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    services.good_model_adopt(actor=other, good_model=gm, unit=city.vu_ninh, note="Áp dụng")
    services.good_model_adopt(actor=other, good_model=gm, unit=city.vu_ninh, note="Lần hai")
    listed = selectors.good_model_list_for(actor=other, campaign=campaign).get(pk=gm.pk)
    assert listed.adoption_count == 1
    assert Notice.objects.filter(user=officer, title__contains="được công nhận").exists()


def test_difficulty_answered_forwarded_closed(campaign, officer, office_user, make_user, city):
    d = services.difficulty_raise(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        title="Thiếu ảnh",
        text="Chưa có bộ ảnh",
    )
    assert selectors.open_difficulty_count(campaign=campaign) == 1
    signer = make_user(Role.SIGNER)
    d = services.difficulty_forward(actor=office_user, difficulty=d)
    assert Notice.objects.filter(user=signer, title__startswith="Xin ý kiến chỉ đạo").exists()
    with pytest.raises(ValidationError):
        services.difficulty_answer(actor=office_user, difficulty=d, answer=" ")
    d = services.difficulty_answer(actor=office_user, difficulty=d, answer="Trung tâm chia sẻ ảnh")
    assert Notice.objects.filter(user=officer, title="Đã trả lời: Thiếu ảnh").exists()
    d = services.difficulty_close(actor=office_user, difficulty=d)
    assert d.status == Difficulty.Status.CLOSED
    assert selectors.open_difficulty_count(campaign=campaign) == 0
    with pytest.raises(PermissionDenied):
        services.difficulty_close(actor=officer, difficulty=d)


def test_units_see_only_their_records_and_block_heads_their_block(
    campaign, officer, head, make_user, city
):
    from thidua.organizations.models import EmulationBlock

    register(campaign, officer, head, city.suoi_hoa)
    vu_ninh = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    services.difficulty_raise(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, title="A", text="B"
    )
    assert not selectors.difficulty_list_for(actor=vu_ninh, campaign=campaign).exists()
    assert not selectors.registration_list_for(actor=vu_ninh, campaign=campaign).exists()
    block = EmulationBlock.objects.create(year=2022, name="Khối phường", head_unit=city.vu_ninh)
    block.members.set([city.vu_ninh, city.suoi_hoa])
    assert selectors.difficulty_list_for(actor=vu_ninh, campaign=campaign).count() == 1
    assert GoodModel.objects.count() == 0


def test_pledge_by_block_head_lists_members(campaign, make_user, city):
    from thidua.organizations.models import EmulationBlock

    block = EmulationBlock.objects.create(year=2022, name="Khối phường", head_unit=city.vu_ninh)
    block.members.set([city.vu_ninh, city.suoi_hoa])
    head_officer = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    pledge = services.pledge_sign(
        actor=head_officer,
        campaign=campaign,
        block=block,
        text="Giao ước",
        signed_on=date(2022, 6, 1),
    )
    assert set(pledge.members.all()) == {city.vu_ninh, city.suoi_hoa}
    with pytest.raises(PermissionDenied):
        services.pledge_sign(
            actor=make_user(Role.UNIT_OFFICER, city.suoi_hoa),
            campaign=campaign,
            block=block,
            text="X",
            signed_on=date(2022, 6, 1),
        )


def test_editing_a_draft_registration_keeps_progress(campaign, officer, city):
    reg = services.registration_save(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        note="",
        commitments=commitments(campaign),
    )
    talks = reg.commitments.get(position=0)
    services.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=campaign.forms.first(),
        title="Tọa đàm",
        held_on=date(2022, 7, 1),
        contributions={talks.pk: Decimal(2)},
    )
    edited = [{**commitments(campaign)[0], "target_value": Decimal(5)}]
    reg = services.registration_save(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, note="", commitments=edited
    )
    talks.refresh_from_db()
    assert (reg.commitments.count(), talks.target_value, talks.actual) == (1, 5, 2)


def test_month_and_form_counters_follow_records_and_edits(campaign, officer, head, city):
    from django.db.models import Count, Sum

    from thidua.participation.models import Activity, ActivityStat

    register(campaign, officer, head, city.suoi_hoa)
    form = campaign.forms.first()
    first = services.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=form,
        title="A",
        held_on=date(2022, 6, 30),
        participants=40,
    )
    services.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=form,
        title="B",
        held_on=date(2022, 7, 2),
        participants=60,
    )
    services.activity_update(
        actor=officer, activity=first, held_on=date(2022, 7, 1), participants=45
    )

    def counters():
        return {
            (s.month, s.form_code): (s.activities, s.participants)
            for s in ActivityStat.objects.filter(campaign=campaign)
            if s.activities
        }

    expected = {
        (r["held_month"], r["form_code"]): (r["n"], r["people"])
        for r in Activity.objects.filter(campaign=campaign)
        .values("held_month", "form_code")
        .annotate(n=Count("pk"), people=Sum("participants"))
    }
    assert counters() == expected == {(date(2022, 7, 1), form.code): (2, 105)}
    services.activity_stats_rebuild(campaign)
    assert counters() == expected


def test_activity_dates_must_have_come_and_lie_in_the_campaign_period(
    campaign, officer, head, city
):
    """Form, API and imports share the service's rule: an activity dated after today, or
    outside the plan's period (01/05–31/12/2022), is refused on its field."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from thidua.participation.models import Activity, ActivityStat

    register(campaign, officer, head, city.suoi_hoa)
    record = {
        "actor": officer,
        "campaign": campaign,
        "unit": city.suoi_hoa,
        "form": campaign.forms.first(),
        "title": "Tọa đàm",
        "participants": 40,
    }
    with pytest.raises(ValidationError) as exc:
        services.activity_record(**record, held_on=date(2027, 3, 15))
    assert exc.value.message_dict["held_on"][0].startswith(
        "Hoạt động chưa diễn ra: ngày tổ chức 15/03/2027"
    )
    with pytest.raises(ValidationError) as exc:
        services.activity_record(**record, held_on=date(2022, 4, 20), ends_on=date(2023, 1, 2))
    assert exc.value.message_dict == {
        "held_on": [
            "Ngày tổ chức 20/04/2022 nằm ngoài thời gian của phong trào (01/05/2022 – 31/12/2022)."
        ],
        "ends_on": [
            "Ngày kết thúc 02/01/2023 nằm ngoài thời gian của phong trào (01/05/2022 – 31/12/2022)."
        ],
    }
    # 00:30 on 10/07 in Hà Nội is still 09/07 in UTC: "today" is the local day
    morning = datetime(2022, 7, 10, 0, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(morning, tick=False):
        with pytest.raises(ValidationError) as exc:
            services.activity_record(**record, held_on=date(2022, 7, 11))
        assert "chưa diễn ra" in exc.value.message_dict["held_on"][0]
        # held today and still going on (an exhibition over the month): recorded
        activity = services.activity_record(
            **record, held_on=date(2022, 7, 10), ends_on=date(2022, 7, 31)
        )
    assert not ActivityStat.objects.filter(month=date(2027, 3, 1)).exists()
    with pytest.raises(ValidationError) as exc:
        services.activity_update(actor=officer, activity=activity, held_on=date(2023, 2, 1))
    assert list(exc.value.message_dict) == ["held_on"]
    # a row recorded before the rule keeps its date when another field is edited
    Activity.objects.filter(pk=activity.pk).update(held_on=date(2022, 4, 1), ends_on=None)
    activity.refresh_from_db()
    services.activity_update(actor=officer, activity=activity, title="Tọa đàm (sửa)")
    assert Activity.objects.get(pk=activity.pk).title == "Tọa đàm (sửa)"


def test_activity_import_refuses_future_and_out_of_period_dates(campaign, officer, head, city):
    register(campaign, officer, head, city.suoi_hoa)
    upload = xlsx_upload(
        [
            ["Hình thức", "Tên hoạt động", "Ngày tổ chức", "Đến ngày"],
            ["Tọa đàm", "Tọa đàm A", "15/03/2027", None],
            ["Tọa đàm", "Tọa đàm B", "05/07/2022", "05/01/2023"],
            ["Tọa đàm", "Tọa đàm C", "05/07/2022", None],
        ]
    )
    count, errors = services.activities_import(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, upload=upload
    )
    assert count == 0
    assert {(e.row, e.column) for e in errors} == {(2, "Ngày tổ chức"), (3, "Đến ngày")}
    assert "chưa diễn ra" in next(e.message for e in errors if e.row == 2)
    assert not campaign.activities.exists()


def test_a_head_count_beyond_any_activity_is_refused_when_recorded_or_edited(
    campaign, officer, head, city
):
    """The page, the API and the Excel import all record through the service: a head count
    of 2.147.483.648 swelled every total (and was a server error on PostgreSQL)."""
    register(campaign, officer, head, city.suoi_hoa)
    form = campaign.forms.get(code="PHOTO_EXHIBITION")
    record = {
        "actor": officer,
        "campaign": campaign,
        "unit": city.suoi_hoa,
        "form": form,
        "title": "Triển lãm ảnh",
        "held_on": date(2022, 7, 1),
    }
    with pytest.raises(ValidationError, match=r"từ 0 đến 1\.000\.000"):
        services.activity_record(**record, participants=2_147_483_648)
    activity = services.activity_record(**record, participants=1_000_000)
    with pytest.raises(ValidationError, match=r"từ 0 đến 1\.000\.000"):
        services.activity_update(actor=officer, activity=activity, participants=1_000_001)
    activity.refresh_from_db()
    assert activity.participants == 1_000_000


def _phone_photo_bytes(megabytes: float) -> bytes:
    """A real JPEG of at least `megabytes` (a 16 MP photo full of detail, as a phone saves)."""
    noise = random.Random(7).randbytes(4600 * 3450 * 3)  # noqa: S311 - test pixels
    image = Image.frombytes("RGB", (4600, 3450), noise)
    for quality in (86, 90, 95):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        if len(buffer.getvalue()) >= megabytes * 1024 * 1024:
            return buffer.getvalue()
    raise AssertionError("the photo came out smaller than asked")


def test_a_12_mb_phone_photo_is_taken_as_evidence_and_a_larger_one_is_refused(
    campaign, officer, head, city
):
    """A ward's phone photo of 12 MB (the exhibition takes it) is evidence too, with its
    thumbnail; over 15 MB the refusal names the file and the limit."""
    register(campaign, officer, head, city.suoi_hoa)
    big = SimpleUploadedFile("IMG_2041.jpg", _phone_photo_bytes(12), content_type="image/jpeg")
    activity = services.activity_record(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        form=campaign.forms.first(),
        title="Hội thi văn nghệ",
        held_on=date(2022, 7, 1),
        participants=80,
        files=[big],
    )
    stored = activity.evidence.get()
    with default_storage.open(stored.thumbnail.name) as f:
        assert max(Image.open(f).size) == 480
    with default_storage.open(stored.file.name) as f:
        assert Image.open(f).size == (4600, 3450)
    too_big = SimpleUploadedFile(
        "IMG_2042.jpg", _phone_photo_bytes(15.5), content_type="image/jpeg"
    )
    with pytest.raises(ValidationError) as exc:
        services.activity_record(
            actor=officer,
            campaign=campaign,
            unit=city.suoi_hoa,
            form=campaign.forms.first(),
            title="Hội thi văn nghệ lần 2",
            held_on=date(2022, 7, 2),
            participants=80,
            files=[too_big],
        )
    assert exc.value.messages == ["Tệp “IMG_2042.jpg” quá lớn (tối đa 15 MB)."]
