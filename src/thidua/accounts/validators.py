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
