"""Winners' certificates (giấy chứng nhận đạt giải) of a round, for the organisers to print:
the same page as a contestant's own certificate (contests/results.py), with its QR code to the
public verification page."""

from django.utils import timezone

from thidua.contests import results, selectors
from thidua.contests.models import Round
from thidua.documents.certificates import render_certificates


def winner_certificates_pdf(round_: Round) -> bytes:
    """One page per prize winner of a ranked round, in rank order (a fixed number of queries:
    the winners, their tokens, the tokens still missing made at once)."""
    entries = list(
        selectors.round_winners(round_).select_related(
            "round__contest__organiser_unit", "round__contest__campaign", "contestant__unit"
        )
    )
    tokens = results.certificate_tokens(round_, [e.contestant for e in entries])
    pages = [
        results.certificate_values(
            results.Certified(
                contestant=e.contestant,
                round=e.round,
                prize=results.PRIZE_LABELS.get(e.prize, ""),
                rank=e.rank,
                issued_on=timezone.localtime(e.round.closes_at),
            ),
            tokens[e.contestant_id],
        )
        for e in entries
    ]
    return render_certificates(results.LAYOUT, pages)
