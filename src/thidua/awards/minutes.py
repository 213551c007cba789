"""Council minutes (biên bản họp xét khen thưởng) in the Decree 30 layout: time and place, chair
and secretary, members present and absent with reasons, the written opinions, the voting form
(secret ballot), the counting committee, the result per nominee against its threshold, and the
signatures of the secretary and the chair."""

from collections import defaultdict
from decimal import Decimal

from django.utils.timezone import localtime

from thidua.awards.council import (
    nominee_label,
    percent_text,
    presiding_member,
    threshold_text,
    when_text,
)
from thidua.awards.models import (
    AgendaItem,
    Attendance,
    Choice,
    CouncilMember,
    CouncilSession,
    Subject,
    WrittenOpinion,
)
from thidua.core.text import fold_chars
from thidua.documents.official import (
    Block,
    Bullet,
    Heading,
    OfficialDocument,
    Paragraph,
    Signature,
)
from thidua.organizations.names import authority_place, authority_short_name
from thidua.organizations.selectors import place_of

ROLE = CouncilMember.CouncilRole


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _member_text(member: CouncilMember) -> str:
    title = f", {member.title}" if member.title else ""
    return f"đồng chí {member.user.get_full_name()}{title}"


def _presiding(session: CouncilSession, attendance: list[Attendance]) -> CouncilMember | None:
    """Who presided (the chair, or the vice-chair who stood in); the chair when no one could."""
    return presiding_member(session, attendance) or next(
        (a.member for a in attendance if a.member.role == ROLE.CHAIR), None
    )


def _written_by_item(session: CouncilSession, absent: set[int]) -> dict[int, list[WrittenOpinion]]:
    by_item: dict[int, list[WrittenOpinion]] = defaultdict(list)
    for opinion in (
        WrittenOpinion.objects.filter(item__session=session, member_id__in=absent)
        .select_related("member__user")
        .order_by("member__pk", "item__position")
    ):
        by_item[opinion.item_id].append(opinion)
    return by_item


def _attendance_blocks(
    session: CouncilSession, attendance: list[Attendance], total: int
) -> list[Block]:
    present = [a for a in attendance if a.presence == Attendance.Presence.PRESENT]
    absent = [a for a in attendance if a.presence != Attendance.Presence.PRESENT]
    written = [a for a in absent if a.presence == Attendance.Presence.WRITTEN_OPINION]
    chair = _presiding(session, attendance)
    secretary = next((a.member for a in attendance if a.member.role == ROLE.SECRETARY), None)
    blocks: list[Block] = [Heading("II. THÀNH PHẦN", level=1)]
    if chair is not None:
        stood_in = " (Chủ tịch Hội đồng vắng mặt)" if chair.role != ROLE.CHAIR else ""
        blocks.append(
            Bullet(f"Chủ trì: {_member_text(chair)} – {chair.get_role_display()}{stood_in}.")
        )
    if secretary is not None:
        blocks.append(Bullet(f"Thư ký: {_member_text(secretary)} – Thư ký Hội đồng."))
    blocks.append(
        Bullet(
            f"Tổng số thành viên Hội đồng: {total:02d} đồng chí; có mặt: {len(present):02d} "
            f"đồng chí ({percent_text(len(present), total)}); vắng mặt: {len(absent):02d} đồng "
            f"chí, trong đó {len(written):02d} đồng chí có ý kiến bằng văn bản."
        )
    )
    blocks.append(Heading("1. Thành viên có mặt", level=2))
    blocks += [
        Bullet(
            _capital(f"{_member_text(a.member)} – {a.member.get_role_display()};"), marker=f"{i}."
        )
        for i, a in enumerate(present, start=1)
    ]
    blocks.append(Heading("2. Thành viên vắng mặt", level=2))
    if not absent:
        blocks.append(Paragraph("Không có."))
    for i, a in enumerate(absent, start=1):
        reason = f"lý do: {a.reason}" if a.reason else "không rõ lý do"
        opinion = (
            "có ý kiến bằng văn bản"
            if a.presence == Attendance.Presence.WRITTEN_OPINION
            else "không có ý kiến bằng văn bản"
        )
        text = f"{_member_text(a.member)} – {a.member.get_role_display()} ({reason}; {opinion});"
        blocks.append(Bullet(_capital(text), marker=f"{i}."))
    quorum = f"{session.quorum_numerator}/{session.quorum_denominator}"
    blocks.append(
        Paragraph(
            f"Số thành viên có mặt {len(present)}/{total}, "
            + (
                f"bảo đảm từ {quorum} tổng số thành viên Hội đồng trở lên: phiên họp hợp lệ."
                if session.quorum_met
                else f"chưa đạt {quorum} tổng số thành viên Hội đồng."
            )
        )
    )
    return blocks


