"""Award rules as dated data: the seeded law, the staff page, and what decisions cite."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as DocxDocument
from pypdf import PdfReader

from tests.awards.test_services import complete
from tests.conftest import verified_client
from tests.factories.images import photo
from thidua.awards import decisions, services
from thidua.awards.award_rules import AwardRuleData, rule_in_force, rule_set_save
from thidua.awards.documents import decision_document
from thidua.awards.law import seed_rules
from thidua.awards.models import (
    AppraisalRound,
    AwardRecord,
    AwardRule,
    AwardType,
    Decision,
    RuleSet,
)
from thidua.awards.selectors import recommended_nominees
from thidua.core.models import ActionLog
from thidua.documents.official import render_docx, render_pdf
from thidua.organizations.models import Person

pytestmark = pytest.mark.django_db

LOCAL_RULES = "Quyết định số 15/2025/QĐ-UBND ngày 20 tháng 8 năm 2025 của UBND tỉnh Bắc Ninh"


def sets_by_start() -> dict[int, RuleSet]:
    return {rs.effective_from.year: rs for rs in RuleSet.objects.all()}


@pytest.fixture
def law(db, giay_khen):
    """The shipped law (the data migration's, re-seeded after a flushed transactional test),
    with the test's Giấy khen of the city as a kind of each period."""
    seed_rules(AwardType, RuleSet, AwardRule)
    legacy = AwardRule.objects.get(award_type=giay_khen, rule_set=None)
    for rs in RuleSet.objects.all():
        AwardRule.objects.create(
            rule_set=rs,
            award_type=giay_khen,
            effective_from=rs.effective_from,
            effective_to=rs.effective_to,
            full_documents=legacy.full_documents,
            quota_per_unit=legacy.quota_per_unit,
            threshold_percent=legacy.threshold_percent,
        )
    legacy.delete()
    return sets_by_start()


def draft(office_user, campaign, award):
    return decisions.decision_draft(
        actor=office_user,
        campaign=campaign,
        award_type=award,
        nominees=list(recommended_nominees(campaign=campaign)),
    )


def test_the_seeded_law_follows_the_date(law, campaign):
    assert [(rs.effective_from, rs.effective_to) for rs in RuleSet.objects.order_by("pk")] == [
        (date(2017, 9, 15), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), None),
    ]
    bang_khen = AwardType.objects.get(code="BK-TINH")
    for day, decree, not_cited in (
        (date(2022, 12, 29), "Nghị định số 91/2017/NĐ-CP", "06/2022"),
        (date(2024, 5, 2), "Nghị định số 98/2023/NĐ-CP", "91/2017"),
        (date(2026, 3, 2), "Nghị định số 152/2025/NĐ-CP", "91/2017"),
    ):
        bases, rule = decisions.grant_legal_bases(campaign, bang_khen, day)
        assert any(b.startswith(f"Căn cứ {decree}") for b in bases), (day, bases)
        assert not any(not_cited in b for b in bases), (day, bases)
        assert all(b.endswith(";") for b in bases[:-1])
        assert rule.rule_set is not None
        assert rule.rule_set.covers(day)
    # From 01/07/2025 there is no district level: its Giấy khen is gone from the law.
    district = AwardType.objects.get(code="GK-HUYEN")
    assert rule_in_force(district, date(2025, 6, 30)).rule_set == law[2024]
    with pytest.raises(ValidationError) as exc:
        rule_in_force(district, date(2025, 7, 1))
    assert "không có hình thức khen thưởng này" in exc.value.messages[0]
    assert rule_in_force(AwardType.objects.get(code="GK-XA"), date(2026, 1, 5)).decided_by == (
        "Chủ tịch UBND cấp xã"
    )
    # Each set says what is unsure.
    assert "Chưa chắc chắn" in law[2025].note
    assert "giá trị mẫu" in law[2024].note


