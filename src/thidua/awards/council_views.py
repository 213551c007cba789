"""Council pages: the members' "Phiên họp" list and session page (dossiers to read, confirmed
secret ballots, written opinions), the live vote count, the results for a projector, and
scheduling a session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thidua.accounts.models import User
from thidua.accounts.requests import request_user
from thidua.awards import council, rules, selectors
from thidua.awards.council_forms import (
    BallotForm,
    CountingForm,
    NamedVotesForm,
    RollCallForm,
    SessionForm,
    WrittenOpinionForm,
)
from thidua.awards.documents import campaign_carried_out
from thidua.awards.models import (
    AgendaItem,
    Attendance,
    Choice,
    CouncilMember,
    CouncilSession,
    WrittenOpinion,
)
from thidua.campaigns.views import issued_campaign_for
from thidua.core.clock import today_local
from thidua.core.http import action_view, parse_id, run_form
from thidua.core.pagination import paginate
from thidua.core.submissions import form_key_of


def _session_for(request: HttpRequest, pk: int, *related: str) -> tuple[User, CouncilSession]:
    """The session if the user sits on its council or runs its sessions as Nội vụ of the
    council's body (404 otherwise: a ward's Nội vụ never opens the city council's)."""
    user = request_user(request)
    sessions = selectors.council_session_list_for(actor=user).select_related(*related)
    return user, get_object_or_404(sessions, pk=pk)


def _member(session: CouncilSession, user: User) -> CouncilMember | None:
    """The user's seat on the session's council; None for Nội vụ staff who do not sit on it."""
    return CouncilMember.objects.filter(council_id=session.council_id, user=user).first()