def _kinds_text(items: list[AgendaItem]) -> str:
    """ "02 tập thể và 01 cá nhân": each kind of subject present, in the tờ trình's order."""
    parts = [
        f"{count:02d} {label.lower()}"
        for value, label in Subject.choices
        if (count := sum(1 for i in items if i.nominee.subject == value))
    ]
    return ", ".join(parts[:-1]) + f" và {parts[-1]}" if len(parts) > 1 else "".join(parts)


def _written_blocks(
    writers: list[Attendance],
    items: list[AgendaItem],
    labels: dict[int, str],
    written_by_item: dict[int, list[WrittenOpinion]],
) -> list[Block]:
    blocks: list[Block] = [Heading("1. Ý kiến bằng văn bản của thành viên vắng mặt", level=2)]
    if not writers:
        blocks.append(Paragraph("Không có thành viên vắng mặt gửi ý kiến bằng văn bản."))
        return blocks
    blocks.append(
        Paragraph(
            f"Có {len(writers):02d} thành viên vắng mặt gửi ý kiến bằng văn bản, được Thư ký "
            "Hội đồng đọc tại phiên họp và tính vào kết quả biểu quyết theo quy chế:"
        )
    )
    for a in writers:
        chosen: dict[str, list[str]] = defaultdict(list)
        for item in items:
            for o in written_by_item.get(item.pk, []):
                if o.member_id == a.member_id:
                    chosen[o.choice].append(labels[item.pk])
        parts = [
            f"{label.lower()} {len(names):02d} trường hợp ({'; '.join(names)})"
            for value, label in Choice.choices
            if (names := chosen.get(value))
        ]
        name = a.member.user.get_full_name()
        blocks.append(Bullet(f"Đồng chí {name}: {', '.join(parts) or 'không cho ý kiến'}."))
    return blocks


def _voting_blocks(items: list[AgendaItem], attendance: list[Attendance]) -> list[Block]:
    secret = [i for i in items if i.is_secret]
    open_vote = [i for i in items if not i.is_secret]
    blocks: list[Block] = [Heading("2. Hình thức biểu quyết", level=2)]
    if secret:
        blocks.append(
            Paragraph(
                "Hội đồng biểu quyết bằng hình thức bỏ phiếu kín"
                + (f" đối với {len(secret):02d} trường hợp" if open_vote else "")
                + ". Mỗi thành viên có mặt bỏ một phiếu cho mỗi trường hợp; phiếu kín không ghi "
                "tên người bỏ phiếu và được niêm phong đến khi người chủ trì phiên họp kết thúc bỏ phiếu."
            )
        )
    if open_vote:
        blocks.append(
            Paragraph(
                f"Hội đồng biểu quyết công khai (giơ tay) đối với {len(open_vote):02d} trường hợp "
                "theo quy định; Thư ký ghi ý kiến của từng thành viên có mặt."
            )
        )
    blocks.append(Heading("3. Ban kiểm phiếu", level=2))
    names = [
        f"đồng chí {a.member.user.get_full_name()} – {role}"
        for value, role in (
            (Attendance.Counting.HEAD, "Trưởng ban"),
            (Attendance.Counting.MEMBER, "Thành viên"),
        )
        for a in attendance
        if a.counting_role == value
    ]
    if names:
        blocks.append(Paragraph(f"Hội đồng thống nhất Ban kiểm phiếu gồm: {'; '.join(names)}."))
    elif secret:
        blocks.append(Paragraph("Hội đồng không bầu Ban kiểm phiếu; Thư ký Hội đồng kiểm phiếu."))
    else:
        blocks.append(Paragraph("Biểu quyết công khai: không lập Ban kiểm phiếu."))
    return blocks


