"""The signer's certificate subject in Vietnamese, built from its attributes (never from the
English text of a library): "Cấp cho: Lê Quang Minh; Tổ chức: UBND thành phố Bắc Ninh; Quốc
gia: Việt Nam"."""

from __future__ import annotations

from collections.abc import Iterable

from asn1crypto import x509 as asn1_x509

# The subject's attributes (asn1crypto's names), in the order they are shown. "Cấp cho" is the
# usual label of a certificate's common name ("Issued to"): a person, or the body for its own key.
LABELS = {
    "common_name": "Cấp cho",
    "pseudonym": "Bí danh",
    "surname": "Họ",
    "given_name": "Tên",
    "title": "Chức danh",
    "organizational_unit_name": "Đơn vị",
    "organization_name": "Tổ chức",
    "organization_identifier": "Mã số tổ chức",
    "user_id": "Mã định danh",  # Vietnamese CAs write "CCCD:…", "MST:…", "MNS:…" here
    "serial_number": "Số hiệu",
    "email_address": "Thư điện tử",
    "street_address": "Địa chỉ",
    "locality_name": "Địa phương",
    "state_or_province_name": "Tỉnh, thành phố",
    "postal_code": "Mã bưu chính",
    "country_name": "Quốc gia",
    "domain_component": "Tên miền",
}
COUNTRIES = {"VN": "Việt Nam"}
_ORDER = {key: i for i, key in enumerate(LABELS)}

Attributes = list[tuple[str, str]]


def _text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value or "")


def subject_attributes(name: asn1_x509.Name) -> Attributes:
    """(attribute, value) pairs of a certificate's subject, in the certificate's order; an
    attribute asn1crypto does not name keeps its dotted OID."""
    pairs: Attributes = []
    for rdn in name.chosen:
        for attribute in rdn:
            pairs.append((str(attribute["type"].native), _text(attribute["value"].native)))
    return pairs


def subject_text(attributes: Iterable[tuple[str, str]]) -> str:
    """The subject as shown on the pages: the named attributes in LABELS' order, then any
    other, "Nhãn: giá trị" separated by "; "."""
    shown = sorted(
        ((key, value.strip()) for key, value in attributes if value.strip()),
        key=lambda pair: _ORDER.get(pair[0], len(_ORDER)),  # stable: others keep their order
    )
    return "; ".join(
        f"{LABELS.get(key, f'Thuộc tính {key}')}: "
        + (COUNTRIES.get(value.upper(), value) if key == "country_name" else value)
        for key, value in shown
    )
