"""A unit takes back an activity it recorded by mistake (entered twice): from the activity's
page, confirmed, by whoever may edit it; the record, its evidence files, its counters and its
share of the commitments go, the log keeps what it was."""

import html
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.images import photo
from tests.factories.pdfs import pdf
from tests.participation.test_services import register
from thidua.accounts.models import Role
from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.core.models import ActionLog
from thidua.participation import selectors, services
from thidua.participation.models import Activity, ActivityStat, Evidence

pytestmark = pytest.mark.django_db


def entered_twice(campaign, officer, head, city):
    """Suối Hoa's talk, recorded twice by mistake (same title, day, files and contribution)."""
    reg = register(campaign, officer, head, city.suoi_hoa)
    talks = reg.commitments.get(position=0)
    twice = [
        services.activity_record(
            actor=officer,
            campaign=campaign,
            unit=city.suoi_hoa,
            form=campaign.forms.first(),
            title="Tọa đàm về Tổng Bí thư Nguyễn Văn Cừ",
            held_on=date(2022, 7, 5),
            participants=85,
            contributions={talks.pk: Decimal(1)},
            files=[photo("toa-dam.jpg"), pdf("bien-ban.pdf")],
        )
        for _ in range(2)
    ]
    return twice, talks


def test_an_officer_deletes_an_activity_entered_twice_with_its_files(
    campaign, officer, head, city, django_capture_on_commit_callbacks
):
    (kept, wrong), talks = entered_twice(campaign, officer, head, city)
    files = [n for e in wrong.evidence.all() for n in (e.file.name, e.thumbnail.name) if n]
    assert len(files) == 3  # the photo, its thumbnail, the PDF
    assert all(default_storage.exists(n) for n in files)
    client = verified_client(officer)
    page = html.unescape(
        client.get(reverse("participation:activity-detail", args=[wrong.pk])).content.decode()
    )
    panel = page[page.index('id="delete-activity"') :]
    assert reverse("participation:activity-delete", args=[wrong.pk]) in panel
    assert "2 tệp minh chứng" in panel  # what will go with it, said before the click
    assert 'data-confirm="Xóa hoạt động “Tọa đàm về Tổng Bí thư Nguyễn Văn Cừ”?' in panel

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("participation:activity-delete", args=[wrong.pk]))

    listing = reverse("participation:activity-list", args=[campaign.pk])
    assert response["Location"] == listing
    page = client.get(listing).content.decode()
    assert "Đã xóa hoạt động “Tọa đàm về Tổng Bí thư Nguyễn Văn Cừ” (05/07/2022)." in html.unescape(
        page
    )
    assert reverse("participation:activity-detail", args=[kept.pk]) in page
    assert reverse("participation:activity-detail", args=[wrong.pk]) not in page
    assert list(Activity.objects.filter(campaign=campaign)) == [kept]
    assert not Evidence.objects.filter(activity_id=wrong.pk).exists()
    assert not any(default_storage.exists(n) for n in files)  # gone from storage too
    assert kept.evidence.count() == 2  # the other record's files untouched
    # The campaign's figures and the unit's commitment count it once again.
    stat = ActivityStat.objects.get(campaign=campaign, form_code=kept.form_code)
    assert (stat.activities, stat.participants) == (1, 85)
    assert selectors.commitments_with_progress().get(pk=talks.pk).actual == 1
    log = ActionLog.objects.get(action="participation.activity.deleted")
    assert (log.actor, log.target_id) == (officer, str(wrong.pk))
    assert log.data == {
        "title": "Tọa đàm về Tổng Bí thư Nguyễn Văn Cừ",
        "unit": city.suoi_hoa.name,
        "held_on": "05/07/2022",
        "form": kept.form_code,
        "participants": 85,
        "files": 2,
    }
    # A second click (the page still open) finds nothing: no second entry.
    assert client.post(reverse("participation:activity-delete", args=[wrong.pk])).status_code == 404
    services.activity_delete(actor=officer, activity=wrong)
    assert ActionLog.objects.filter(action="participation.activity.deleted").count() == 1


