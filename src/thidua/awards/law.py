"""The award law shipped with the product (data migration 0010, the demo, tests).

Three rule sets, checked against public sources where they could be found; what could not be
checked is said in each set's note, which the staff page shows. Percentages, quotas and deadlines
for Giấy khen and Bằng khen come from each province's own regulation: the values here are
samples for Nội vụ to confirm, and the notes say so.
"""

from datetime import date
from typing import Any

FULL = ["submission", "achievement_report", "minutes"]
SIMPLIFIED = ["submission", "summary"]

AWARD_TYPES: list[dict[str, Any]] = [
    {
        "code": "BK-TINH",
        "name": "Bằng khen của Chủ tịch UBND tỉnh",
        "level": "province",
        "signer_title": "Chủ tịch UBND tỉnh",
    },
    {
        "code": "GK-HUYEN",
        "name": "Giấy khen của Chủ tịch UBND cấp huyện",
        "level": "district",
        "signer_title": "Chủ tịch UBND cấp huyện",
    },
    {
        "code": "GK-XA",
        "name": "Giấy khen của Chủ tịch UBND cấp xã",
        "level": "commune",
        "signer_title": "Chủ tịch UBND cấp xã",
    },
]

SAMPLE_VALUES = (
    "Tỷ lệ phiếu đồng ý, số lượng tối đa và thời hạn thẩm định của Bằng khen, Giấy khen do quy "
    "chế thi đua, khen thưởng của tỉnh quy định: số liệu ở đây là giá trị mẫu, Phòng Nội vụ cần "
    "đối chiếu quy chế hiện hành của tỉnh. Số thành viên tối thiểu (2/3) theo thông lệ quy chế "
    "hoạt động của Hội đồng."
)


def _bang_khen(**extra: Any) -> dict[str, Any]:
    return {
        "code": "BK-TINH",
        "decided_by": "Chủ tịch UBND tỉnh",
        "full_documents": FULL,
        "simplified_documents": SIMPLIFIED,
        "allows_simplified": False,
        "threshold_percent": 80,
        "processing_working_days": 15,
        **extra,
    }


def _giay_khen(code: str, decided_by: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "decided_by": decided_by,
        "full_documents": FULL,
        "simplified_documents": SIMPLIFIED,
        "allows_simplified": True,
        "threshold_percent": 50,
        "processing_working_days": 10,
        **extra,
    }


