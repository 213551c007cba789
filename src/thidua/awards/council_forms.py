"""Forms of the council pages: scheduling a session, the roll call and counting committee,
a show of hands, a member's ballot and written opinion."""

from typing import Any

from django import forms
from django.db.models import QuerySet

from thidua.awards.council import nominee_label
from thidua.awards.models import (
    AgendaItem,
    Attendance,
    Choice,
    Council,
    CouncilMember,
    Nomination,
)
from thidua.organizations.forms import DATE_WIDGET


class _NominationChoice(forms.ModelMultipleChoiceField[Nomination]):
    def label_from_instance(self, obj: Nomination) -> str:
        return f"{obj.unit.name} – {obj.award_type.name}"


class SessionForm(forms.Form):
    council = forms.ModelChoiceField(
        queryset=Council.objects.none(), label="Hội đồng", empty_label=None
    )
    title = forms.CharField(label="Nội dung phiên họp", max_length=255)
    held_on = forms.DateField(label="Ngày họp (dd/mm/yyyy)", widget=DATE_WIDGET)
    starts_at = forms.TimeField(
        label="Giờ họp (HH:MM)",
        widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "14:00"}),
        input_formats=["%H:%M", "%Hh%M", "%H giờ %M", "%H"],
    )
    place = forms.CharField(label="Địa điểm", max_length=255)
    nominations = _NominationChoice(
        queryset=Nomination.objects.none(),
        label="Hồ sơ đủ điều kiện đưa ra Hội đồng",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Chọn ít nhất một hồ sơ để Hội đồng xét."},
    )
    secret = forms.BooleanField(
        label="Bỏ phiếu kín (bỏ chọn nếu quy định cho phép biểu quyết giơ tay)",
        required=False,
        initial=True,
    )

    def __init__(
        self,
        *args: Any,
        councils: QuerySet[Council],
        eligible: QuerySet[Nomination],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils  # type: ignore[attr-defined]
        self.fields["nominations"].queryset = eligible  # type: ignore[attr-defined]


class WrittenOpinionForm(forms.Form):
    """One choice per nominee on the agenda and the reason of the absence. For Nội vụ entering
    a paper opinion, the member it comes from."""

    member = forms.ModelChoiceField(
        queryset=CouncilMember.objects.none(),
        label="Thành viên gửi ý kiến (văn bản giấy)",
        required=False,
        empty_label="Chọn thành viên",
    )
    reason = forms.CharField(
        label="Lý do vắng mặt",
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: đi công tác tại Hà Nội"}),
        error_messages={"required": "Đề nghị ghi rõ lý do vắng mặt."},
    )

    def __init__(
        self,
        *args: Any,
        items: list[AgendaItem],
        members: QuerySet[CouncilMember] | None = None,
        initial_choices: dict[int, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        if members is None:
            del self.fields["member"]
        else:
            field = self.fields["member"]
            field.queryset = members  # type: ignore[attr-defined]
            field.required = True
            field.label_from_instance = lambda m: (  # type: ignore[attr-defined]
                f"{m.user.get_full_name()} – {m.get_role_display()}"
            )
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=f"{nominee_label(item.nominee)} ({item.nominee.nomination.award_type.name})",
                choices=Choice.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=(initial_choices or {}).get(item.pk),
                error_messages={"required": "Đề nghị cho ý kiến đối với trường hợp này."},
            )

    def choices(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}

    def item_fields(self) -> list[forms.BoundField]:
        return [self[f"item_{item.pk}"] for item in self.items]


class _MemberRowsForm(forms.Form):
    """Choice fields named `<prefix>-<member id>`, one per attendance row, as the session page
    draws them. Only the fields the page posted are applied, so a form that shows a subset of
    the members (the counting committee during the session) leaves the others as they are."""

    def _choice(self, name: str, label: str, choices: Any) -> None:
        self.fields[name] = forms.ChoiceField(label=label, choices=choices, required=False)

    def posted(self, prefix: str) -> dict[int, str]:
        return {
            int(name.split("-", 1)[1]): value
            for name, value in self.cleaned_data.items()
            if name.startswith(f"{prefix}-") and name in self.data
        }


# The name of the roll call form's "Tất cả có mặt" button, posted with the value "1".
ALL_PRESENT = "tat-ca-co-mat"


class RollCallForm(_MemberRowsForm):
    """The secretary's roll call before the session opens: presence, the reason of an absence
    and the counting committee, per member."""

    def __init__(self, *args: Any, rows: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for a in rows:
            name = a.member.user.get_full_name()
            self._choice(f"presence-{a.member_id}", f"Điểm danh {name}", Attendance.marks())
            self._choice(f"counting-{a.member_id}", f"Ban kiểm phiếu: {name}", Attendance.Counting)
            self.fields[f"reason-{a.member_id}"] = forms.CharField(
                label=f"Lý do vắng của {name}", max_length=255, required=False
            )

    def all_present(self) -> bool:
        """Whether the secretary pressed "Tất cả có mặt" (a second submit button of the form)
        rather than "Lưu điểm danh"."""
        return self.data.get(ALL_PRESENT) == "1"

    def presences(self) -> dict[int, tuple[str, str]]:
        """Each marked member's presence and reason; a member left "Chưa điểm danh" (the
        page's empty choice) is not in it."""
        return {
            pk: (presence, self.cleaned_data.get(f"reason-{pk}", ""))
            for pk, presence in self.posted("presence").items()
            if presence
        }


class CountingForm(_MemberRowsForm):
    """The counting committee, chosen among the present members once the session is open."""

    def __init__(self, *args: Any, rows: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for a in rows:
            label = f"Ban kiểm phiếu: {a.member.user.get_full_name()}"
            self._choice(f"counting-{a.member_id}", label, Attendance.Counting)


class NamedVotesForm(_MemberRowsForm):
    """A show of hands: the secretary enters each present member's vote."""

    def __init__(self, *args: Any, rows: list[Attendance], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for a in rows:
            label = f"Biểu quyết của {a.member.user.get_full_name()}"
            self._choice(f"named-{a.member_id}", label, Choice)


class BallotForm(forms.Form):
    """A member's choice on one nominee: shown back for confirmation, then cast."""

    choice = forms.ChoiceField(
        choices=Choice.choices, error_messages={"invalid_choice": "Lựa chọn không hợp lệ."}
    )
