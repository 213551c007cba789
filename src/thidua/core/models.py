import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class ActionLog(models.Model):
    """Append-only record of every state change (a PostgreSQL trigger rejects UPDATE/DELETE)."""

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người thực hiện",
    )
    action = models.CharField("hành động", max_length=100, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    data = models.JSONField("dữ liệu thay đổi", default=dict, blank=True)

    class Meta:
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"
        ordering = ["-at", "-pk"]
        indexes = [  # serves core.selectors.action_log_for(target): one object's history panel
            models.Index(fields=["target_type", "target_id", "at"], name="actionlog_target"),
        ]

    def __str__(self) -> str:
        return f"{self.action} #{self.target_id}"


class Job(models.Model):
    """Progress of a long background task, polled by the page that started it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Hoàn thành"
        FAILED = "failed", "Lỗi"

    kind = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "tác vụ nền"
        verbose_name_plural = "tác vụ nền"
        indexes = [
            # serves jobs_requeue_stale(): only unfinished jobs, oldest first
            models.Index(
                fields=["created_at"],
                condition=Q(status__in=["pending", "running"]),
                name="job_open_sweep",
            ),
            # serves a page's "latest job of this kind for this object" (e.g. a decision's print)
            models.Index(
                "kind", models.F("params__decision"), "created_by", name="job_kind_decision_lookup"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        """Waiting for or in the hands of a worker: its page keeps polling."""
        return self.status in {self.Status.PENDING, self.Status.RUNNING}

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.done / self.total))


class CalendarDay(models.Model):
    """An exception to the statutory calendar: an extra day off or a make-up working day."""

    class Kind(models.TextChoices):
        DAY_OFF = "off", "Ngày nghỉ"
        WORKING = "working", "Ngày làm việc bù"

    day = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=16, choices=Kind)
    note = models.CharField("ghi chú", max_length=255, blank=True)

    class Meta:
        verbose_name = "ngày nghỉ, làm bù"
        verbose_name_plural = "ngày nghỉ, làm bù"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} – {self.get_kind_display()}"


class DocumentSequence(models.Model):
    """The running number of one issuer's documents of one type in one year ("15/KH-UBND")."""

    issuer_code = models.CharField("mã cơ quan ban hành", max_length=32)
    doc_type = models.CharField("loại văn bản", max_length=16)  # KH, QĐ, BC, CV...
    year = models.PositiveSmallIntegerField("năm")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "sổ số văn bản"
        verbose_name_plural = "sổ số văn bản"
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_code", "doc_type", "year"], name="docseq_one_per_issuer_type_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer_code} {self.doc_type} {self.year}: {self.last_number}"


class IssuedDocument(models.Model):
    """One line of the outgoing register (sổ đăng ký văn bản đi)."""

    sequence = models.ForeignKey(DocumentSequence, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField("số")
    symbol = models.CharField("ký hiệu", max_length=32)
    issued_on = models.DateField("ngày ban hành")
    summary = models.CharField("trích yếu", max_length=500)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "văn bản đi"
        verbose_name_plural = "sổ văn bản đi"
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["sequence", "number"], name="issued_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="issued_number_positive"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.number:02d}/{self.symbol}"


class FormSubmission(models.Model):
    """One submission of a form that numbers a document or sends something (issue 18, L3).

    The form carries a key made when it was drawn (`{% form_key %}`); the service claims the key
    in its own transaction (core.submissions), so a double click, a retry or eight parallel
    clicks make one document, and every repeat is answered with that document."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    action = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    result_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "lần gửi biểu mẫu"
        verbose_name_plural = "lần gửi biểu mẫu"
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="form_submission_once"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.key}"


class ImportFile(models.Model):
    """An uploaded spreadsheet on its way in, kept between the mapping and confirmation steps,
    then the record of the import: its content hash finds a file imported again, and a mapping
    made by hand is what this user's next file of the same kind is read with."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ xác nhận"
        QUEUED = "queued", "Đang nhập trong nền"
        IMPORTED = "imported", "Đã nhập"
        REJECTED = "rejected", "Có lỗi, chưa nhập"
        ABANDONED = "abandoned", "Bỏ dở"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=64)  # the registered importer (core.imports)
    scope = models.CharField(max_length=255, blank=True)  # what it imports into: "contest=4"
    params = models.JSONField(default=dict, blank=True)
    back = models.CharField(max_length=255, blank=True)
    filename = models.CharField(max_length=255)
    file = models.CharField(max_length=300, blank=True)  # storage name while the file is kept
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    sheet = models.CharField(max_length=100, blank=True)
    header_row = models.PositiveIntegerField(null=True, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # column key -> position in the file
    mapped_by_hand = models.BooleanField(default=False)
    chosen_headers = models.JSONField(default=dict, blank=True)  # header key -> column key
    repeat_confirmed = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    rows = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tệp nhập dữ liệu"
        verbose_name_plural = "tệp nhập dữ liệu"
        indexes = [  # serves import_previous(): the same content imported into the same place
            models.Index(
                fields=["source", "scope", "sha256"],
                condition=Q(status="imported"),
                name="importfile_repeat",
            ),
            # serves remembered_headers(): this user's last mapping by hand of one kind
            models.Index(
                fields=["created_by", "source"],
                condition=Q(mapped_by_hand=True),
                name="importfile_mapped",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.filename}"
