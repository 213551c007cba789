"""The award law shipped with the product (data migration 0010, the demo, tests).

Three rule sets, checked against public sources where they could be found; what could not be
checked is said in each set's note, which the staff page shows. Percentages, quotas and deadlines
for Giấy khen and Bằng khen come from each province's own regulation: the values here are
samples for Nội vụ to confirm, and the notes say so.
"""

from datetime import date
from decimal import Decimal
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


# Mức lương cơ sở (base salary), from each decree's effective date; prize money uses the one in
# force on the decision's date (awards/fund.py). Checked against the decrees' published texts.
BASE_SALARIES: list[tuple[date, int, str]] = [
    (date(2016, 5, 1), 1_210_000, "Nghị định số 47/2016/NĐ-CP"),
    (date(2017, 7, 1), 1_300_000, "Nghị định số 47/2017/NĐ-CP"),
    (date(2018, 7, 1), 1_390_000, "Nghị định số 72/2018/NĐ-CP"),
    (date(2019, 7, 1), 1_490_000, "Nghị định số 38/2019/NĐ-CP"),
    (date(2023, 7, 1), 1_800_000, "Nghị định số 24/2023/NĐ-CP"),
    (date(2024, 7, 1), 2_340_000, "Nghị định số 73/2024/NĐ-CP"),
]

# Hệ số mức tiền thưởng (prize coefficient: multiples of the base salary) per rule set and award
# kind, as (individual, collective, household). Collectives get twice an individual's amount
# (Nghị định 91/2017/NĐ-CP Điều 73 khoản 2; Nghị định 98/2023/NĐ-CP, same rule). Unsure, see
# docs/domain.md "Reward fund": the Giấy khen of a commune under 98/2023 and 152/2025, and the
# household amounts (taken as an individual's).
PRIZE_COEFFICIENTS: dict[tuple[str, str], tuple[str, str, str]] = {
    (RULE_SETS[0]["name"], "BK-TINH"): ("1.0", "2.0", "1.0"),
    (RULE_SETS[0]["name"], "GK-HUYEN"): ("0.3", "0.6", "0.3"),
    (RULE_SETS[0]["name"], "GK-XA"): ("0.15", "0.3", "0.15"),
    (RULE_SETS[1]["name"], "BK-TINH"): ("1.0", "2.0", "1.0"),
    (RULE_SETS[1]["name"], "GK-HUYEN"): ("0.3", "0.6", "0.3"),
    (RULE_SETS[1]["name"], "GK-XA"): ("0.3", "0.6", "0.3"),
    (RULE_SETS[2]["name"], "BK-TINH"): ("1.5", "3.0", "1.5"),
    (RULE_SETS[2]["name"], "GK-XA"): ("0.3", "0.6", "0.3"),
}


def seed_base_salaries(base_salary_model: Any) -> int:
    """Create the base salaries not there yet (by date). Returns how many were made."""
    made = 0
    for day, amount, basis in BASE_SALARIES:
        _, created = base_salary_model.objects.get_or_create(
            effective_from=day, defaults={"amount": amount, "legal_basis": basis}
        )
        made += created
    return made


def seed_prize_coefficients(award_rule_model: Any) -> int:
    """Fill the prize coefficients of the shipped rules that have none yet."""
    filled = 0
    for (set_name, code), values in PRIZE_COEFFICIENTS.items():
        individual, collective, household = (Decimal(v) for v in values)
        filled += award_rule_model.objects.filter(
            rule_set__name=set_name, award_type__code=code, prize_individual__isnull=True
        ).update(
            prize_individual=individual, prize_collective=collective, prize_household=household
        )
    return filled


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
    if any(f.name == "prize_individual" for f in award_rule_model._meta.get_fields()):
        seed_prize_coefficients(award_rule_model)  # not in migration 0010's historical model
    return made
