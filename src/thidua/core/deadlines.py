"""Deadlines that make sense: one already past, or before the document it belongs to, is
refused or needs an explicit confirmation (entering an old request after the fact)."""

from datetime import date

from django import forms

from thidua.core.clock import today_local

CONFIRM_LABEL = "Tôi xác nhận hạn này là đúng (nhập bù việc đã qua)"


class DeadlineCheckMixin(forms.Form):
    """Adds `confirm_deadline`: hidden until a past deadline needs it, then a checkbox shown
    next to the message. Call `check_deadline(field, due)` from `clean()`."""

    confirm_deadline = forms.BooleanField(
        label=CONFIRM_LABEL, required=False, widget=forms.HiddenInput
    )

    def check_deadline(
        self,
        field: str,
        due: date | None,
        *,
        not_before: date | None = None,
        not_before_what: str = "",
        refuse_before: date | None = None,
        refuse_before_what: str = "",
    ) -> None:
        if due is None:
            return
        if refuse_before and due < refuse_before:
            self.add_error(
                field,
                f"Hạn {due:%d/%m/%Y} trước {refuse_before_what} ({refuse_before:%d/%m/%Y}): "
                "hãy kiểm tra lại ngày.",
            )
            return
        problems = []
        today = today_local()
        if due < today:
            problems.append(f"đã qua (hôm nay là {today:%d/%m/%Y})")
        if not_before and due < not_before:
            problems.append(f"trước {not_before_what} ({not_before:%d/%m/%Y})")
        if problems and not self.cleaned_data.get("confirm_deadline"):
            self.fields["confirm_deadline"].widget = forms.CheckboxInput()
            self.add_error(
                field,
                f"Hạn {due:%d/%m/%Y} " + " và ".join(problems) + ". Nếu đúng là như vậy, "
                f"hãy đánh dấu ô “{CONFIRM_LABEL}” rồi gửi lại.",
            )
