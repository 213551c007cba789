"""Online knowledge contest: contests, question bank, rounds, contestants, attempts, submissions.

The submission table is written by the hot path (contests/hotpath.py) with raw SQL: one insert
on the idempotency key. Its unique constraints make a retried or doubled submission count once.
"""

import re
import uuid
from typing import Any

from django.db import models
from django.db.models import F, Q

from thidua.core.text import fold


class AttemptsPolicy(models.TextChoices):
    ONE = "one", "Một lần"
    LIMITED = "limited", "Tối đa N lần, lấy kết quả cao nhất"
    UNLIMITED = "unlimited", "Không giới hạn, lấy kết quả cao nhất"


class PredictionKind(models.TextChoices):
    ALL_CORRECT = "all_correct", "Số bài trả lời đúng tất cả các câu"
    PARTICIPANTS = "participants", "Số người tham gia"


class Difficulty(models.TextChoices):
    EASY = "easy", "Dễ"
    MEDIUM = "medium", "Trung bình"
    HARD = "hard", "Khó"


class ContactField(models.TextChoices):
    NONE = "none", "Không hỏi"
    PHONE = "phone", "Số điện thoại"
    EMAIL = "email", "Thư điện tử"


class PrizeTier(models.TextChoices):
    FIRST = "first", "Giải Nhất"
    SECOND = "second", "Giải Nhì"
    THIRD = "third", "Giải Ba"
    CONSOLATION = "consolation", "Giải Khuyến khích"


TIER_ORDER = [PrizeTier.FIRST, PrizeTier.SECOND, PrizeTier.THIRD, PrizeTier.CONSOLATION]
LETTERS = "ABCD"

# An option that names other options ("Cả A và B đều đúng", "Tất cả các đáp án trên", "Không
# có phương án nào đúng"), matched on the folded text: shuffled, it would point at the wrong
# options, so its question keeps the bank's order on every attempt.
_OPTION_WORD = r"(?:dap an|phuong an|y|cau tra loi|cau|lua chon|nhan dinh|khang dinh)"
_REFERS_TO_OTHERS = re.compile(
    r"\b(?:"
    rf"tat ca(?: cac)?(?: {_OPTION_WORD})?(?: (?:tren|neu tren|deu)\b|$)"
    rf"|tat ca cac {_OPTION_WORD}"
    rf"|ca (?:hai|ba|bon|2|3|4)\b"
    rf"|khong (?:co )?{_OPTION_WORD} nao"
    rf"|(?:cac|hai|ba|nhung) {_OPTION_WORD} (?:tren|neu tren|deu)"
    rf"|{_OPTION_WORD} (?:tren|neu tren)"
    # letters listed at the start ("A và C", "Cả A, B và C", "Đáp án A hoặc B"); not inside
    # a text ("Vitamin A và D", "Nhóm máu A và B")
    rf"|^(?:ca |chi |chi co |ca hai )?(?:{_OPTION_WORD} )?[a-d] ?(?:, ?[a-d] ?)*"
    r"(?:va|hoac|&|\+|,) ?[a-d]\b"
    r"|(?:all|none|both) of (?:the|them)\b|all of the above|none of the above"
    r")"
)


def refers_to_other_options(text: str) -> bool:
    """True for an option that only reads right in the bank's order (it names other options)."""
    return bool(_REFERS_TO_OTHERS.search(fold(text or "")))


def prize_summary(prizes: list[dict[str, Any]]) -> str:
    """A prize structure in words: "1 giải Nhất, 2 giải Nhì" (or "chưa có")."""
    words = {tier.value: tier.label[0].lower() + tier.label[1:] for tier in PrizeTier}
    parts = [f"{p['count']} {words.get(p['tier'], words[PrizeTier.CONSOLATION])}" for p in prizes]
    return ", ".join(parts) or "chưa có"


class CollectiveBasis(models.TextChoices):
    RATE = "rate", "Tỷ lệ tham gia (người dự thi ÷ số người dự kiến)"
    COUNT = "count", "Số người dự thi"


