"""Tests of the plan-text parser (pure Python: no database, no Django settings)."""

import io
import json
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from thidua.campaigns.parsing import (
    ParsedPlan,
    extract_agencies,
    find_dates,
    fold,
    normalise_agency,
    parse_plan,
    parse_vn_date,
    parse_vn_range,
    text_from_docx,
)

SEED = (
    Path(__file__).resolve().parents[2] / "src/thidua/demo_data/ke-hoach-110-nam-nguyen-van-cu.txt"
)
SAMPLES = Path(__file__).resolve().parent / "samples"

REQUIRED_KEYS = {
    "number",
    "issued_date",
    "place",
    "issuer",
    "title",
    "parent_documents",
    "period_start",
    "period_end",
    "sections",
    "forms",
    "participants_collective",
    "participants_individual",
    "award_forms",
    "assignments",
    "report_deadline",
    "standing_agency",
    "recipients",
    "signer",
}


def read_sample(name: str) -> str:
    # newline="" keeps the CRLF endings of messy_paste.txt
    with (SAMPLES / name).open(encoding="utf-8", newline="") as handle:
        return handle.read()


def section(plan: ParsedPlan, clause: str) -> Any:
    for node in plan.walk_sections():
        if node.clause == clause:
            return node
    raise AssertionError(f"no section {clause}")


def award(plan: ParsedPlan, kind: str) -> Any:
    return next(a for a in plan.award_forms if a.kind == kind)


def warning_codes(plan: ParsedPlan) -> set[str]:
    return {w.code for w in plan.warnings}


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


