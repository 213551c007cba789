from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Lower, Replace

from thidua.accounts.models import Role
from thidua.core.text import vn_thousands


class UnitKind(models.TextChoices):
    PROVINCE = "province", "Tỉnh"
    DISTRICT = "district", "Thành phố, huyện"
    WARD = "ward", "Phường"
    COMMUNE = "commune", "Xã"
    OFFICE = "office", "Phòng, ban chuyên môn"
    SERVICE_UNIT = "service_unit", "Đơn vị sự nghiệp"
    PARTY = "party", "Cơ quan Đảng"
    MASS_ORG = "mass_org", "Mặt trận, đoàn thể"
    SCHOOL = "school", "Trường học"
    ENTERPRISE = "enterprise", "Doanh nghiệp"
    VERTICAL = "vertical", "Cơ quan ngành dọc"
    OTHER = "other", "Khác"


# A unit's fields staff enter (the form and unit_create/unit_update share this one tuple);
# name and code change only through an organisational event (unit_rename).
UNIT_FIELDS = (
    "code",
    "name",
    "short_name",
    "symbol",
    "kind",
    "parent",
    "valid_from",
    "email",
    "headcount",
)
UNIT_RENAME_FIELDS = ("name", "code")


def unit_code_key(code: Combinable | str = "code") -> Lower:
    """A unit code without capitals or spaces, as the database computes it ("p-vuninh" for
    "P-VU NINH"): two units never share one (the unit_code_key_unique index), and the services
    check it before writing (units._check_code_free). `code` is the column, or a Value. LOWER
    folds ASCII letters only on SQLite; codes are ASCII in practice."""
    return Lower(Replace(code, Value(" "), Value("")))


def path_ids(path: str) -> list[int]:
    """The unit ids a materialised path lists, root first ("/1/5/12/" → [1, 5, 12])."""
    return [int(p) for p in path.strip("/").split("/") if p]


