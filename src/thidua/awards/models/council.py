"""The award council (Hội đồng Thi đua – Khen thưởng): members, sessions and attendance, the
agenda, and the ballots: who voted (BallotCast), sealed and opened secret choices, written
opinions and show-of-hands votes."""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models

from thidua.awards.models.nominations import Nominee
from thidua.core.transitions import moves


class Council(models.Model):
    """Hội đồng Thi đua – Khen thưởng of an issuer, for a term."""

    owner_unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="councils"
    )
    name = models.CharField("tên hội đồng", max_length=255)
    term_start = models.DateField("nhiệm kỳ từ")
    term_end = models.DateField("nhiệm kỳ đến", null=True, blank=True)

    class Meta:
        verbose_name = "hội đồng thi đua – khen thưởng"
        verbose_name_plural = "hội đồng thi đua – khen thưởng"

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    class CouncilRole(models.TextChoices):
        CHAIR = "chair", "Chủ tịch Hội đồng"
        VICE_CHAIR = "vice_chair", "Phó Chủ tịch Hội đồng"
        SECRETARY = "secretary", "Thư ký"
        MEMBER = "member", "Ủy viên"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats"
    )
    role = models.CharField(
        "vai trò", max_length=16, choices=CouncilRole, default=CouncilRole.MEMBER
    )
    title = models.CharField("chức vụ", max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="council_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_chair(self) -> bool:
        return self.role == self.CouncilRole.CHAIR


class CouncilSession(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", "Đang chuẩn bị"
        OPEN = "open", "Đang họp"
        CLOSED = "closed", "Đã kết thúc"

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {Status.OPEN: {Status.PREPARING}, Status.CLOSED: {Status.OPEN}}
    )

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField("nội dung phiên họp", max_length=255)
    held_on = models.DateField("ngày họp")
    starts_at = models.TimeField("giờ họp", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.PREPARING)
    # Quorum as a fraction of the whole council ("hai phần ba"): exact, no rounding at 66.67 %.
    quorum_numerator = models.PositiveSmallIntegerField(default=2)
    quorum_denominator = models.PositiveSmallIntegerField(default=3)
    members_total = models.PositiveIntegerField(default=0)  # frozen when the session opens
    present_count = models.PositiveIntegerField(default=0)
    quorum_met = models.BooleanField(default=False)
    minutes_number = models.OneToOneField(
        "core.IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)

    def __str__(self) -> str:
        return self.title

    @property
    def is_preparing(self) -> bool:
        return self.status == self.Status.PREPARING

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Attendance(models.Model):
    class Presence(models.TextChoices):
        # Nobody has said yet whether the member came: the session cannot open on it.
        UNMARKED = "unmarked", "Chưa điểm danh"
        PRESENT = "present", "Có mặt"
        WRITTEN_OPINION = "written", "Vắng, có ý kiến bằng văn bản"
        ABSENT = "absent", "Vắng"

    class Counting(models.TextChoices):  # ban kiểm phiếu
        NONE = "", "—"
        HEAD = "head", "Trưởng ban kiểm phiếu"
        MEMBER = "member", "Thành viên Ban kiểm phiếu"

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(max_length=16, choices=Presence, default=Presence.UNMARKED)
    reason = models.CharField("lý do vắng", max_length=255, blank=True)
    counting_role = models.CharField(
        "ban kiểm phiếu", max_length=8, choices=Counting, default=Counting.NONE, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_presence_display()}"

    @classmethod
    def marks(cls) -> list[tuple[str, str]]:
        """What the roll call records: every presence but "Chưa điểm danh", which only a row
        nobody has marked yet has."""
        return [(p.value, p.label) for p in cls.Presence if p != cls.Presence.UNMARKED]

    @property
    def is_marked(self) -> bool:
        return self.presence != self.Presence.UNMARKED

    @property
    def is_present(self) -> bool:
        return self.presence == self.Presence.PRESENT

    @property
    def sent_written_opinion(self) -> bool:
        return self.presence == self.Presence.WRITTEN_OPINION


class AgendaItem(models.Model):
    """One nominee put to the vote; totals are filled only when the chair closes the vote."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chưa bỏ phiếu"
        VOTING = "voting", "Đang bỏ phiếu"
        CLOSED = "closed", "Đã kiểm phiếu"

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = moves(
        {Status.VOTING: {Status.PENDING}, Status.CLOSED: {Status.VOTING}}
    )

    session = models.ForeignKey(CouncilSession, on_delete=models.CASCADE, related_name="items")
    nominee = models.ForeignKey(Nominee, on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    is_secret = models.BooleanField("bỏ phiếu kín", default=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    threshold_percent = models.DecimalField(max_digits=5, decimal_places=2)
    agree = models.PositiveIntegerField(default=0)
    disagree = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    recommended = models.BooleanField(null=True)

    class Meta:
        ordering = ["session", "position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "nominee"], name="agenda_nominee_once")
        ]

    def __str__(self) -> str:
        return f"{self.nominee} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_voting(self) -> bool:
        return self.status == self.Status.VOTING

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Choice(models.TextChoices):
    AGREE = "agree", "Đồng ý"
    DISAGREE = "disagree", "Không đồng ý"
    ABSTAIN = "abstain", "Không biểu quyết"


class BallotCast(models.Model):
    """Who has voted on an item: never what they chose."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="casts")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_ballot_per_member")
        ]

    def __str__(self) -> str:
        return f"Đã bỏ phiếu: {self.member_id} – {self.item_id}"


class SealedBallot(models.Model):
    """A secret ballot while its vote is open: ``seal`` is a random nonce and a keyed MAC of the
    choice (``awards.council``), unreadable without a key held outside the database. Written with
    the voter's BallotCast, so nothing in this row may say what was chosen; the chair's close
    opens every seal and rewrites the choices as shuffled Ballot rows, then deletes these."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="sealed_ballots")
    seal = models.CharField(max_length=96)

    def __str__(self) -> str:
        return "Phiếu kín (niêm phong)"


class Ballot(models.Model):
    """What was chosen, with no voter, no time and a random key, written only when the vote
    closes, all in one transaction and in random order: rows cannot be matched to BallotCast by
    transaction, order, key or timestamp."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=16, choices=Choice)

    def __str__(self) -> str:
        return "Phiếu kín"  # never reveal a choice in admin lists or logs


class WrittenOpinion(models.Model):
    """An absent member's signed written opinion; not secret, counted as the rules say."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="written_opinions")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=16, choices=Choice)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_opinion_per_member")
        ]

    def __str__(self) -> str:
        return f"Ý kiến bằng văn bản của {self.member}"


class NamedVote(models.Model):
    """A show-of-hands vote, recorded by the secretary, where the rules allow an open vote."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="named_votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=16, choices=Choice)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="one_named_vote_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"
