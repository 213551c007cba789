from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from thidua.campaigns.models import Campaign
from thidua.contests import selectors, word_bank
from thidua.contests.models import (
    AttemptsPolicy,
    CollectiveBasis,
    ContactField,
    Contest,
    Difficulty,
    PredictionKind,
    Question,
    Round,
)
from thidua.core.concurrency import BASES_FIELD, ConcurrentEditForm
from thidua.core.forms import SpreadsheetOrCsvForm
from thidua.core.sheets import MAX_IMPORT_BYTES
from thidua.core.uploads import PARSED_WORD_MAX_UNPACKED_BYTES, UploadKind, check_upload
from thidua.organizations.models import Unit


def parse_vn_datetime(text: str) -> datetime:
    """ "dd/mm/yyyy HH:MM" in Asia/Ho_Chi_Minh."""
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            naive = datetime.strptime(text.strip(), fmt)  # noqa: DTZ007 - made aware below
        except ValueError:
            continue
        return timezone.make_aware(naive)
    raise ValidationError("Nhập thời điểm dạng dd/mm/yyyy HH:MM, ví dụ 13/06/2022 08:00.")


class VnDateTimeField(forms.CharField):
    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        return parse_vn_datetime(text) if text else None


class ShownBasesForm(ConcurrentEditForm):
    """A settings form whose fields are not the model's (minutes, prize counts, mix lines)
    carries the fingerprints of the settings as the service sees them (round_bases,
    contest_bases); the service merges per setting (core.concurrency, M7)."""

    def __init__(self, *args: Any, shown: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if shown is not None and not self.is_bound:
            self.initial[BASES_FIELD] = shown


class ContestForm(forms.Form):
    title = forms.CharField(label="Tên cuộc thi", max_length=255)
    campaign: forms.ModelChoiceField[Campaign] = forms.ModelChoiceField(
        label="Phong trào", queryset=Campaign.objects.none()
    )
    organiser_unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label="Đơn vị tổ chức", queryset=Unit.objects.none()
    )
    rules = forms.CharField(
        label="Thể lệ", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    contact_field = forms.ChoiceField(
        label="Hỏi thông tin liên hệ", choices=ContactField.choices, initial=ContactField.NONE
    )
    show_score_before_close = forms.BooleanField(
        label="Cho người dự thi xem điểm ngay sau khi nộp bài", required=False
    )

    def __init__(self, *args: Any, campaigns: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
        self.fields["organiser_unit"].queryset = units  # type: ignore[attr-defined]


class ContestSettingsForm(ShownBasesForm):
    title = forms.CharField(label="Tên cuộc thi", max_length=255)
    rules = forms.CharField(
        label="Thể lệ", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    contact_field = forms.ChoiceField(label="Hỏi thông tin liên hệ", choices=ContactField.choices)
    show_score_before_close = forms.BooleanField(
        label="Cho người dự thi xem điểm ngay sau khi nộp bài", required=False
    )
    verify_contact = forms.BooleanField(
        label="Gửi mã xác minh tới số điện thoại / thư điện tử trước lượt thi đầu tiên",
        required=False,
        help_text="Người dự thi nhập mã một lần; chỉ dùng được khi có hỏi thông tin liên hệ.",
    )
    collective_basis = forms.ChoiceField(
        label="Xét giải tập thể theo", choices=CollectiveBasis.choices
    )
    collective_first = forms.IntegerField(label="Số giải Nhất tập thể", min_value=0, initial=0)
    collective_second = forms.IntegerField(label="Số giải Nhì tập thể", min_value=0, initial=0)
    collective_third = forms.IntegerField(label="Số giải Ba tập thể", min_value=0, initial=0)
    collective_consolation = forms.IntegerField(
        label="Số giải Khuyến khích tập thể", min_value=0, initial=0
    )
    collective_min_entrants = forms.IntegerField(
        label="Số người dự thi tối thiểu để đơn vị được xét giải tập thể",
        min_value=0,
        initial=0,
        help_text="Đơn vị ít người dự thi hơn số này không được xét giải tập thể.",
    )

    @staticmethod
    def initial_for(contest: Contest) -> dict[str, Any]:
        counts = {p["tier"]: p["count"] for p in contest.collective_prizes}
        return {
            "title": contest.title,
            "rules": contest.rules,
            "contact_field": contest.contact_field,
            "show_score_before_close": contest.show_score_before_close,
            "verify_contact": contest.verify_contact,
            "collective_basis": contest.collective_basis,
            "collective_min_entrants": contest.collective_min_entrants,
            **{f"collective_{t}": counts.get(t, 0) for t in TIERS},
        }

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "rules": d["rules"],
            "contact_field": d["contact_field"],
            "show_score_before_close": d["show_score_before_close"],
            "verify_contact": d["verify_contact"],
            "collective_basis": d["collective_basis"],
            "collective_min_entrants": d["collective_min_entrants"],
            "collective_prizes": [{"tier": t, "count": d[f"collective_{t}"]} for t in TIERS],
        }


TIERS = ("first", "second", "third", "consolation")


class UnitTargetForm(forms.Form):
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label="Đơn vị", queryset=Unit.objects.none(), empty_label="— Chọn —"
    )
    expected = forms.IntegerField(
        label="Số người dự kiến (để trống: xóa)",
        min_value=1,
        required=False,
        error_messages={"min_value": "Số người dự kiến phải lớn hơn 0."},
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].label_from_instance = _unit_label  # type: ignore[attr-defined]


class RoundOpenForm(ShownBasesForm):
    """What may change while a round is open."""

    title = forms.CharField(label="Tên vòng", max_length=255, required=False)
    closes_at = VnDateTimeField(label="Đóng lúc (dd/mm/yyyy HH:MM), chỉ được gia hạn")


class RoundForm(ShownBasesForm):
    title = forms.CharField(label="Tên vòng", max_length=255, required=False)
    is_practice = forms.BooleanField(
        label="Vòng thi thử (không xếp hạng, không trao giải, xem điểm ngay, làm không giới hạn)",
        required=False,
    )
    pool_topic = forms.CharField(
        label="Chỉ rút câu hỏi thuộc chủ đề (để trống: cả ngân hàng)",
        max_length=100,
        required=False,
        help_text="Vòng thi thử nên dùng một chủ đề riêng, vì người thi thử xem được điểm ngay.",
    )
    opens_at = VnDateTimeField(label="Mở lúc (dd/mm/yyyy HH:MM)")
    closes_at = VnDateTimeField(label="Đóng lúc (dd/mm/yyyy HH:MM)")
    question_count = forms.IntegerField(
        label="Số câu hỏi mỗi đề", min_value=1, max_value=100, initial=10
    )
    time_limit_minutes = forms.IntegerField(
        label="Thời gian làm bài (phút)", min_value=1, max_value=180, initial=15
    )
    attempts_policy = forms.ChoiceField(label="Số lần dự thi", choices=AttemptsPolicy.choices)
    max_attempts = forms.IntegerField(
        label="Số lần tối đa (khi giới hạn N lần)", min_value=1, max_value=50, required=False
    )
    prediction_kind = forms.ChoiceField(label="Câu hỏi dự đoán", choices=PredictionKind.choices)
    prediction_text = forms.CharField(label="Nội dung câu dự đoán", max_length=500, required=False)
    first = forms.IntegerField(label="Số giải Nhất", min_value=0, initial=1)
    second = forms.IntegerField(label="Số giải Nhì", min_value=0, initial=2)
    third = forms.IntegerField(label="Số giải Ba", min_value=0, initial=5)
    consolation = forms.IntegerField(label="Số giải Khuyến khích", min_value=0, initial=8)
    mix = forms.CharField(
        label="Cơ cấu đề (không bắt buộc)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi dòng: chủ đề; độ khó (Dễ, Trung bình, Khó hoặc để trống); số câu.",
    )

    @staticmethod
    def initial_for(round_: Round) -> dict[str, Any]:
        counts = {p["tier"]: p["count"] for p in round_.prizes}
        labels = dict(Difficulty.choices)
        local = timezone.localtime
        return {
            "title": round_.title,
            "is_practice": round_.is_practice,
            "pool_topic": round_.pool_topic,
            "opens_at": local(round_.opens_at).strftime("%d/%m/%Y %H:%M"),
            "closes_at": local(round_.closes_at).strftime("%d/%m/%Y %H:%M"),
            "question_count": round_.question_count,
            "time_limit_minutes": round_.time_limit_seconds // 60,
            "attempts_policy": round_.attempts_policy,
            "max_attempts": round_.max_attempts,
            "prediction_kind": round_.prediction_kind,
            "prediction_text": round_.prediction_text,
            **{t: counts.get(t, 0) for t in TIERS},
            "mix": "\n".join(
                f"{m['topic']}; {labels.get(m['difficulty'], '')}; {m['count']}" for m in round_.mix
            ),
        }

    def service_fields(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "is_practice": d["is_practice"],
            "pool_topic": d["pool_topic"],
            "opens_at": d["opens_at"],
            "closes_at": d["closes_at"],
            "question_count": d["question_count"],
            "time_limit_seconds": d["time_limit_minutes"] * 60,
            "attempts_policy": d["attempts_policy"],
            "max_attempts": d["max_attempts"],
            "prediction_kind": d["prediction_kind"],
            "prediction_text": d["prediction_text"],
            "prizes": [{"tier": t, "count": d[t]} for t in TIERS],
            "mix": d["mix"],
        }

    def clean_mix(self) -> list[dict[str, Any]]:
        words = {label.lower(): value for value, label in Difficulty.choices}
        result = []
        for number, line in enumerate(self.cleaned_data["mix"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 3 or not parts[2].isdigit():  # noqa: PLR2004 - three parts
                raise ValidationError(f"Dòng {number}: cần dạng “chủ đề; độ khó; số câu”.")
            if parts[1] and parts[1].lower() not in words:
                raise ValidationError(f"Dòng {number}: độ khó phải là Dễ, Trung bình hoặc Khó.")
            result.append(
                {
                    "topic": parts[0],
                    "difficulty": words.get(parts[1].lower(), ""),
                    "count": int(parts[2]),
                }
            )
        return result


class QuestionForm(ConcurrentEditForm, forms.ModelForm):  # type: ignore[type-arg]
    correct = forms.ChoiceField(label="Đáp án", choices=[(x, x) for x in "ABCD"])

    class Meta:
        model = Question
        fields = ["topic", "difficulty", "stem", "option_a", "option_b", "option_c", "option_d",
                  "correct", "source"]  # fmt: skip
        widgets = {"stem": forms.Textarea(attrs={"rows": 3})}


def _unit_label(unit: Unit) -> str:
    return unit.short_name or unit.name


class RegisterForm(forms.Form):
    full_name = forms.CharField(
        label="Họ và tên",
        max_length=120,
        error_messages={"required": "Hãy nhập họ và tên."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    birth_year = forms.IntegerField(
        label="Năm sinh",
        error_messages={
            "required": "Hãy nhập năm sinh.",
            "invalid": "Hãy nhập năm sinh bằng chữ số, ví dụ 1990.",
        },
        widget=forms.NumberInput(attrs={"min": 1900, "max": 2100, "inputmode": "numeric"}),
    )  # fmt: skip; the range is the service's (contestant_problems), in its words
    unit: forms.ModelChoiceField[Unit] = forms.ModelChoiceField(
        label="Phường hoặc đơn vị",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— Chọn —",
    )
    unit_text = forms.CharField(label="Hoặc tự nhập đơn vị, nơi ở", max_length=255, required=False)
    phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        error_messages={"invalid": "Hãy nhập địa chỉ thư điện tử."},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(label="Tôi đồng ý", required=False)
    over_budget = False  # set by the view: this address used up the round's registrations
    challenge = forms.CharField(
        label="Câu hỏi kiểm tra",
        max_length=4,
        error_messages={"required": "Hãy trả lời câu hỏi kiểm tra."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    challenge_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.selectable_units()  # type: ignore[attr-defined]
        self.fields["unit"].label_from_instance = _unit_label  # type: ignore[attr-defined]
        if contest.contact_field != ContactField.PHONE:
            del self.fields["phone"]
        if contest.contact_field != ContactField.EMAIL:
            del self.fields["email"]

    def show_challenge(self, question: str, token: str) -> None:
        """Put a fresh challenge on the form: the question as the answer box's label, its
        token in the hidden field, the box emptied; whatever else was typed stays. A validated
        form has made its bound fields already, with the label they had then, so the label is
        set on the bound field too: the page shows the question whose token is checked next."""
        if self.is_bound:
            data = QueryDict(mutable=True)
            data.update(self.data)
            data["challenge_token"], data["challenge"] = token, ""
            self.data = data  # bound fields read their value from here when rendered
        else:
            self.initial["challenge_token"] = token
        self.fields["challenge"].label = question
        self["challenge"].label = question


class LookupForm(forms.Form):
    """Find one's results: the receipt code, or the contact given at registration and the
    birth year."""

    receipt = forms.CharField(
        label="Mã biên nhận",
        max_length=16,
        required=False,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    contact = forms.CharField(max_length=254, required=False)
    birth_year = forms.IntegerField(
        label="Năm sinh",
        min_value=1900,
        max_value=2100,
        required=False,
        error_messages={"min_value": "Năm sinh không hợp lệ.", "max_value": "Năm sinh không hợp lệ.",
                        "invalid": "Hãy nhập năm sinh bằng chữ số, ví dụ 1990."},
    )  # fmt: skip

    def __init__(self, *args: Any, contest: Contest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_contact = contest.contact_field != ContactField.NONE
        if self.by_contact:
            phone = contest.contact_field == ContactField.PHONE
            self.fields["contact"].label = "Số điện thoại" if phone else "Thư điện tử"
            # the phone's keyboard for a number or an address, and what the phone remembers
            widget = self.fields["contact"].widget
            widget.input_type = "tel" if phone else "email"
            widget.attrs["autocomplete"] = widget.input_type
        else:
            del self.fields["contact"]
            del self.fields["birth_year"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        receipt = "".join(str(data.get("receipt") or "").split())
        contact = str(data.get("contact") or "").strip()
        if receipt:
            data["receipt"] = receipt.upper()
            return data
        if not self.by_contact:
            raise forms.ValidationError("Hãy nhập mã biên nhận.")
        what = str(self.fields["contact"].label).lower()
        if not contact and data.get("birth_year") is None:
            raise forms.ValidationError(f"Hãy nhập mã biên nhận, hoặc {what} và năm sinh.")
        if not contact:
            self.add_error("contact", f"Hãy nhập {what}.")
        if data.get("birth_year") is None and "birth_year" not in self.errors:
            self.add_error("birth_year", "Hãy nhập năm sinh.")
        return data


class CodeForm(forms.Form):
    code = forms.CharField(label="Mã xác minh (6 chữ số)", max_length=12)


class QuestionBankForm(SpreadsheetOrCsvForm):
    """The question bank's upload: an .xlsx, a CSV, or a Word document (.docx) typed as a
    printed quiz (contests.word_bank); the same upload checks (size, type by content, macro
    and ZIP-bomb checks) for each."""

    file = forms.FileField(
        label="Tệp Excel (.xlsx), CSV hoặc Word (.docx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.xlsx,.csv"}),
        help_text=SpreadsheetOrCsvForm.base_fields["file"].help_text,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        head = upload.read(len(word_bank.OLE_MAGIC))
        upload.seek(0)
        if word_bank.is_legacy_word(head, upload.name or ""):
            raise forms.ValidationError(word_bank.LEGACY_WORD)
        if head.startswith(b"PK\x03\x04"):
            checked = check_upload(
                upload,
                allowed={UploadKind.XLSX, UploadKind.DOCX},
                max_bytes=MAX_IMPORT_BYTES,
                max_word_unpacked_bytes=PARSED_WORD_MAX_UNPACKED_BYTES,  # read on the server
            )
            upload.seek(0)
            if checked.kind is UploadKind.DOCX:
                return upload
        return super().clean_file()
