import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from tests.conftest import verified_client
from tests.contests.conftest import HEADERS, open_round, question_rows
from tests.factories.images import photo
from tests.factories.xlsx import xlsx_upload
from tests.permissions import MATRIX, ROLES
from thidua.awards import council
from thidua.awards import services as awards
from thidua.awards.models import AwardType, Council
from thidua.campaigns import services
from thidua.contests import hotpath
from thidua.contests import services as contests
from thidua.demo import SEED_PLAN
from thidua.organizations.models import EmulationBlock, ImportBatch, Person
from thidua.participation import services as participation
from thidua.reporting import services as reporting

APP_NAMESPACES = {
    "awards",
    "contests",
    "core",
    "accounts",
    "organizations",
    "notifications",
    "campaigns",
    "participation",
}


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
    return {
        "contest": contest,
        "contest_round": contest_round,
        "question": contest.questions.first(),
        "attempt": attempt,
        "done_attempt": done,
        "nomination": nomination,
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
        elif pattern.name and namespace in APP_NAMESPACES:
            yield f"{namespace}:{pattern.name}"


def test_every_named_url_is_in_the_matrix():
    missing = sorted(set(_named_urls(get_resolver())) - set(MATRIX))
    assert missing == []