def test_the_draft_cites_the_law_of_its_date_and_follows_a_new_date(
    law, office_user, campaign, recommended, giay_khen
):
    d = draft(office_user, campaign, giay_khen)
    assert d.rule.rule_set == law[2025]
    assert any("152/2025/NĐ-CP" in b for b in d.legal_bases)
    assert "Căn cứ Kế hoạch số 01/KH-UBND" in " ".join(d.legal_bases)
    d = decisions.decision_update(actor=office_user, decision=d, drafted_on=date(2022, 12, 29))
    assert d.rule.rule_set == law[2017]
    assert any("91/2017/NĐ-CP" in b for b in d.legal_bases)
    assert not any("152/2025" in b for b in d.legal_bases)
    assert not d.legal_bases_edited
    # Edited by hand: a later change of date keeps them.
    edited = [
        *d.legal_bases[:-1],
        "Căn cứ Quy chế thi đua, khen thưởng của tỉnh;",
        d.legal_bases[-1],
    ]
    d = decisions.decision_update(actor=office_user, decision=d, legal_bases=edited)
    assert d.legal_bases_edited
    d = decisions.decision_update(actor=office_user, decision=d, drafted_on=date(2024, 3, 1))
    assert d.legal_bases == edited
    # "Lấy lại căn cứ theo quy định" drops the hand edits for the law of the draft's date.
    d = decisions.decision_bases_refresh(actor=office_user, decision=d)
    assert not d.legal_bases_edited
    assert any("98/2023/NĐ-CP" in b for b in d.legal_bases)
    assert ActionLog.objects.filter(action="awards.decision.bases_refreshed").count() == 1


def test_signing_takes_the_law_of_the_signing_date(
    law, office_user, signer, campaign, recommended, giay_khen
):
    d = draft(office_user, campaign, giay_khen)
    d = decisions.decision_update(actor=office_user, decision=d, drafted_on=date(2023, 12, 28))
    assert any("91/2017" in b for b in d.legal_bases)
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    d = decisions.decision_approve(actor=signer, decision=d, signed_on=date(2024, 1, 2))
    assert d.rule.rule_set == law[2024]
    assert any("Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022" in b for b in d.legal_bases)
    assert not any("91/2017" in b for b in d.legal_bases)
    log = ActionLog.objects.get(action="awards.decision.signed", target_id=str(d.pk))
    assert "98/2023" in log.data["bases_refreshed"]


def test_a_paper_copy_or_hand_edited_bases_under_another_law_are_refused(
    law, office_user, signer, campaign, recommended, giay_khen
):
    d = draft(office_user, campaign, giay_khen)
    d = decisions.decision_update(actor=office_user, decision=d, drafted_on=date(2023, 12, 28))
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    with pytest.raises(ValidationError) as exc:
        decisions.decision_record_signed_scan(
            actor=office_user,
            decision=d,
            scan=photo("ban-giay.jpg"),
            signed_on=date(2024, 1, 2),
            signer_name="Nguyễn Văn Phong",
        )
    message = exc.value.messages[0]
    assert "Ngày ký 02/01/2024 thuộc “Luật Thi đua, khen thưởng số 06/2022/QH15" in message
    assert "bản giấy đã ký" in message
    assert "trả lại dự thảo" in message
    d.refresh_from_db()
    assert (d.status, d.number_id) == ("awaiting_signature", None)
    # Signed on paper within the same law: accepted as printed.
    d = decisions.decision_record_signed_scan(
        actor=office_user,
        decision=d,
        scan=photo("ban-giay.jpg"),
        signed_on=date(2023, 12, 29),
        signer_name="Nguyễn Văn Phong",
    )
    assert d.status == "final"
    assert any("91/2017" in b for b in d.legal_bases)


def test_hand_edited_bases_are_not_replaced_when_signing_under_another_law(
    law, office_user, signer, campaign, recommended, giay_khen
):
    d = draft(office_user, campaign, giay_khen)
    d = decisions.decision_update(actor=office_user, decision=d, drafted_on=date(2023, 12, 28))
    d = decisions.decision_update(
        actor=office_user, decision=d, legal_bases=["Căn cứ Luật Thi đua, khen thưởng;"]
    )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    with pytest.raises(ValidationError) as exc:
        decisions.decision_approve(actor=signer, decision=d, signed_on=date(2024, 1, 2))
    assert "căn cứ đã được sửa tay" in exc.value.messages[0]
    d = decisions.decision_approve(actor=signer, decision=d, signed_on=date(2023, 12, 30))
    assert d.legal_bases == ["Căn cứ Luật Thi đua, khen thưởng;"]


