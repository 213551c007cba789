"""One table of the abbreviations users write unit names with, for every comparison."""

import pytest

from thidua.organizations.names import authority_place, unit_name_key, unit_name_readings


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("UBND phường Suối Hoa", "Ủy ban nhân dân phường Suối Hoa"),
        ("Uỷ ban ND phường Suối Hoa", "Ủy ban nhân dân phường Suối Hoa"),
        ("HĐND thành phố", "Hội đồng nhân dân thành phố"),
        ("UBMTTQ phường Vũ Ninh", "Ủy ban Mặt trận Tổ quốc Việt Nam phường Vũ Ninh"),
        ("Ủy ban MTTQ Việt Nam phường Vũ Ninh", "Ủy ban Mặt trận Tổ quốc phường Vũ Ninh"),
    ],
)
def test_abbreviated_and_full_names_have_one_key(typed, stored):
    assert unit_name_key(typed) == unit_name_key(stored)


def test_different_bodies_keep_different_keys():
    """The ward's council, committee and Front are three units."""
    keys = {
        unit_name_key(n)
        for n in ("HĐND phường Suối Hoa", "UBND phường Suối Hoa", "UBMTTQ phường Suối Hoa")
    }
    assert len(keys) == 3


@pytest.mark.parametrize(
    ("name", "place"),
    [
        ("Ủy ban nhân dân thành phố Bắc Ninh", "thành phố Bắc Ninh"),
        ("Uỷ ban nhân dân thành phố Bắc Ninh", "thành phố Bắc Ninh"),
        ("UỶ BAN NHÂN DÂN TỈNH BẮC NINH", "TỈNH BẮC NINH"),
        ("UBND phường Suối Hoa", "phường Suối Hoa"),
        ("Phòng Nội vụ", None),
        ("Ủy ban Mặt trận Tổ quốc phường Suối Hoa", None),
    ],
)
def test_the_place_after_ubnd_however_it_is_spelt(name, place):
    assert authority_place(name) == place


@pytest.mark.parametrize(
    ("typed", "readings"),
    [
        ("P. Suối Hoa", ("phuong suoi hoa", "phong suoi hoa")),
        ("UBND P.Suối Hoa", ("uy ban nhan dan phuong suoi hoa", "uy ban nhan dan phong suoi hoa")),
        ("TP. Bắc Ninh", ("thanh pho bac ninh",)),
        ("Phòng Nội vụ", ()),
        ("Phường Suối Hoa", ()),
    ],
)
def test_a_kinds_initials_read_as_its_words(typed, readings):
    """ "P." is a ward or an office: both readings, for a lookup to take only one unit."""
    assert unit_name_readings(typed) == readings
