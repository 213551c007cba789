"""Request and response bodies of API v1. Field names are English; texts stay Vietnamese."""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

MAX_ID = 2**31 - 1


def _storable(text: str) -> str:
    """Refuse what no database column can hold (NUL, lone surrogates) with a clear message."""
    if "\x00" in text:
        raise ValueError("Văn bản không được chứa ký tự NUL.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Văn bản chứa ký tự không hợp lệ.") from None
    return text


Storable = AfterValidator(_storable)
Title = Annotated[str, Field(min_length=1, max_length=255), Storable]
Line = Annotated[str, Field(max_length=255), Storable]
Links = Annotated[str, Field(max_length=2000), Storable]
LongText = Annotated[str, Field(max_length=5000), Storable]
Search = Annotated[str, Field(max_length=100), Storable]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """Only YYYY-MM-DD (or a date): pydantic would read 0 as 01/01/1970, a Unix time (issue 18,
    L11: `held_to=0` was accepted)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    raise PydanticCustomError("date_parsing", "Ngày không hợp lệ (định dạng YYYY-MM-DD).")


Day = Annotated[date, BeforeValidator(_iso_day)]


class FieldError(Schema):
    field: str
    message: str = Field(examples=["Thiếu trường bắt buộc."])
    code: str = Field("", examples=["missing"])


class Error(Schema):
    """Every error: a machine code, a Vietnamese message, and field errors when there are."""

    code: str = Field(examples=["forbidden"])
    message: str = Field(examples=["Khóa API không có quyền với dữ liệu này."])
    errors: list[FieldError] = []


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None
    email: str
    headcount: int | None


class PersonOut(Schema):
    """Award subjects; sensitive fields (party membership) are never exposed."""

    id: int
    full_name: str
    gender: str
    birth_year: int | None
    unit_id: int
    position: str
    category: str


Gender = Literal["male", "female"]
Category = Literal["cadre", "civil_servant", "public_employee", "armed_forces", "worker", "citizen"]
Name = Annotated[str, Field(min_length=1, max_length=150), Storable]
Position = Annotated[str, Field(max_length=150), Storable]
BirthYear = Annotated[int, Field(ge=1900, le=2100)]


class PersonIn(Schema):
    """A person of a unit in the token's scope (party membership is set on the web only)."""

    unit_id: Id
    full_name: Name
    gender: Gender
    birth_year: BirthYear | None = None
    position: Position = ""
    category: Category


class PersonPatch(Schema):
    unit_id: Id | None = None
    full_name: Name | None = None
    gender: Gender | None = None
    birth_year: BirthYear | None = None
    position: Position | None = None
    category: Category | None = None


class CampaignOut(Schema):
    id: int
    title: str
    status: str
    number: int | None
    doc_symbol: str
    issued_on: date | None
    period_start: date | None
    period_end: date | None
    report_deadline: date | None
    owner_unit_id: int


class TaskOut(Schema):
    """One unit's part of a plan's assignment (nhiệm vụ được giao)."""

    id: int
    assignment_id: int
    clause: str
    text: str
    unit_id: int
    status: str
    due_date: date | None
    acknowledged_at: datetime | None
    done_at: datetime | None


class CommitmentOut(Schema):
    id: int
    criterion_id: int | None
    text: str
    target_kind: str
    target_value: Decimal | None
    target_unit: str
    target_text: str
    actual: Decimal


class RegistrationOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    status: str
    note: str
    return_note: str
    submitted_at: datetime | None
    commitments: list[CommitmentOut]


Text500 = Annotated[str, Field(max_length=500), Storable]
Target = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


class CommitmentIn(Schema):
    """A target the unit commits to: on a criterion of the plan (`criterion_id`) or its own."""

    criterion_id: Id | None = None
    text: Text500 = Field("", description="Bỏ trống thì lấy nội dung của tiêu chí.")
    target_kind: Literal["number", "yes_no", "text"] = "number"
    target_value: Target | None = Field(None, description="Bắt buộc khi target_kind là number.")
    target_unit: Annotated[str, Field(max_length=64), Storable] = ""
    target_text: Text500 = ""


class RegistrationIn(Schema):
    """The whole draft: commitments replace the previous ones, in order."""

    note: LongText = ""
    commitments: list[CommitmentIn] = Field(min_length=1, max_length=100)


class ActivityOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    form_id: int
    form_code: str
    title: str
    held_on: date
    ends_on: date | None
    place: str
    description: str
    participants: int
    links: str
    created_at: datetime


class ActivityIn(Schema):
    unit_id: Id
    form_id: Id
    title: Title
    held_on: Day
    ends_on: Day | None = None
    place: Line = ""
    description: LongText = ""
    participants: int = Field(0, ge=0, le=10_000_000, strict=True)  # true/false is no count
    links: Links = ""


class ActivityPatch(Schema):
    title: Title | None = None
    held_on: Day | None = None
    ends_on: Day | None = None
    place: Line | None = None
    description: LongText | None = None
    participants: int | None = Field(None, ge=0, le=10_000_000, strict=True)
    links: Links | None = None


class ReportRequestBase(Schema):
    id: int
    campaign_id: int
    title: str
    kind: str
    due_date: date
    sent_at: datetime | None


class ReportRequestOut(ReportRequestBase):
    units_total: int
    units_done: int


ReviewNote = Annotated[
    str,
    Field(
        description="Ý kiến của Phòng Nội vụ khi trả lại hoặc tiếp nhận báo cáo; trống nếu không có."
    ),
]
HeadNote = Annotated[
    str,
    Field(
        description=(
            "Nội dung thủ trưởng đơn vị yêu cầu sửa khi trả lại cho cán bộ đầu mối; trống khi "
            "báo cáo không ở tình trạng bị thủ trưởng trả lại (xóa khi cán bộ gửi lại)."
        )
    ),
]


