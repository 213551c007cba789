"""Certificates per second: drawn directly on a PDF canvas vs an HTML-to-PDF renderer.

Renders N distinct certificates (Vietnamese names with full diacritics, each with its own
verification URL and QR code) into one print-ready PDF, the way a bulk print of a decision
does, on one core, and prints certificates per second. The same run renders M of them through
an HTML-to-PDF path (the same fields positioned in millimetres in HTML, the QR code as SVG,
Liberation Serif; one multi-page document printed once by headless Chromium) as the baseline
and prints the ratio. Then a decision of J awards (the demo's, grown) is printed through the
job (`awards.printing.decision_certificates_render` run by `core.jobs.job_run`) in a forked
child on one core: its peak resident memory and its rate. Targets: at least 100 certificates
per CPU second drawn directly, at least 10x the baseline (wall clock against wall clock, in the
same run), the job under 300 MB peak and at least 300 certificates per CPU second end to end.

    .venv/bin/python bench/certificates.py [--quick]    (full: 1,000 vs 200, job 10,000;
                                                        quick: 200 vs 50, job 1,000)

Progress goes to stderr; stdout gets exactly one line of JSON at the end.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import json
import os
import random
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import log, setup_django  # bench/ is the script directory

TARGET_DIRECT = 100  # certificates per CPU second, drawn directly (issue #8)
TARGET_RATIO = 10  # × one multi-page HTML document through Chromium
TARGET_PEAK_MB = 300  # a decision of 10,000 printed through the job (issue #22)
TARGET_JOB_RATE = 300  # certificates per CPU second on one core, end to end through the job

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương"]
MIDDLE = ["Thị", "Văn", "Đức", "Thu", "Minh", "Quang", "Thủy", "Hữu", "Ngọc", "Xuân"]
GIVEN = ["Hằng", "Tiến", "Ánh", "Cường", "Hạnh", "Phượng", "Dũng", "Thảo", "Quỳnh", "Khải"]
WARDS = ["Suối Hoa", "Vũ Ninh", "Đáp Cầu", "Kinh Bắc", "Đại Phúc", "Hòa Long", "Khắc Niệm"]


def certificates(n: int, site: str) -> list[dict[str, str]]:
    rng = random.Random(7)
    base = {
        "issuer_title": "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH",
        "award_title": "GIẤY KHEN",
        "achievement": "Đã có thành tích xuất sắc trong phong trào thi đua đặc biệt chào mừng "
        "kỷ niệm 110 năm Ngày sinh Tổng Bí thư Nguyễn Văn Cừ (9/7/1912 – 9/7/2022)",
        "decision": "Quyết định số 1234/QĐ-UBND ngày 30/12/2022",
        "place_date": "Bắc Ninh, ngày 30 tháng 12 năm 2022",
        "signer_title": "CHỦ TỊCH",
        "signer_name": "Lê Quang Minh",
    }
    pages = []
    for i in range(n):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        pages.append(
            {
                **base,
                "recipient": f"{rng.choice(['Ông', 'Bà'])} {name}",
                "detail": f"Công chức Văn hóa – Xã hội, UBND phường {rng.choice(WARDS)}",
                "registry": f"Số vào sổ: {i + 1:04d}/2022",
                "qr": f"{site}/xac-minh/{secrets.token_urlsafe(24)}/",
            }
        )
    return pages


def html_document(pages: list[dict[str, str]], fields: list[dict[str, Any]], fonts: Path) -> str:
    """The same layout as one HTML document with a page per certificate: each field absolutely
    positioned in millimetres, a page break after each certificate."""
    import qrcode
    import qrcode.image.svg

    faces = "".join(
        f"@font-face{{font-family:LS;src:url('{(fonts / f'LiberationSerif-{w}.ttf').as_uri()}');"
        f"font-weight:{'bold' if 'Bold' in w else 'normal'};"
        f"font-style:{'italic' if 'Italic' in w else 'normal'}}}"
        for w in ("Regular", "Bold", "Italic", "BoldItalic")
    )
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><style>",
        faces,
        "@page{size:297mm 210mm;margin:0}body{margin:0;font-family:LS}",
        ".p{position:relative;width:297mm;height:210mm;overflow:hidden;break-after:page}",
        ".f{position:absolute;white-space:nowrap;line-height:1.25}",
        ".b{position:absolute;left:8mm;top:8mm;right:8mm;bottom:8mm;border:1mm solid #b3141c}",
        "</style></head><body>",
    ]
    aligns = {"left": "0", "centre": "-50%", "right": "-100%"}
    for values in pages:
        parts.append("<div class='p'><div class='b'></div>")
        for f in fields:
            name = f["field"]
            left, bottom = f["x"], f["y"]
            if name == "qr":
                code = qrcode.make(
                    values["qr"], image_factory=qrcode.image.svg.SvgPathImage, border=0
                )
                svg = base64.b64encode(code.to_string()).decode()
                parts.append(
                    f"<img class='f' style='left:{left}mm;bottom:{bottom}mm;width:{f['size']}mm' "
                    f"src='data:image/svg+xml;base64,{svg}'>"
                )
                continue
            text = name[5:] if name.startswith("text:") else values.get(name, "")
            weight = "bold" if "bold" in f.get("font", "") else "normal"
            style = "italic" if "italic" in f.get("font", "") else "normal"
            width = (
                f"width:{f['width']}mm;white-space:normal;text-align:center;"
                if "width" in f
                else ""
            )
            parts.append(
                f"<div class='f' style='left:{left}mm;bottom:{bottom}mm;font-size:{f['size']}pt;"
                f"font-weight:{weight};font-style:{style};color:{f.get('colour', '#000')};"
                f"{width}transform:translateX({aligns[f.get('align', 'left')]})'>"
                f"{html.escape(text)}</div>"
            )
        parts.append("</div>")
    parts.append("</body></html>")
    return "".join(parts)


def baseline(pages: list[dict[str, str]], fields: list[dict[str, Any]], fonts: Path) -> float:
    """Seconds to print `pages` as one multi-page HTML document through Chromium (browser start
    excluded; building the HTML and the QR codes included, as the direct path includes them)."""
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("baseline needs Debian's chromium: make e2e installs it")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.set_content(html_document(pages[:2], fields, fonts))
        page.pdf(width="297mm", height="210mm", print_background=True)  # warm-up
        start = time.perf_counter()
        page.set_content(html_document(pages, fields, fonts), wait_until="load")
        pdf = page.pdf(width="297mm", height="210mm", print_background=True)
        elapsed = time.perf_counter() - start
        browser.close()
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(pages), "one page per certificate"
    return elapsed


def build_decision(n: int) -> Any:
    """The demo's final decision, grown to n valid awards as its finalisation writes them."""
    from django.conf import settings

    from thidua.awards.models import AwardRecord, Decision, DecisionLine
    from thidua.core.text import fold, vi_sort_key
    from thidua.demo import load

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # stdout is the JSON
    load()
    decision = (
        Decision.objects.filter(status=Decision.Status.FINAL, records__isnull=False)
        .distinct()
        .first()
    )
    if decision is None:
        raise SystemExit("the demo has no final decision with awards")
    first = decision.records.order_by("number").first()
    top = max(decision.records.values_list("number", flat=True))
    missing = n - decision.records.filter(status=AwardRecord.Status.VALID).count()
    start = (max(decision.lines.values_list("position", flat=True)) or 0) + 1
    pages = certificates(missing, "")
    for offset in range(0, missing, 2000):
        batch = pages[offset : offset + 2000]
        lines = DecisionLine.objects.bulk_create(
            DecisionLine(
                decision=decision,
                position=start + offset + i,
                subject="individual",
                recipient_name=values["recipient"][4:],
                recipient_detail=values["detail"],
                achievement="Đã có thành tích xuất sắc trong phong trào thi đua",
            )
            for i, values in enumerate(batch)
        )
        AwardRecord.objects.bulk_create(
            AwardRecord(
                issuer_code=first.issuer_code,
                year=first.year,
                number=top + offset + i + 1,
                decision=decision,
                line=line,
                award_type=first.award_type,
                campaign=first.campaign,
                subject=line.subject,
                unit=first.unit,
                recipient_name=line.recipient_name,
                recipient_detail=line.recipient_detail,
                unit_name=first.unit_name,
                achievement=line.achievement,
                token=secrets.token_urlsafe(24),
                search_text=fold(line.recipient_name),
                name_sort=vi_sort_key(line.recipient_name),
            )
            for i, line in enumerate(lines)
        )
    return decision


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def print_through_job(decision: Any) -> dict[str, Any]:
    """The bulk print as an officer starts it, run by the job runner (`core.jobs.job_run`) in
    a forked child pinned to one core; its peak resident memory (VmHWM) and times."""
    from django.db import connections

    connections.close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        try:
            from thidua.awards.printing import JOB_KIND
            from thidua.core.jobs import job_run
            from thidua.core.models import Job

            if hasattr(os, "sched_setaffinity"):
                os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
            count = decision.records.filter(status="valid").count()
            job = Job.objects.create(
                kind=JOB_KIND,
                created_by=decision.created_by if hasattr(decision, "created_by") else None,
                total=count,
                params={"decision": decision.pk, "printer": None, "on_blank": False},
            )
            start_rss = _status_kb("VmRSS")
            started, cpu = time.perf_counter(), time.process_time()
            job = job_run(job.pk)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            result = {
                "status": job.status,
                "count": job.result.get("count"),
                "file": job.result.get("file"),
                "s": seconds,
                "cpu_s": cpu,
                "start_rss_mb": start_rss / 1024,
                "peak_rss_mb": _status_kb("VmHWM") / 1024,
            }
        except BaseException as exc:
            result = {"error": repr(exc)}
        os.write(write_end, json.dumps(result).encode())
        os.close(write_end)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        data = json.loads(pipe.read() or "{}")
    os.waitpid(pid, 0)
    if "error" in data:
        raise RuntimeError(f"print job: {data['error']}")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 vs 50; job of 1,000")
    args = parser.parse_args()
    n, m, job_n = (200, 50, 1000) if args.quick else (1000, 200, 10000)
    var_dir = tempfile.mkdtemp(prefix="thidua-bench-certificates-")
    os.environ["THIDUA_JOB_THREADS"] = "0"
    try:
        setup_django(var_dir)
        figures = run(n, m, job_n)
        figures["quick"] = args.quick
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False))