def strip_accents(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --------------------------------------------------------------------------------------
# The seed plan
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> ParsedPlan:
    return parse_plan(seed_text)


def test_seed_json_has_the_agreed_keys_and_serialises(seed: ParsedPlan) -> None:
    data = seed.to_json()
    assert data.keys() >= REQUIRED_KEYS
    assert data.keys() >= {"kind", "summary", "occasion_date", "warnings", "unrecognised"}
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


def test_seed_header_fields(seed: ParsedPlan) -> None:
    data = seed.to_json()
    assert data["kind"] == "KẾ HOẠCH"
    assert data["number"] is None
    assert data["issued_date"] is None
    assert data["place"] is None
    assert data["issuer"] == "UBND thành phố Bắc Ninh"  # from "… ban hành Kế hoạch"
    assert data["signer"] is None
    assert data["title"] == (
        "Phát động phong trào thi đua đặc biệt chào mừng kỷ niệm 110 năm Ngày sinh "
        "Tổng Bí thư Nguyễn Văn Cừ (9/7/1912- 9/7/2022)"
    )
    assert data["occasion_date"] == "2022-07-09"
    assert data["anniversary_years"] == 110
    assert {"NUMBER_MISSING", "DATE_MISSING", "SIGNER_MISSING"} <= warning_codes(seed)


def test_seed_parent_plan(seed: ParsedPlan) -> None:
    [parent] = seed.to_json()["parent_documents"]
    assert parent["type"] == "Kế hoạch"
    assert parent["number"] == "272/KH-UBND"
    assert parent["date"] == "2022-05-13"
    assert parent["issuer"] == "UBND tỉnh Bắc Ninh"
    assert parent["relation"] == "implements"
    assert parent["text"].startswith("Kế hoạch số 272/KH-UBND ngày 13/5/2022 của UBND tỉnh")


def test_seed_period(seed: ParsedPlan) -> None:
    assert seed.period_start == date(2022, 5, 1)
    assert seed.period_end == date(2022, 12, 31)
    assert seed.period_text == "Từ tháng 5/2022 đến hết tháng 12/2022"


def test_seed_sections_tree(seed: ParsedPlan) -> None:
    assert [s.label for s in seed.sections] == ["I", "II", "III", "IV"]
    assert [s.title for s in seed.sections[0].children] == ["Mục đích", "Yêu cầu"]
    assert len(section(seed, "I.1").text) == 3
    assert section(seed, "I.2").text[1].startswith("Phong trào thi đua phải được triển khai")
    assert section(seed, "II").text == ["Từ tháng 5/2022 đến hết tháng 12/2022"]
    assert [c.clause for c in section(seed, "III").children] == [
        "III.1",
        "III.2",
        "III.3",
        "III.4",
    ]
    assert section(seed, "III").keys == ["CONTENT", "FORMS", "PARTICIPANTS", "STANDARDS", "AWARDS"]
    assert section(seed, "IV").keys == ["IMPLEMENTATION"]
    # the gap in the original numbering is kept and reported
    assert [c.label for c in section(seed, "IV").children] == ["1", "2", "3", "5", "6"]
    assert "NUMBERING_GAP" in warning_codes(seed)


def test_seed_forms(seed: ParsedPlan) -> None:
    assert [(f.code, f.label) for f in seed.forms] == [
        ("SEMINAR", "tọa đàm"),
        ("TALK", "nói chuyện chuyên đề"),
        ("PHOTO_EXHIBITION", "triển lãm ảnh"),
        ("BOOK_DISPLAY", "trưng bày sách"),
        ("CONTEST", "cuộc thi tìm hiểu"),
    ]


def test_seed_participants(seed: ParsedPlan) -> None:
    assert seed.participants_individual == [
        "đảng viên",
        "công chức",
        "viên chức",
        "lực lượng vũ trang",
        "người lao động",
        "nhân dân",
    ]
    assert seed.participants_collective == [
        "khối thi đua",
        "địa phương",
        "cơ quan",
        "đơn vị",
        "doanh nghiệp",
    ]


def test_seed_award_forms(seed: ParsedPlan) -> None:
    assert [(a.name, a.signer) for a in seed.award_forms] == [
        ("Bằng khen", "Chủ tịch UBND tỉnh"),
        ("Giấy khen", "Chủ tịch UBND thành phố"),
    ]
    for item in seed.award_forms:
        assert item.target == "both"
        assert item.quota is None
        assert item.clause == "III.4"
    assert seed.annual_evaluation_basis is True


def test_seed_report_deadline_and_standing_agency(seed: ParsedPlan) -> None:
    data = seed.to_json()
    assert data["report_deadline"] == "2022-12-15"
    assert data["report_deadline_exclusive"] is True
    assert data["report_deadline_last_day"] == "2022-12-14"
    assert data["standing_agency"] == "Phòng Nội vụ thành phố"  # the level word is kept


def test_seed_assignments(seed: ParsedPlan) -> None:
    by_clause = {a.clause: a for a in seed.assignments}
    assert list(by_clause) == ["IV.1", "IV.2", "IV.3", "IV.5", "IV.6"]
    assert "IV.4" not in by_clause
    assert by_clause["IV.1"].agencies[:2] == ["Các ban xây dựng Đảng", "Mặt trận Tổ quốc"]
    assert by_clause["IV.2"].agencies == [
        "Phòng Văn hóa và Thông tin",
        "Trung tâm Văn hóa, Thể thao và Truyền thông thành phố",
    ]
    assert by_clause["IV.3"].agencies == [
        "Các phòng, ban, ngành, đoàn thể thành phố",
        "Các địa phương, cơ quan, đơn vị",
    ]
    assert by_clause["IV.3"].deadline == date(2022, 12, 15)
    assert by_clause["IV.3"].deadline_exclusive is True
    assert (by_clause["IV.3"].report_to, by_clause["IV.3"].report_via) == (
        "UBND thành phố",
        "Phòng Nội vụ",
    )
    assert by_clause["IV.5"].agencies == ["Phòng Nội vụ thành phố"]
    assert by_clause["IV.6"].agencies == ["Các địa phương, cơ quan, đơn vị"]
    assert by_clause["IV.6"].report_to == "Phòng Nội vụ thành phố"
    assert by_clause["IV.6"].text.endswith("điều chỉnh, bổ sung cho phù hợp.")


def test_seed_recipients(seed: ParsedPlan) -> None:
    recipients = seed.recipients
    assert len(recipients) == 11
    assert recipients[0].text == "Ban TĐKT, Sở Nội vụ (để b/c)"
    assert recipients[0].note == "để báo cáo"
    assert recipients[1].text == "TT Thành uỷ, TT HĐND TP(để b/c)"
    assert recipients[1].note == "để báo cáo"
    assert recipients[-1].text == "Lưu: VT, NV"
    assert recipients[-1].archive is True
    assert not any(r.archive for r in recipients[:-1])


_LABEL_RE = re.compile(r"^(?:[IVXivx]+\.|\d+\.|[a-zđ]\))\s*")
_MARKER_RE = re.compile("^[-+\u00b7\u2022]\\s*")


def test_seed_nothing_is_lost(seed_text: str, seed: ParsedPlan) -> None:
    haystack = "\n".join(" ".join(s.split()) for s in strings_in(seed.to_json()))
    missing = []
    for line in seed_text.splitlines():
        text = " ".join(unicodedata.normalize("NFC", line).split())  # the parser works in NFC
        text = _MARKER_RE.sub("", _LABEL_RE.sub("", text))
        text = text.removesuffix("./.").rstrip(";.")
        # "Nơi nhận:" is a label; its lines are the `recipients` list
        if text and text != "Nơi nhận:" and text not in haystack:
            missing.append(text)
    assert missing == []
    assert seed.unrecognised == []


@pytest.mark.parametrize(
    "name", ["district_quota_plan.txt", "ward_contest_plan.txt", "messy_paste.txt"]
)
def test_samples_lose_no_body_line(name: str) -> None:
    text = read_sample(name)
    plan = parse_plan(text)
    haystack = "\n".join(" ".join(s.split()) for s in strings_in(plan.to_json()))
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "KẾ HOẠCH") + 1
    end = next(i for i, line in enumerate(lines) if "/." in line)
    missing = []
    for line in lines[start : end + 1]:
        text_line = " ".join(line.split())
        text_line = _MARKER_RE.sub("", _LABEL_RE.sub("", text_line))
        text_line = text_line.removesuffix("./.").rstrip(";.")
        if (
            any(c.isalnum() for c in text_line)
            and text_line not in haystack
            and text_line != "- 2 -"
        ):
            missing.append(text_line)
    assert missing == []


