import pytest

from thidua.core.text import fold, vi_sort_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Đông Ngàn", "dong ngan"),
        ("Vũ  Ninh", "vu ninh"),
        ("ĐẠI PHÚC", "dai phuc"),
        ("Hạp Lĩnh", "hap linh"),
    ],
)
def test_fold_strips_accents_and_d_stroke(text, expected):
    assert fold(text) == expected


def test_vietnamese_alphabetical_order():
    names = ["Vũ Ninh", "Đáp Cầu", "Âu Cơ", "Anh", "An", "Ăn", "Dung", "Đại Phúc", "Á", "A", "À"]
    assert sorted(names, key=vi_sort_key) == [
        "A",
        "À",
        "Á",
        "An",
        "Anh",
        "Ăn",
        "Âu Cơ",
        "Dung",
        "Đại Phúc",
        "Đáp Cầu",
        "Vũ Ninh",
    ]
