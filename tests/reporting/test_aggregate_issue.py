"""The aggregated report is issued like every official document: numbered from the outgoing
register, signed with the issuing body's key when it has one (issue 23, item 1), and then
never edited or rebuilt."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.documents.test_signing import root_of
from thidua.accounts.models import Role
from thidua.core.models import ActionLog
from thidua.documents import signing
from thidua.documents.models import SignedPdf
from thidua.documents.selectors import signed_pdf_bytes, signed_pdf_for
from thidua.reporting import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(report_request, office_user):
    return services.aggregate_build(actor=office_user, request=report_request)


def test_issuing_numbers_signs_and_freezes_the_report(
    built, report_request, office_user, office_client, city, give_signing_key, test_ca
):
    give_signing_key(unit=city.city)
    page = reverse("reporting:aggregate", args=[report_request.pk])
    response = office_client.post(
        reverse("reporting:aggregate-issue", args=[report_request.pk]),
        {"issued_on": "20/12/2022"},
        follow=True,
    )
    assert "Đã ban hành báo cáo tổng hợp." in response.content.decode()
    built.refresh_from_db()
    assert built.issued_on == date(2022, 12, 20)
    assert built.issued_number is not None
    assert built.issued_number.reference == f"{built.number:02d}/BC-UBND"
    row = signed_pdf_for(built, source=SignedPdf.Source.ISSUED)
    assert row is not None
    assert row.signer_name == "Ủy ban nhân dân thành phố Bắc Ninh"
    pdf = signed_pdf_bytes(row)
    assert signing.validate_signed_pdf(pdf, trust_roots=[root_of(test_ca)]).status == "valid"
    served = office_client.get(
        reverse("reporting:aggregate-download", args=[report_request.pk, "pdf"])
    )
    assert served.content == pdf
    assert ActionLog.objects.filter(action="reporting.aggregate.issued", target_id=str(built.pk))
    # Frozen: the page shows the issued text, saving and rebuilding are refused.
    html = office_client.get(page).content.decode()
    assert f"Báo cáo số {built.issued_number.reference}" in html
    assert 'id="aggregate-issue"' not in html
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.aggregate_update(actor=office_user, report=built, title="Khác", body="Khác")
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.aggregate_build(actor=office_user, request=report_request)
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.aggregate_build_start(actor=office_user, request=report_request)
    built.refresh_from_db()
    assert built.title != "Khác"


def test_without_a_key_the_report_is_numbered_once_and_unsigned(built, office_user):
    first = services.aggregate_issue(actor=office_user, report=built, issued_on=date(2022, 12, 20))
    again = services.aggregate_issue(actor=office_user, report=built, issued_on=date(2022, 12, 21))
    assert again.issued_number_id == first.issued_number_id
    assert again.issued_on == date(2022, 12, 20)
    assert signed_pdf_for(first) is None


def test_a_date_before_the_plan_and_other_roles_are_refused(
    built, report_request, office_user, make_user
):
    campaign = report_request.campaign
    with pytest.raises(ValidationError, match="trước ngày ban hành kế hoạch"):
        services.aggregate_issue(
            actor=office_user, report=built, issued_on=date(campaign.issued_on.year - 1, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.aggregate_issue(
            actor=make_user(Role.UNIT_OFFICER), report=built, issued_on=date(2022, 12, 20)
        )
    built.refresh_from_db()
    assert built.issued_number is None
