from django.core.exceptions import ValidationError

from thidua.core.text import fold

# Words people in our agencies reach for first; a password containing one is easy to guess.
AGENCY_WORDS = (
    "thidua",
    "khenthuong",
    "ubnd",
    "noivu",
    "bacninh",
    "hdnd",
    "thanhuy",
    "phuong",
    "uybannhandan",
    "matkhau",
    "password",
)


class AgencyNameValidator:
    def validate(self, password: str, user: object = None) -> None:
        folded = fold(password).replace(" ", "")
        for word in AGENCY_WORDS:
            if word in folded:
                raise ValidationError(
                    "Mật khẩu không được chứa tên cơ quan hoặc từ dễ đoán (“%(word)s”).",
                    code="password_agency_name",
                    params={"word": word},
                )

    def get_help_text(self) -> str:
        return "Mật khẩu không được chứa tên cơ quan, đơn vị hoặc từ dễ đoán."


# Shorter pieces of a name ("An", "Hà") would refuse half the dictionary; they are left alone.
MIN_PERSONAL_PART = 4


def _letters(text: str) -> str:
    """Folded letters and digits only: "Nguyễn Văn-An" → "nguyenvanan"."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


class PersonalInfoValidator:
    """Refuses a password that contains the user's full name, the name without the family name,
    the username or the mailbox name, compared without accents, case, spaces or punctuation."""

    def validate(self, password: str, user: object = None) -> None:
        if user is None:
            return
        folded = _letters(password)
        full_name = str(getattr(user, "full_name", "") or "")
        words = full_name.split()
        parts = [
            full_name,
            " ".join(words[1:]) if len(words) > 2 else "",  # noqa: PLR2004 - "Văn An" of "Nguyễn Văn An"
            str(getattr(user, "username", "") or ""),
            str(getattr(user, "email", "") or "").split("@", 1)[0],
        ]
        for part in parts:
            letters = _letters(part)
            if len(letters) >= MIN_PERSONAL_PART and letters in folded:
                raise ValidationError(
                    "Mật khẩu không được chứa họ tên, tên đăng nhập hoặc tên hộp thư của bạn.",
                    code="password_personal_info",
                )

    def get_help_text(self) -> str:
        return "Mật khẩu không được chứa họ tên, tên đăng nhập hoặc tên hộp thư của bạn."
