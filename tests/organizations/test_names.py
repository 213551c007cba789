"""One table of the abbreviations users write unit names with, for every comparison."""

import pytest

from thidua.organizations.names import unit_name_key


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
