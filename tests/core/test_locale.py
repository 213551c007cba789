"""The project's Vietnamese catalogue (src/thidua/locale) is compiled and current."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext

import thidua

MESSAGES = Path(thidua.__file__).parent / "locale" / "vi" / "LC_MESSAGES"


def test_the_compiled_catalogue_matches_its_source(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    target = tmp_path / "django.mo"
    subprocess.run([msgfmt, "-o", str(target), str(MESSAGES / "django.po")], check=True)  # noqa: S603
    assert target.read_bytes() == (MESSAGES / "django.mo").read_bytes(), (
        "run: msgfmt -o src/thidua/locale/vi/LC_MESSAGES/django.mo "
        "src/thidua/locale/vi/LC_MESSAGES/django.po"
    )


def test_django_messages_left_in_english_are_vietnamese():
    with translation.override("vi"):
        assert gettext("Constraint “%(name)s” is violated.").startswith("Dữ liệu không thỏa")
        assert gettext("Null characters are not allowed.") == "Không được chứa ký tự NUL."
        assert (
            ngettext(
                "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
                "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
                5,
            )
            == "Tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."
        )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-1, "Giá trị phải lớn hơn hoặc bằng 0."), (101, "Giá trị phải nhỏ hơn hoặc bằng 100.")],
)
def test_min_and_max_value_messages_have_no_space_before_the_full_stop(value, expected):
    """Django's own catalogue says "… lớn hơn hoặc bằng với 0 ." (MinValueValidator)."""
    from django import forms

    field = forms.IntegerField(min_value=0, max_value=100)
    with translation.override("vi"), pytest.raises(forms.ValidationError) as exc:
        field.clean(value)
    assert exc.value.messages == [expected]
