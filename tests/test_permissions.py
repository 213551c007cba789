import uuid
from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.conftest import verified_client
from tests.contests.conftest import HEADERS, open_round, question_rows
from tests.factories.images import photo
from tests.factories.pdfs import pdf
from tests.factories.xlsx import xlsx_upload
from tests.permissions import MATRIX, ROLES
from thidua.awards import council, decisions
from thidua.awards import services as awards
from thidua.awards.models import (
    AppraisalRound,
    AwardRule,
    AwardType,
    Council,
    PrinterProfile,
    RuleSet,
)
from thidua.campaigns import services
from thidua.contests import hotpath
from thidua.contests import services as contests
from thidua.core.models import Job
from thidua.demo import SEED_PLAN
from thidua.organizations.models import EmulationBlock, ImportBatch, Person
from thidua.participation import services as participation
from thidua.portal import services as portal
from thidua.reporting import services as reporting

# Every namespace of the site is in the matrix; only Django's admin (its own permissions,
# behind THIDUA_ADMIN_ALLOWED_IPS) is left out.
NOT_IN_MATRIX = {"admin"}


@pytest.fixture
def fixtures(city, make_user, office_user):
    person = Person.objects.create(
        full_name="Bùi Thị Hằng", gender="female", unit=city.suoi_hoa, category="civil_servant"
    )
    batch = ImportBatch.objects.create(
        kind="people", filename="a.xlsx", status="rejected", created_by=office_user
    )
    block = EmulationBlock.objects.create(year=2022, name="Khối các phường")
    text = SEED_PLAN.read_text(encoding="utf-8")
    draft = services.campaign_import(actor=office_user, text=text, owner_unit=city.city)
    issued = services.campaign_import(actor=office_user, text=text, owner_unit=city.city)
    issued = services.campaign_update(
        actor=office_user, campaign=issued, version=issued.version, signer_name="A"
    )
    issued = services.campaign_issue(
        actor=office_user, campaign=issued, issued_on=date(2022, 5, 25)
    )
    officer = make_user("unit_officer", city.suoi_hoa)
    form = issued.forms.first()
    activity = participation.activity_record(
        actor=officer,
        campaign=issued,
        unit=city.suoi_hoa,
        form=form,
        title="Tọa đàm",
        held_on=date(2022, 7, 1),
        files=[photo()],
    )
    good_model = participation.good_model_propose(
        actor=officer,
        campaign=issued,
        unit=city.suoi_hoa,
        kind="model",
        title="Tủ sách",
        description="Mô tả",
    )
    difficulty = participation.difficulty_raise(
        actor=officer, campaign=issued, unit=city.suoi_hoa, title="A", text="B"
    )
    template = reporting.template_create(
        actor=office_user,
        campaign=issued,
        name="Mẫu",
        sections=[{"title": "Kết quả", "guidance": ""}],
        indicators=[],
    )
    report_request = reporting.request_create(
        actor=office_user,
        campaign=issued,
        template=template,
        title="BC",
        units=[city.suoi_hoa],
        due_date=date(2022, 12, 15),
    )
    reporting.aggregate_build(actor=office_user, request=report_request)
    reporting.report_attach(
        actor=officer, assignment=report_request.assignments.get(), files=[photo()]
    )
    letter = reporting.urging_letter_create(actor=office_user, request=report_request)
    award = AwardType.objects.create(
        code="GK", name="Giấy khen", level="district", signer_title="Chủ tịch"
    )
    nomination = awards.nomination_create(
        actor=officer, campaign=issued, unit=city.suoi_hoa, award_type=award
    )
    dossier_file = awards.document_attach(
        actor=officer, nomination=nomination, kind="submission", upload=pdf()
    )
    body = Council.objects.create(
        owner_unit=city.city, name="Hội đồng", term_start=date(2021, 1, 1)
    )
    session = council.session_create(
        actor=office_user, council=body, title="Phiên", held_on=date(2022, 12, 27)
    )
    organiser = make_user("contest_organiser")
    contest = contests.contest_create(
        actor=organiser, campaign=issued, organiser_unit=city.centre, title="Cuộc thi"
    )
    contests.question_import(
        actor=organiser,
        contest=contest,
        upload=xlsx_upload([HEADERS, *question_rows(12)]),
        filename="cau-hoi.xlsx",
    )
    contest_round = open_round(organiser, contest)
    contestant = contests.contestant_register(
        contest=contest, full_name="Lê Văn An", birth_year=1990, unit_text="Khác", consent=True
    )
    attempt = contests.attempt_start(contestant=contestant, round_=contest_round)
    done = contests.attempt_start(
        contestant=contests.contestant_register(
            contest=contest, full_name="Lê Thị Bé", birth_year=1991, unit_text="X", consent=True
        ),
        round_=contest_round,
    )
    hotpath.submit(str(done.token), uuid.uuid4(), {}, 1)
    media = make_user("media_staff")
    site = portal.site_save(actor=media, campaign=issued, is_public=True, intro="")
    section = portal.section_create(actor=media, site=site, name="Tin hoạt động")
    article = portal.article_save(
        actor=media, site=site, section=section, title="Tin", body="<p>a</p>"
    )
    portal.article_publish(actor=media, article=article)
    album = portal.album_save(actor=media, site=site, title="Bộ ảnh")
    portal_photo = portal.photo_add(
        actor=media, album=album, image=photo(), caption="Ảnh", alt_text="Mô tả"
    )
    public_model = participation.good_model_propose(
        actor=officer,
        campaign=issued,
        unit=city.suoi_hoa,
        kind="model",
        title="Mô hình được công nhận",
        description="Mô tả",
    )
    participation.good_model_review(
        actor=office_user, good_model=public_model, decision="accept", note=""
    )
    decision, record = _decided(issued, office_user, officer, person, make_user, city)
    printer = PrinterProfile.objects.create(owner=city.city, name="Máy in phòng Nội vụ")
    job = Job.objects.create(kind="x", created_by=office_user)
    return {
        "decision": decision,
        "record": record,
        "printer": printer,
        "job": job,
        "award": award,
        "rule_set": RuleSet.objects.create(
            name="Quy định thử", effective_from=date(1990, 1, 1), effective_to=date(1990, 12, 31)
        ),
        "site": site,
        "section": section,
        "article": article,
        "album": album,
        "photo": portal_photo,
        "book": portal.book_save(actor=media, site=site, title="Sách"),
        "event": portal.event_save(
            actor=media,
            site=site,
            kind="seminar",
            title="Tọa đàm",
            starts_at=datetime(2022, 7, 5, 8, tzinfo=UTC),
            place="Nhà văn hóa",
        ),
        "public_model": public_model,
        "contest": contest,
        "contest_round": contest_round,
        "question": contest.questions.first(),
        "attempt": attempt,
        "done_attempt": done,
        "nomination": nomination,
        "document": dossier_file,
        "session": session,
        "report_request": report_request,
        "assignment": report_request.assignments.get(),
        "letter": letter,
        "attachment": report_request.assignments.get().attachments.get(),
        "activity": activity,
        "good_model": good_model,
        "difficulty": difficulty,
        "evidence": activity.evidence.get(),
        "person_user": office_user,
        "city": city,
        "person": person,
        "batch": batch,
        "block": block,
        "draft": draft,
        "issued": issued,
    }