def _form(rs: RuleSet, **changes):
    """The edit page's POST for `rs` as it stands, with `changes` applied."""
    data = {
        "name": rs.name,
        "effective_from": f"{rs.effective_from:%d/%m/%Y}",
        "effective_to": f"{rs.effective_to:%d/%m/%Y}" if rs.effective_to else "",
        "legal_bases": rs.legal_bases,
        "quorum_numerator": rs.quorum_numerator,
        "quorum_denominator": rs.quorum_denominator,
        "note": rs.note,
        "version": rs.version,
    }
    kinds = list(rs.rules.order_by("pk"))
    data |= {
        "kinds-TOTAL_FORMS": len(kinds) + 1,
        "kinds-INITIAL_FORMS": len(kinds),
        "kinds-MIN_NUM_FORMS": 0,
        "kinds-MAX_NUM_FORMS": 1000,
    }
    for i, r in enumerate(kinds):
        row = {
            "id": r.pk,
            "award_type": r.award_type_id,
            "decided_by": r.decided_by,
            "threshold_percent": r.threshold_percent,
            "processing_working_days": r.processing_working_days,
            "legal_basis": r.legal_basis,
            "standards": r.standards,
            "quota_per_unit": r.quota_per_unit or "",
            "quota_per_campaign": r.quota_per_campaign or "",
            "disclosure_days": r.disclosure_days or "",
        }
        row |= {
            k: "on" for k in ("council_vote", "secret_ballot", "allows_simplified") if getattr(r, k)
        }
        for key, value in row.items():
            data[f"kinds-{i}-{key}"] = value
        data[f"kinds-{i}-full_documents"] = list(r.full_documents)
        data[f"kinds-{i}-simplified_documents"] = list(r.simplified_documents)
        data[f"kinds-{i}-proposer_kinds"] = list(r.proposer_kinds)
    data |= changes
    return data


def test_a_rule_change_on_the_staff_page_reaches_the_next_draft(
    law, office_user, office_client, campaign, recommended, giay_khen
):
    rs = law[2025]
    url = reverse("awards:rule-edit", args=[rs.pk])
    page = office_client.get(url).content.decode()
    assert "Chưa chắc chắn" in page  # the note is shown
    assert "Giấy khen của Chủ tịch UBND cấp xã" in page
    response = office_client.post(
        url, _form(rs, legal_bases=rs.legal_bases + "\n" + LOCAL_RULES), follow=True
    )
    assert "Đã lưu quy định" in response.content.decode()
    rs.refresh_from_db()
    assert rs.version == 2
    log = ActionLog.objects.get(action="awards.rule_set.changed", target_id=str(rs.pk))
    assert set(log.data["fields"]) == {"legal_bases"}
    assert LOCAL_RULES in log.data["fields"]["legal_bases"]["sau"]
    assert "Căn cứ pháp lý" in office_client.get(url).content.decode()  # readable history
    d = draft(office_user, campaign, giay_khen)
    assert f"Căn cứ {LOCAL_RULES};" in d.legal_bases