def test_seed_with_a_numbered_header(seed_text: str) -> None:
    header = (
        "UBND TỈNH BẮC NINH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 118/KH-UBND\tBắc Ninh, ngày 25 tháng 5 năm 2022\n\n"
    )
    plan = parse_plan(header + seed_text)
    assert plan.number == "118/KH-UBND"
    assert plan.number_symbol == "KH-UBND"
    assert plan.issued_date == date(2022, 5, 25)
    assert plan.place == "Bắc Ninh"
    assert plan.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH"
    assert plan.issuer_short == "UBND thành phố Bắc Ninh"
    assert plan.issuer_parent == "UBND TỈNH BẮC NINH"
    assert plan.report_deadline == date(2022, 12, 15)
    assert len(plan.assignments) == 5


def test_unnumbered_header_keeps_the_symbol() -> None:
    plan = parse_plan(
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ BẮC NINH\n"
        "Số:      /KH-UBND\tBắc Ninh, ngày      tháng     năm 2022\n\nKẾ HOẠCH\nThử nghiệm\n"
    )
    assert plan.number is None
    assert plan.number_symbol == "KH-UBND"
    assert plan.place == "Bắc Ninh"
    assert plan.issued_date is None
    assert plan.issued_year == 2022
    assert plan.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH"
    assert plan.title == "Thử nghiệm"


def test_seed_without_diacritics_still_parses(seed_text: str) -> None:
    plan = parse_plan(strip_accents(seed_text))
    assert plan.kind == "KẾ HOẠCH"
    assert (plan.period_start, plan.period_end) == (date(2022, 5, 1), date(2022, 12, 31))
    assert [f.code for f in plan.forms] == [
        "SEMINAR",
        "TALK",
        "PHOTO_EXHIBITION",
        "BOOK_DISPLAY",
        "CONTEST",
    ]
    assert [a.clause for a in plan.assignments] == ["IV.1", "IV.2", "IV.3", "IV.5", "IV.6"]
    assert plan.report_deadline == date(2022, 12, 15)
    assert fold(plan.standing_agency or "") == "phong noi vu thanh pho"
    assert len(plan.recipients) == 11


# --------------------------------------------------------------------------------------
# Own samples
# --------------------------------------------------------------------------------------


def test_district_quota_plan() -> None:
    plan = parse_plan(read_sample("district_quota_plan.txt"))
    assert plan.number == "86/KH-UBND"
    assert plan.issued_date == date(2023, 4, 18)
    assert plan.place == "Kim Sơn Đông"
    assert plan.issuer == "ỦY BAN NHÂN DÂN HUYỆN KIM SƠN ĐÔNG"
    assert plan.issuer_short == "UBND huyện Kim Sơn Đông"
    assert plan.issuer_parent == "UBND TỈNH HÒA LÂM"
    assert plan.title is not None
    assert plan.title.endswith("trên địa bàn huyện Kim Sơn Đông năm 2023")
    assert [d.type for d in plan.parent_documents] == ["Luật", "Nghị định", "Kế hoạch"]
    docs = {(d.type, d.number): d for d in plan.parent_documents}
    decree = docs["Nghị định", "91/2017/NĐ-CP"]
    assert (decree.date, decree.issuer, decree.relation) == (
        date(2017, 7, 31),
        "Chính phủ",
        "basis",
    )
    parent = docs["Kế hoạch", "45/KH-UBND"]
    assert (parent.date, parent.issuer) == (date(2023, 3, 2), "UBND tỉnh Hòa Lâm")
    law = docs["Luật", None]
    assert law.date == date(2022, 6, 15)
    assert (plan.period_start, plan.period_end) == (date(2023, 4, 20), date(2023, 11, 30))