def _decided(campaign, office_user, officer, person, make_user, city):
    """A final decision of an award that needs no council vote, and its registry entry."""
    award = AwardType.objects.create(
        code="GK2", name="Giấy khen 2", level="district", signer_title="Chủ tịch"
    )
    AwardRule.objects.create(
        award_type=award, effective_from=date(2020, 1, 1), council_vote=False, full_documents=[]
    )
    n = awards.nomination_create(
        actor=officer, campaign=campaign, unit=city.suoi_hoa, award_type=award
    )
    awards.nominee_add(actor=officer, nomination=n, person=person, achievements="Tốt")
    awards.nomination_submit(actor=make_user("unit_head", city.suoi_hoa), nomination=n)
    awards.nomination_receive(actor=office_user, nomination=n)
    awards.nomination_appraise(
        actor=office_user, nomination=n, eligible=True, checklist=AppraisalRound.every_check()
    )
    d = decisions.decision_draft(
        actor=office_user, campaign=campaign, award_type=award, nominees=list(n.nominees.all())
    )
    decisions.decision_send_for_signature(actor=office_user, decision=d)
    d = decisions.decision_approve(
        actor=make_user("signer", city.city), decision=d, signed_on=date(2022, 12, 30)
    )
    return d, d.records.get()


def client_as(role: str, make_user) -> Client:
    if role == "anonymous":
        return Client()
    if role == "no_totp":
        client = Client()
        client.force_login(make_user("emulation_office"))
        return client
    return verified_client(make_user(role))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, fixtures, make_user):
    client = client_as(role, make_user)
    wrong = {}
    for name, (kwargs, expected) in MATRIX.items():
        response = client.get(reverse(name, kwargs=kwargs(fixtures)))
        if (
            response.streaming
        ):  # reading to the end closes the file (close() would end the DB connection)
            b"".join(response.streaming_content)
        status = response.status_code
        if status != expected[role]:
            wrong[name] = (status, expected[role])
    assert wrong == {}


def _named_urls(resolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            ns = pattern.namespace or namespace
            yield from _named_urls(pattern, ns)
        elif pattern.name and namespace and namespace not in NOT_IN_MATRIX:
            yield f"{namespace}:{pattern.name}"


def test_every_named_url_is_in_the_matrix():
    missing = sorted(set(_named_urls(get_resolver())) - set(MATRIX))
    assert missing == []