def run(n: int, m: int, job_n: int) -> dict[str, Any]:
    from pypdf import PdfReader

    from thidua.awards.certificates import default_fields
    from thidua.awards.models import CertificateLayout
    from thidua.documents.certificates import render_certificates
    from thidua.documents.official.layout import FONTS_DIR

    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set()
    if cores:
        os.sched_setaffinity(0, {min(cores)})  # one core, as the target says
    pages = certificates(n, "https://thidua.bacninh.gov.vn")
    layout = CertificateLayout(fields=default_fields())
    render_certificates(layout, pages[:5])  # fonts registered, code warm
    log(f"rendering {n} certificates directly…")
    start, cpu_start = time.perf_counter(), time.process_time()
    pdf = render_certificates(layout, pages)
    direct, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == n, "one page per certificate"
    assert pages[-1]["recipient"] in reader.pages[-1].extract_text()
    per_second, per_cpu_second = n / direct, n / cpu
    log(f"  {per_second:.0f}/s ({per_cpu_second:.0f} per CPU second), {len(pdf) / n / 1024:.1f} KB")

    log(f"printing {m} through one HTML document in Chromium…")
    slow = baseline(pages[:m], layout.fields, FONTS_DIR)
    baseline_per_second = m / slow
    log(f"  {baseline_per_second:.1f} certificates/s")
    ratio = per_second / baseline_per_second
    if cores:
        os.sched_setaffinity(0, cores)

    log(f"a decision of {job_n:,} awards printed through the job…")
    decision = build_decision(job_n)
    job = print_through_job(decision)
    from django.conf import settings

    printed = PdfReader(str(Path(settings.MEDIA_ROOT) / job["file"]))
    assert len(printed.pages) == job_n == job["count"], (len(printed.pages), job["count"])
    last = decision.records.filter(status="valid").order_by("-number").first()
    assert last.recipient_name in printed.pages[-1].extract_text()
    job_per_s, job_per_cpu_s = job_n / job["s"], job_n / job["cpu_s"]
    log(
        f"  {job_per_s:.0f}/s ({job_per_cpu_s:.0f} per CPU second), peak {job['peak_rss_mb']:.0f} MB"
    )
    goals = {
        "direct_per_cpu_second_ok": per_cpu_second >= TARGET_DIRECT,
        "ratio_ok": ratio >= TARGET_RATIO,
        "job_peak_ok": job["peak_rss_mb"] < TARGET_PEAK_MB,
        "job_rate_ok": job_per_cpu_s >= TARGET_JOB_RATE,
    }
    return {
        "bench": "certificates",
        "certificates": n,
        "direct_seconds": round(direct, 3),
        "direct_per_second": round(per_second, 1),
        "direct_per_cpu_second": round(per_cpu_second, 1),
        "pdf_kb_per_certificate": round(len(pdf) / n / 1024, 1),
        "baseline_certificates": m,
        "baseline_one_document": True,
        "baseline_per_second": round(baseline_per_second, 2),
        "ratio": round(ratio, 1),
        "job_certificates": job_n,
        "job_seconds": round(job["s"], 2),
        "job_per_second": round(job_per_s, 1),
        "job_per_cpu_second": round(job_per_cpu_s, 1),
        "job_peak_rss_mb": round(job["peak_rss_mb"], 1),
        "job_start_rss_mb": round(job["start_rss_mb"], 1),
        "targets": {
            "direct_per_cpu_second": TARGET_DIRECT,
            "ratio": TARGET_RATIO,
            "job_peak_rss_mb": TARGET_PEAK_MB,
            "job_per_cpu_second": TARGET_JOB_RATE,
        },
        **goals,
        # One core's throughput is CPU time (the wall clock also counts waiting for a core on
        # a shared machine); the ratio compares wall clocks of the same run.
        "meets_target": all(goals.values()),
    }


if __name__ == "__main__":
    main()
