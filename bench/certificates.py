"""Certificates per second: drawn directly on a PDF canvas vs an HTML-to-PDF renderer.

Renders N distinct certificates (Vietnamese names with full diacritics, each with its own
verification URL and QR code) into one print-ready PDF, the way a bulk print of a decision
does, on one core, and prints certificates per second. The same run renders M of them through
an HTML-to-PDF path (the same fields positioned in millimetres in HTML, the QR code as SVG,
Liberation Serif, printed by headless Chromium with one browser kept open) as the baseline and
prints the ratio. Targets: at least 100 certificates per CPU second on one core, at least 10x
the baseline (wall clock against wall clock, in the same run).

    .venv/bin/python bench/certificates.py [--quick]      (quick: 200 vs 10)

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
import time
from pathlib import Path
from typing import Any

from _common import log  # bench/ is the script directory

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


def html_page(values: dict[str, str], fields: list[dict[str, Any]], fonts: Path) -> str:
    """The same layout as HTML: each field absolutely positioned in millimetres."""
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
        ".p{position:relative;width:297mm;height:210mm;overflow:hidden}",
        ".f{position:absolute;white-space:nowrap;line-height:1.25}",
        ".b{position:absolute;left:8mm;top:8mm;right:8mm;bottom:8mm;border:1mm solid #b3141c}",
        "</style></head><body><div class='p'><div class='b'></div>",
    ]
    aligns = {"left": "0", "centre": "-50%", "right": "-100%"}
    for f in fields:
        name = f["field"]
        left, bottom = f["x"], f["y"]
        if name == "qr":
            code = qrcode.make(values["qr"], image_factory=qrcode.image.svg.SvgPathImage, border=0)
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
            f"width:{f['width']}mm;white-space:normal;text-align:center;" if "width" in f else ""
        )
        parts.append(
            f"<div class='f' style='left:{left}mm;bottom:{bottom}mm;font-size:{f['size']}pt;"
            f"font-weight:{weight};font-style:{style};color:{f.get('colour', '#000')};{width}"
            f"transform:translateX({aligns[f.get('align', 'left')]})'>{html.escape(text)}</div>"
        )
    parts.append("</div></body></html>")
    return "".join(parts)


def baseline(pages: list[dict[str, str]], fields: list[dict[str, Any]], fonts: Path) -> float:
    """Seconds to print `pages` one by one through Chromium (browser start excluded)."""
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
        page.set_content(html_page(pages[0], fields, fonts))
        page.pdf(width="297mm", height="210mm", print_background=True)  # warm-up
        start = time.perf_counter()
        for values in pages:
            page.set_content(html_page(values, fields, fonts), wait_until="load")
            page.pdf(width="297mm", height="210mm", print_background=True)
        elapsed = time.perf_counter() - start
        browser.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 certificates vs 10")
    args = parser.parse_args()
    n, m = (200, 10) if args.quick else (1000, 50)

    os.environ["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from pypdf import PdfReader

    from thidua.awards.certificates import default_fields
    from thidua.awards.models import CertificateLayout
    from thidua.documents.certificates import render_certificates
    from thidua.documents.official import FONTS_DIR

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
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
    log(
        f"  {per_second:.0f} certificates/s ({per_cpu_second:.0f} per CPU second), {len(pdf) / n / 1024:.1f} KB each"
    )

    log(f"rendering {m} through HTML and Chromium…")
    slow = baseline(pages[:m], layout.fields, FONTS_DIR)
    baseline_per_second = m / slow
    log(f"  {baseline_per_second:.1f} certificates/s")
    ratio = per_second / baseline_per_second
    print(
        json.dumps(
            {
                "bench": "certificates",
                "quick": args.quick,
                "certificates": n,
                "direct_seconds": round(direct, 3),
                "direct_per_second": round(per_second, 1),
                "direct_per_cpu_second": round(per_cpu_second, 1),
                "pdf_kb_per_certificate": round(len(pdf) / n / 1024, 1),
                "baseline_certificates": m,
                "baseline_per_second": round(baseline_per_second, 2),
                "ratio": round(ratio, 1),
                "targets": {"per_second": 100, "ratio": 10},
                # One core's throughput is CPU time (the wall clock also counts waiting for a
                # core on a shared machine); the ratio compares wall clocks of the same run.
                "meets_targets": per_cpu_second >= 100 and ratio >= 10,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
