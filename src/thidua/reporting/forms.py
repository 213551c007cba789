from typing import Any

from django import forms
from django.db.models import QuerySet

from thidua.campaigns.models import Campaign, CampaignStatus
from thidua.core.deadlines import DeadlineCheckMixin
from thidua.organizations.forms import DATE_WIDGET, UnitPicker
from thidua.organizations.models import EmulationBlock, Unit
from thidua.reporting.models import Indicator, ReportTemplate, RequestKind

AGGREGATIONS = {label.lower(): value for value, label in Indicator.Aggregation.choices} | {
    v: v for v in Indicator.Aggregation.values
}
SOURCES = {label.lower(): value for value, label in Indicator.Source.choices} | {
    v: v for v in Indicator.Source.values
}


class TemplateForm(forms.Form):
    name = forms.CharField(label="Tên mẫu báo cáo", max_length=255)
    sections = forms.CharField(
        label="Các phần viết (mỗi dòng: Tiêu đề | hướng dẫn)",
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="Công tác chỉ đạo, triển khai | Văn bản, kế hoạch đã ban hành\n"
        "Kết quả thực hiện | Các hoạt động nổi bật, mô hình hay\n"
        "Khó khăn, vướng mắc và kiến nghị | ",
    )
    indicators = forms.CharField(
        label="Chỉ tiêu (mỗi dòng: Tên | đơn vị tính | cộng/trung bình/đếm/tỷ lệ có | tự nhập/hoạt động/người tham gia/mô hình)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        initial="Số hoạt động đã tổ chức | hoạt động | cộng | hoạt động\n"
        "Số lượt người tham gia | lượt | cộng | người tham gia\n"
        "Số tin, bài tuyên truyền | tin, bài | cộng | tự nhập\n"
        "Đã ban hành kế hoạch của đơn vị | | tỷ lệ có | tự nhập",
    )

    def clean_sections(self) -> list[dict[str, str]]:
        rows = []
        for line in self.cleaned_data["sections"].splitlines():
            if line.strip():
                title, _, guidance = line.partition("|")
                rows.append({"title": title.strip()[:255], "guidance": guidance.strip()})
        return rows

    def clean_indicators(self) -> list[dict[str, Any]]:
        rows = []
        short = {
            "cộng": "sum",
            "trung bình": "average",
            "đếm": "count",
            "tỷ lệ có": "yes_share",
            "tự nhập": "manual",
            "hoạt động": "activities",
            "người tham gia": "participants",
            "mô hình": "good_models",
        }
        for number, line in enumerate(self.cleaned_data["indicators"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")] + ["", "", ""]
            aggregation = short.get(parts[2].lower(), AGGREGATIONS.get(parts[2].lower(), "sum"))
            source = short.get(parts[3].lower(), SOURCES.get(parts[3].lower(), "manual"))
            if (
                aggregation not in Indicator.Aggregation.values
                or source not in Indicator.Source.values
            ):
                raise forms.ValidationError(
                    f"Dòng {number}: cách tổng hợp hoặc nguồn số liệu không hợp lệ."
                )
            rows.append(
                {
                    "name": parts[0][:255],
                    "unit_of_measure": parts[1][:64],
                    "aggregation": aggregation,
                    "source": source,
                    "is_yes_no": aggregation == "yes_share",
                }
            )
        return rows


PHASE_NAMES = {RequestKind.INTERIM: "Sơ kết", RequestKind.FINAL: "Tổng kết"}
PHASE_MOVES = {  # request kind → campaign statuses it may move on from
    RequestKind.INTERIM: {CampaignStatus.RUNNING},
    RequestKind.FINAL: {CampaignStatus.RUNNING, CampaignStatus.INTERIM_REVIEW},
}


class RequestForm(DeadlineCheckMixin, forms.Form):
    field_order = ["template", "kind", "advance_phase", "title", "due_date", "confirm_deadline"]
    template = forms.ModelChoiceField(
        queryset=ReportTemplate.objects.none(),
        label="Mẫu báo cáo",
        empty_label="— Chọn mẫu báo cáo —",
    )
    kind = forms.ChoiceField(label="Loại", choices=RequestKind.choices)
    title = forms.CharField(label="Tên báo cáo", max_length=255)
    due_date = forms.DateField(label="Hạn nộp (ngày)", required=False, widget=DATE_WIDGET)
    due_working_days = forms.IntegerField(
        label="Hoặc: số ngày làm việc kể từ hôm nay", min_value=1, max_value=120, required=False
    )
    audience = forms.ChoiceField(
        label="Gửi tới",
        choices=[
            ("invited", "Mọi đơn vị nhận kế hoạch"),
            ("block", "Một khối thi đua"),
            ("pick", "Các đơn vị chọn"),
        ],
    )
    block = forms.ModelChoiceField(
        queryset=EmulationBlock.objects.none(),
        required=False,
        label="Khối thi đua",
        empty_label="— Chọn khối (khi gửi tới một khối) —",
    )
    units = forms.ModelMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label="Đơn vị chọn",
        widget=UnitPicker(),
    )
    reminder_offsets = forms.CharField(
        label="Nhắc vào các ngày làm việc so với hạn (âm: trước hạn)", initial="-5, -2, -1, 0"
    )
    repeat_every = forms.IntegerField(
        label="Quá hạn: nhắc lại sau mỗi (ngày làm việc)", min_value=0, initial=2
    )
    escalate_after = forms.IntegerField(
        label="Quá hạn bao nhiêu ngày làm việc thì báo lãnh đạo", min_value=1, initial=3
    )
    advance_phase = forms.ChoiceField(
        label="Giai đoạn của phong trào",
        required=False,
        choices=[
            ("", "— Chọn khi gửi báo cáo sơ kết, tổng kết —"),
            ("yes", "Chuyển phong trào sang giai đoạn sơ kết/tổng kết ngay khi gửi"),
            ("no", "Giữ giai đoạn hiện tại (chuyển sau trên trang kế hoạch)"),
        ],
        help_text="Báo cáo sơ kết, tổng kết có thể chuyển giai đoạn của phong trào: "
        "hệ thống không tự chuyển nếu bạn không chọn.",
    )

    def __init__(
        self,
        *args: Any,
        templates: QuerySet[ReportTemplate],
        units: QuerySet[Unit],
        blocks: QuerySet[EmulationBlock],
        campaign: Campaign | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        self.fields["block"].queryset = blocks  # type: ignore[attr-defined]

    def clean_reminder_offsets(self) -> list[int]:
        try:
            return [
                int(x)
                for x in self.cleaned_data["reminder_offsets"].replace(";", ",").split(",")
                if x.strip()
            ]
        except ValueError:
            raise forms.ValidationError(
                "Nhập các số nguyên cách nhau bằng dấu phẩy, ví dụ: -5, -2, -1, 0"
            ) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # A due date or a number of days typed but not readable (31/02/2026) has its own
        # message: "one of the two" would say nothing was entered.
        unreadable = {"due_date", "due_working_days"} & self.errors.keys()
        if not unreadable and bool(data.get("due_date")) == bool(data.get("due_working_days")):
            raise forms.ValidationError(
                "Nhập hạn nộp theo ngày hoặc theo số ngày làm việc (một trong hai)."
            )
        if data.get("audience") == "block" and not data.get("block"):
            self.add_error("block", "Chọn khối thi đua.")
        if data.get("audience") == "pick" and not data.get("units"):
            self.add_error("units", "Chọn ít nhất một đơn vị.")
        campaign = self.campaign
        if campaign is not None:
            self.check_deadline(
                "due_date",
                data.get("due_date"),
                refuse_before=campaign.issued_on,
                refuse_before_what="ngày ban hành kế hoạch",
            )
            kind = data.get("kind", "")
            moves = campaign.status in PHASE_MOVES.get(kind, set())
            if moves and data.get("advance_phase") not in {"yes", "no"}:
                self.add_error(
                    "advance_phase",
                    f"Gửi báo cáo {PHASE_NAMES[RequestKind(kind)].lower()} có chuyển phong trào "
                    f"sang giai đoạn {PHASE_NAMES[RequestKind(kind)]} không? Hãy chọn.",
                )
            data["advance_phase"] = moves and data.get("advance_phase") == "yes"
        return data


class ReviewForm(forms.Form):
    note = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AggregateForm(forms.Form):
    title = forms.CharField(label="Trích yếu", max_length=500)
    body = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 20}))
