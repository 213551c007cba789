"""Who may change an award decision: Nội vụ and the leaders of the body running its campaign,
never a ward's own emulation officer or signer (docs/security.md R13)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.conftest import verified_client
from tests.factories.images import photo
from thidua.awards import decisions
from thidua.awards.models import AwardRecord, Decision, DecisionLine
from thidua.awards.selectors import decisions_to_sign_for, recommended_nominees
from thidua.core.models import ActionLog

pytestmark = pytest.mark.django_db


def _logged() -> int:
    return ActionLog.objects.filter(action__startswith="awards.decision.").count()


def test_a_wards_officers_cannot_change_the_citys_decision(
    office_user, signer, ward_office, ward_signer, campaign, recommended
):
    """Every service that drafts, edits, sends, signs, returns, records, corrects or discards
    the city's decision refuses the ward's Nội vụ officer and the ward's leader, changes nothing
    and logs nothing; the city's Nội vụ and signer do each of them."""
    nominees = list(recommended_nominees(campaign=campaign))
    with pytest.raises(PermissionDenied):
        decisions.decision_draft(
            actor=ward_office,
            campaign=campaign,
            award_type=recommended.award_type,
            nominees=nominees,
        )
    assert not Decision.objects.exists()
    d = decisions.decision_draft(
        actor=office_user, campaign=campaign, award_type=recommended.award_type, nominees=nominees
    )
    line = d.lines.get()
    DecisionLine.objects.create(decision=d, position=1, subject=line.subject, recipient_name="X")
    before = _logged()
    for change in (
        lambda a: decisions.decision_update(actor=a, decision=d, summary="Về việc khác"),
        lambda a: decisions.decision_bases_refresh(actor=a, decision=d),
        lambda a: decisions.decision_line_edit(
            actor=a, line=line, recipient_name="Bà Vũ Thị Hà", recipient_detail="", achievement=""
        ),
        lambda a: decisions.decision_line_remove(actor=a, line=d.lines.get(recipient_name="X")),
        lambda a: decisions.decision_send_for_signature(actor=a, decision=d),
        lambda a: decisions.decision_discard(actor=a, decision=d, reason="Không cần"),
    ):
        with pytest.raises(PermissionDenied):
            change(ward_office)
    assert _logged() == before
    d.refresh_from_db()
    assert (d.status, d.summary, d.lines.count()) == ("draft", d.summary, 2)
    assert d.summary != "Về việc khác"
    assert line.recipient_name == DecisionLine.objects.get(pk=line.pk).recipient_name
    # The city's Nội vụ does each of them.
    decisions.decision_update(actor=office_user, decision=d, summary="Về việc tặng Giấy khen")
    decisions.decision_bases_refresh(actor=office_user, decision=d)
    decisions.decision_line_remove(actor=office_user, line=d.lines.get(recipient_name="X"))
    decisions.decision_line_edit(
        actor=office_user,
        line=line,
        recipient_name="Bà Vũ Thị Hạnh",
        recipient_detail=line.recipient_detail,
        achievement=line.achievement,
    )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    # Awaiting signature: the ward's leader neither returns nor signs it, the ward's Nội vụ
    # records no paper copy.
    before = _logged()
    for refused in (
        lambda: decisions.decision_return(actor=ward_signer, decision=d, note="Sửa Điều 3."),
        lambda: decisions.decision_approve(
            actor=ward_signer, decision=d, signed_on=date(2022, 12, 30)
        ),
        lambda: decisions.decision_sign_pdf(actor=ward_signer, decision=d),
        lambda: decisions.decision_record_signed_scan(
            actor=ward_office,
            decision=d,
            scan=photo("ban-giay.jpg"),
            signed_on=date(2022, 12, 30),
            signer_name="Nguyễn Văn Phong",
        ),
    ):
        with pytest.raises(PermissionDenied):
            refused()
    assert _logged() == before
    assert Decision.objects.get(pk=d.pk).status == "awaiting_signature"
    assert not AwardRecord.objects.exists()
    decisions.decision_return(actor=signer, decision=d, note="Sửa Điều 3.")
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    d = decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))
    assert d.reference == "01/QĐ-UBND"
    # Signed: the ward's Nội vụ drafts no amending or revoking decision of it.
    record = AwardRecord.objects.get()
    for kind in ("amend", "revoke"):
        with pytest.raises(PermissionDenied):
            decisions.decision_correct(
                actor=ward_office, decision=d, kind=kind, records=[record], reason="Nhầm"
            )
    assert Decision.objects.count() == 1
    revoke = decisions.decision_correct(
        actor=office_user, decision=d, kind="revoke", records=[record], reason="Nhầm"
    )
    with pytest.raises(PermissionDenied):
        decisions.decision_discard(actor=ward_office, decision=revoke, reason="Nhầm")
    decisions.decision_discard(actor=office_user, decision=revoke, reason="Nhầm")
    assert not Decision.objects.filter(pk=revoke.pk).exists()


def test_a_wards_officers_see_no_button_to_change_the_citys_decision(
    office_user, signer, ward_office, ward_signer, campaign, recommended
):
    """The ward's officers still read the city's decision (a city role: decisions_visible_to)
    but its page offers them no draft form, no "Trình ký", "Ký duyệt" or "Hủy dự thảo", and the
    ward's leader is not asked to sign it on the start page."""
    office_page = reverse("awards:decision-list", args=[campaign.pk])
    assert "Lập dự thảo" in verified_client(office_user).get(office_page).content.decode()
    ward_list = verified_client(ward_office).get(office_page)
    assert ward_list.status_code == 200
    assert "Lập dự thảo" not in ward_list.content.decode()
    d = decisions.decision_draft(
        actor=office_user,
        campaign=campaign,
        award_type=recommended.award_type,
        nominees=list(recommended_nominees(campaign=campaign)),
    )
    url = reverse("awards:decision-detail", args=[d.pk])
    city = verified_client(office_user).get(url).content.decode()
    ward = verified_client(ward_office).get(url)
    assert ward.status_code == 200
    for button in ("Trình ký", "Hủy dự thảo", 'name="summary"'):
        assert button in city
        assert button not in ward.content.decode()
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    assert "Ký duyệt" in verified_client(signer).get(url).content.decode()
    assert "Ký duyệt" not in verified_client(ward_signer).get(url).content.decode()
    assert list(decisions_to_sign_for(actor=signer)) == [d]
    assert list(decisions_to_sign_for(actor=ward_signer)) == []
    # Posting anyway is refused, and nothing changes.
    ward = verified_client(ward_signer)
    ward.post(reverse("awards:decision-approve", args=[d.pk]), {"shortfall_reason": ""})
    assert Decision.objects.get(pk=d.pk).status == "awaiting_signature"