def test_district_quota_plan_awards_and_quotas() -> None:
    plan = parse_plan(read_sample("district_quota_plan.txt"))
    giay = award(plan, "GIAY_KHEN")
    assert (giay.signer, giay.target) == ("Chủ tịch UBND huyện", "both")
    assert (giay.quota_collective, giay.quota_individual, giay.quota) == (5, 10, 15)
    bang = award(plan, "BANG_KHEN")
    assert bang.signer == "Chủ tịch UBND tỉnh"
    assert (bang.quota_collective, bang.quota_individual) == (1, 2)
    assert [p.tier for p in plan.prizes] == []


def test_district_quota_plan_layout() -> None:
    plan = parse_plan(read_sample("district_quota_plan.txt"))
    assert [c.clause for c in section(plan, "II.1").children] == ["II.1.a", "II.1.b"]
    plus_items = section(plan, "II.1.a").text
    assert len(plus_items) == 2
    assert plus_items[0].startswith("Tập trung nâng cao thu nhập")
    assert plan.participants_collective == [
        "xã",
        "thị trấn",
        "thôn",
        "tổ dân phố",
        "cơ quan",
        "đơn vị",
        "doanh nghiệp",
    ]
    assert plan.participants_individual[:4] == [
        "cán bộ",
        "công chức",
        "viên chức",
        "người lao động",
    ]
    assert {f.code for f in plan.forms} == {"MEDIA", "SEMINAR", "CONTEST", "OTHER"}
    assert plan.closing[0].text.startswith("Trên đây là Kế hoạch")
    assert not plan.closing[0].text.endswith("/.")


def test_district_quota_plan_deadlines() -> None:
    plan = parse_plan(read_sample("district_quota_plan.txt"))
    deadlines = {(d.clause, d.date, d.exclusive, d.kind) for d in plan.deadlines}
    assert deadlines == {
        ("V.1.a", date(2023, 5, 5), True, "task"),  # "trước ngày 05/5/2023"
        ("V.1.b", date(2023, 12, 15), True, "task"),  # "trước ngày 15 tháng 12 năm 2023"
        ("V.2", date(2023, 7, 15), True, "report"),  # "trước 15/7/2023"
        ("V.4", date(2023, 11, 20), False, "report"),  # "chậm nhất ngày 20/11/2023"
    }
    assert plan.report_deadline == date(2023, 11, 20)
    assert plan.report_deadline_exclusive is False
    assert plan.report_deadline_last_day == date(2023, 11, 20)
    by_clause = {a.clause: a for a in plan.assignments}
    assert list(by_clause) == ["V.1", "V.2", "V.3", "V.4", "V.5"]
    assert by_clause["V.1"].agencies == ["Phòng Nội vụ huyện"]
    assert by_clause["V.1"].deadline == date(2023, 5, 5)
    assert by_clause["V.3"].agencies == [
        "Phòng Văn hóa và Thông tin",
        "Trung tâm Văn hóa, Thông tin và Thể thao huyện",
    ]
    assert by_clause["V.4"].agencies == ["UBND các xã, thị trấn", "Các cơ quan, đơn vị"]
    assert (by_clause["V.4"].report_to, by_clause["V.4"].report_via) == (
        "UBND huyện",
        "Phòng Nội vụ",
    )
    assert plan.standing_agency == "Phòng Nội vụ huyện"


def test_district_quota_plan_signer_and_recipients() -> None:
    plan = parse_plan(read_sample("district_quota_plan.txt"))
    assert plan.signer is not None
    assert plan.signer.to_json() == {
        "authority": "TM. ỦY BAN NHÂN DÂN",
        "delegation": "KT. CHỦ TỊCH",
        "title": "PHÓ CHỦ TỊCH",
        "name": "Phạm Quang Vinh",
        "signed_note": "(Đã ký)",
    }
    assert [r.text for r in plan.recipients] == [
        "Ban Thi đua - Khen thưởng tỉnh (để b/c)",
        "TT Huyện ủy, TT HĐND huyện (để b/c)",
        "Chủ tịch, các PCT UBND huyện",
        "Các thành viên HĐTĐKT huyện",
        "UBND các xã, thị trấn (để t/h)",
        "Lưu: VT, NV",
    ]
    assert plan.recipients[4].note == "để thực hiện"
    assert plan.warnings == []
    assert plan.unrecognised == []


