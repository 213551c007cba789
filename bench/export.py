"""Streaming Excel export: 100,000 rows under a fixed memory ceiling (architecture §7).

Builds its own database (a SQLite file in a temporary directory, never var/; with
`--database postgres` a temporary database on the running PostgreSQL server, dropped at the
end) with a city unit, a ward below it and 100,000 people (--quick: 20,000; one in ten in the
ward), signs in one Phòng Nội vụ user (city-wide) and exports every person twice, each in a
fresh forked process so one run's memory cannot hide in the other's, then exports as a ward user
(unit officer of the ward: its people only, through the same streamed path):

    stream     GET /ca-nhan/xuat.xlsx through django.test.Client, as users get it: over
               THIDUA_EXPORT_INLINE_ROWS the export is a job (core.exports; run in the same
               process here, as there is no broker) that writes the file to storage, then the
               job's download; rows from .iterator(chunk_size=2000), XlsxWriter constant_memory
               into a temporary file, sent in 64 KB chunks; the body is read and dropped
    baseline   the same rows and columns built whole in memory (core.excel.write_workbook,
               XlsxWriter in_memory), as the exports were built before streaming

For each: peak resident memory growth of the process (VmHWM minus VmRSS at the start, from
/proc/self/status), seconds, and a check that the file opens and holds every row.
The ceiling is fixed: the streamed export must grow the process by at most CEILING_MB,
whatever the row count.

Run from the repo root: .venv/bin/python bench/export.py [--quick]
Progress goes to stderr; stdout gets exactly one line of JSON at the end.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import shutil
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import add_database_argument, log, setup_django, teardown_database, vendor

CEILING_MB = 64
FULL_ROWS = 100_000
QUICK_ROWS = 20_000
WARD_EVERY = 10  # one person in ten belongs to the ward below the city


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} missing from /proc/self/status")


def build(rows: int) -> None:
    from thidua.accounts.models import Role, User
    from thidua.organizations.models import Person, PersonCategory, Unit, UnitKind, UnitRole
    from thidua.organizations.services import _set_person_derived, _set_unit_derived

    city = Unit(code="TPBN", name="Ủy ban nhân dân thành phố Bắc Ninh", kind=UnitKind.DISTRICT)
    _set_unit_derived(city)
    city.save()
    user = User(username="bench-noivu", full_name="Chuyên viên Phòng Nội vụ (bench)")
    user.set_unusable_password()
    user.save()
    UnitRole.objects.create(user=user, unit=city, role=Role.EMULATION_OFFICE)
    ward = Unit(code="PSH", name="UBND phường Suối Hoa", kind=UnitKind.WARD, parent=city)
    _set_unit_derived(ward)
    ward.save()
    ward_user = User(username="bench-phuong", full_name="Cán bộ phường (bench)")
    ward_user.set_unusable_password()
    ward_user.save()
    UnitRole.objects.create(user=ward_user, unit=ward, role=Role.UNIT_OFFICER)
    rng = random.Random(11)
    given = ["Hùng", "Mai", "Lan", "Nam", "Hằng", "Dũng", "Thảo", "Quân", "Ngọc", "Đức"]
    families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    batch: list[Person] = []
    for number in range(rows):
        person = Person(
            full_name=f"{rng.choice(families)} Văn {rng.choice(given)} {number}",
            gender=rng.choice(["male", "female"]),
            birth_year=rng.randint(1965, 1998),
            unit=ward if number % WARD_EVERY == 0 else city,
            position="Chuyên viên phòng Văn hóa và Thông tin",
            category=PersonCategory.CIVIL_SERVANT,
            is_party_member=number % 3 == 0,
        )
        _set_person_derived(person)
        batch.append(person)
        if len(batch) == 5000:
            Person.objects.bulk_create(batch, batch_size=1000)
            batch = []
            log(f"  {number + 1} people")
    Person.objects.bulk_create(batch, batch_size=1000)


def _count_rows(content: bytes | Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(
        content if isinstance(content, Path) else BytesIO(content), read_only=True
    )
    count = sum(1 for _ in workbook.active.iter_rows(values_only=True))
    workbook.close()
    return count


def export_stream(out: Path, username: str = "bench-noivu") -> None:
    from django.test import Client

    from thidua.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get("/ca-nhan/xuat.xlsx")
    if response.status_code == 302:  # a large export is a job (run inline here: no broker)
        response = client.get(response["Location"] + "tai-ve")
    if response.status_code != 200 or not response.streaming:
        raise RuntimeError(f"export answered {response.status_code}")
    with out.open("wb") as handle:
        for chunk in response.streaming_content:
            handle.write(chunk)


def export_baseline(out: Path) -> None:
    from thidua.accounts.models import User
    from thidua.core.excel import write_workbook
    from thidua.organizations import selectors, services

    actor = User.objects.get(username="bench-noivu")
    people = selectors.person_list_for(actor=actor)
    content = write_workbook(
        services.PERSON_COLUMNS, services.person_export_rows(people.iterator(chunk_size=2000))
    )
    out.write_bytes(content)


def warm_up() -> None:
    """Read every row once so neither export pays for a cold database file."""
    from thidua.accounts.models import User
    from thidua.organizations import selectors, services

    actor = User.objects.get(username="bench-noivu")
    people = selectors.person_list_for(actor=actor).iterator(chunk_size=2000)
    for _ in services.person_export_rows(people):
        pass


def measure(name: str, work: Any, out: Path) -> dict[str, Any]:
    """Run one export in a forked child and return its memory growth and time."""
    from django.db import connections

    connections.close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        try:
            start_rss = _status_kb("VmRSS")
            started = time.perf_counter()
            work(out)
            seconds = time.perf_counter() - started
            peak = _status_kb("VmHWM")
            result = {"growth_mb": round((peak - start_rss) / 1024, 1), "s": round(seconds, 2)}
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
        raise RuntimeError(f"{name}: {data['error']}")
    data["rows"] = _count_rows(out) - 1
    log(f"  {name}: {data}")
    return data


def run(rows: int, var_dir: str) -> dict[str, Any]:
    log(f"building {rows} people")
    build(rows)
    warm_up()
    baseline = measure("baseline", export_baseline, Path(var_dir) / "baseline.xlsx")
    stream = measure("stream", export_stream, Path(var_dir) / "stream.xlsx")
    if stream["rows"] != rows or baseline["rows"] != rows:
        raise RuntimeError(f"row counts {stream['rows']}, {baseline['rows']} != {rows}")
    ward = measure(
        "ward stream",
        functools.partial(export_stream, username="bench-phuong"),
        Path(var_dir) / "ward.xlsx",
    )
    ward_rows = len(range(0, rows, WARD_EVERY))
    if ward["rows"] != ward_rows:
        raise RuntimeError(f"ward export has {ward['rows']} rows, not {ward_rows}")
    under = stream["growth_mb"] <= CEILING_MB and ward["growth_mb"] <= CEILING_MB
    return {
        "bench": "export",
        "database": vendor(),
        "ward_rows": ward_rows,
        "ward_stream_growth_mb": ward["growth_mb"],
        "ward_stream_s": ward["s"],
        "meets_target": under,
        "rows": rows,
        "stream_growth_mb": stream["growth_mb"],
        "stream_s": stream["s"],
        "baseline_growth_mb": baseline["growth_mb"],
        "baseline_s": baseline["s"],
        "ceiling_mb": CEILING_MB,
        "under_ceiling": stream["growth_mb"] <= CEILING_MB,
        "ratio_memory": round(baseline["growth_mb"] / max(stream["growth_mb"], 0.1), 1),
        "ratio_time": round(stream["s"] / max(baseline["s"], 0.01), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_ROWS} rows")
    add_database_argument(parser)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="thidua-bench-export-")
    os.environ["THIDUA_JOB_THREADS"] = "0"  # the export job runs in the request, measured with it
    try:
        setup_django(var_dir, args.database)
        try:
            result = run(QUICK_ROWS if args.quick else FULL_ROWS, var_dir)
        finally:
            teardown_database()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