class Contest(models.Model):
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        on_delete=models.PROTECT,
        related_name="contests",
        verbose_name="phong trào",
    )
    organiser_unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.PROTECT,
        related_name="organised_contests",
        verbose_name="đơn vị tổ chức",
    )
    title = models.CharField("tên cuộc thi", max_length=255)
    rules = models.TextField("thể lệ", blank=True)
    data_notice = models.TextField(
        "mục đích sử dụng dữ liệu",
        default=(
            "Ban tổ chức chỉ dùng họ tên, năm sinh và đơn vị để chấm, xếp hạng và trao giải; "
            "thông tin liên hệ được xóa sau khi trao giải."
        ),
    )
    contact_field = models.CharField(
        "thông tin liên hệ", max_length=8, choices=ContactField, default=ContactField.NONE
    )
    show_score_before_close = models.BooleanField(
        "hiện điểm trước khi vòng thi kết thúc", default=False
    )
    # A one-time code to the contestant's phone or e-mail before the first attempt
    # (contests/identity.py); only with a contact field.
    verify_contact = models.BooleanField(
        "xác minh số điện thoại / thư điện tử bằng mã trước lượt thi đầu tiên", default=False
    )
    # Collective prizes for units, allocated once every round has closed.
    collective_basis = models.CharField(
        "xét giải tập thể theo", max_length=8, choices=CollectiveBasis, default=CollectiveBasis.RATE
    )
    # [{"tier": "first", "count": 1}, ...] as Round.prizes
    collective_prizes = models.JSONField("cơ cấu giải tập thể", default=list, blank=True)
    collective_min_entrants = models.PositiveIntegerField(
        "số người dự thi tối thiểu để xét giải tập thể", default=0
    )
    collective_ranked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cuộc thi"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def collective_prize_summary(self) -> str:
        return prize_summary(self.collective_prizes)


class Question(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="questions")
    topic = models.CharField("chủ đề", max_length=100)
    difficulty = models.CharField(
        "độ khó", max_length=8, choices=Difficulty, default=Difficulty.MEDIUM
    )
    stem = models.TextField("câu hỏi")
    stem_key = models.CharField(max_length=500)  # folded stem: duplicate check
    option_a = models.CharField("phương án A", max_length=500)
    option_b = models.CharField("phương án B", max_length=500)
    # Two options at least (a true/false question: "Đúng", "Sai"), up to four, without a gap.
    option_c = models.CharField("phương án C", max_length=500, blank=True)
    option_d = models.CharField("phương án D", max_length=500, blank=True)
    correct = models.CharField("đáp án", max_length=1)
    source = models.CharField("nguồn", max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "câu hỏi"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "stem_key"],
                name="question_unique_stem",
                violation_error_message="Cuộc thi đã có câu hỏi với nội dung này.",
            ),
            models.CheckConstraint(
                condition=Q(correct__in=list(LETTERS)),
                name="question_correct_letter",
                violation_error_message="Đáp án đúng phải là một trong các phương án A, B, C, D.",
            ),
            models.CheckConstraint(
                condition=~Q(correct="C", option_c="") & ~Q(correct="D", option_d=""),
                name="question_correct_filled",
                violation_error_message="Đáp án đúng phải là một phương án có nội dung.",
            ),
            models.CheckConstraint(
                condition=Q(option_d="") | ~Q(option_c=""),
                name="question_options_no_gap",
                violation_error_message="Phương án D chỉ dùng khi đã có phương án C.",
            ),
        ]

    def __str__(self) -> str:
        return self.stem[:80]

    @property
    def options(self) -> list[tuple[str, str]]:
        """The options the question has, (letter, text): two to four."""
        texts = (self.option_a, self.option_b, self.option_c, self.option_d)
        return [(letter, text) for letter, text in zip(LETTERS, texts, strict=True) if text]

    @property
    def letters(self) -> str:
        """The letters of its options: "ABCD", or "AB" for a true/false question."""
        return "".join(letter for letter, _ in self.options)

    @property
    def keeps_order(self) -> bool:
        """Shown in the bank's order on every attempt: an option names other options."""
        return any(refers_to_other_options(text) for _, text in self.options)


