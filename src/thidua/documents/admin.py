from django.contrib import admin
from django.http import HttpRequest

from thidua.documents.models import IssuerSeal, SignedPdf, SigningKey


@admin.register(SigningKey)
class SigningKeyAdmin(admin.ModelAdmin[SigningKey]):
    """Which key signs for whom. Passphrases and PINs stay in the environment."""

    list_display = ["user", "unit", "backend", "pkcs12_file", "key_label", "active"]
    list_filter = ["backend", "active"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["unit"]


@admin.register(IssuerSeal)
class IssuerSealAdmin(admin.ModelAdmin[IssuerSeal]):
    list_display = ["unit"]
    raw_id_fields = ["unit"]


@admin.register(SignedPdf)
class SignedPdfAdmin(admin.ModelAdmin[SignedPdf]):
    """Signed copies and upload checks: read only (they are records of what happened)."""

    list_display = ["checked_at", "source", "status", "signer_name", "organisation", "signed_at"]
    list_filter = ["source", "status"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SignedPdf | None = None) -> bool:
        return False
