import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import verified_client
from thidua.accounts.models import User


@pytest.mark.parametrize(
    "password", ["ubnd-bacninh-2022", "Short1!", "ThiDua@2022!xyz", "123456789012"]
)
def test_weak_passwords_are_rejected(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_strong_password_passes():
    validate_password("Sen-Vang@2022")


@pytest.fixture
def an(db):
    return User.objects.create_user(
        username="an.nv",
        password="Sen-Vang@2022-ok",
        full_name="Nguyễn Văn An",
        email="nguyenvanan@bacninh.gov.vn",
    )


@pytest.mark.parametrize(
    "password",
    [
        "Nguyen-Van-An@2024",  # the full name, without accents
        "NGUYỄN VĂN AN 2024!",  # with accents and spaces, upper case
        "xx-nguyễnvănan-99",
        "Sen.Vang@VanAn7",  # the name without the family name
        "Sen-Vang@an.nv-9",  # the username
        "Sen-Vang@nguyenvanan",  # the mailbox name (also the folded full name)
    ],
)
def test_a_password_may_not_contain_the_users_name(an, password):
    """Issue 18, L4: before, "Nguyen-Van-An@2024" was accepted for Nguyễn Văn An."""
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user=an)
    assert "Mật khẩu không được chứa họ tên, tên đăng nhập" in " ".join(caught.value.messages)


def test_a_short_given_name_alone_is_not_refused(an):
    validate_password("Hoa-Sen-An@2022", user=an)  # "An" alone is too short to count


def test_the_password_change_page_shows_the_vietnamese_message(an):
    client = verified_client(an)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "Sen-Vang@2022-ok",
            "new_password1": "Nguyễn-Văn-An@2024",
            "new_password2": "Nguyễn-Văn-An@2024",
        },
    )
    assert response.status_code == 200
    assert "không được chứa họ tên" in response.content.decode()
    an.refresh_from_db()
    assert an.check_password("Sen-Vang@2022-ok")
