"""Each notice of a dossier's or a decision's step opens that dossier or decision: the unit
head's "chờ duyệt", Nội vụ's "gửi hồ sơ", the unit's appraisal outcome, the signer's "Trình
ký" and Nội vụ's "trả lại dự thảo" linked to nothing ("#" on the notices page). A notice
about something gone (a withdrawn draft) opens the nearest list its reader may open."""

import pytest
from django.urls import reverse

from tests.awards.test_services import complete
from tests.conftest import verified_client
from thidua.awards import decisions, services
from thidua.awards.models import AppraisalRound
from thidua.awards.selectors import recommended_nominees
from thidua.notifications.models import Notice
from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db


def landing(user, title_start: str) -> str:
    """The page the notice opens, as its reader sees it (never a 403 or a 404)."""
    response = verified_client(user).get(linked(user, title_start))
    assert response.status_code == 200
    return response.content.decode()


def linked(user, title_start: str) -> str:
    """Where the notice leads when opened from the notices page."""
    notice = Notice.objects.get(user=user, title__startswith=title_start)
    client = verified_client(user)
    opening = reverse("notifications:notice-open", args=[notice.pk])
    assert f'href="{opening}"' in client.get(reverse("notifications:notice-list")).content.decode()
    return client.get(opening).url


def test_a_dossiers_notices_open_the_dossier(campaign, giay_khen, officer, head, office_user, city):
    person = Person.objects.create(
        full_name="Vũ Thị Hạnh", gender="female", unit=city.suoi_hoa, category="public_employee"
    )
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(n, officer, [person])
    services.nomination_send_for_approval(actor=officer, nomination=n)
    dossier = reverse("awards:nomination-detail", args=[n.pk])
    assert linked(head, "Hồ sơ khen thưởng chờ duyệt") == dossier
    services.nomination_submit(actor=head, nomination=n)
    assert linked(office_user, f"{city.suoi_hoa.name} gửi hồ sơ đề nghị") == dossier
    services.nomination_receive(actor=office_user, nomination=n)
    services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
    assert linked(officer, f"Hồ sơ {giay_khen.name}") == dossier


def test_a_decisions_notices_open_the_decision(office_user, signer, campaign, recommended):
    d = decisions.decision_draft(
        actor=office_user,
        campaign=campaign,
        award_type=recommended.award_type,
        nominees=list(recommended_nominees(campaign=campaign)),
    )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    page = reverse("awards:decision-detail", args=[d.pk])
    assert linked(signer, "Trình ký quyết định") == page
    decisions.decision_return(actor=signer, decision=d, note="Sửa trích yếu")
    assert linked(office_user, "Người ký trả lại dự thảo") == page


def test_a_withdrawn_drafts_notice_opens_the_campaigns_decisions(
    office_user, signer, campaign, recommended
):
    """The signer was told "Dự thảo quyết định đã được rút, không cần ký" with no link: the
    draft is gone, so the notice opens the campaign's decisions, which list it as withdrawn."""
    d = decisions.decision_draft(
        actor=office_user,
        campaign=campaign,
        award_type=recommended.award_type,
        nominees=list(recommended_nominees(campaign=campaign)),
    )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    decisions.decision_discard(actor=office_user, decision=d, reason="Lập lại theo mẫu mới")
    title = "Dự thảo quyết định đã được rút"
    assert linked(signer, title) == reverse("awards:decision-list", args=[campaign.pk])
    shown = landing(signer, title)  # the withdrawn draft listed, with who withdrew it and why
    assert "Dự thảo đã hủy" in shown
    assert "Lập lại theo mẫu mới" in shown