def test_only_who_may_edit_it_deletes_it(campaign, officer, head, city, make_user, office_user):
    """The edit rule: the unit's officers and head. Another ward's officer, Nội vụ (who may
    read every unit's activities but edits none), the media centre, a visitor: refused, the
    activity untouched and nothing logged."""
    (_, wrong), _ = entered_twice(campaign, officer, head, city)
    url = reverse("participation:activity-delete", args=[wrong.pk])
    other_ward = make_user(Role.UNIT_OFFICER, city.vu_ninh)
    media = make_user(Role.MEDIA_STAFF, city.centre)
    for user in (other_ward, office_user, media):
        assert verified_client(user).post(url).status_code == 403
        with pytest.raises(PermissionDenied):
            services.activity_delete(actor=user, activity=wrong)
    anonymous = verified_client(officer)
    anonymous.logout()
    assert anonymous.post(url).status_code == 302  # to the sign-in page
    page = verified_client(office_user).get(
        reverse("participation:activity-detail", args=[wrong.pk])
    )
    assert 'id="delete-activity"' not in page.content.decode()
    assert Activity.objects.filter(pk=wrong.pk).exists()
    assert wrong.evidence.count() == 2
    assert not ActionLog.objects.filter(action="participation.activity.deleted").exists()
    # The head of the unit may, as he may edit it.
    services.activity_delete(actor=head, activity=wrong)
    assert not Activity.objects.filter(pk=wrong.pk).exists()


def test_a_closed_campaigns_activities_stay_as_recorded(campaign, officer, head, city):
    (_, wrong), _ = entered_twice(campaign, officer, head, city)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    client = verified_client(officer)
    detail = reverse("participation:activity-detail", args=[wrong.pk])
    assert 'id="delete-activity"' not in client.get(detail).content.decode()
    response = client.post(reverse("participation:activity-delete", args=[wrong.pk]))
    assert response["Location"] == detail
    assert "đã kết thúc: không thể cập nhật" in client.get(detail).content.decode()
    with pytest.raises(ValidationError):
        services.activity_delete(actor=officer, activity=wrong)
    assert Activity.objects.filter(pk=wrong.pk).exists()
    assert wrong.evidence.count() == 2


def test_a_get_never_deletes(campaign, officer, head, city):
    (_, wrong), _ = entered_twice(campaign, officer, head, city)
    response = verified_client(officer).get(
        reverse("participation:activity-delete", args=[wrong.pk])
    )
    assert response.status_code == 405
    assert Activity.objects.filter(pk=wrong.pk).exists()


def test_a_closed_campaigns_evidence_stays_too(campaign, officer, head, city):
    """An activity's file is deleted on the same terms as the activity: not once the campaign
    is over (the file delete only asked whether the officer acts for the unit)."""
    (_, wrong), _ = entered_twice(campaign, officer, head, city)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED)
    evidence = wrong.evidence.first()
    client = verified_client(officer)
    detail = reverse("participation:activity-detail", args=[wrong.pk])
    page = client.get(detail).content.decode()  # nothing offered that would be refused
    assert reverse("participation:evidence-delete", args=[evidence.pk]) not in page
    assert reverse("participation:activity-edit", args=[wrong.pk]) not in page
    response = client.post(reverse("participation:evidence-delete", args=[evidence.pk]))
    assert response["Location"] == detail
    assert "đã kết thúc: không thể cập nhật" in client.get(detail).content.decode()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_a_good_models_reviewed_files_are_not_taken_off(campaign, officer, city):
    """No page deletes a good model's files and a resubmission cannot add them back: a forged
    post is refused and the file stays for Nội vụ."""
    gm = services.good_model_propose(
        actor=officer,
        campaign=campaign,
        unit=city.suoi_hoa,
        kind="model",
        title="Tủ sách phường",
        description="Tủ sách ở nhà văn hóa",
        files=[pdf("gioi-thieu.pdf")],
    )
    evidence = gm.evidence.get()
    response = verified_client(officer).post(
        reverse("participation:evidence-delete", args=[evidence.pk])
    )
    assert response["Location"] == reverse("participation:good-model-detail", args=[gm.pk])
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert default_storage.exists(evidence.file.name)
    with pytest.raises(ValidationError):
        services.evidence_delete(actor=officer, evidence=evidence)
