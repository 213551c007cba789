"""Excel exchange of activities: template with the plan's forms, export, import back unchanged."""

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import verified_client
from thidua.core.models import ActionLog
from thidua.participation import services
from thidua.participation.models import Activity


def _record(campaign, officer, unit, n):
    return services.activity_record(
        actor=officer,
        campaign=campaign,
        unit=unit,
        form=campaign.forms.all()[n % campaign.forms.count()],
        title=f"Hoạt động {n}",
        held_on=date(2022, 7, n + 1),
        place="Nhà văn hóa",
        participants=10 * n,
    )


def test_template_lists_the_plans_forms(campaign, officer):
    response = verified_client(officer).get(
        reverse("participation:activity-template", kwargs={"pk": campaign.pk})
    )
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == "Hình thức *"
    sources = " ".join(v.formula1 for v in sheet.data_validations.dataValidation)
    assert campaign.forms.first().label in sources or "Danh mục" in sources


def test_activities_round_trip_changes_nothing_then_applies_edits(campaign, officer, city):
    for n in range(4):
        _record(campaign, officer, city.suoi_hoa, n)
    client = verified_client(officer)
    response = client.get(reverse("participation:activity-export", kwargs={"pk": campaign.pk}))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    before = list(Activity.objects.order_by("pk").values())
    logs = ActionLog.objects.count()
    count, errors = services.activities_import(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        upload=SimpleUploadedFile("a.xlsx", content),
    )
    assert (count, errors) == (4, [])
    assert list(Activity.objects.order_by("pk").values()) == before
    assert ActionLog.objects.count() == logs

    workbook = load_workbook(BytesIO(content))
    sheet = workbook.active
    sheet["F2"] = 999  # Số người tham gia of the first row
    sheet.append([sheet["A2"].value, "Hoạt động mới", "01/09/2022"])
    buffer = BytesIO()
    workbook.save(buffer)
    count, errors = services.activities_import(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        upload=SimpleUploadedFile("a.xlsx", buffer.getvalue()),
    )
    assert errors == []
    assert Activity.objects.count() == 5
    assert Activity.objects.filter(participants=999).count() == 1
    assert ActionLog.objects.filter(action="participation.activity.updated").count() == 1


def test_import_refuses_rows_of_another_unit(campaign, officer, make_user, city):
    other = make_user("unit_officer", city.vu_ninh)
    theirs = _record(campaign, other, city.vu_ninh, 0)
    from tests.factories.xlsx import xlsx_upload

    upload = xlsx_upload(
        [
            ["Hình thức", "Tên hoạt động", "Ngày tổ chức", "Mã đơn vị", "Mã hoạt động"],
            [theirs.form.label, "Sửa trộm", "01/07/2022", "P-SUOIHOA", theirs.pk],
            [theirs.form.label, "Dòng khác", "01/07/2022", "P-VUNINH", None],
        ]
    )
    count, errors = services.activities_import(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, upload=upload
    )
    assert count == 0
    assert {(e.row, e.column) for e in errors} == {(2, "Mã hoạt động"), (3, "Mã đơn vị")}
    theirs.refresh_from_db()
    assert theirs.title == "Hoạt động 0"


def test_the_units_own_code_in_other_capitals_is_its_code(campaign, officer, city):
    """A unit's own sheet types its code in lower case: the row was refused as another
    unit's."""
    from tests.factories.xlsx import xlsx_upload

    label = campaign.forms.first().label
    upload = xlsx_upload(
        [
            ["Hình thức", "Tên hoạt động", "Ngày tổ chức", "Mã đơn vị"],
            [label, "Hội thi", "01/07/2022", "p-suoihoa"],
        ]
    )
    count, errors = services.activities_import(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, upload=upload
    )
    assert (count, errors) == (1, [])
    assert Activity.objects.get(title="Hội thi").unit == city.suoi_hoa


def test_a_title_too_long_or_a_count_too_big_is_a_row_error_and_nothing_is_written(
    campaign, officer, city
):
    from tests.factories.xlsx import xlsx_upload

    form = campaign.forms.first().label
    upload = xlsx_upload(
        [
            ["Hình thức", "Tên hoạt động", "Ngày tổ chức", "Địa điểm", "Số người tham gia"],
            [form, "Hội thi", "01/07/2022", "Nhà văn hóa", "1.200"],
            [form, "Hội thi " + "rất dài " * 40, "02/07/2022", None, 10],
            [form, "Tọa đàm", "03/07/2022", "Hội trường " * 30, "99.999.999.999"],
        ]
    )
    count, errors = services.activities_import(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, upload=upload
    )
    assert count == 0
    assert [(e.row, e.column) for e in errors] == [
        (3, "Tên hoạt động"),
        (4, "Địa điểm"),
        (4, "Số người tham gia"),
    ]
    assert errors[0].message == "Dài 327 ký tự, quá mức tối đa 255 ký tự."
    assert not Activity.objects.exists()


def test_a_row_the_service_refuses_while_writing_is_a_row_error_and_nothing_is_written(
    campaign, officer, city
):
    from tests.factories.xlsx import xlsx_upload

    old = _record(campaign, officer, city.suoi_hoa, 0)  # held on 01/07/2022
    # the plan's period was corrected since: the old date now falls outside it
    type(campaign).objects.filter(pk=campaign.pk).update(period_start=date(2022, 7, 5))
    columns = ["Hình thức", "Tên hoạt động", "Ngày tổ chức", "Mã đơn vị", "Mã hoạt động"]
    upload = xlsx_upload(
        [
            columns,
            [old.form.label, "Hoạt động 0", "10/07/2022", "P-SUOIHOA", old.pk],
            [old.form.label, "Hoạt động mới", "11/07/2022", "P-SUOIHOA", None],
            # the same activity again (a copied row), its dates as stored: checked only when
            # written, after the row above moved them
            [old.form.label, "Hoạt động 0 (sửa)", "01/07/2022", "P-SUOIHOA", old.pk],
        ]
    )
    count, errors = services.activities_import(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, upload=upload
    )
    assert count == 0
    assert [(e.row, e.column) for e in errors] == [(4, "Ngày tổ chức")]
    assert "nằm ngoài thời gian của phong trào" in errors[0].message
    old.refresh_from_db()
    assert (old.title, old.held_on) == ("Hoạt động 0", date(2022, 7, 1))
    assert Activity.objects.count() == 1
