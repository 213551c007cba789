"""Who may print a decision's certificates: Nội vụ of the body running its campaign, never a
ward's own emulation officer, who reads the city's registry (docs/security.md R14); and on
which printers: the printing body's own (R26)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.conftest import verified_client
from thidua.awards import printing
from thidua.awards.models import AwardRecord, CertificatePrint, PrinterProfile
from thidua.campaigns.models import Campaign
from thidua.core.models import ActionLog, Job

pytestmark = pytest.mark.django_db


def _printed() -> tuple[int, int, int]:
    """Jobs queued, print log lines and action-log lines about certificates."""
    return (
        Job.objects.filter(kind=printing.JOB_KIND).count(),
        CertificatePrint.objects.count(),
        ActionLog.objects.filter(action__startswith="awards.certificate").count(),
    )


def test_a_wards_officer_cannot_print_the_citys_certificates(
    office_user, ward_office, decided, django_capture_on_commit_callbacks
):
    """The ward's Nội vụ officer prints neither all the certificates of the city's decision nor
    one of them: refused, nothing queued, nothing logged. The city's Nội vụ prints both."""
    record = AwardRecord.objects.get()
    with pytest.raises(PermissionDenied):
        printing.decision_certificates_start(actor=ward_office, decision=decided)
    with pytest.raises(PermissionDenied):
        printing.certificate_pdf(actor=ward_office, record=record)
    assert _printed() == (0, 0, 0)
    # Through the pages as well: the bulk print is refused, the certificate is a 403.
    ward = verified_client(ward_office)
    with django_capture_on_commit_callbacks(execute=True):
        ward.post(reverse("awards:decision-print", args=[decided.pk]))
    assert ward.get(reverse("awards:certificate", args=[record.pk])).status_code == 403
    assert _printed() == (0, 0, 0)
    # The city's Nội vụ prints them.
    with django_capture_on_commit_callbacks(execute=True):
        job = printing.decision_certificates_start(actor=office_user, decision=decided)
    job.refresh_from_db()
    assert job.status == "done"
    assert printing.certificate_pdf(actor=office_user, record=record).startswith(b"%PDF")
    assert list(record.prints.order_by("at").values_list("is_reprint", flat=True)) == [
        False,
        True,
    ]
    assert _printed() == (1, 2, 2)


def test_a_wards_officer_sees_no_print_button_for_the_citys_certificates(
    office_user, ward_office, decided
):
    """The ward's officer still reads the city's decision and its award (city role, registry
    visible) but is offered neither "In tất cả" nor "In giấy khen"; the city's Nội vụ is."""
    record = AwardRecord.objects.get()
    pages = (
        (reverse("awards:decision-detail", args=[decided.pk]), ("In tất cả", "In giấy khen")),
        (reverse("awards:record", args=[record.pk]), ("In giấy khen",)),
    )
    city, ward = verified_client(office_user), verified_client(ward_office)
    for url, buttons in pages:
        shown = city.get(url).content.decode()
        seen = ward.get(url)
        assert seen.status_code == 200
        for button in buttons:
            assert button in shown
            assert button not in seen.content.decode()


def test_print_buttons_name_the_awards_kind_and_say_why_not_printed_here(
    office_user, ward_office, decided
):
    """A Bằng khen is printed as "In bằng khen", not "In giấy khen"; who may not print it reads
    who does (the issuing body) instead of a bare "Chưa in lần nào"."""
    award = decided.award_type
    award.name = "Bằng khen của Chủ tịch UBND thành phố"
    award.save(update_fields=["name"])
    record = AwardRecord.objects.get()
    city = verified_client(office_user)
    decision_page = city.get(reverse("awards:decision-detail", args=[decided.pk])).content.decode()
    record_page = city.get(reverse("awards:record", args=[record.pk])).content.decode()
    for page in (decision_page, record_page):
        assert "In bằng khen" in page
        assert "In giấy khen" not in page
        assert "In tất cả giấy khen" not in page
    assert "In tất cả bằng khen của quyết định" in decision_page
    seen = verified_client(ward_office).get(reverse("awards:record", args=[record.pk]))
    text = seen.content.decode()
    assert "Chưa in lần nào" not in text
    assert "Bằng khen do " in text
    assert "(cơ quan ban hành quyết định) in và trao; không in tại đây." in text


def test_the_provinces_bang_khen_says_who_printed_it(office_user, decided, city):
    from tests.awards.test_registry_views import province_award

    record = province_award(city, number=7)
    page = verified_client(office_user).get(reverse("awards:record", args=[record.pk]))
    text = page.content.decode()
    assert "Chưa in lần nào" not in text
    assert "In bằng khen" not in text
    assert "bằng khen đã được UBND tỉnh Bắc Ninh in và trao theo quyết định gốc" in text


def test_printing_offers_only_the_printing_bodys_own_printers(
    office_user, ward_office, decided, city
):
    """Each body prints on its own office's printers (R26): the city's Nội vụ is offered the
    city's, not a ward's; a ward's Nội vụ printing a decision of a campaign the ward runs is
    offered the ward's, not the city's, on the decision's page and on the award's page."""
    PrinterProfile.objects.create(owner=city.city, name="Canon phòng Nội vụ")
    PrinterProfile.objects.create(owner=city.suoi_hoa, name="HP văn phòng phường")
    record = AwardRecord.objects.get()
    pages = (
        reverse("awards:decision-detail", args=[decided.pk]),
        reverse("awards:record", args=[record.pk]),
    )
    for url in pages:
        shown = verified_client(office_user).get(url).content.decode()
        assert "Canon phòng Nội vụ" in shown
        assert "HP văn phòng phường" not in shown
    # The same decision as the ward's own (its campaign run by the ward).
    Campaign.objects.filter(pk=decided.campaign_id).update(owner_unit=city.suoi_hoa)
    for url in pages:
        shown = verified_client(ward_office).get(url).content.decode()
        assert "In tất cả" in shown or "In giấy khen" in shown
        assert "HP văn phòng phường" in shown
        assert "Canon phòng Nội vụ" not in shown


def test_a_forged_choice_of_another_bodys_printer_is_refused(
    office_user, decided, city, django_capture_on_commit_callbacks
):
    """Posting a ward's printer while printing the city's certificates (one, or all of the
    decision) is refused by the service: a 403, nothing queued, printed or logged."""
    wards = PrinterProfile.objects.create(owner=city.suoi_hoa, name="HP văn phòng phường")
    own = PrinterProfile.objects.create(owner=city.city, name="Canon phòng Nội vụ")
    record = AwardRecord.objects.get()
    with pytest.raises(PermissionDenied):
        printing.certificate_pdf(actor=office_user, record=record, printer=wards)
    with pytest.raises(PermissionDenied):
        printing.decision_certificates_start(actor=office_user, decision=decided, printer=wards)
    client = verified_client(office_user)
    with django_capture_on_commit_callbacks(execute=True):
        bulk = client.post(
            reverse("awards:decision-print", args=[decided.pk]), {"printer": wards.pk}
        )
    assert bulk.status_code == 403
    one = client.get(reverse("awards:certificate", args=[record.pk]), {"may_in": wards.pk})
    assert one.status_code == 403
    assert _printed() == (0, 0, 0)
    # The city's own printer prints.
    one = client.get(reverse("awards:certificate", args=[record.pk]), {"may_in": own.pk})
    assert one["Content-Type"] == "application/pdf"
    assert record.prints.get().printer == own
    assert _printed() == (0, 1, 1)