def test_ward_contest_plan() -> None:
    plan = parse_plan(read_sample("ward_contest_plan.txt"))
    assert plan.number == "27/KH-UBND"
    assert plan.issued_date == date(2022, 6, 5)
    assert plan.place == "Thanh Vân"
    assert plan.issuer_short == "UBND phường Thanh Vân"
    assert plan.issuer_parent == "UBND THÀNH PHỐ TÂY LĨNH"
    assert plan.anniversary_years == 75
    assert plan.occasion_date is None  # "(1947 - 2022)": years only
    [parent] = plan.parent_documents
    assert (parent.number, parent.date, parent.relation) == (
        "112/KH-UBND",
        date(2022, 5, 20),
        "basis",
    )
    assert parent.issuer == "Ủy ban nhân dân thành phố Tây Lĩnh"
    assert (plan.period_start, plan.period_end) == (date(2022, 6, 15), date(2022, 7, 31))
    assert [f.code for f in plan.forms] == ["CONTEST"]
    assert plan.participants_individual == [
        "cán bộ",
        "công chức",
        "người lao động",
        "đoàn viên",
        "hội viên",
        "nhân dân",
    ]
    assert plan.participants_collective == ["tổ dân phố", "chi hội", "trường học"]
    # the quiz questions are kept as free text of section III
    assert len(section(plan, "III").text) == 3


def test_ward_contest_plan_awards_deadlines_signer() -> None:
    plan = parse_plan(read_sample("ward_contest_plan.txt"))
    [giay] = plan.award_forms
    assert (giay.name, giay.signer, giay.quota_collective, giay.quota_individual) == (
        "Giấy khen",
        "Chủ tịch UBND phường",
        2,
        5,
    )
    assert [(p.tier, p.count) for p in plan.prizes] == [
        ("Nhất", 1),
        ("Nhì", 2),
        ("Ba", 3),
        ("Khuyến khích", 5),
        ("tập thể", 2),
    ]
    assert plan.report_deadline == date(2022, 8, 5)
    assert plan.report_deadline_exclusive is True
    by_clause = {a.clause: a for a in plan.assignments}
    assert by_clause["V.1"].agencies == ["Ban Tổ chức Cuộc thi"]
    assert by_clause["V.1"].deadline == date(2022, 8, 20)
    assert by_clause["V.2"].deadline == date(2022, 7, 31)  # "đến hết ngày 31 tháng 7 năm 2022"
    assert by_clause["V.2"].deadline_exclusive is False
    assert (
        by_clause["V.4"].agencies[0] == "Ủy ban Mặt trận Tổ quốc phường"
    )  # the ward's, not the city's
    assert plan.standing_agency == "Công chức Văn hóa - Xã hội phường"
    assert plan.signer is not None
    assert (plan.signer.authority, plan.signer.delegation, plan.signer.title) == (
        "TM. ỦY BAN NHÂN DÂN",
        None,
        "CHỦ TỊCH",
    )
    assert plan.signer.name == "Hoàng Văn Thắng"
    assert len(plan.recipients) == 6
    assert plan.recipients[4].text == "Như mục V"
    assert plan.warnings == []


def test_messy_paste() -> None:
    raw = read_sample("messy_paste.txt")
    assert "\r\n" in raw
    plan = parse_plan(raw)
    assert plan.number == "31/KH-UBND"
    assert plan.issued_date == date(2023, 3, 3)
    assert plan.issuer == "UỶ BAN NHÂN DÂN THỊ XÃ BẠCH SA"
    assert plan.issuer_short == "UBND thị xã Bạch Sa"
    assert plan.title == (
        "Phát động phong trào thi đua hưởng ứng Ngày Sách và Văn hoá đọc Việt Nam năm 2023 "
        "trên địa bàn thị xã"
    )
    assert [s.label for s in plan.sections] == ["I", "II", "III", "IV", "V", "VI"]
    assert section(plan, "III").title == "thời gian thực hiện"
    assert section(plan, "III").keys == ["TIME"]
    assert section(plan, "I").text == [
        "Nâng cao nhận thức của cán bộ, công chức, viên chức và nhân dân về vai trò của sách "
        "và văn hoá đọc trong đời sống xã hội.",
        "Xây dựng thói quen đọc sách trong thanh thiếu niên, học sinh; phát triển hệ thống "
        "thư viện cơ sở, tủ sách cộng đồng.",
    ]
    assert len(section(plan, "II").text) == 3
    assert [f.code for f in plan.forms] == ["BOOK_DISPLAY", "TALK", "MEDIA"]
    assert (plan.period_start, plan.period_end) == (date(2023, 3, 1), date(2023, 6, 30))
    [giay] = plan.award_forms
    assert (giay.signer, giay.quota_collective, giay.quota_individual) == (
        "Chủ tịch UBND thị xã",
        3,
        5,
    )