def test_the_staff_page_edits_award_kinds_with_a_formset(law, office_client, giay_khen):
    rs = law[2025]
    url = reverse("awards:rule-edit", args=[rs.pk])
    kinds = list(rs.rules.order_by("pk"))
    gk = next(i for i, r in enumerate(kinds) if r.award_type == giay_khen)
    district = AwardType.objects.get(code="GK-HUYEN")
    n = len(kinds)
    data = _form(
        rs,
        **{
            f"kinds-{gk}-threshold_percent": "66.67",
            f"kinds-{gk}-quota_per_unit": "4",
            f"kinds-{n}-award_type": district.pk,
            f"kinds-{n}-threshold_percent": "60",
            f"kinds-{n}-processing_working_days": "12",
            f"kinds-{n}-council_vote": "on",
            f"kinds-{n}-full_documents": ["submission", "minutes"],
        },
    )
    office_client.post(url, data)
    rule = rs.rules.get(award_type=giay_khen)
    assert (str(rule.threshold_percent), rule.quota_per_unit) == ("66.67", 4)
    added = rs.rules.get(award_type=district)
    assert (added.effective_from, added.full_documents) == (
        date(2025, 7, 1),
        ["submission", "minutes"],
    )
    log = ActionLog.objects.get(action="awards.rule_set.changed", target_id=str(rs.pk))
    assert log.data["kinds"]["GK-HUYEN"] == "thêm"
    assert set(log.data["kinds"][giay_khen.code]) == {"threshold_percent", "quota_per_unit"}
    # Removing a kind no dossier uses.
    rs.refresh_from_db()
    data = _form(rs)
    i = list(rs.rules.order_by("pk")).index(added)
    data[f"kinds-{i}-DELETE"] = "on"
    office_client.post(url, data)
    assert not rs.rules.filter(award_type=district).exists()


def test_invalid_rule_input_is_explained_in_vietnamese(law, office_user, office_client):
    rs = law[2025]
    url = reverse("awards:rule-edit", args=[rs.pk])
    page = office_client.post(
        url, _form(rs, effective_from="01/01/2025", quorum_numerator="4")
    ).content.decode()
    assert (
        "trùng với quy định “Luật Thi đua, khen thưởng số 06/2022/QH15" not in page
    )  # field error first
    assert "Tử số không được lớn hơn mẫu số." in page
    page = office_client.post(url, _form(rs, effective_from="01/01/2025")).content.decode()
    assert "Thời gian áp dụng trùng với quy định" in page
    assert "06/2022/QH15" in page
    page = office_client.post(url, _form(rs, effective_to="31/13/2026")).content.decode()
    assert "Ngày không hợp lệ: ghi theo dạng dd/mm/yyyy." in page
    rs.refresh_from_db()
    assert (rs.effective_from, rs.version) == (date(2025, 7, 1), 1)  # nothing saved
    # A new period must first close the open one, and the message says how.
    with pytest.raises(ValidationError) as exc:
        rule_set_save(
            actor=office_user,
            rule_set=None,
            values={"name": "Quy định mới", "effective_from": date(2026, 7, 1)},
            award_rules=[],
        )
    assert "đến hết ngày 30/06/2026" in exc.value.messages[0]
    # The same kind twice, a stale page.
    kind = AwardType.objects.get(code="GK-XA")
    with pytest.raises(ValidationError) as exc:
        rule_set_save(
            actor=office_user,
            rule_set=rs,
            values={},
            award_rules=[AwardRuleData(kind, {}), AwardRuleData(kind, {})],
        )
    assert "được khai báo hai lần" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        rule_set_save(actor=office_user, rule_set=rs, values={}, award_rules=[], version=0)
    assert "vừa được người khác sửa" in exc.value.messages[0]


def test_closing_a_period_then_adding_the_next(law, office_user):
    current = law[2025]
    rule_set_save(
        actor=office_user,
        rule_set=current,
        values={"effective_to": date(2026, 6, 30)},
        award_rules=[],
    )
    assert set(current.rules.values_list("effective_to", flat=True)) == {date(2026, 6, 30)}
    kind = AwardType.objects.get(code="GK-XA")
    new = rule_set_save(
        actor=office_user,
        rule_set=None,
        values={
            "name": "Quy chế mới",
            "effective_from": date(2026, 7, 1),
            "legal_bases": "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
        },
        award_rules=[
            AwardRuleData(kind, {"threshold_percent": 70, "full_documents": ["submission"]})
        ],
    )
    assert rule_in_force(kind, date(2026, 7, 1)).rule_set == new
    assert rule_in_force(kind, date(2026, 6, 30)).rule_set == current
    created = ActionLog.objects.get(action="awards.rule_set.created", target_id=str(new.pk))
    assert created.data["kinds"] == ["GK-XA"]


