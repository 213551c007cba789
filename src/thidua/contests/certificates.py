"""Winners' certificates (giấy chứng nhận đạt giải), drawn by the certificate engine."""

from typing import Any

from django.utils import timezone

from thidua.contests import selectors
from thidua.contests.models import PrizeTier, Round
from thidua.documents.certificates import PlainLayout, render_certificates

LAYOUT = PlainLayout(
    fields=[
        {"field": "text:CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "x": 148.5, "y": 186, "size": 14,
         "font": "bold", "align": "centre"},
        {"field": "text:Độc lập - Tự do - Hạnh phúc", "x": 148.5, "y": 179, "size": 14,
         "font": "bold", "align": "centre"},
        {"field": "organiser", "x": 148.5, "y": 163, "size": 15, "font": "bold",
         "align": "centre"},
        {"field": "text:GIẤY CHỨNG NHẬN", "x": 148.5, "y": 140, "size": 36, "font": "bold",
         "align": "centre", "colour": "#b3141c"},
        {"field": "name", "x": 148.5, "y": 118, "size": 24, "font": "bold", "align": "centre",
         "colour": "#b3141c", "width": 250},
        {"field": "unit", "x": 148.5, "y": 108, "size": 14, "font": "italic", "align": "centre",
         "width": 250},
        {"field": "prize", "x": 148.5, "y": 94, "size": 16, "font": "bold", "align": "centre"},
        {"field": "contest", "x": 148.5, "y": 84, "size": 14, "font": "regular",
         "align": "centre", "width": 240},
        {"field": "place_date", "x": 210, "y": 52, "size": 14, "font": "italic",
         "align": "centre"},
        {"field": "text:BAN TỔ CHỨC", "x": 210, "y": 44, "size": 14, "font": "bold",
         "align": "centre"},
    ],
)  # fmt: skip


def winner_certificates_pdf(round_: Round) -> bytes:
    """One page per prize winner of a ranked round, in rank order."""
    labels = dict(PrizeTier.choices)
    closed = timezone.localtime(round_.closes_at)
    contest = round_.contest
    pages: list[dict[str, Any]] = [
        {
            "organiser": contest.organiser_unit.name.upper(),
            "name": entry.contestant.full_name,
            "unit": entry.contestant.unit_label,
            "prize": f"Đạt {labels.get(entry.prize, entry.prize)}",
            "contest": f"{contest.title} – {round_.title or f'Vòng {round_.number}'}",
            "place_date": f"Bắc Ninh, ngày {closed.day:02d} tháng {closed.month:02d} "
            f"năm {closed.year}",
        }
        for entry in selectors.round_winners(round_).select_related("round__contest")
    ]
    return render_certificates(LAYOUT, pages)
