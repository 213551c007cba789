import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.contests.bank import QUESTION_COLUMNS, bank_summary, is_word, kept_order_notice
from thidua.contests.models import Contest
from thidua.core.excel import SheetFile, choose_layout
from thidua.core.sheets import MAX_IMPORT_BYTES, read_sheets

FIELDS = {c.key: c for c in QUESTION_COLUMNS}


class Command(BaseCommand):
    help = (
        "Check a question bank (.xlsx, .csv or Word .docx) with the import's own reading and checks, and "
        "print what it would import; writes nothing (--dry-run)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="check only (required: nothing is written)"
        )
        parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
        parser.add_argument(
            "--contest", type=int, help="also report questions already in this contest's bank"
        )
        parser.add_argument(
            "--column",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help=f"read a header as a field ({', '.join(FIELDS)}), as on the mapping step",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["dry_run"]:
            raise CommandError(
                "Lệnh này chỉ kiểm tra tệp (--dry-run); hãy nhập câu hỏi trên trang cuộc thi."
            )
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise CommandError(f"Tệp quá lớn (tối đa {MAX_IMPORT_BYTES // (1024 * 1024)} MB).")
        existing: list[str] = []
        if options["contest"] is not None:
            contest = Contest.objects.filter(pk=options["contest"]).first()
            if contest is None:
                raise CommandError(f"Không có cuộc thi mã {options['contest']}.")
            existing = list(contest.questions.values_list("stem_key", flat=True))
        upload = self._sheet_file(path.read_bytes(), path.name, options["column"])
        summary = bank_summary(upload, existing=existing)
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Số dòng: {summary['rows']}, hợp lệ: {summary['valid']}")
        place = "Câu" if is_word(upload) else "Dòng"  # a Word file's questions, by number
        for error in summary["errors"]:
            self.stdout.write(f"  {place} {error['line']}: {error['message']}")
        self.stdout.write(f"Chủ đề: {summary['topics']}")
        self.stdout.write(f"Độ khó: {summary['levels']}")
        if summary["kept_order"]:
            self.stdout.write(kept_order_notice(summary["kept_order"], place.lower()))

    def _sheet_file(self, data: bytes, name: str, columns: list[str]) -> SheetFile:
        """The file as read with the headers given on the command line (like a remembered
        mapping); without them, read_rows finds the columns itself."""
        if not columns:
            return SheetFile(data, name)
        remembered: dict[str, str] = {}
        for item in columns:
            header, sep, key = item.rpartition("=")
            if not sep or key not in FIELDS:
                raise CommandError(
                    f"“{item}”: hãy viết TIÊU_ĐỀ=TRƯỜNG, trường là {', '.join(FIELDS)}."
                )
            remembered[header] = key
        try:
            sheet, layout = choose_layout(read_sheets(data), QUESTION_COLUMNS, remembered)
        except ValidationError:
            return SheetFile(data, name)  # read_rows reports why
        return SheetFile(
            data, name, sheet=sheet.name, header_row=layout.header_row, mapping=layout.mapping
        )