def test_messy_paste_implementation_and_tail() -> None:
    plan = parse_plan(read_sample("messy_paste.txt"))
    first = plan.assignments[0]
    assert first.clause == "VI.1"
    assert first.agencies == ["Phòng Văn hóa và Thông tin"]
    assert first.deadline == date(2023, 6, 10)  # "trước\nngày 10-6-2023"
    assert (first.report_to, first.report_via) == ("UBND thị xã", "Phòng Nội vụ")
    assert plan.assignments[-1].text.endswith("tại địa phương.")
    assert plan.report_deadline == date(2023, 6, 10)
    assert plan.standing_agency == "Phòng Nội vụ"
    assert [r.text for r in plan.recipients] == [
        "Sở Văn hoá, Thể thao và Du lịch (để b/c)",
        "TT Thị uỷ, TT HĐND thị xã (để b/c)",
        "Các phòng, ban, ngành thị xã",
        "UBND các xã, phường",
        "Lưu: VT, VH",
    ]
    assert plan.signer is not None
    assert (plan.signer.authority, plan.signer.delegation, plan.signer.title) == (
        None,
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    )
    assert plan.signer.name == "Đỗ Thị Mai Phương"
    # the page number pasted from a PDF is kept aside, not mixed into the text
    assert [(p.first_line, p.text) for p in plan.unrecognised] == [(26, "- 2 -")]
    assert warning_codes(plan) == {"UNRECOGNISED_LINES"}


# --------------------------------------------------------------------------------------
# Date and agency helpers
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9/7/1912", date(1912, 7, 9)),
        ("13/5/2022", date(2022, 5, 13)),
        ("13-5-2022", date(2022, 5, 13)),
        ("05.12.2022", date(2022, 12, 5)),
        ("ngày 13 tháng 5 năm 2022", date(2022, 5, 13)),
        ("Ngày 05 Tháng 12 Năm 2022", date(2022, 12, 5)),
        ("ngay 13 thang 5 nam 2022", date(2022, 5, 13)),
        ("ngày 05/12/2022", date(2022, 12, 5)),
        ("tháng 5/2022", date(2022, 5, 1)),
        ("tháng 5 năm 2022", date(2022, 5, 1)),
        ("cuối tháng 12/2022", date(2022, 12, 31)),
        ("hết tháng 12/2022", date(2022, 12, 31)),
        ("giữa tháng 6/2022", date(2022, 6, 15)),
        ("đến tháng 2/2024", date(2024, 2, 29)),
        ("trước ngày 15/12/2022", date(2022, 12, 15)),
        ("trước 15/12/2022", date(2022, 12, 15)),
        ("chậm nhất ngày 20/11/2023", date(2023, 11, 20)),
        ("quý III/2022", date(2022, 7, 1)),
        ("hết quý III/2022", date(2022, 9, 30)),
        ("trong năm 2022", date(2022, 1, 1)),
        ("Bắc Ninh, ngày 05 tháng 12 năm 2022", date(2022, 12, 5)),
        ("ngày 31/2/2022", None),
        ("năm 2022", None),
        ("Kế hoạch số 272/KH-UBND", None),
        ("Quyết định số 15/2022/QĐ-UBND", None),
        ("ngày … tháng … năm 2022", None),
        ("", None),
    ],
)
def test_parse_vn_date(text: str, expected: date | None) -> None:
    assert parse_vn_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Từ tháng 5/2022 đến hết tháng 12/2022", (date(2022, 5, 1), date(2022, 12, 31))),
        ("từ tháng 5/2022 đến tháng 12/2022", (date(2022, 5, 1), date(2022, 12, 31))),
        ("(9/7/1912- 9/7/2022)", (date(1912, 7, 9), date(2022, 7, 9))),
        ("từ ngày 15/6 đến ngày 31/7/2022", (date(2022, 6, 15), date(2022, 7, 31))),
        (
            "từ ngày 15 tháng 6 năm 2022 đến ngày 31 tháng 7 năm 2022",
            (date(2022, 6, 15), date(2022, 7, 31)),
        ),
        ("từ quý II/2023 đến hết quý IV/2023", (date(2023, 4, 1), date(2023, 12, 31))),
        ("từ nay đến hết ngày 30/9/2022", (None, date(2022, 9, 30))),
        ("kể từ ngày 01/6/2022", (date(2022, 6, 1), None)),
        ("Kỷ niệm ngày 13/5/2022 và 20/5/2022", None),
        ("không có ngày", None),
    ],
)
def test_parse_vn_range(text: str, expected: tuple[date | None, date | None] | None) -> None:
    assert parse_vn_range(text) == expected