class ReportOut(Schema):
    """A unit's report for a request; `values` and `narratives` are the last submitted version."""

    id: int
    request_id: int
    unit_id: int
    status: str
    submitted_at: datetime | None
    is_late: bool
    version: int | None
    values: dict[str, Any]
    narratives: dict[str, str]
    review_note: ReviewNote
    head_note: HeadNote


class ReportDraftOut(Schema):
    """The unit's working draft of a report (what the unit head will approve and submit)."""

    id: int
    request_id: int
    unit_id: int
    status: str
    draft_saved_at: datetime | None
    narratives: dict[str, str]
    values: dict[str, Any]
    review_note: ReviewNote
    head_note: HeadNote


class ReportDraftIn(Schema):
    """`narratives`: section id → text; `values`: indicator id → number (or true/false for a
    yes/no indicator). The whole draft is replaced; ids are those of GET /report-requests/{id}."""

    narratives: dict[str, LongText] = Field(default_factory=dict, max_length=200)
    values: dict[str, Annotated[float, Field(ge=0, le=1e12)] | bool] = Field(
        default_factory=dict, max_length=500
    )


class ReportReturnIn(Schema):
    """The unit head's reason for sending the report back to the focal officer."""

    note: LongText = Field(description="Nội dung cần sửa (bắt buộc), gửi tới cán bộ đầu mối.")


class SectionOut(Schema):
    id: int
    title: str
    guidance: str


class IndicatorOut(Schema):
    id: int
    name: str
    unit_of_measure: str
    is_yes_no: bool
    source: str = Field(description="manual: đơn vị nhập; khác: tính tự động khi nộp.")


class ReportRequestDetailOut(ReportRequestBase):
    sections: list[SectionOut]
    indicators: list[IndicatorOut]


class NominationOut(Schema):
    id: int
    campaign_id: int
    unit_id: int
    award_type_code: str
    award_type_name: str
    route: str
    status: str
    submitted_at: datetime | None
    appraisal_due: date | None
    nominees: int


class NomineeOut(Schema):
    id: int
    subject: str = Field(description="collective, individual hoặc household (hộ gia đình).")
    person_id: int | None
    unit_id: int | None
    household_id: int | None = None
    achievements: str


class NominationDetailOut(NominationOut):
    nominee_list: list[NomineeOut]


class NominationIn(Schema):
    unit_id: Id
    award_type_code: Annotated[str, Field(min_length=1, max_length=32), Storable]
    route: Literal["full", "simplified"] = "full"


class NomineeIn(Schema):
    """An individual (`person_id`, a person of the nominating unit) or, without it, the unit
    itself as a collective."""

    person_id: Id | None = None
    achievements: LongText = ""


class DecisionOut(Schema):
    id: int
    campaign_id: int
    award_type_code: str
    kind: str
    status: str
    reference: str
    summary: str
    signed_on: date | None
    signer_name: str
    corrects_id: int | None
    lines: int


class AwardRecordOut(Schema):
    id: int
    registry_reference: str
    year: int
    number: int
    recipient_name: str
    recipient_detail: str
    unit_id: int
    unit_name: str
    subject: str
    award_type_code: str
    award_type_name: str
    decision_id: int | None = Field(description="Trống với khen thưởng nhập từ sổ vàng cũ.")
    decision_reference: str
    signed_on: date | None
    campaign_id: int | None
    status: str


class PrizeCount(Schema):
    tier: str = Field(description="first, second, third hoặc consolation.")
    count: int


class RoundOut(Schema):
    """A contest round; `state` is upcoming, open, closed or published (results public)."""

    id: int
    number: int
    title: str
    opens_at: datetime
    closes_at: datetime
    question_count: int
    time_limit_seconds: int
    attempts_policy: str
    max_attempts: int | None
    prizes: list[PrizeCount]
    state: str
    results_published_at: datetime | None


class ContestOut(Schema):
    id: int
    campaign_id: int
    title: str
    organiser_unit_id: int
    organiser_unit_name: str
    rounds: list[RoundOut]


class WinnerOut(Schema):
    """A prize winner as the public results page shows them: name and unit or ward only."""

    rank: int
    prize: str
    prize_name: str
    full_name: str
    unit: str
    score: int


class RoundResultsOut(Schema):
    """Published results of a closed round: figures, the prediction answer, the prize winners
    (`count` winners in all, `items` the requested slice in rank order)."""

    round_id: int
    contest_id: int
    number: int
    title: str
    closes_at: datetime
    published_at: datetime
    actual_value: int | None
    participants: int
    submissions: int
    all_correct: int
    count: int
    items: list[WinnerOut]


# Pages: `count` is the total matching, `items` the requested slice in a stable order.
class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


class CampaignPage(Schema):
    count: int
    items: list[CampaignOut]


class TaskPage(Schema):
    count: int
    items: list[TaskOut]


class RegistrationPage(Schema):
    count: int
    items: list[RegistrationOut]


class ActivityPage(Schema):
    count: int
    items: list[ActivityOut]


class ReportRequestPage(Schema):
    count: int
    items: list[ReportRequestOut]


class ReportPage(Schema):
    count: int
    items: list[ReportOut]


class NominationPage(Schema):
    count: int
    items: list[NominationOut]


class DecisionPage(Schema):
    count: int
    items: list[DecisionOut]


class AwardRecordPage(Schema):
    count: int
    items: list[AwardRecordOut]


class ContestPage(Schema):
    count: int
    items: list[ContestOut]