def _result_blocks(
    items: list[AgendaItem],
    labels: dict[int, str],
    written_by_item: dict[int, list[WrittenOpinion]],
    total: int,
    present: int,
) -> list[Block]:
    blocks: list[Block] = [
        Heading("4. Kết quả biểu quyết", level=2),
        Paragraph(
            f"Tỷ lệ tính trên tổng số {total:02d} thành viên Hội đồng (không phải số thành viên có "
            "mặt), gồm phiếu tại phiên họp và ý kiến bằng văn bản:"
        ),
    ]
    for i, item in enumerate(items, start=1):
        award = item.nominee.nomination.award_type.name
        if item.status != AgendaItem.Status.CLOSED:
            blocks.append(Bullet(f"{labels[item.pk]} ({award}): chưa kiểm phiếu.", marker=f"{i}."))
            continue
        written = sum(1 for o in written_by_item.get(item.pk, []) if o.choice == Choice.AGREE)
        detail = (
            f" (gồm {item.agree - written:02d} phiếu tại phiên họp và {written:02d} ý kiến bằng "
            "văn bản)"
            if written
            else ""
        )
        # An absent member who sent no written opinion, and a present one who cast no ballot,
        # are in no count: say so, each as what they were, so that the figures add up to the
        # whole membership the threshold is taken on.
        silent = max(0, total - item.agree - item.disagree - item.abstain)
        absent = min(silent, max(0, total - present - len(written_by_item.get(item.pk, []))))
        silent_text = (f"; vắng mặt, không có ý kiến {absent}" if absent else "") + (
            f"; có mặt nhưng không bỏ phiếu {silent - absent}" if silent > absent else ""
        )
        verdict = "Đề nghị khen thưởng" if item.recommended else "Không đề nghị khen thưởng"
        blocks.append(
            Bullet(
                f"{labels[item.pk]} ({award}): đồng ý {item.agree}/{total} "
                f"({percent_text(item.agree, total)}){detail}; không đồng ý {item.disagree}; "
                f"không biểu quyết {item.abstain}{silent_text}. Ngưỡng: từ "
                f"{threshold_text(Decimal(item.threshold_percent))} tổng số thành viên trở lên "
                f"đồng ý: {'đạt' if item.recommended else 'không đạt'}. Kết luận: {verdict}.",
                marker=f"{i}.",
            )
        )
    return blocks


def _conclusion_blocks(
    session: CouncilSession, items: list[AgendaItem], labels: dict[int, str]
) -> list[Block]:
    blocks: list[Block] = [Heading("IV. KẾT LUẬN", level=1)]
    by_award: dict[str, list[AgendaItem]] = defaultdict(list)
    for item in items:
        if item.recommended:
            by_award[item.nominee.nomination.award_type.name].append(item)
    for award, group in by_award.items():
        signer = group[0].nominee.nomination.award_type.signer_title
        whom = _kinds_text(group)
        blocks.append(
            Paragraph(
                f"Hội đồng thống nhất đề nghị {signer} xét, tặng {award} cho {whom} đạt tỷ lệ "
                "theo quy định tại mục III.4."
            )
        )
    if not by_award:
        blocks.append(Paragraph("Không có trường hợp nào đạt tỷ lệ đề nghị khen thưởng."))
    refused = [labels[x.pk] for x in items if x.recommended is False]
    if refused:
        blocks.append(Paragraph(f"Không đề nghị khen thưởng: {'; '.join(refused)}."))
    ended = ""
    at = localtime(session.closed_at) if session.closed_at else None
    if at is not None and at.date() == session.held_on:  # closed in the app at the meeting
        ended = f"Phiên họp kết thúc vào hồi {at:%H} giờ {at:%M} cùng ngày. "
    blocks.append(
        Paragraph(
            f"{ended}Biên bản đã được đọc lại cho các thành viên dự họp và được thông qua tại "
            "phiên họp./."
        )
    )
    return blocks


