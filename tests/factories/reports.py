"""A unit's report with something in it, for tests that send or submit one: a report with no
text, no figure the unit types and no file is refused (reporting.services.drafts._require_content)."""

from thidua.accounts.models import User
from thidua.reporting import services
from thidua.reporting.models import ReportAssignment

REPORT_TEXT = "Đơn vị đã tổ chức 4 hoạt động tuyên truyền, 620 lượt người tham gia."


def narrative(assignment: ReportAssignment, text: str = REPORT_TEXT) -> dict[str, str]:
    """The narratives of a report with `text` in its template's first section (section pk →
    text, as report_draft_save takes them)."""
    section = assignment.request.template.sections.first()
    assert section is not None, "the template has no section: give the report a figure instead"
    return {str(section.pk): text}


def report_written(
    assignment: ReportAssignment, actor: User, text: str = REPORT_TEXT
) -> ReportAssignment:
    """The report with `text` in its template's first section, saved by `actor` (the unit's
    officer or head) through the draft's service, as the page's autosave saves it; the rest of
    the draft is kept. Returns the saved row."""
    stored = ReportAssignment.objects.select_related("request__template").get(pk=assignment.pk)
    return services.report_draft_save(
        actor=actor,
        assignment=stored,
        narratives={**stored.draft_narratives, **narrative(stored, text)},
        values=stored.draft_values,
    )
