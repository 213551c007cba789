import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thidua.campaigns.parsing import parse_plan
from thidua.campaigns.review import plan_text


class Command(BaseCommand):
    help = "Parse a plan (.txt or .docx) and print its structure; writes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--json", action="store_true", help="print the parsed structure as JSON"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        data = path.read_bytes()
        docx = path.suffix.lower() == ".docx"
        try:  # as the import page reads it: an old-font plan is refused, not parsed garbled
            text = plan_text("" if docx else data.decode("utf-8-sig"), data if docx else None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        parsed = parse_plan(text).to_json()
        if options["json"]:
            self.stdout.write(json.dumps(parsed, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Số: {parsed.get('number') or '(chưa có)'}  Trích yếu: {parsed.get('title')}"
        )
        self.stdout.write(f"Thời gian: {parsed.get('period_start')} – {parsed.get('period_end')}")
        self.stdout.write(f"Hình thức: {', '.join(f['label'] for f in parsed.get('forms') or [])}")
        self.stdout.write(
            f"Hạn báo cáo: {parsed.get('report_deadline')}  Thường trực: {parsed.get('standing_agency')}"
        )
