"""The awards' certificates: the fields a Bằng khen / Giấy khen prints, their default layout,
the values of one registry entry, and its QR verification URL. Drawing is in
``thidua.documents.certificates``."""

from typing import Any

from django.conf import settings
from django.urls import reverse

from thidua.awards.decisions import campaign_phrase
from thidua.awards.documents import authority_phrase, enacting_authority
from thidua.awards.models import AwardRecord, AwardType, CertificateLayout, Subject
from thidua.documents.certificates import layout_problems as _layout_problems
from thidua.documents.certificates import svg_preview as _svg_preview
from thidua.documents.official.model import format_place_date
from thidua.organizations.models import Unit, UnitKind
from thidua.organizations.selectors import place_of

# What an admin can place, with the label shown in the layout editor.
DATA_FIELDS = {
    "issuer_title": "Thẩm quyền (CHỦ TỊCH ỦY BAN NHÂN DÂN …)",
    "award_title": "Tên hình thức (GIẤY KHEN)",
    "recipient": "Tên tập thể, cá nhân (hộ gia đình: Hộ ông/bà …)",
    "detail": "Chức vụ, đơn vị (hộ gia đình: địa chỉ)",
    "achievement": "Thành tích",
    "decision": "Số, ngày quyết định",
    "registry": "Số vào sổ",
    "place_date": "Địa danh, ngày tháng",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Họ tên người ký",
    "qr": "Mã QR xác minh",
}
SAMPLE = {
    "issuer_title": "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH",
    "award_title": "GIẤY KHEN",
    "recipient": "Bà Nguyễn Thị Thủy Tiên",
    "detail": "Công chức Văn hóa – Xã hội, UBND phường Suối Hoa",
    "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua kỷ niệm 110 năm Ngày sinh "
    "Tổng Bí thư Nguyễn Văn Cừ",
    "decision": "Quyết định số 1234/QĐ-UBND ngày 30/12/2022",
    "registry": "Số vào sổ: 0001/2022",
    "place_date": f"{place_of(None)}, ngày 30 tháng 12 năm 2022",
    "signer_title": "CHỦ TỊCH",
    "signer_name": "Nguyễn Văn Mẫu",
    "qr": "https://thidua.example.vn/xac-minh/mau",
}


# The body that signs each level's award, for a sample certificate (the province's Chairman
# signs a Bằng khen of the province, a ward's a Giấy khen of the ward).
_SAMPLE_ISSUER_KINDS: dict[str, list[str]] = {
    AwardType.Level.PROVINCE: [UnitKind.PROVINCE],
    AwardType.Level.DISTRICT: [UnitKind.DISTRICT],
    AwardType.Level.COMMUNE: [UnitKind.WARD, UnitKind.COMMUNE],
}


def sample_values(award_type: AwardType) -> dict[str, str]:
    """SAMPLE as this award kind prints it: its own title (BẰNG KHEN, not GIẤY KHEN) and the
    authority of a body of its level in this deployment, so the layout editor's preview and
    sample PDF look like the certificate the layout is for."""
    issuer = (
        Unit.objects.filter(
            kind__in=_SAMPLE_ISSUER_KINDS.get(award_type.level, []), valid_to__isnull=True
        )
        .order_by("depth", "name_sort")
        .first()
    )
    authority = (
        authority_phrase(award_type, issuer)
        if issuer is not None
        else award_type.signer_title.replace("UBND", "Ủy ban nhân dân")
    )
    return {
        **SAMPLE,
        "issuer_title": authority.upper(),
        "award_title": award_type.certificate_title.upper(),
    }