RULE_SETS: list[dict[str, Any]] = [
    {
        "name": "Luật Thi đua, khen thưởng 2003 (sửa đổi 2005, 2013) và Nghị định 91/2017/NĐ-CP",
        "effective_from": date(2017, 9, 15),
        "effective_to": date(2023, 12, 31),
        "legal_bases": "\n".join(
            [
                "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
                "Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003",
                "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng ngày 14 tháng 6 "
                "năm 2005",
                "Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng ngày 16 tháng 11 "
                "năm 2013",
                "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi "
                "tiết thi hành một số điều của Luật Thi đua, khen thưởng",
            ]
        ),
        "note": (
            "Đã đối chiếu: ngày ban hành của Luật Thi đua, khen thưởng (26/11/2003), hai luật sửa "
            "đổi (14/6/2005, 16/11/2013) và Nghị định 91/2017/NĐ-CP (31/7/2017); khoản 8 Điều 45 "
            "Nghị định 91/2017/NĐ-CP: bỏ phiếu kín, từ 90% tổng số thành viên Hội đồng trở lên "
            "chỉ áp dụng khi xét Chiến sĩ thi đua cấp tỉnh trở lên. Chưa chắc chắn: ngày bắt đầu "
            "15/09/2017 (ngày hiệu lực của Nghị định 91/2017/NĐ-CP) chưa đối chiếu được với bản "
            "gốc. Quyết định ký từ 01/07/2020 thường căn cứ thêm Luật sửa đổi, bổ sung một số "
            "điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày "
            "22/11/2019 và Thông tư 12/2019/TT-BNV ngày 04/11/2019: bổ sung tay vào dự thảo nếu "
            "cần. " + SAMPLE_VALUES
        ),
        "rules": [
            _bang_khen(),
            _giay_khen("GK-HUYEN", "Chủ tịch UBND cấp huyện"),
            _giay_khen("GK-XA", "Chủ tịch UBND cấp xã"),
        ],
    },
    {
        "name": "Luật Thi đua, khen thưởng số 06/2022/QH15 và Nghị định 98/2023/NĐ-CP",
        "effective_from": date(2024, 1, 1),
        "effective_to": date(2025, 6, 30),
        "legal_bases": "\n".join(
            [
                "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
                "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức "
                "chính quyền địa phương ngày 22 tháng 11 năm 2019",
                "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
                "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi "
                "tiết thi hành một số điều của Luật Thi đua, khen thưởng",
            ]
        ),
        "note": (
            "Đã đối chiếu: Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15/6/2022 và Nghị định "
            "98/2023/NĐ-CP ngày 31/12/2023 cùng có hiệu lực từ 01/01/2024; Điều 80 của Luật: Chủ "
            "tịch UBND cấp huyện và Chủ tịch UBND cấp xã quyết định tặng giấy khen. Kết thúc "
            "30/06/2025 vì từ 01/07/2025 tổ chức chính quyền địa phương hai cấp (không còn cấp "
            "huyện) và áp dụng Nghị định 152/2025/NĐ-CP. " + SAMPLE_VALUES
        ),
        "rules": [
            _bang_khen(),
            _giay_khen("GK-HUYEN", "Chủ tịch UBND cấp huyện"),
            _giay_khen("GK-XA", "Chủ tịch UBND cấp xã"),
        ],
    },
    {
        "name": "Nghị định 152/2025/NĐ-CP: phân cấp, phân quyền; chính quyền địa phương hai cấp",
        "effective_from": date(2025, 7, 1),
        "effective_to": None,
        "legal_bases": "\n".join(
            [
                "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
                "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
                "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về "
                "phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và "
                "hướng dẫn thi hành một số điều của Luật Thi đua, khen thưởng",
            ]
        ),
        "note": (
            "Đã đối chiếu: Nghị định 152/2025/NĐ-CP ban hành ngày 14/6/2025 quy định về phân cấp, "
            "phân quyền và hướng dẫn thi hành Luật Thi đua, khen thưởng; kết quả khen thưởng đột "
            "xuất, theo chuyên đề không dùng làm căn cứ đề nghị cấp trên khen thưởng công trạng. "
            "Không còn cấp huyện: Giấy khen của Chủ tịch UBND cấp huyện không còn trong danh mục; "
            "Chủ tịch UBND xã, phường, đặc khu tặng Giấy khen. Chưa chắc chắn, cần đối chiếu bản "
            "gốc: (1) ngày hiệu lực 01/07/2025 lấy theo ngày chính quyền địa phương hai cấp bắt "
            "đầu hoạt động; (2) Nghị định 152/2025/NĐ-CP thay thế toàn bộ hay một phần Nghị định "
            "98/2023/NĐ-CP: nếu điều khoản nào của Nghị định 98/2023/NĐ-CP còn áp dụng, thêm vào "
            "căn cứ; (3) ngày ban hành của Luật Tổ chức chính quyền địa phương năm 2025 (số "
            "72/2025/QH15) ghi là 16/6/2025; (4) Thông tư 15/2025/TT-BNV ngày 04/8/2025 hướng dẫn "
            "thi hành: bổ sung vào căn cứ khi đã có hiệu lực. " + SAMPLE_VALUES
        ),
        "rules": [
            _bang_khen(),
            _giay_khen("GK-XA", "Chủ tịch UBND cấp xã"),
        ],
    },
]


def seed_rules(award_type_model: Any, rule_set_model: Any, award_rule_model: Any) -> int:
    """Create the award types and rule sets that do not exist yet (by code and by name); a
    period that would overlap one already there is skipped. Returns how many sets were made.
    Takes the model classes so the data migration can pass its historical models."""
    types = {}
    for spec in AWARD_TYPES:
        award, _ = award_type_model.objects.get_or_create(
            code=spec["code"], defaults={k: v for k, v in spec.items() if k != "code"}
        )
        types[spec["code"]] = award
    made = 0
    for spec in RULE_SETS:
        if rule_set_model.objects.filter(name=spec["name"]).exists():
            continue
        end = spec["effective_to"] or date.max
        clash = rule_set_model.objects.filter(effective_from__lte=end).exclude(
            effective_to__lt=spec["effective_from"]
        )
        if clash.exists():
            continue
        rule_set = rule_set_model.objects.create(
            name=spec["name"],
            effective_from=spec["effective_from"],
            effective_to=spec["effective_to"],
            legal_bases=spec["legal_bases"],
            note=spec["note"],
        )
        for rule in spec["rules"]:
            values = {k: v for k, v in rule.items() if k != "code"}
            award_rule_model.objects.create(
                rule_set=rule_set,
                award_type=types[rule["code"]],
                effective_from=spec["effective_from"],
                effective_to=spec["effective_to"],
                **values,
            )
        made += 1
    return made