def test_find_dates_offsets_qualifiers_and_years() -> None:
    text = "Báo cáo trước 15/12/2022; nộp chậm nhất ngày 20/11/2023, từ ngày 15/6 đến hết tháng 7/2022."
    found = find_dates(text)
    assert [text[d.start : d.end] for d in found] == [d.text for d in found]
    assert [(d.qualifier, d.edge, d.precision) for d in found] == [
        ("before", None, "day"),
        ("by", None, "day"),
        ("from", None, "day"),
        ("until", "end", "month"),
    ]
    assert found[2].value == date(2022, 6, 15)  # year taken from the next date
    assert (found[3].first, found[3].last, found[3].value) == (
        date(2022, 7, 1),
        date(2022, 7, 31),
        date(2022, 7, 31),
    )
    assert find_dates("ngày 15/6", default_year=2021)[0].value == date(2021, 6, 15)
    assert find_dates("ngày 15/6") == []
    assert find_dates("trước 15/12/2022")[0].to_json()["value"] == "2022-12-15"


def test_fold_matches_old_and_new_tone_placement() -> None:
    assert fold("Uỷ ban Hoá") == fold("Ủy ban Hóa") == "uy ban hoa"
    assert fold("ĐƯỜNG") == "duong"
    text = "Phòng Văn hoá – Thông tin"
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Phòng Văn hóa-thông tin; Trung tâm Văn hóa, thể thao và truyền thông thành phố chỉ đạo "
            "đẩy mạnh công tác tuyên truyền",
            [
                "Phòng Văn hóa và Thông tin",
                "Trung tâm Văn hóa, Thể thao và Truyền thông thành phố",
            ],
        ),
        ("Phòng Nội vụ thành phố là cơ quan thường trực giúp UBND", ["Phòng Nội vụ thành phố"]),
        ("Giao phòng Văn hoá - Thông tin chủ trì", ["Phòng Văn hóa và Thông tin"]),
        (
            "Phòng VH-TT, phòng GD&ĐT phối hợp hướng dẫn",
            ["Phòng Văn hóa và Thông tin", "Phòng Giáo dục và Đào tạo"],
        ),
        (
            "Trong quá trình thực hiện, nếu có vướng mắc, các cơ quan, đơn vị phản ánh về Phòng Nội vụ",
            ["Các cơ quan, đơn vị"],
        ),
        ("Phòng Tài chính - Kế hoạch:", ["Phòng Tài chính - Kế hoạch"]),
        ("đồng thời, tăng cường kiểm tra việc thực hiện trong toàn huyện và báo cáo kết quả", []),
    ],
)
def test_extract_agencies(text: str, expected: list[str]) -> None:
    assert extract_agencies(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("phòng Nội vụ", "Phòng Nội vụ"),
        ("Phòng Văn hóa-thông tin", "Phòng Văn hóa và Thông tin"),
        ("phòng Nội vụ thành phố", "Phòng Nội vụ thành phố"),
        ("Ủy ban MTTQ phường", "Ủy ban Mặt trận Tổ quốc phường"),
        ("UBND phường Suối Hoa", "UBND phường Suối Hoa"),
        ("các đoàn thể thành phố", "Các đoàn thể thành phố"),
    ],
)
def test_normalise_agency(name: str, expected: str) -> None:
    assert normalise_agency(name) == expected


# --------------------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t\n",
        "xin chào",
        "KẾ HOẠCH",
        "I.\n1.\na)\n- \n./.",
        "Nơi nhận:\n- \n- ;\nTM.",
        "Số: /\nngày tháng năm\n" * 3,
        "\x00\x01\ufeff\u200bKẾ HOẠCH\u2028I. A\u2029b",
        "IV. TỔ CHỨC THỰC HIỆN\n1. \n2. : ,\n3. trước ngày 99/99/9999",
        "(" * 500 + ")" * 3,
        "1. " * 2000,
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    plan = parse_plan(text)
    json.dumps(plan.to_json())
    assert "INTERNAL_ERROR" not in warning_codes(plan)