def default_fields(award_type: AwardType | None = None) -> list[dict[str, Any]]:
    """A landscape A4 layout close to the usual Giấy khen / Bằng khen."""
    red = "#b3141c"
    return [
        {"field": "text:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "x": 148.5, "y": 186, "size": 14,
         "font": "bold", "align": "centre", "preprinted": True},
        {"field": "text:Độc lập - Tự do - Hạnh phúc", "x": 148.5, "y": 179, "size": 14,
         "font": "bold", "align": "centre", "preprinted": True},
        {"field": "issuer_title", "x": 148.5, "y": 163, "size": 15, "font": "bold",
         "align": "centre", "preprinted": True},
        {"field": "text:TẶNG", "x": 148.5, "y": 153, "size": 16, "font": "bold",
         "align": "centre", "preprinted": True},
        {"field": "award_title", "x": 148.5, "y": 133, "size": 40, "font": "bold",
         "align": "centre", "colour": red, "preprinted": True},
        {"field": "recipient", "x": 148.5, "y": 113, "size": 24, "font": "bold",
         "align": "centre", "colour": red, "width": 250},
        {"field": "detail", "x": 148.5, "y": 104, "size": 14, "font": "italic",
         "align": "centre", "width": 250},
        {"field": "achievement", "x": 148.5, "y": 92, "size": 15, "font": "regular",
         "align": "centre", "width": 230},
        {"field": "place_date", "x": 210, "y": 64, "size": 14, "font": "italic",
         "align": "centre"},
        {"field": "signer_title", "x": 210, "y": 56, "size": 14, "font": "bold",
         "align": "centre"},
        {"field": "signer_name", "x": 210, "y": 26, "size": 15, "font": "bold",
         "align": "centre"},
        {"field": "qr", "x": 24, "y": 24, "size": 26},
        {"field": "decision", "x": 24, "y": 62, "size": 11, "font": "regular", "align": "left"},
        {"field": "registry", "x": 24, "y": 56, "size": 11, "font": "regular", "align": "left"},
    ]  # fmt: skip


def layout_for(award_type: AwardType) -> CertificateLayout:
    layout = CertificateLayout.objects.filter(award_type=award_type).first()
    return layout or CertificateLayout(award_type=award_type, fields=default_fields(award_type))


def layout_problems(fields: Any, width: float, height: float) -> list[str]:
    return _layout_problems(fields, width, height, DATA_FIELDS)


def svg_preview(
    fields: Any, width: float, height: float, values: dict[str, str] | None = None
) -> str:
    return _svg_preview(fields, width, height, values or SAMPLE)


def verify_url(record: AwardRecord) -> str:
    return settings.SITE_URL + reverse("awards:verify", args=[record.token])


def certificate_values(record: AwardRecord) -> dict[str, str]:
    """What a certificate prints: exactly what the verification page may show."""
    decision, campaign = record.decision, record.campaign
    if decision is None or campaign is None:  # imported from the old registry: never printed
        raise ValueError("an imported award has no certificate printed by the system")
    award = record.award_type
    return {
        "issuer_title": enacting_authority(decision),
        "award_title": award.certificate_title.upper(),
        "recipient": record.recipient_name,
        "detail": record.recipient_detail,
        # The printed line is the standard wording; the dossier's summary stays in the registry.
        "achievement": (
            f"Đã có thành tích đóng góp xuất sắc trong {campaign_phrase(campaign)}"
            if record.subject == Subject.HOUSEHOLD
            else f"Đã có thành tích xuất sắc trong {campaign_phrase(campaign)}"
        ),
        "decision": f"Quyết định số {decision.reference} ngày {decision.signed_on:%d/%m/%Y}",
        "registry": f"Số vào sổ: {record.registry_reference}",
        # Nghị định 30/2020: "ngày 05 tháng 6", "ngày 15 tháng 02" (one rule, documents.official)
        "place_date": format_place_date(
            decision.campaign.place or place_of(decision.issuer), decision.signed_on
        ),
        "signer_title": " ".join(
            x for x in (decision.signer_title_line, decision.signer_title) if x
        ),
        "signer_name": decision.signer_name,
        "qr": verify_url(record),
    }