class Round(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField("vòng số")
    title = models.CharField("tên vòng", max_length=255, blank=True)
    # Practice (thi thử): unlimited attempts, the score shown at once, never ranked, no prizes,
    # not counted in statistics or collective prizes.
    is_practice = models.BooleanField("vòng thi thử", default=False)
    # Only questions of this topic make the pool (empty: the whole bank).
    pool_topic = models.CharField("chủ đề của đề", max_length=100, blank=True)
    opens_at = models.DateTimeField("mở lúc")
    closes_at = models.DateTimeField("đóng lúc")
    question_count = models.PositiveSmallIntegerField("số câu hỏi", default=10)
    # Optional mix: [{"topic": "", "difficulty": "", "count": n}, ...]; the rest drawn freely.
    mix = models.JSONField("cơ cấu đề", default=list, blank=True)
    time_limit_seconds = models.PositiveIntegerField("thời gian làm bài (giây)", default=900)
    grace_seconds = models.PositiveSmallIntegerField("thời gian trễ cho phép (giây)", default=10)
    attempts_policy = models.CharField(
        "số lần dự thi", max_length=12, choices=AttemptsPolicy, default=AttemptsPolicy.ONE
    )
    max_attempts = models.PositiveSmallIntegerField("số lần tối đa", null=True, blank=True)
    prediction_kind = models.CharField(
        "câu hỏi dự đoán", max_length=16, choices=PredictionKind, default=PredictionKind.ALL_CORRECT
    )
    prediction_text = models.CharField("nội dung câu dự đoán", max_length=500, blank=True)
    # [{"tier": "first", "count": 1}, ...]
    prizes = models.JSONField("cơ cấu giải", default=list, blank=True)
    key_version = models.PositiveIntegerField(default=1)  # bumps the hot path's answer cache
    actual_value = models.PositiveIntegerField("đáp án câu dự đoán", null=True, blank=True)
    ranked_at = models.DateTimeField(null=True, blank=True)
    pool: models.ManyToManyField[Question, "RoundQuestion"] = models.ManyToManyField(
        Question, through="RoundQuestion", related_name="rounds"
    )

    class Meta:
        verbose_name = "vòng thi"
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="round_unique_number"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="round_dates"),
        ]

    def __str__(self) -> str:
        return self.title or f"Vòng {self.number}"

    @property
    def prize_summary(self) -> str:
        return prize_summary(self.prizes)

    @property
    def attempt_limit(self) -> int | None:
        if self.attempts_policy == AttemptsPolicy.ONE:
            return 1
        if self.attempts_policy == AttemptsPolicy.LIMITED:
            return self.max_attempts or 1
        return None

    @property
    def attempts_text(self) -> str:
        """The attempts rule as organisers read it: "Tối đa 3 lần, …", never the choice's "N"."""
        if self.attempts_policy == AttemptsPolicy.LIMITED:
            return f"Tối đa {self.attempt_limit} lần, lấy kết quả cao nhất"
        return str(self.get_attempts_policy_display())

    @property
    def time_limit_text(self) -> str:
        """1200 → "20 phút", 90 → "1 phút 30 giây"."""
        minutes, seconds = divmod(self.time_limit_seconds, 60)
        parts = [f"{minutes} phút"] if minutes else []
        return " ".join([*parts, f"{seconds} giây"] if seconds or not minutes else parts)