def test_only_noi_vu_edits_rules(law, make_user, city):
    signer = make_user("signer", city.city)
    officer = make_user("unit_officer", city.suoi_hoa)
    rs = law[2025]
    with pytest.raises(PermissionDenied):
        rule_set_save(actor=signer, rule_set=rs, values={"note": "x"}, award_rules=[])
    url = reverse("awards:rule-edit", args=[rs.pk])
    client = verified_client(signer)
    page = client.get(url).content.decode()
    assert "<fieldset disabled>" in page
    assert "Lưu quy định" not in page
    assert client.post(url, _form(rs, note="x")).status_code == 403
    assert verified_client(officer).get(url).status_code == 403


def test_a_wards_noi_vu_does_not_edit_the_rules_the_city_applies(law, make_user, city, office_user):
    """The award rules (quotas, thresholds, whether the council votes) are the installation's:
    a ward's Nội vụ officer, below the city's, would otherwise let the city's dossiers skip the
    council's vote; the Nội vụ of the highest body with one edits them (docs/security.md R22)."""
    ward_office = make_user("emulation_office", city.suoi_hoa, username="noivu-suoihoa")
    rs = law[2025]
    before = ActionLog.objects.count()
    with pytest.raises(PermissionDenied):
        rule_set_save(actor=ward_office, rule_set=rs, values={"note": "x"}, award_rules=[])
    assert ActionLog.objects.count() == before
    url = reverse("awards:rule-edit", args=[rs.pk])
    client = verified_client(ward_office)
    assert "Lưu quy định" not in client.get(url).content.decode()
    assert client.post(url, _form(rs, note="x")).status_code == 403
    rule_set_save(actor=office_user, rule_set=rs, values={"note": "x"}, award_rules=[])


@pytest.mark.parametrize("extra", [0, 6])
def test_rule_list_query_count_is_flat(law, office_client, django_assert_num_queries, extra):
    kind = AwardType.objects.get(code="GK-XA")
    for i in range(extra):
        rs = RuleSet.objects.create(
            name=f"Quy định cũ {i}",
            effective_from=date(2000 + i, 1, 1),
            effective_to=date(2000 + i, 12, 31),
        )
        AwardRule.objects.create(
            rule_set=rs,
            award_type=kind,
            effective_from=rs.effective_from,
            effective_to=rs.effective_to,
        )
    # 3 of them: whether the officer edits the rules (the bodies with Nội vụ officers, R22).
    with django_assert_num_queries(9):
        response = office_client.get(reverse("awards:rule-list"))
    assert len(response.context["rule_sets"]) == 3 + extra
    assert "Đang áp dụng" in response.content.decode()


# ------------------------------------------------------------------ the decision's text


def _two_person_decision(office_user, signer, campaign, giay_khen, officer, head, city):
    AwardRule.objects.filter(award_type=giay_khen).update(council_vote=False, quota_per_unit=None)
    people = [
        Person.objects.create(full_name=n, gender=g, unit=city.suoi_hoa, category="worker")
        for n, g in (("Đặng Văn Ánh", "male"), ("Lương Thị Bình", "female"))
    ]
    n = services.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=giay_khen
    )
    complete(n, officer, people)
    services.nomination_submit(actor=head, nomination=n)
    services.nomination_receive(actor=office_user, nomination=n)
    services.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
    d = decisions.decision_draft(
        actor=office_user, campaign=campaign, award_type=giay_khen, nominees=list(n.nominees.all())
    )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    return decisions.decision_approve(actor=signer, decision=d, signed_on=date(2022, 12, 30))


def _pdf_runs(data: bytes) -> list[tuple[str, str]]:
    """(text, font) of every text run the PDF draws."""
    runs: list[tuple[str, str]] = []
    for page in PdfReader(BytesIO(data)).pages:
        page.extract_text(
            visitor_text=lambda text, _cm, _tm, font, _size: runs.append(
                (text, str((font or {}).get("/BaseFont", "")))
            )
        )
    return runs


