"""Campaign dashboard and aggregated report: small vs large campaign (architecture §7).

Builds its own database (a SQLite file in a temporary directory, never var/; with
`--database postgres` a temporary database on the running PostgreSQL server, dropped at the
end) and, in it, two running campaigns of one city, filled through the ORM with bulk_create:

    SMALL  200 units, 2,000 activities, 200 report assignments
    LARGE  20,000 units, 200,000 activities, 20,000 report assignments
           (--quick: 2,000 units, 20,000 activities, 2,000 assignments)

Each campaign has a Delivery to every one of its units, Registrations for ~70 % of them
(two numeric commitments each; half the activities contribute to one), activities over six months in the five forms, one report template (2 sections, 3 indicators:
sum, average, yes_share) and one report request with an assignment per unit (~60 % submitted,
~10 % submitted late, the rest pending) and some reminders.

Signed in as a Phòng Nội vụ user (emulation_office, city-wide) it measures, per campaign:

    GET /phong-trao/<pk>/theo-doi/                 the dashboard: p50/p95 and query count
    reporting.services.aggregate_build(...)       the aggregated report: median of 3, queries

A ward-scoped user of each campaign (unit officer of a top unit) gets 403 on the dashboard and
has their own reports page (/bao-cao/cua-don-vi/) timed.

The small campaign is the baseline of the same run: the targets are a large/small ratio below
5 (100x the data) for the dashboard p95 (with the same number of queries), for the aggregated
report build (at most 5) and for the ward user's page.

Run from the repo root: .venv/bin/python bench/dashboard.py [--quick] [--profile]
Progress goes to stderr; stdout gets exactly one line of JSON at the end.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from _common import (  # bench/ is the script directory
    add_database_argument,
    log,
    setup_django,
    teardown_database,
    vendor,
)

if TYPE_CHECKING:
    from django.test import Client

    from thidua.accounts.models import User
    from thidua.campaigns.models import Campaign
    from thidua.organizations.models import Unit
    from thidua.reporting.models import ReportRequest

TARGET_RATIO = 5
SEED = 2022
BATCH = 2000

PERIOD_START = date(2022, 7, 1)
PERIOD_DAYS = 183  # 1 July – 31 December: six months of activities
DUE_DATE = date(2022, 12, 15)
FORM_CODES = ("SEMINAR", "TALK", "PHOTO_EXHIBITION", "BOOK_DISPLAY", "CONTEST")


@dataclass(frozen=True)
class Size:
    units: int
    activities: int
    assignments: int


@dataclass(frozen=True)
class Mode:
    large: Size
    requests: int
    warmup: int


SMALL = Size(units=200, activities=2000, assignments=200)
FULL = Mode(large=Size(20_000, 200_000, 20_000), requests=20, warmup=3)
QUICK = Mode(large=Size(2000, 20_000, 2000), requests=20, warmup=2)  # 5 let one hiccup be the p95


@dataclass
class Dataset:
    name: str
    size: Size
    campaign: Campaign
    request: ReportRequest
    ward_user: User | None = None  # a unit officer of one top unit of this campaign's tree


# --- Data ------------------------------------------------------------------------------------


def aware(day: date, hour: int = 9) -> datetime:
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    return datetime(day.year, day.month, day.day, hour, tzinfo=zone)


def chunks(total: int, size: int = BATCH) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))


def create_city() -> Unit:
    from thidua.organizations.models import Unit, UnitKind
    from thidua.organizations.services import _set_unit_derived

    city = Unit(
        code="TPBN",
        name="Ủy ban nhân dân thành phố Bắc Ninh",
        short_name="UBND thành phố Bắc Ninh",
        symbol="UBND",
        kind=UnitKind.DISTRICT,
    )
    _set_unit_derived(city)
    city.save()
    return city


def create_units(prefix: str, total: int, city: Unit, rng: random.Random) -> list[Unit]:
    """A two-level tree under the city: 5 % wards and offices, the rest below them."""
    from thidua.demo import WARDS
    from thidua.organizations.models import Unit
    from thidua.organizations.services import _set_unit_derived

    def make(n: int, parent: Unit, kind: str, pattern: str) -> Unit:
        name = pattern.format(place=rng.choice(WARDS), n=n)
        unit = Unit(
            code=f"{prefix}{n:05d}",
            name=name,
            short_name=name.replace("Ủy ban nhân dân ", "").replace("Trường ", ""),
            kind=kind,
            parent=parent,
            headcount=20,
        )
        _set_unit_derived(unit)
        return unit

    top_count = max(1, total // 20)
    top = [make(n, city, "ward", "Ủy ban nhân dân phường {place} {n}") for n in range(top_count)]
    Unit.objects.bulk_create(top, batch_size=500)
    below = [
        make(n, top[n % top_count], "school", "Trường Tiểu học {place} {n}")
        for n in range(top_count, total)
    ]
    Unit.objects.bulk_create(below, batch_size=500)
    units = top + below
    if any(unit.pk is None for unit in units):
        raise RuntimeError("bulk_create did not return primary keys")
    return units


def create_user(city: Unit) -> User:
    from thidua.accounts.models import Role, User
    from thidua.organizations.models import UnitRole

    user = User(username="bench-noivu", full_name="Chuyên viên Phòng Nội vụ (bench)")
    user.set_unusable_password()
    user.save()
    UnitRole.objects.create(user=user, unit=city, role=Role.EMULATION_OFFICE)
    return user


def create_ward_user(username: str, unit: Unit) -> User:
    from thidua.accounts.models import Role, User
    from thidua.organizations.models import UnitRole

    user = User(username=username, full_name="Cán bộ phường (bench)")
    user.set_unusable_password()
    user.save()
    UnitRole.objects.create(user=user, unit=unit, role=Role.UNIT_OFFICER)
    return user


def create_campaign(name: str, city: Unit, user: User, number: int) -> Campaign:
    from thidua.campaigns.models import ActivityForm, Campaign, CampaignStatus

    campaign = Campaign.objects.create(
        status=CampaignStatus.RUNNING,
        owner_unit=city,
        issuer_parent_name="ỦY BAN NHÂN DÂN TỈNH BẮC NINH",
        issuer_name="ỦY BAN NHÂN DÂN THÀNH PHỐ BẮC NINH",
        number=number,
        issued_on=PERIOD_START - timedelta(days=10),
        title=f"Phong trào thi đua chào mừng kỷ niệm năm 2022 ({name})",
        period_start=PERIOD_START,
        period_end=PERIOD_START + timedelta(days=PERIOD_DAYS - 1),
        launched_at=aware(PERIOD_START),
        created_by=user,
    )
    labels = dict(ActivityForm.Code.choices)
    ActivityForm.objects.bulk_create(
        ActivityForm(campaign=campaign, position=i, code=code, label=labels[code])
        for i, code in enumerate(FORM_CODES)
    )
    return campaign


def create_participation(
    campaign: Campaign, units: list[Unit], size: Size, user: User, rng: random.Random
) -> None:
    from thidua.campaigns.models import ActivityForm, Delivery
    from thidua.participation.models import (
        Activity,
        Commitment,
        Contribution,
        Difficulty,
        Registration,
    )
    from thidua.participation.services import activity_stats_rebuild, commitments_recount

    sent = aware(PERIOD_START - timedelta(days=9))
    Delivery.objects.bulk_create(
        (Delivery(campaign=campaign, unit=unit, sent_at=sent) for unit in units), batch_size=BATCH
    )
    registrations = []
    for unit in units:
        if rng.random() >= 0.7:
            continue
        submitted = rng.random() < 0.85
        registrations.append(
            Registration(
                campaign=campaign,
                unit=unit,
                status="submitted" if submitted else rng.choice(["draft", "pending_approval"]),
                submitted_at=aware(PERIOD_START + timedelta(days=rng.randint(0, 20)))
                if submitted
                else None,
                submitted_by=user if submitted else None,
                created_by=user,
            )
        )
    Registration.objects.bulk_create(registrations, batch_size=BATCH)
    # Two numeric commitments per registration; half the activities count towards one.
    commitments = [
        Commitment(
            registration=registration,
            position=position,
            text=text,
            target_kind="number",
            target_value=Decimal(rng.randint(5, 40)),
            target_unit="buổi",
        )
        for registration in registrations
        for position, text in enumerate(("Tổ chức tuyên truyền", "Tổ chức tọa đàm"))
    ]
    Commitment.objects.bulk_create(commitments, batch_size=BATCH)
    by_unit: dict[int, list[Commitment]] = {}
    for commitment in commitments:
        by_unit.setdefault(commitment.registration.unit_id, []).append(commitment)

    forms = {form.code: form for form in ActivityForm.objects.filter(campaign=campaign)}
    for part in chunks(size.activities):
        batch = []
        for n in part:
            code = rng.choice(FORM_CODES)
            batch.append(
                Activity(
                    campaign=campaign,
                    unit=rng.choice(units),
                    form=forms[code],
                    form_code=code,
                    title=f"{forms[code].label} số {n + 1}",
                    held_on=(held := PERIOD_START + timedelta(days=rng.randrange(PERIOD_DAYS))),
                    held_month=held.replace(day=1),  # what activity_record stores
                    participants=rng.randint(10, 300),
                    created_by=user,
                )
            )
        Activity.objects.bulk_create(batch, batch_size=BATCH)
        Contribution.objects.bulk_create(
            (
                Contribution(
                    activity=activity,
                    commitment=rng.choice(by_unit[activity.unit_id]),
                    amount=Decimal(1),
                )
                for activity in batch
                if activity.unit_id in by_unit and rng.random() < 0.5
            ),
            batch_size=BATCH,
        )
    # What the services keep up to date on every recorded activity.
    activity_stats_rebuild(campaign)
    commitments_recount(
        Commitment.objects.filter(registration__campaign=campaign).values_list("pk", flat=True)
    )
    Difficulty.objects.bulk_create(
        (
            Difficulty(
                campaign=campaign,
                unit=unit,
                title="Thiếu kinh phí tổ chức",
                text="Đề nghị hướng dẫn nguồn kinh phí.",
                status=rng.choice(["open", "forwarded", "answered"]),
                created_by=user,
            )
            for unit in units[:: max(1, len(units) // 20)]
        ),
        batch_size=BATCH,
    )


def create_reports(
    campaign: Campaign, units: list[Unit], user: User, rng: random.Random
) -> ReportRequest:
    from thidua.reporting.models import (
        DEFAULT_REMINDER_OFFSETS,
        Indicator,
        Reminder,
        ReportAssignment,
        ReportRequest,
        ReportTemplate,
        TemplateSection,
    )

    template = ReportTemplate.objects.create(
        campaign=campaign, name="Báo cáo kết quả thực hiện phong trào", created_by=user
    )
    sections = [
        TemplateSection.objects.create(template=template, position=0, title="Kết quả đạt được"),
        TemplateSection.objects.create(
            template=template, position=1, title="Khó khăn, vướng mắc và kiến nghị"
        ),
    ]
    agg = Indicator.Aggregation
    indicators = [
        Indicator.objects.create(
            template=template,
            position=0,
            name="Số buổi tuyên truyền",
            unit_of_measure="buổi",
            aggregation=agg.SUM,
        ),
        Indicator.objects.create(
            template=template,
            position=1,
            name="Tỷ lệ cán bộ tham gia",
            unit_of_measure="%",
            aggregation=agg.AVERAGE,
        ),
        Indicator.objects.create(
            template=template,
            position=2,
            name="Có xây dựng mô hình mới",
            is_yes_no=True,
            aggregation=agg.YES_SHARE,
        ),
    ]
    request = ReportRequest.objects.create(
        campaign=campaign,
        template=template,
        title="Báo cáo kết quả thực hiện phong trào thi đua năm 2022",
        due_date=DUE_DATE,
        reminder_offsets=DEFAULT_REMINDER_OFFSETS,
        sent_at=aware(DUE_DATE - timedelta(days=30)),
        created_by=user,
    )
    assignments = []
    for unit in units:
        draw = rng.random()
        a = ReportAssignment(request=request, unit=unit)
        if draw < 0.7:  # 60 % on time, 10 % late
            late = draw >= 0.6
            day = DUE_DATE + timedelta(days=rng.randint(1, 10) if late else -rng.randint(0, 14))
            a.status, a.is_late = "submitted", late
            a.submitted_at = a.draft_saved_at = aware(day, rng.randint(7, 17))
            a.draft_values = {
                str(indicators[0].pk): rng.randint(0, 40),
                str(indicators[1].pk): round(rng.uniform(50, 100), 1),
                str(indicators[2].pk): rng.random() < 0.4,
            }
            a.draft_narratives = {
                str(sections[0].pk): f"Đơn vị {unit.short_name} đã tổ chức "
                f"{rng.randint(2, 30)} hoạt động hưởng ứng phong trào.",
                str(sections[1].pk): "Kinh phí còn hạn chế." if rng.random() < 0.3 else "",
            }
        else:
            a.next_reminder_at = aware(DUE_DATE + timedelta(days=2))
        assignments.append(a)
    ReportAssignment.objects.bulk_create(assignments, batch_size=BATCH)
    reminders = []
    for a in assignments:
        if a.status == "submitted" and not a.is_late:
            continue
        reminders.append(Reminder(assignment=a, kind="before", step=aware(DUE_DATE)))
        if a.status != "submitted":
            reminders.append(
                Reminder(assignment=a, kind="overdue", step=aware(DUE_DATE + timedelta(days=2)))
            )
    Reminder.objects.bulk_create(reminders, batch_size=BATCH)
    return request


def build(mode: Mode, rng: random.Random) -> tuple[User, list[Dataset]]:
    from django.db import transaction

    started = time.perf_counter()
    datasets = []
    with transaction.atomic():
        city = create_city()
        user = create_user(city)
        for number, (name, size) in enumerate((("small", SMALL), ("large", mode.large)), 1):
            step = time.perf_counter()
            units = create_units(name[0].upper(), size.units, city, rng)
            campaign = create_campaign(name, city, user, number)
            create_participation(campaign, units, size, user, rng)
            request = create_reports(campaign, units[: size.assignments], user, rng)
            ward = create_ward_user(f"bench-phuong-{name}", units[0])
            datasets.append(Dataset(name, size, campaign, request, ward))
            log(
                f"built {name}: {size.units} units, {size.activities} activities, "
                f"{size.assignments} assignments in {time.perf_counter() - step:.1f} s"
            )
    log(f"data built in {time.perf_counter() - started:.1f} s")
    return user, datasets


# --- Measurement ----------------------------------------------------------------------------


def url(dataset: Dataset) -> str:
    from django.urls import reverse

    return reverse("reporting:dashboard", kwargs={"pk": dataset.campaign.pk})


def get_ok(client: Client, path: str) -> str:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"GET {path} returned {response.status_code}, expected 200")
    return bytes(response.content).decode()


def check_content(client: Client, dataset: Dataset) -> None:
    """One look at the page, so a silently empty dashboard cannot pass as fast."""
    from thidua.participation.models import Registration

    html = get_ok(client, url(dataset))
    registered = Registration.objects.filter(campaign=dataset.campaign, status="submitted").count()
    from thidua.core.templatetags.thidua import money  # counts grouped by thousands: 2.000

    size = dataset.size
    expected = (
        f">{money(size.activities)}<",
        f">{money(registered)}/{money(size.units)}<",
        "Tọa đàm",
    )
    for text in expected:
        if text not in html:
            raise SystemExit(f"{dataset.name} dashboard does not show {text!r}")


def captured(action: Callable[[], object]) -> list[dict[str, str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        action()
    return list(context.captured_queries)


def log_queries(label: str, queries: list[dict[str, str]]) -> None:
    total = sum(float(q["time"]) for q in queries)
    log(f"  {label}: {len(queries)} queries, {total * 1000:.1f} ms in SQL")
    for q in sorted(queries, key=lambda q: -float(q["time"]))[:4]:
        log(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:150]}")


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def time_dashboards(client: Client, datasets: list[Dataset], mode: Mode) -> dict[str, list[float]]:
    """Round-robin over the campaigns, so machine noise falls on both alike."""
    for dataset in datasets:
        for _ in range(mode.warmup):
            get_ok(client, url(dataset))
    samples: dict[str, list[float]] = {d.name: [] for d in datasets}
    for _ in range(mode.requests):
        for dataset in datasets:
            started = time.perf_counter()
            get_ok(client, url(dataset))
            samples[dataset.name].append((time.perf_counter() - started) * 1000)
    for name, values in samples.items():
        log(f"  dashboard {name}: p50 {statistics.median(values):.1f} ms, p95 {p95(values):.1f} ms")
    return samples


MY_REPORTS = "/bao-cao/cua-don-vi/"


def time_ward(datasets: list[Dataset], mode: Mode) -> dict[str, Any]:
    """A ward-scoped user (unit officer of a top unit) of each campaign: the dashboard is not
    theirs (403); their own reports page (every assignment of their subtree) is timed."""
    from django.test import Client

    clients = {}
    for dataset in datasets:
        client = Client()
        client.force_login(dataset.ward_user)
        status = client.get(url(dataset)).status_code
        if status != 403:
            raise SystemExit(f"ward user got {status} on the {dataset.name} dashboard")
        log_queries(
            f"ward my reports {dataset.name}", captured(lambda c=client: get_ok(c, MY_REPORTS))
        )
        clients[dataset.name] = client
    samples: dict[str, list[float]] = {d.name: [] for d in datasets}
    for _ in range(mode.warmup):
        for client in clients.values():
            get_ok(client, MY_REPORTS)
    for _ in range(mode.requests):
        for name, client in clients.items():
            started = time.perf_counter()
            get_ok(client, MY_REPORTS)
            samples[name].append((time.perf_counter() - started) * 1000)
    figures: dict[str, Any] = {}
    for name, values in samples.items():
        figures[f"ward_my_reports_{name}_p95_ms"] = round(p95(values), 1)
        log(f"  ward my reports {name}: p95 {p95(values):.1f} ms")
    figures["ward_dashboard_status"] = 403
    figures["ratio_ward_large_small"] = round(p95(samples["large"]) / p95(samples["small"]), 1)
    return figures


def time_aggregate(user: User, dataset: Dataset) -> tuple[float, int]:
    from thidua.core.text import vn_thousands
    from thidua.reporting.models import AggregatedReport
    from thidua.reporting.services import aggregate_build

    def run() -> None:
        aggregate_build(actor=user, request=dataset.request)

    run()  # first build creates the AggregatedReport; the timed ones rebuild it
    times = []
    for _ in range(3):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    queries = captured(run)
    log_queries(f"aggregate {dataset.name}", queries)
    body = AggregatedReport.objects.get(request=dataset.request).body
    if f"/{vn_thousands(dataset.size.assignments)} đơn vị đã báo cáo" not in body:
        raise SystemExit(f"{dataset.name} aggregate does not count {dataset.size.assignments}")
    log(f"  aggregate {dataset.name}: median {statistics.median(times):.1f} ms of {times}")
    return statistics.median(times), len(queries)


def print_profile(profiler: cProfile.Profile, label: str) -> None:
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    log(f"--- profile: {label}\n{out.getvalue()}")


def profile(client: Client, user: User, dataset: Dataset) -> None:
    """cProfile of one dashboard request and one aggregate build, plus the query plans of the
    dashboard's slowest queries, to stderr."""
    from django.db import connection

    from thidua.reporting.services import aggregate_build

    queries = captured(functools.partial(get_ok, client, url(dataset)))
    for q in sorted(queries, key=lambda q: -float(q["time"]))[:2]:
        with connection.cursor() as cursor:
            explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
            cursor.execute(explain + q["sql"])
            plan = "; ".join(str(row[-1]) for row in cursor.fetchall())
        log(f"  plan ({float(q['time']) * 1000:.0f} ms): {plan}")
    profiler = cProfile.Profile()
    profiler.runcall(get_ok, client, url(dataset))
    print_profile(profiler, f"dashboard {dataset.name}")
    profiler = cProfile.Profile()
    profiler.runcall(aggregate_build, actor=user, request=dataset.request)
    print_profile(profiler, f"aggregate_build {dataset.name}")