class RoundQuestion(models.Model):
    """The round's frozen pool, taken from the bank when the round is set up."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE)
    question = models.ForeignKey(Question, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "question"], name="round_question_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.question_id}"


class Contestant(models.Model):
    """Minimal registration. `device_token` sits in a signed cookie on the contestant's device."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="contestants")
    full_name = models.CharField("họ và tên", max_length=120)
    birth_year = models.PositiveSmallIntegerField("năm sinh")
    unit = models.ForeignKey(
        "organizations.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contestants",
        verbose_name="đơn vị",
    )
    unit_text = models.CharField("đơn vị (tự nhập)", max_length=255, blank=True)
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    consent_at = models.DateTimeField()
    contact_verified_at = models.DateTimeField(null=True, blank=True)
    device_token = models.UUIDField(default=uuid.uuid4, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "người dự thi"
        indexes = [
            # serves attempt_start's count per phone number and the results lookup by phone
            models.Index(
                fields=["contest", "phone"],
                condition=~Q(phone=""),
                name="contestant_contest_phone",
            ),
            models.Index(
                fields=["contest", "email"],
                condition=~Q(email=""),
                name="contestant_contest_email",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def unit_label(self) -> str:
        if self.unit_id is not None and self.unit is not None:
            return self.unit.short_name or self.unit.name
        return self.unit_text


class Attempt(models.Model):
    """One attempt: the drawn questions and option order, the server deadline, saved answers.

    `number` counts the contestant's attempts in the round and `attempt_limit` copies the round's
    policy, so the database refuses a second attempt of the same number or one over the limit.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="attempts")
    contestant = models.ForeignKey(Contestant, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    attempt_limit = models.PositiveSmallIntegerField(null=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()  # started + limit (never after the round closes) + grace
    # [[question_id, "CADB"], ...]: drawn questions in order, each with its option order
    questions = models.JSONField(default=list)
    answers = models.JSONField(default=dict)  # {"question_id": "A"}: autosaved
    prediction = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "lượt dự thi"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "contestant", "number"], name="attempt_unique_number"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="attempt_number_positive"),
            models.CheckConstraint(
                condition=Q(attempt_limit__isnull=True) | Q(number__lte=F("attempt_limit")),
                name="attempt_within_limit",
            ),
        ]
        indexes = [
            # serves attempts_close_expired(): attempts whose deadline passed in the sweep window
            models.Index(fields=["deadline"], name="attempt_deadline_sweep"),
        ]

    def __str__(self) -> str:
        return f"Lượt {self.number}"


class Submission(models.Model):
    """The final submission: one row per attempt, written once (INSERT … ON CONFLICT DO NOTHING).

    Denormalised (round, contestant, unit) so ranking and statistics read this table alone.
    """

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="submission")
    # Copied from the attempt the hot path has just read, so the attempt's foreign key is the
    # one checked by the database: the others' per-row triggers (a key-share lock on the same
    # round row from every concurrent insert) and the single-column indexes that the
    # (round, contestant) index already serves only cost time on each submission.
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="submissions", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    contestant = models.ForeignKey(
        Contestant, on_delete=models.CASCADE, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    unit = models.ForeignKey(
        "organizations.Unit", null=True, on_delete=models.PROTECT, related_name="+",
        db_constraint=False, db_index=False,
    )  # fmt: skip
    idempotency_key = models.UUIDField(unique=True)
    payload_hash = models.CharField(max_length=64)
    receipt = models.CharField(max_length=16)  # unique: a constraint, no LIKE index beside it
    answers = models.JSONField(default=dict)
    prediction = models.PositiveIntegerField(null=True)
    score = models.PositiveSmallIntegerField()
    duration_ms = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    closed_by_server = models.BooleanField(default=False)  # time limit reached, saved answers

    class Meta:
        verbose_name = "bài nộp"
        indexes = [models.Index(fields=["round", "contestant"], name="submission_round_person")]
        constraints = [models.UniqueConstraint(fields=["receipt"], name="submission_receipt")]

    def __str__(self) -> str:
        return self.receipt


class RankEntry(models.Model):
    """The official ranking of a round, written by one SQL statement after the round closes.

    A derived table, rebuilt from the submissions each time: no foreign-key triggers (they
    tripled the time of ranking a million rows), only the indexes its readers use.
    """

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="ranking", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    contestant = models.ForeignKey(
        Contestant, on_delete=models.CASCADE, related_name="+", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    rank = models.PositiveIntegerField()
    score = models.PositiveSmallIntegerField()
    prediction_gap = models.BigIntegerField(null=True)
    duration_ms = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    prize = models.CharField(max_length=12, choices=PrizeTier, blank=True)

    class Meta:
        ordering = ["rank", "id"]
        # One row per person comes from the statement (ROW_NUMBER() … = 1); a unique index
        # here only slowed the rebuild. Readers page by (round, rank).
        indexes = [models.Index(fields=["round", "rank"], name="rank_round_rank")]

    def __str__(self) -> str:
        return f"{self.rank}"

    @property
    def duration_text(self) -> str:
        """Time taken as mm:ss, whole seconds cut down (the ranking compares milliseconds)."""
        minutes, seconds = divmod(self.duration_ms // 1000, 60)
        return f"{minutes:02d}:{seconds:02d}"


class UnitTarget(models.Model):
    """The organiser's expected number of participants of a unit (số người dự kiến): the
    denominator of its participation rate. Without one the unit's headcount is used."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="unit_targets")
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    expected = models.PositiveIntegerField("số người dự kiến")

    class Meta:
        verbose_name = "số người dự kiến của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["contest", "unit"], name="unit_target_once"),
            models.CheckConstraint(condition=Q(expected__gte=1), name="unit_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.expected}"


class CollectiveResult(models.Model):
    """The allocated collective prizes: every eligible unit's standing, rebuilt on each run."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="collective_results"
    )
    unit = models.ForeignKey("organizations.Unit", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField()
    entrants = models.PositiveIntegerField()
    expected = models.PositiveIntegerField(null=True)
    rate = models.DecimalField(max_digits=7, decimal_places=2, null=True)  # percent, shown
    prize = models.CharField(max_length=12, choices=PrizeTier, blank=True)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "unit"], name="collective_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.rank}: {self.unit_id}"


class ContestCertificate(models.Model):
    """A contestant's certificate of a round (participation or prize): its QR code opens the
    public verification page by this unguessable token. What it certifies is read from the
    round's results when the page opens (contests/results.py)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="certificates")
    contestant = models.ForeignKey(
        Contestant, on_delete=models.CASCADE, related_name="certificates"
    )
    token = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = "giấy chứng nhận cuộc thi"
        constraints = [
            models.UniqueConstraint(fields=["round", "contestant"], name="contest_certificate_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.contestant_id}"