def test_every_truncation_and_reordering_of_the_seed_parses(seed_text: str) -> None:
    lines = seed_text.splitlines()
    variants = [lines[:cut] for cut in range(len(lines))]
    variants += [lines[cut:] for cut in range(len(lines))]
    variants.append(lines[::-1])
    variants.append(lines[1::2] + lines[::2])
    for variant in variants:
        plan = parse_plan("\n".join(variant))
        assert "INTERNAL_ERROR" not in warning_codes(plan), variant[:3]
        json.dumps(plan.to_json())


def test_empty_text_reports_it() -> None:
    plan = parse_plan("")
    assert warning_codes(plan) == {"EMPTY"}
    assert plan.to_json()["sections"] == []


# --------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------


def _plan_docx() -> bytes:
    import docx

    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = "UBND TỈNH BẮC NINH"
    left.add_paragraph("ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH")
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    header.rows[1].cells[0].text = "Số: 118/KH-UBND"
    header.rows[1].cells[1].text = "Bắc Ninh, ngày 25 tháng 5 năm 2022"
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Phát động phong trào thi đua đặc biệt")
    document.add_paragraph("")
    document.add_paragraph(
        "Thực hiện Kế hoạch số 272/KH-UBND ngày 13/5/2022 của UBND tỉnh Bắc Ninh, "
        "UBND thành phố Bắc Ninh ban hành Kế hoạch như sau:"
    )
    document.add_paragraph("I. THỜI GIAN THỰC HIỆN")
    document.add_paragraph("- Từ tháng 5/2022 đến hết tháng 12/2022")
    document.add_paragraph("II. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph(
        "1. Các phòng, ban, ngành báo cáo về UBND thành phố (qua phòng Nội vụ) trước 15/12/2022./."
    )
    footer = document.add_table(rows=2, cols=2)
    recipients, signature = footer.rows[0].cells
    recipients.paragraphs[0].text = "Nơi nhận:"
    recipients.add_paragraph("- Sở Nội vụ (để b/c);")
    recipients.add_paragraph("- Lưu: VT, NV.")
    signature.paragraphs[0].text = "TM. ỦY BAN NHÂN DÂN"
    signature.add_paragraph("KT. CHỦ TỊCH")
    signature.add_paragraph("PHÓ CHỦ TỊCH")
    signature.add_paragraph("")
    signature.add_paragraph("Trần Văn Bình")
    merged = footer.rows[1].cells[0].merge(footer.rows[1].cells[1])
    merged.text = "Ghi chú cuối trang"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_text_from_docx_reads_tables_in_order() -> None:
    lines = text_from_docx(_plan_docx()).split("\n")
    assert lines[:6] == [
        "UBND TỈNH BẮC NINH",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 118/KH-UBND",
        "Bắc Ninh, ngày 25 tháng 5 năm 2022",
    ]
    assert "KẾ HOẠCH" in lines
    assert lines.count("Ghi chú cuối trang") == 1  # a merged cell is read once
    assert lines.index("- Lưu: VT, NV.") < lines.index("TM. ỦY BAN NHÂN DÂN")


def test_docx_round_trip_through_the_parser() -> None:
    plan = parse_plan(text_from_docx(_plan_docx()))
    assert plan.number == "118/KH-UBND"
    assert plan.issued_date == date(2022, 5, 25)
    assert plan.issuer == "ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH"
    assert plan.issuer_parent == "UBND TỈNH BẮC NINH"
    assert plan.title == "Phát động phong trào thi đua đặc biệt"
    assert (plan.period_start, plan.period_end) == (date(2022, 5, 1), date(2022, 12, 31))
    assert plan.report_deadline == date(2022, 12, 15)
    assert plan.standing_agency == "Phòng Nội vụ"
    assert [r.text for r in plan.recipients] == ["Sở Nội vụ (để b/c)", "Lưu: VT, NV"]
    assert plan.signer is not None
    assert (plan.signer.delegation, plan.signer.title, plan.signer.name) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Văn Bình",
    )
    assert [(p.text) for p in plan.unrecognised] == ["Ghi chú cuối trang"]


def test_text_from_docx_rejects_other_files() -> None:
    with pytest.raises(ValueError, match=r"\(\.docx\)"):
        text_from_docx(b"not a zip file")