@login_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    """ "Phiên họp": the sessions of the councils the user sits on, with their dossiers."""
    user = request_user(request)
    sessions = selectors.council_session_list_with_roll_call_for(actor=user)
    page = paginate(request, sessions, per_page=20)
    return render(
        request,
        "awards/session_list.html",
        {
            "page": page,
            "sessions": page.object_list,
            "qs": "",
            "title": "Phiên họp Hội đồng Thi đua – Khen thưởng",
            "nav_section": "sessions",
            "can_manage": rules.can_appraise(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Schedule a session for the campaign's eligible dossiers; members are invited."""
    user, campaign = issued_campaign_for(request, pk)
    councils = selectors.councils_for_campaign(actor=user, campaign=campaign)
    if not councils.exists():  # Nội vụ of the campaign's body only (rules.council_may_consider)
        raise PermissionDenied
    earlier = selectors.session_scheduled_by(actor=user, key=form_key_of(request.POST))
    if request.method == "POST" and earlier is not None:
        return redirect("awards:session", pk=earlier.pk)  # a repeat of a done submission
    eligible = selectors.eligible_nominations(campaign=campaign).order_by("unit__name_sort")
    form = SessionForm(
        request.POST or None,
        councils=councils.order_by("name"),
        eligible=eligible,
        initial={
            "title": f"Xét khen thưởng {campaign_carried_out(campaign.title)}"[:255],
            "held_on": today_local(),
            "secret": True,
            "nominations": list(eligible),  # all of them unless unticked
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = council.session_schedule(
                actor=user,
                council=data["council"],
                title=data["title"],
                held_on=data["held_on"],
                starts_at=data["starts_at"],
                place=data["place"],
                nominations=list(data["nominations"]),
                secret=data["secret"],
                form_key=form_key_of(request.POST),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lập phiên họp và gửi giấy mời tới các thành viên.")
            return redirect("awards:session", pk=session.pk)
    return render(
        request,
        "awards/session_form.html",
        {"form": form, "campaign": campaign, "title": "Lập phiên họp Hội đồng"},
    )


def _back(session: CouncilSession, item: AgendaItem | None = None) -> HttpResponse:
    anchor = f"#item-{item.pk}" if item is not None else ""
    return redirect(f"{reverse('awards:session', args=[session.pk])}{anchor}")


def _present(session: CouncilSession) -> list[Attendance]:
    return list(
        session.attendance.filter(presence=Attendance.Presence.PRESENT)
        .select_related("member__user")
        .order_by("member__pk")
    )


def _session_of(request: HttpRequest, pk: int) -> CouncilSession:
    return _session_for(request, pk)[1]


def _item_of(request: HttpRequest, pk: int, item_pk: int) -> AgendaItem:
    return _item_for(request, pk, item_pk)[2]


def _back_to_item(item: AgendaItem) -> HttpResponse:
    return _back(item.session, item)


def _item_for(
    request: HttpRequest, pk: int, item_pk: int
) -> tuple[User, CouncilSession, AgendaItem]:
    user, session = _session_for(request, pk)
    return user, session, get_object_or_404(session.items.select_related("session"), pk=item_pk)


# One URL and one view per change of a session (POST).


@login_required
@require_POST
def session_roll_call(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary's roll call and counting committee, before the session opens. "Tất cả có
    mặt" submits the same form: the choices made on it are saved, then every member still not
    marked is marked present."""
    user, session = _session_for(request, pk)
    rows = list(session.attendance.select_related("member__user").order_by("member__pk"))
    form = RollCallForm(request.POST, rows=rows)
    all_present = form.all_present()
    run_form(
        request,
        form,
        lambda: council.roll_call_record(
            actor=user,
            session=session,
            presences=form.presences(),
            roles=form.posted("counting"),
            all_present=all_present,
        ),
        _all_present_done if all_present else "Đã lưu điểm danh và Ban kiểm phiếu.",
    )
    return _back(session)


def _all_present_done(marked: int) -> str:
    if not marked:  # every member was marked on the form or before
        return "Đã lưu điểm danh; không còn thành viên nào chưa điểm danh."
    return f"Đã lưu điểm danh; {marked} thành viên còn lại (chưa điểm danh) được ghi là có mặt."


@login_required
@require_POST
def session_counting(request: HttpRequest, pk: int) -> HttpResponse:
    """The counting committee among the present members, once the session is open."""
    user, session = _session_for(request, pk)
    form = CountingForm(request.POST, rows=_present(session))
    run_form(
        request,
        form,
        lambda: council.counting_committee_set(
            actor=user, session=session, roles=form.posted("counting")
        ),
        "Đã lưu Ban kiểm phiếu.",
    )
    return _back(session)


session_open = action_view(
    _session_of,
    lambda user, s: council.session_open(actor=user, session=s),
    lambda s: f"Đã bắt đầu phiên họp, ngày họp {s.held_on:%d/%m/%Y}.",
    _back,
)


session_close = action_view(
    _session_of,
    lambda user, s: council.session_close(actor=user, session=s),
    "Đã kết thúc phiên họp.",
    _back,
)


minutes_number = action_view(
    _session_of,
    lambda user, s: council.minutes_number(actor=user, session=s),
    "Đã lập biên bản.",
    _back,
)


item_vote_open = action_view(
    _item_of,
    lambda user, i: council.item_vote_open(actor=user, item=i),
    "Đã mở bỏ phiếu.",
    _back_to_item,
)


item_close = action_view(
    _item_of,
    lambda user, i: council.item_close(actor=user, item=i),
    "Đã kiểm phiếu.",
    _back_to_item,
)


@login_required
@require_POST
def named_votes(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """A show of hands, entered by the secretary."""
    user, session, item = _item_for(request, pk, item_pk)
    form = NamedVotesForm(request.POST, rows=_present(session))
    run_form(
        request,
        form,
        lambda: council.named_votes_record(actor=user, item=item, choices=form.posted("named")),
        "Đã ghi kết quả biểu quyết.",
    )
    return _back(session, item)


@login_required
@require_POST
def ballot_choose(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The first step of a vote: the choice shown back for confirmation. Nothing is stored."""
    user, session = _session_for(request, pk)
    member = _member(session, user)
    item = get_object_or_404(
        session.items.select_related("nominee__nomination__award_type"), pk=item_pk
    )
    form = BallotForm(request.POST)
    if member is None or not form.is_valid():
        messages.error(request, "Lựa chọn không hợp lệ.")
        return _back(session, item)
    if not item.is_voting:
        messages.error(request, "Chưa mở hoặc đã kết thúc bỏ phiếu cho nội dung này.")
        return _back(session, item)
    choice = form.cleaned_data["choice"]
    return render(
        request,
        "awards/vote_confirm.html",
        {
            "session": session,
            "item": item,
            "label": council.nominee_label(item.nominee),
            "choice": choice,
            "choice_label": Choice(choice).label,
            "title": "Xác nhận phiếu bầu",
        },
    )


@login_required
@require_POST
def ballot_cast(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The confirmed secret ballot."""
    user, session, item = _item_for(request, pk, item_pk)
    form = BallotForm(request.POST)
    run_form(
        request,
        form,
        lambda: council.ballot_cast(actor=user, item=item, choice=form.cleaned_data["choice"]),
        "Đã ghi nhận phiếu bầu của đồng chí (phiếu kín).",
    )
    return _back(session, item)


def _can_write(
    session: CouncilSession, mine: Attendance | None, rows: list[selectors.AgendaRow]
) -> bool:
    """Whether the member may still send a written opinion (the service decides; this only
    chooses whether to offer the link)."""
    if mine is None or session.is_closed or not rows:
        return False
    if session.is_open and mine.is_present:
        return False
    return not any(r.item.is_closed for r in rows)


@login_required
@require_GET
def session_view(request: HttpRequest, pk: int) -> HttpResponse:
    user, session = _session_for(request, pk, "minutes_number")
    member = _member(session, user)
    attendance = list(session.attendance.select_related("member__user").order_by("member__pk"))
    mine = next((a for a in attendance if member and a.member_id == member.pk), None)
    rows = selectors.session_items_for(actor=user, session=session)
    return render(
        request,
        "awards/session.html",
        {
            "session": session,
            "rows": rows,
            "attendance": attendance,
            "presences": Attendance.marks(),
            "marked": sum(a.is_marked for a in attendance),
            "unmarked": sum(not a.is_marked for a in attendance),
            "today": today_local(),
            "present": sum(a.is_present for a in attendance),
            "counting_roles": Attendance.Counting.choices,
            "choices": Choice.choices,
            "member": member,
            "mine": mine,
            "is_present": mine is not None and mine.is_present,
            "presides": council.presides(user, session, attendance),
            "presiding": council.presiding_member(session, attendance),
            "can_manage": rules.can_run_council_session(user, session),
            "can_write": _can_write(session, mine, rows),
            "has_secret": any(r.item.is_secret for r in rows),
            "has_results": any(r.item.is_closed for r in rows),
            "state": selectors.session_state(session),
            "when": council.when_shown(session),
            "title": session.title,
            "nav_section": "sessions",
        },
    )


@login_required
@require_GET
@never_cache
def session_live(request: HttpRequest, pk: int) -> HttpResponse:
    """What pages poll: with ``item``, how many members have voted on it (never what); else
    204 while the session's state is the one the page shows, or a reload when it changed."""
    session = _session_for(request, pk)[1]
    if "item" in request.GET:  # not an id ("²", beyond 64 bits): no such item, never a 500
        item_pk = parse_id(request.GET["item"]) or 0
        item = get_object_or_404(selectors.agenda_item_counts(session), pk=item_pk)
        return render(request, "awards/_vote_count.html", {"item": item, "session": session})
    if request.GET.get("v") == selectors.session_state(session):
        return HttpResponse(status=204)
    response = HttpResponse(status=200)
    response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def session_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The results for a projector: large type, one nominee per row."""
    session = _session_for(request, pk)[1]
    return render(
        request,
        "awards/session_results.html",
        {
            "session": session,
            "results": selectors.session_results_for(session=session),
            "state": selectors.session_state(session),
            "when": council.when_shown(session),
            "title": f"Kết quả biểu quyết – {session.title}",
            "nav_section": "sessions",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def written_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    """An absent member's written opinion on every nominee; Nội vụ enters paper ones."""
    user, session = _session_for(request, pk)
    member = _member(session, user)
    office = rules.can_run_council_session(user, session) and (
        member is None or "giay" in request.GET
    )
    if member is None and not office:
        raise PermissionDenied
    items = list(
        session.items.select_related(
            "nominee__person__unit",
            "nominee__unit",
            "nominee__household__unit",
            "nominee__nomination__award_type",
        ).order_by("position")
    )
    previous = (
        dict(
            WrittenOpinion.objects.filter(item__session=session, member=member).values_list(
                "item_id", "choice"
            )
        )
        if member and not office
        else {}
    )
    mine = Attendance.objects.filter(session=session, member=member).first() if member else None
    form = WrittenOpinionForm(
        request.POST or None,
        items=items,
        members=CouncilMember.objects.filter(council_id=session.council_id)
        .select_related("user")
        .order_by("pk")
        if office
        else None,
        initial_choices=previous,
        initial={"reason": mine.reason if mine and not office else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            council.written_opinion_submit(
                actor=user,
                session=session,
                reason=form.cleaned_data["reason"],
                choices=form.choices(),
                member=form.cleaned_data["member"] if office else None,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã gửi ý kiến bằng văn bản tới Hội đồng.")
            return redirect("awards:session", pk=session.pk)
    return render(
        request,
        "awards/written_opinion.html",
        {
            "session": session,
            "form": form,
            "office": office,
            "when": council.when_shown(session),
            "title": "Ý kiến bằng văn bản",
            "nav_section": "sessions",
        },
    )
