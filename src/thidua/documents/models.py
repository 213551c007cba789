"""Signing keys, issuers' seals, and the digitally signed PDFs issued or received."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class SigningKey(models.Model):
    """A signer's key, or an issuing body's own key (the "chữ ký số của cơ quan" that the
    clerk applies to letters it issues): a PKCS#12 file (demo, tests, small offices) or a key
    on a PKCS#11 token (production). Secrets never live here: the file's passphrase is read
    from the environment variable named in ``passphrase_env``, the token's PIN from
    THIDUA_PKCS11_PIN."""

    class Backend(models.TextChoices):
        PKCS12 = "pkcs12", "Tệp PKCS#12"
        PKCS11 = "pkcs11", "Token PKCS#11"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signing_key",
        verbose_name="người ký",
    )
    unit = models.OneToOneField(
        "organizations.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signing_key",
        verbose_name="cơ quan (khóa của cơ quan)",
    )
    backend = models.CharField("loại khóa", max_length=8, choices=Backend, default=Backend.PKCS12)
    pkcs12_file = models.CharField(
        "tệp PKCS#12",
        max_length=255,
        blank=True,
        help_text="Đường dẫn, tương đối với THIDUA_SIGNING_KEY_DIR.",
    )
    passphrase_env = models.CharField(
        "biến môi trường chứa mật khẩu",
        max_length=64,
        default="THIDUA_SIGNING_PASSPHRASE",
        help_text="Tên biến môi trường (không ghi mật khẩu vào đây).",
    )
    token_label = models.CharField(
        "nhãn token", max_length=64, blank=True, help_text="Mặc định: THIDUA_PKCS11_TOKEN_LABEL."
    )
    key_label = models.CharField(
        "nhãn khóa", max_length=64, blank=True, help_text="Mặc định: THIDUA_PKCS11_KEY_LABEL."
    )
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "khóa ký số"
        verbose_name_plural = "khóa ký số"
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, unit__isnull=False)
                | Q(user__isnull=False, unit__isnull=True),
                name="signingkey_user_or_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.unit} ({self.get_backend_display()})"


class IssuerSeal(models.Model):
    """The image of an issuing body's seal (PNG, transparent background) for the stamp of
    its digitally signed documents; without one, a simple seal is drawn with its name."""

    unit = models.OneToOneField(
        "organizations.Unit", on_delete=models.CASCADE, related_name="seal", verbose_name="đơn vị"
    )
    image = models.FileField("ảnh con dấu (PNG)", upload_to="seals/", max_length=255)

    class Meta:
        verbose_name = "con dấu"
        verbose_name_plural = "con dấu"

    def __str__(self) -> str:
        return str(self.unit)


class SignedPdf(models.Model):
    """A digitally signed PDF of a record (a decision, a plan…): one we signed at issue, or
    one uploaded back and checked. The check's outcome is kept as it was at upload."""

    class Source(models.TextChoices):
        ISSUED = "issued", "Ký số khi ban hành"
        RECEIVED = "received", "Tải lên"

    class Status(models.TextChoices):
        VALID = "valid", "Chữ ký số hợp lệ"
        MODIFIED = "modified", "Tài liệu đã bị sửa sau khi ký"
        UNTRUSTED = "untrusted", "Chứng thư không được tin cậy"
        INVALID = "invalid", "Chữ ký số không hợp lệ"
        UNSIGNED = "unsigned", "Tài liệu không có chữ ký số"

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.CharField(max_length=64)
    source = models.CharField(max_length=8, choices=Source)
    file = models.FileField(upload_to="signed/", max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField("kết quả kiểm tra", max_length=10, choices=Status)
    signer_name = models.CharField("người ký", max_length=255, blank=True)
    signer_subject = models.CharField("chứng thư của người ký", max_length=500, blank=True)
    organisation = models.CharField("cơ quan", max_length=255, blank=True)
    signed_at = models.DateTimeField("thời gian ký", null=True, blank=True)
    checked_at = models.DateTimeField("thời điểm kiểm tra", auto_now_add=True)
    details = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "tài liệu ký số"
        verbose_name_plural = "tài liệu ký số"
        ordering = ["-checked_at", "-pk"]
        indexes = [  # serves signed_pdf_for(target): the latest signed copy of a record
            models.Index(
                fields=["target_type", "target_id", "checked_at"], name="signedpdf_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.get_status_display()}"

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def is_untrusted(self) -> bool:
        """Intact, but the signer's certificate does not chain to a trusted root."""
        return self.status == self.Status.UNTRUSTED