def run(mode: Mode, *, with_profile: bool) -> dict[str, Any]:
    from django.test import Client

    user, datasets = build(mode, random.Random(SEED))
    client = Client()
    client.force_login(user)
    queries: dict[str, int] = {}
    for dataset in datasets:
        check_content(client, dataset)
        found = captured(functools.partial(get_ok, client, url(dataset)))
        log_queries(f"dashboard {dataset.name}", found)
        queries[dataset.name] = len(found)
    if with_profile:
        profile(client, user, datasets[-1])

    log(f"timing {mode.requests} dashboard requests per campaign after {mode.warmup} warm-up")
    samples = time_dashboards(client, datasets, mode)
    ward = time_ward(datasets, mode)
    aggregates = {d.name: time_aggregate(user, d) for d in datasets}

    small, large = samples["small"], samples["large"]
    ratio = p95(large) / p95(small)
    ratio_aggregate = aggregates["large"][0] / aggregates["small"][0]
    goals = {
        "dashboard_ok": ratio < TARGET_RATIO and queries["small"] == queries["large"],
        "aggregate_ok": ratio_aggregate <= TARGET_RATIO,
        "ward_ok": ward["ratio_ward_large_small"] < TARGET_RATIO,
    }
    return {
        "database": vendor(),
        **ward,
        "ratio_aggregate_large_small": round(ratio_aggregate, 1),
        **goals,
        "bench": "dashboard",
        "small_units": SMALL.units,
        "large_units": mode.large.units,
        "dashboard_small_p95_ms": round(p95(small), 1),
        "dashboard_large_p95_ms": round(p95(large), 1),
        "dashboard_queries_small": queries["small"],
        "dashboard_queries_large": queries["large"],
        "aggregate_small_ms": round(aggregates["small"][0], 1),
        "aggregate_large_ms": round(aggregates["large"][0], 1),
        "aggregate_queries_large": aggregates["large"][1],
        "ratio_dashboard_large_small": round(ratio, 1),
        "target_ratio": TARGET_RATIO,
        "meets_target": all(goals.values()),
        "dashboard_small_p50_ms": round(statistics.median(small), 1),
        "dashboard_large_p50_ms": round(statistics.median(large), 1),
        "aggregate_queries_small": aggregates["small"][1],
        "large_activities": mode.large.activities,
        "large_assignments": mode.large.assignments,
        "requests": mode.requests,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="large = 2,000 units, 20,000 activities, 20 runs"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one large dashboard request (stderr)"
    )
    add_database_argument(parser)
    args = parser.parse_args()
    mode = QUICK if args.quick else FULL

    var_dir = tempfile.mkdtemp(prefix="thidua-bench-dashboard-")
    try:
        setup_django(var_dir, args.database)
        try:
            result = run(mode, with_profile=args.profile)
        finally:
            teardown_database()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