def test_articles_are_numbered_in_bold_and_the_annex_title_is_a_sentence(decided):
    document = decision_document(decided)
    runs = _pdf_runs(render_pdf(document))
    articles = [(t, f) for t, f in runs if t.strip().startswith("Điều ")]
    assert [t.strip() for t, _ in articles][:3] == ["Điều 1.", "Điều 2.", "Điều 3."]
    assert all("Bold" in f for _, f in articles[:3])
    follow = next(f for t, f in runs if t.strip().startswith("Tặng Giấy khen"))
    assert "Bold" not in follow
    text = " ".join("".join(t for t, _ in runs).split())
    assert (
        "Danh sách tập thể, cá nhân được tặng Giấy khen của Chủ tịch Ủy ban nhân dân thành" in text
    )
    assert "(Kèm theo Quyết định số 01/QĐ-UBND ngày 30/12/2022 của Chủ tịch Ủy ban nhân dân" in text
    assert "DANH SÁCH" not in text
    assert "I. CÁ NHÂN (01 cá nhân)" in text
    paragraphs = DocxDocument(BytesIO(render_docx(document))).paragraphs
    first = next(p for p in paragraphs if p.text.startswith("Điều 1."))
    assert (first.runs[0].text, first.runs[0].bold) == ("Điều 1. ", True)
    assert first.runs[1].bold is False
    assert any(
        p.text.startswith("Danh sách tập thể, cá nhân được tặng Giấy khen") for p in paragraphs
    )


def test_a_partial_revocation_says_whom_which_numbers_and_from_which_decision(
    office_user, signer, campaign, giay_khen, officer, head, city
):
    original = _two_person_decision(office_user, signer, campaign, giay_khen, officer, head, city)
    records = list(AwardRecord.objects.filter(decision=original).order_by("number"))
    revoked = records[1]
    d = decisions.decision_correct(
        actor=office_user,
        decision=original,
        kind="revoke",
        records=[revoked],
        reason="kê khai thành tích không đúng",
    )
    assert d.summary == (
        "Về việc thu hồi Giấy khen của Chủ tịch UBND thành phố đã tặng cho 01 cá nhân tại "
        "Quyết định số 01/QĐ-UBND ngày 30/12/2022"
    )
    assert d.articles[0] == (
        "Điều 1. Thu hồi Giấy khen của Chủ tịch UBND thành phố đã tặng tại Quyết định số "
        "01/QĐ-UBND ngày 30/12/2022 của Chủ tịch Ủy ban nhân dân thành phố Bắc Ninh đối với 01 "
        f"cá nhân: {revoked.recipient_name} (số vào sổ 0002/2022). Lý do: kê khai thành tích "
        "không đúng."
    )
    assert (
        "Các nội dung khác của Quyết định số 01/QĐ-UBND ngày 30/12/2022 giữ nguyên hiệu lực."
        in (d.articles[1])
    )
    assert records[0].recipient_name not in " ".join(d.articles)
    assert "Căn cứ Quyết định số 01/QĐ-UBND ngày 30/12/2022 của Chủ tịch Ủy ban nhân dân" in (
        " ".join(d.legal_bases)
    )
    text = " ".join("".join(t for t, _ in _pdf_runs(render_pdf(decision_document(d)))).split())
    assert (
        "Danh sách tập thể, cá nhân bị thu hồi Giấy khen của Chủ tịch Ủy ban nhân dân thành" in text
    )
    assert f"{revoked.recipient_name}, " in text
    assert "(số vào sổ 0002/2022)." in text
    # Revoking all that is left is said as such (once the first revocation is signed: an
    # award is in one correction draft at a time).
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    decisions.decision_approve(actor=signer, decision=d, signed_on=date(2023, 1, 5))
    whole = decisions.decision_correct(
        actor=office_user, decision=original, kind="revoke", records=records[:1], reason="sai"
    )
    assert whole.summary.startswith("Về việc thu hồi toàn bộ Giấy khen")
    assert "giữ nguyên hiệu lực" not in whole.articles[1]
    assert Decision.objects.filter(kind="revoke").count() == 2
