from decimal import Decimal, InvalidOperation

import pytest

from thidua.core.text import (
    fold,
    normalise_phone,
    parse_vn_decimal,
    parse_vn_float,
    person_sort_key,
    unify_tone_placement,
    vi_sort_key,
    vn_decimal,
    with_unit,
)


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


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("12.500", Decimal(12500)),  # dots group thousands: never 12,5
        ("1.234.567", Decimal(1234567)),
        ("1.234,5", Decimal("1234.5")),
        ("12 500", Decimal(12500)),
        ("12\u00a0500", Decimal(12500)),  # a no-break space pasted from Excel
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),  # one or two digits after the dot: a decimal mark
        ("0,25", Decimal("0.25")),
        ("0.500", Decimal("0.5")),  # a leading zero never starts a group of thousands
        (" 40 ", Decimal(40)),
    ],
)
def test_numbers_read_as_vietnamese_users_type_them(typed, number):
    assert parse_vn_decimal(typed) == number


def test_text_that_is_not_a_number_is_refused():
    with pytest.raises(InvalidOperation):
        parse_vn_decimal("mười hai")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1250.5, "1.250,5"),
        (1234567.891, "1.234.567,89"),
        (100.0, "100"),
        (100, "100"),
        (0, "0"),
        (0.5, "0,5"),
        (12.25, "12,25"),
        (-1234.5, "-1.234,5"),
        (999.999, "1.000"),
    ],
)
def test_decimals_are_written_the_vietnamese_way(value, text):
    assert vn_decimal(value) == text


def test_decimals_read_as_the_reports_wrote_them_before():
    """The reports' figures printed the same before vn_decimal as after it."""

    def before(number: float) -> str:
        text = f"{number:,.2f}".rstrip("0").rstrip(".")
        return text.replace(",", "·").replace(".", ",").replace("·", ".")

    for value in [*range(-2000, 2000, 7), 0.1, 0.01, 0.005, 1e9 + 0.25, -0.001, 2.675]:
        assert vn_decimal(value) == before(value), value


def test_a_persons_name_sorts_without_its_salutation_by_given_name():
    """ "Bà …" no longer sorts before every "Ông …": the salutation is dropped and people sort
    by given name, then the whole name, as people lists do."""
    names = ["Bà Vũ Thị Hạnh", "Ông Trần Văn An", "Hộ bà Lê Thị Bình", "Ông Nguyễn Văn Hùng"]
    assert sorted(names, key=person_sort_key) == [
        "Ông Trần Văn An",
        "Hộ bà Lê Thị Bình",
        "Bà Vũ Thị Hạnh",
        "Ông Nguyễn Văn Hùng",
    ]
    assert person_sort_key("Bà Vũ Thị Hạnh") == person_sort_key("Vũ Thị Hạnh")
    assert person_sort_key("Hộ ông  Nguyễn Văn Hùng") == person_sort_key("Nguyễn Văn Hùng")
    assert person_sort_key("Ông") == person_sort_key("Ông")  # a salutation alone stays a name


@pytest.mark.parametrize(
    ("number", "unit", "text"),
    [("60", "%", "60%"), ("60", " % ", "60%"), ("2", "buổi", "2 buổi"), ("12,5", "", "12,5")],
)
def test_a_percent_sign_sits_against_the_number(number, unit, text):
    assert with_unit(number, unit) == text


def test_the_percent_and_quantity_filters_write_vietnamese_figures():
    from decimal import Decimal

    from thidua.core.templatetags.thidua import percent, quantity

    assert percent(60) == "60%"
    assert percent(Decimal("12.50")) == "12,5%"
    assert percent("50") == "50%"  # widthratio's output
    assert percent(None) == ""
    assert quantity(Decimal("2.00"), "buổi") == "2 buổi"
    assert quantity(Decimal("60"), "%") == "60%"


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.234,5", 1234.5),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("-2", -2.0),
        ("-1,5", -1.5),
        ("1.500", 1500.0),  # a dot before three digits groups thousands
        ("148,50", 148.5),
        (" 0,25 ", 0.25),
    ],
)
def test_the_float_reader_reads_vietnamese_and_plain_numbers(typed, number):
    assert parse_vn_float(typed) == number


@pytest.mark.parametrize("typed", ["abc", "", "1,2,3", "NaN", "Infinity", "12,5 mm"])
def test_the_float_reader_refuses_what_is_not_a_finite_number(typed):
    with pytest.raises(ValueError, match="number"):
        parse_vn_float(typed)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hòa", "hoà"),
        ("Thủy", "Thuỷ"),
        ("khỏe", "khoẻ"),
        ("Ủy ban nhân dân", "Uỷ ban nhân dân"),
        ("Văn hóa, Thể thao", "Văn hoá, Thể thao"),
        ("TRƯỜNG MẦM NON HÒA BÌNH", "TRƯỜNG MẦM NON HOÀ BÌNH"),
        ("họa sĩ", "hoạ sĩ"),
        ("Thụy Khuê", "Thuỵ Khuê"),
    ],
)
def test_old_and_new_tone_placement_compare_equal(old, new):
    """NFC leaves "hòa" (tone on the o) and "hoà" (on the a) two strings: one word."""
    assert old != new
    assert unify_tone_placement(old) == unify_tone_placement(new) == old


@pytest.mark.parametrize(
    "word",
    # a final consonant or vowel: the tone has one place; qu's u is the consonant's;
    # ê, ă keep their tone; Hóa and Hòa are two words
    ["hoàng", "toán", "khoái", "khuỷu", "thuyền", "hoặc", "thuế", "quý", "Quỳnh", "Hóa", "Ha Noi"],
)
def test_tone_placement_leaves_words_with_one_spelling_alone(word):
    assert unify_tone_placement(word) == word


@pytest.mark.parametrize(
    "typed",
    ["0912 345 678", "0912.345.678", "0912-345-678", "+84 912 345 678", "(+84) 912345678",
     "84912345678", "0084 912 345 678", "912 345 678", "\uff10\uff19\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18"],
)  # fmt: skip
def test_a_phone_number_is_one_string_however_it_is_typed(typed):
    assert normalise_phone(typed) == "0912345678"
    assert normalise_phone("024 3825 1234") == "02438251234"  # a Hà Nội landline as written