def minutes_document(session: CouncilSession) -> OfficialDocument:
    council = session.council
    attendance = list(session.attendance.select_related("member__user").order_by("member__pk"))
    total = session.members_total or len(attendance)
    writers = [a for a in attendance if a.presence == Attendance.Presence.WRITTEN_OPINION]
    written_by_item = _written_by_item(session, {a.member_id for a in writers})
    items = list(
        session.items.select_related(
            "nominee__person__unit",
            "nominee__unit",
            "nominee__household__unit",
            "nominee__nomination__unit",
            "nominee__nomination__award_type",
        ).order_by("position")
    )
    labels = {item.pk: nominee_label(item.nominee) for item in items}
    body: list[Block] = [
        Paragraph(
            f"Vào hồi {when_text(session)}"
            + (f", tại {session.place}" if session.place else "")
            + f", {council.name} họp xét đề nghị khen thưởng: {session.title}."
        ),
        Heading("I. THỜI GIAN, ĐỊA ĐIỂM", level=1),
        Bullet(f"Thời gian: {when_text(session)}."),
        Bullet(f"Địa điểm: {session.place or '…'}."),
        *_attendance_blocks(session, attendance, total),
        Heading("III. NỘI DUNG", level=1),
        Paragraph(
            f"Thư ký Hội đồng báo cáo tóm tắt hồ sơ đề nghị khen thưởng đã được Phòng Nội vụ thẩm "
            f"định đủ điều kiện trình Hội đồng: {len(items):02d} trường hợp ({_kinds_text(items)})."
            " Các thành viên đã nghiên cứu hồ sơ, báo cáo thành tích trước phiên họp và thảo luận "
            "từng trường hợp."
        ),
        *_written_blocks(writers, items, labels, written_by_item),
        *_voting_blocks(items, attendance),
        *_result_blocks(
            items,
            labels,
            written_by_item,
            total,
            sum(1 for a in attendance if a.presence == Attendance.Presence.PRESENT),
        ),
        *_conclusion_blocks(session, items, labels),
    ]
    chair = _presiding(session, attendance)
    secretary = next((a.member for a in attendance if a.member.role == ROLE.SECRETARY), None)
    entry = session.minutes_number
    owner = council.owner_unit
    # "UBND THÀNH PHỐ BẮC NINH / HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG": the place is said once.
    # "Ủy ban nhân dân" however spelt ("Uỷ ban", capitals): organizations.names.
    locality = (authority_place(owner.name) or owner.name).strip()
    issuer = council.name
    # fold_chars keeps each letter's place: capitals and accents aside, the cut is the same
    if locality and fold_chars(issuer).endswith(" " + fold_chars(locality)):
        issuer = issuer[: -len(locality)].strip()
    return OfficialDocument(
        issuer_parent=owner.short_name or authority_short_name(owner.name),
        issuer=issuer,
        number=str(entry.number) if entry else None,
        symbol="BB-HĐTĐKT",
        place=place_of(owner),
        date=session.held_on,
        doc_type="BIÊN BẢN",
        summary=f"Họp {council.name} xét đề nghị khen thưởng",
        body=body,
        left_signature=Signature(
            authority=None,
            title_line=None,
            title="THƯ KÝ HỘI ĐỒNG",
            name=secretary.user.get_full_name() if secretary else "",
        ),
        signature=Signature(
            authority=None,
            title_line=None,
            title=(chair.get_role_display() if chair else ROLE.CHAIR.label).upper(),
            name=chair.user.get_full_name() if chair else "",
        ),
    )