class Unit(models.Model):
    """An organisation. Never renamed or deleted in place: changes are UnitEvents with new rows."""

    code = models.CharField("mã đơn vị", max_length=32, unique=True)
    name = models.CharField("tên đầy đủ", max_length=255)
    short_name = models.CharField("tên ngắn", max_length=120, blank=True)
    symbol = models.CharField(
        "ký hiệu văn bản", max_length=16, blank=True, help_text="Ví dụ: UBND, NV."
    )
    kind = models.CharField("loại đơn vị", max_length=16, choices=UnitKind)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="đơn vị cấp trên",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    headcount = models.PositiveIntegerField("số cán bộ, người lao động", null=True, blank=True)
    # Materialised path of ancestor ids ("/1/5/12/"): descendants are one indexed prefix query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    search_text = models.CharField(max_length=400, editable=False, default="")
    name_sort = models.CharField(max_length=1000, editable=False, default="")

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["name_sort"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
                violation_error_message="Ngày hết hiệu lực không được trước ngày có hiệu lực.",
            ),
            # Behind units._check_code_free (which names the unit holding the code): what two
            # simultaneous creations, or a write that skips the services, would let through.
            models.UniqueConstraint(
                unit_code_key(),
                name="unit_code_key_unique",
                violation_error_message="Đã có đơn vị mang mã này (không kể chữ hoa, chữ "
                "thường và dấu cách). Hãy chọn mã khác.",
            ),
        ]
        indexes = [  # serves the first units by name among many (reporting.aggregate_figures:
            # the units not reported, named in the aggregated report): a walk of the index that
            # stops at the first few, not a sort of thousands
            models.Index(fields=["name_sort", "id"], name="unit_name_sort"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def lineage(self) -> list[int]:
        """The ids of the unit's ancestors, root first, then its own (read from `path`, which
        lists the ancestors only): `other.pk in unit.lineage` says `other` is at or above it."""
        return [*path_ids(self.path), self.pk]

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class UnitEvent(models.Model):
    class Kind(models.TextChoices):
        MERGE = "merge", "Sáp nhập"
        SPLIT = "split", "Chia tách"
        RENAME = "rename", "Đổi tên"
        DISSOLVE = "dissolve", "Giải thể"
        LEVEL_CHANGE = "level_change", "Thay đổi cấp"

    kind = models.CharField("loại sự kiện", max_length=16, choices=Kind)
    date = models.DateField("ngày hiệu lực")
    legal_basis = models.CharField("căn cứ pháp lý", max_length=500, blank=True)
    predecessors = models.ManyToManyField(Unit, related_name="events_as_predecessor")
    successors = models.ManyToManyField(Unit, related_name="events_as_successor")
    note = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "sự kiện tổ chức"
        verbose_name_plural = "sự kiện tổ chức"
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class EmulationBlock(models.Model):
    class Kind(models.TextChoices):
        BLOCK = "block", "Khối thi đua"
        CLUSTER = "cluster", "Cụm thi đua"

    year = models.PositiveSmallIntegerField("năm")
    name = models.CharField("tên khối", max_length=255)
    kind = models.CharField("loại", max_length=16, choices=Kind, default=Kind.BLOCK)
    head_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="khối trưởng",
    )
    deputy_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="khối phó",
    )
    members = models.ManyToManyField(Unit, related_name="blocks", verbose_name="đơn vị thành viên")
    name_sort = models.CharField(max_length=1000, editable=False, default="")

    class Meta:
        verbose_name = "khối thi đua"
        verbose_name_plural = "khối thi đua"
        ordering = ["-year", "name_sort"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"],
                name="block_name_unique_per_year",
                violation_error_message="Trong năm này đã có khối thi đua cùng tên.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class PersonCategory(models.TextChoices):
    CADRE = "cadre", "Cán bộ"
    CIVIL_SERVANT = "civil_servant", "Công chức"
    PUBLIC_EMPLOYEE = "public_employee", "Viên chức"
    ARMED_FORCES = "armed_forces", "Lực lượng vũ trang"
    WORKER = "worker", "Người lao động"
    CITIZEN = "citizen", "Nhân dân"


class Person(models.Model):
    """A person as an award subject. Minimal personal data; nothing here is ever public."""

    class Gender(models.TextChoices):
        MALE = "male", "Nam"
        FEMALE = "female", "Nữ"

    full_name = models.CharField("họ và tên", max_length=150)
    gender = models.CharField("giới tính", max_length=8, choices=Gender)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="people", verbose_name="đơn vị công tác"
    )
    position = models.CharField("chức vụ", max_length=150, blank=True)
    category = models.CharField("đối tượng", max_length=16, choices=PersonCategory)
    # Sensitive (Nghị định 13/2023): shown only to those with the right, never public.
    is_party_member = models.BooleanField("đảng viên", default=False)
    search_text = models.CharField(max_length=400, editable=False, default="")
    name_sort = models.CharField(max_length=1000, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cá nhân"
        verbose_name_plural = "cá nhân"
        ordering = ["name_sort", "pk"]
        indexes = [  # serve person_list_for(): one unit's people, and everyone, in name order
            models.Index(fields=["unit", "name_sort"], name="person_unit_name"),
            models.Index(fields=["name_sort", "id"], name="person_name_order"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def salutation(self) -> str:
        return "Ông" if self.gender == self.Gender.MALE else "Bà"


class UnitRole(models.Model):
    """A role granted to a user in a unit; city roles are granted in the city's unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unit_roles"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("vai trò", max_length=32, choices=Role)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unitrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class ImportBatch(models.Model):
    """An uploaded import file and its outcome; the error report is rebuilt from `errors`."""

    class Status(models.TextChoices):
        REJECTED = "rejected", "Bị từ chối"
        IMPORTED = "imported", "Đã nhập"

    kind = models.CharField(max_length=16)  # units, people
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=16, choices=Status)
    rows = models.PositiveIntegerField(default=0)
    # What the imported rows did (0 when refused: nothing was written): a list imported again
    # updates the people it already holds rather than adding them twice.
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lần nhập dữ liệu"
        verbose_name_plural = "lần nhập dữ liệu"

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    @property
    def changes(self) -> str:
        """What the rows did, for the user: "thêm mới 1 người, cập nhật 1 người, 10 người không
        thay đổi"; "" for a refused import or one recorded before the counts were kept."""
        if self.errors or not self.added + self.updated + self.unchanged:
            return ""
        noun = "đơn vị" if self.kind == "units" else "người"
        return (
            f"thêm mới {vn_thousands(self.added)} {noun}, cập nhật {vn_thousands(self.updated)} "
            f"{noun}, {vn_thousands(self.unchanged)} {noun} không thay đổi"
        )
