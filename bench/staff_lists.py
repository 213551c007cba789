"""Staff list pages on full data: p95 latency and query counts (architecture §7).

Builds its own database (a SQLite file in a temporary directory, never var/; or with
`--database postgres` a temporary database on the running PostgreSQL server, dropped at the
end), fills it through the ORM (2,000 units under a city, 50,000 people; --quick: 200 and
5,000), signs in a Phòng Nội vụ user (emulation_office, city-wide) and a ward user (unit_officer
of the level-1 unit with the most units below it: sees that subtree only) and GETs, through
django.test.Client, as each of them:

    /ca-nhan/                 person list, first page
    /ca-nhan/?trang=N         person list, middle page
    /ca-nhan/?q=nguyen van    accent-insensitive person search
    /don-vi/danh-sach/        unit list
    /don-vi/                  unit tree (every current unit, with people counts)
    /healthz                  baseline in the same run: liveness, no template, no I/O

Query counts are taken once on one page worth of data and again on the full data, so the
result says whether each page's query count stays flat as the data grows.

Run from the repo root: .venv/bin/python bench/staff_lists.py [--quick]
Progress goes to stderr; stdout gets exactly one line of JSON at the end.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from _common import (  # bench/ is the script directory
    add_database_argument,
    log,
    settle,
    setup_django,
    teardown_database,
    vendor,
)

if TYPE_CHECKING:
    from django.test import Client

    from thidua.organizations.models import Unit

TARGET_P95_MS = 100  # issue #22: at 50,000 people, for city-wide and ward users
SEED = 2022


@dataclass(frozen=True)
class Mode:
    units: int
    people: int
    requests: int
    warmup: int


FULL = Mode(units=2000, people=50_000, requests=200, warmup=10)
QUICK = Mode(units=200, people=5000, requests=30, warmup=3)

# JSON names of the measured pages (URLs in urls()); healthz is the baseline.
PAGES = ("person_list", "person_list_mid", "person_search", "unit_list", "unit_tree")
BASELINE = "healthz"


# --- Data ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    index: int
    level: int  # 1 = directly under the city
    parent: int | None  # index of the parent spec; None = the city
    kind: str
    name: str
    short_name: str


def places() -> list[str]:
    from thidua.demo import WARDS

    return WARDS


LEVEL_KINDS: dict[int, list[tuple[str, str]]] = {
    1: [
        ("ward", "Ủy ban nhân dân phường {place} {n}"),
        ("commune", "Ủy ban nhân dân xã {place} {n}"),
        ("office", "Phòng Văn hóa và Thông tin số {n}"),
        ("service_unit", "Trung tâm Dịch vụ công {place} {n}"),
        ("mass_org", "Hội Liên hiệp Phụ nữ {place} {n}"),
    ],
    2: [
        ("school", "Trường Tiểu học {place} {n}"),
        ("school", "Trường Mầm non {place} {n}"),
        ("service_unit", "Trạm Y tế {place} {n}"),
        ("party", "Chi bộ khu phố {place} {n}"),
    ],
    3: [
        ("other", "Tổ dân phố {place} {n}"),
        ("mass_org", "Chi hội Cựu chiến binh {place} {n}"),
        ("enterprise", "Hợp tác xã Dịch vụ {place} {n}"),
    ],
}


def unit_plan(total: int, rng: random.Random) -> list[UnitSpec]:
    """A three-level tree below the city, listed depth first so every prefix is a tree."""
    level1 = max(1, total // 20)
    level2 = max(1, total // 4)
    level3 = total - level1 - level2
    parents2 = [i % level1 for i in range(level2)]
    parents3 = [i % level2 for i in range(level3)]
    children2: dict[int, list[int]] = {}
    for child, parent in enumerate(parents2):
        children2.setdefault(parent, []).append(child)
    children3: dict[int, list[int]] = {}
    for child, parent in enumerate(parents3):
        children3.setdefault(parent, []).append(child)

    plan: list[UnitSpec] = []

    def add(level: int, parent: int | None) -> int:
        kind, pattern = rng.choice(LEVEL_KINDS[level])
        n = len(plan) + 1
        name = pattern.format(place=rng.choice(places()), n=n)
        short = name.replace("Ủy ban nhân dân ", "").replace("Trường ", "")
        plan.append(UnitSpec(len(plan), level, parent, kind, name, short))
        return len(plan) - 1

    for a in range(level1):
        a_index = add(1, None)
        for b in children2.get(a, []):
            b_index = add(2, a_index)
            for _ in children3.get(b, []):
                add(3, b_index)
    return plan


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


def create_units(specs: list[UnitSpec], city: Unit, made: dict[int, Unit]) -> None:
    """bulk_create one level at a time so each parent has its pk (and path) first."""
    from thidua.organizations.models import Unit
    from thidua.organizations.services import _set_unit_derived

    for level in (1, 2, 3):
        batch: list[tuple[int, Unit]] = []
        for spec in specs:
            if spec.level != level:
                continue
            parent = city if spec.parent is None else made[spec.parent]
            unit = Unit(
                code=f"BU{spec.index:05d}",
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                parent=parent,
                headcount=20,
            )
            _set_unit_derived(unit)
            batch.append((spec.index, unit))
        Unit.objects.bulk_create([unit for _, unit in batch], batch_size=500)
        for index, unit in batch:
            if unit.pk is None:
                raise RuntimeError("bulk_create did not return primary keys")
            made[index] = unit


def person_name(rng: random.Random, number: int) -> tuple[str, str]:
    from thidua import demo
    from thidua.organizations.models import Person

    male = rng.random() < 0.5
    surname = rng.choice(demo.SURNAMES)
    middle = rng.choice(demo.MIDDLE_MALE if male else demo.MIDDLE_FEMALE)
    if number % 37 == 0:  # every page of data holds some "Nguyễn Văn" for the search path
        male, surname, middle = True, "Nguyễn", "Văn"
    given = rng.choice(demo.GIVEN_MALE if male else demo.GIVEN_FEMALE)
    gender = Person.Gender.MALE if male else Person.Gender.FEMALE
    return f"{surname} {middle} {given}", gender


def create_people(count: int, start: int, units: list[Unit], rng: random.Random) -> None:
    from thidua import demo
    from thidua.organizations.models import Person, PersonCategory
    from thidua.organizations.services import _set_person_derived

    categories = [
        PersonCategory.CIVIL_SERVANT,
        PersonCategory.PUBLIC_EMPLOYEE,
        PersonCategory.CADRE,
        PersonCategory.WORKER,
    ]
    batch: list[Person] = []
    for number in range(start, start + count):
        name, gender = person_name(rng, number)
        person = Person(
            full_name=name,
            gender=gender,
            birth_year=rng.randint(1965, 1998),
            unit=rng.choice(units),
            position=rng.choice(demo.POSITIONS),
            category=rng.choice(categories),
            is_party_member=rng.random() < 0.6,
        )
        _set_person_derived(person)
        batch.append(person)
        if len(batch) == 5000:
            Person.objects.bulk_create(batch, batch_size=1000)
            batch = []
    if batch:
        Person.objects.bulk_create(batch, batch_size=1000)


def create_ward_user(made: dict[int, Unit], plan: list[UnitSpec]) -> tuple[Any, int]:
    """A unit officer of the level-1 unit with the most units below it; (user, subtree size)."""
    from thidua.accounts.models import Role, User
    from thidua.organizations.models import UnitRole

    below: dict[int, int] = {}
    for spec in plan:
        parent = spec.parent
        while parent is not None:
            below[parent] = below.get(parent, 0) + 1
            parent = plan[parent].parent
    top = max((s for s in plan if s.level == 1), key=lambda s: below.get(s.index, 0))
    user = User(username="bench-phuong", full_name="Cán bộ phường (bench)")
    user.set_unusable_password()
    user.save()
    UnitRole.objects.create(user=user, unit=made[top.index], role=Role.UNIT_OFFICER)
    return user, below.get(top.index, 0) + 1


def create_user(city: Unit) -> Any:
    from thidua.accounts.models import Role, User
    from thidua.organizations.models import UnitRole

    user = User(username="bench-noivu", full_name="Chuyên viên Phòng Nội vụ (bench)")
    user.set_unusable_password()
    user.save()
    UnitRole.objects.create(user=user, unit=city, role=Role.EMULATION_OFFICE)
    return user


# --- Measurement ----------------------------------------------------------------------------


def urls(people: int) -> dict[str, str]:
    from thidua.core.pagination import PER_PAGE

    middle = max(1, math.ceil(people / PER_PAGE) // 2)
    return {
        "person_list": "/ca-nhan/",
        "person_list_mid": f"/ca-nhan/?trang={middle}",
        "person_search": "/ca-nhan/?q=nguyen%20van",
        "unit_list": "/don-vi/danh-sach/",
        "unit_tree": "/don-vi/",
        BASELINE: "/healthz",
    }


def get_ok(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} returned {response.status_code}, expected 200")
    return bytes(response.content)


def check_content(client: Client, paths: dict[str, str], units: int) -> None:
    """One look at each page's HTML, so a silently empty page cannot pass as fast."""
    search = get_ok(client, paths["person_search"]).decode()
    if "Nguyễn Văn" not in search:
        raise SystemExit("person search found no 'Nguyễn Văn'")
    tree = get_ok(client, paths["unit_tree"]).decode()
    nodes = tree.count('<li class="tree-depth-')
    # The tree draws two levels below the root and counts the rest (organizations.selectors).
    if nodes < 2 or (units > nodes and "đơn vị trực thuộc" not in tree):
        raise SystemExit(
            f"unit tree shows {nodes} nodes for {units} units and no count of the rest"
        )
    for name in ("person_list", "person_list_mid", "unit_list"):
        if "<tbody>" not in get_ok(client, paths[name]).decode():
            raise SystemExit(f"{name}: no table rows")


def count_queries(client: Client, paths: dict[str, str]) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, url in paths.items():
        get_ok(client, url)  # warm: session cache, template loader
        with CaptureQueriesContext(connection) as captured:
            get_ok(client, url)
        counts[name] = len(captured.captured_queries)
    return counts


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94]


def time_paths(targets: dict[str, tuple[Client, str]], mode: Mode) -> dict[str, list[float]]:
    """Round-robin over the paths and users, so machine noise falls on all of them alike."""
    for name, (client, url) in targets.items():
        started = time.perf_counter()
        for _ in range(mode.warmup):
            get_ok(client, url)
        log(f"  warm-up {name}: {(time.perf_counter() - started) * 1000 / mode.warmup:.1f} ms")
    samples: dict[str, list[float]] = {name: [] for name in targets}
    for round_number in range(mode.requests):
        for name, (client, url) in targets.items():
            started = time.perf_counter()
            get_ok(client, url)
            samples[name].append((time.perf_counter() - started) * 1000)
        if (round_number + 1) % 50 == 0:
            log(f"  {round_number + 1}/{mode.requests} rounds")
    return samples


def run(mode: Mode) -> dict[str, Any]:
    from django.db import transaction
    from django.db.models import Q
    from django.test import Client

    from thidua.core.pagination import PER_PAGE
    from thidua.organizations.models import Person

    rng = random.Random(SEED)
    plan = unit_plan(mode.units, rng)
    made: dict[int, Unit] = {}

    # Step 1: one page worth of units and people.
    started = time.perf_counter()
    with transaction.atomic():
        city = create_city()
        create_units(plan[:PER_PAGE], city, made)
        create_people(PER_PAGE, 0, [city, *made.values()], rng)
        user = create_user(city)
    client = Client()
    client.force_login(user)
    small_paths = urls(PER_PAGE)
    small = count_queries(client, small_paths)
    log(f"small data ({PER_PAGE} units, {PER_PAGE} people), queries: {small}")

    # Step 2: the rest.
    with transaction.atomic():
        create_units(plan[PER_PAGE:], city, made)
        create_people(mode.people - PER_PAGE, PER_PAGE, [city, *made.values()], rng)
    log(
        f"built {len(made)} units + city, {mode.people} people "
        f"in {time.perf_counter() - started:.1f} s"
    )
    settle()
    paths = urls(mode.people)
    check_content(client, paths, mode.units)
    big = count_queries(client, paths)
    log(f"full data, queries: {big}")
    ward_user, ward_units = create_ward_user(made, plan)
    ward = Client()
    ward.force_login(ward_user)
    ward_people = Person.objects.filter(
        Q(unit__path__startswith=made_prefix(ward_user)) | Q(unit__in=ward_scope(ward_user))
    ).count()
    ward_paths = {n: u for n, u in urls(ward_people).items() if n != BASELINE}
    check_ward(ward, ward_paths, ward_people)
    ward_queries = count_queries(ward, ward_paths)
    log(f"ward user: {ward_units} units, {ward_people} people, queries: {ward_queries}")

    log(f"timing {mode.requests} requests per path and user after {mode.warmup} warm-up")
    targets = {name: (client, url) for name, url in paths.items()}
    targets.update({f"ward_{name}": (ward, url) for name, url in ward_paths.items()})
    samples = time_paths(targets, mode)
    result = summarise(mode, samples, small, big)
    ward_p95 = {name: p95(samples[f"ward_{name}"]) for name in PAGES}
    for name in PAGES:
        result[f"ward_{name}_p95_ms"] = round(ward_p95[name], 1)
        result[f"ward_{name}_queries"] = ward_queries[name]
    result["ward_units"], result["ward_people"] = ward_units, ward_people
    result["ward_slowest"] = max(PAGES, key=lambda name: ward_p95[name])
    result["city_wide_ok"] = result.pop("meets_target")
    result["ward_ok"] = max(ward_p95.values()) <= TARGET_P95_MS
    result["database"] = vendor()
    result["meets_target"] = result["city_wide_ok"] and result["ward_ok"]
    return result


def made_prefix(user: Any) -> str:
    from thidua.organizations.rules import roles_of

    (prefix,) = roles_of(user).subtree_prefixes
    return prefix


def ward_scope(user: Any) -> list[int]:
    from thidua.organizations.rules import roles_of

    return [unit_id for _, unit_id in roles_of(user).grants]


def check_ward(client: Client, paths: dict[str, str], people: int) -> None:
    """The ward user sees its own people only: the list's total is the subtree's count."""
    page = get_ok(client, paths["person_list"]).decode()
    if "<tbody>" not in page or f"{people} dòng" not in page:
        raise SystemExit(f"ward person list does not count its {people} people")
    for name in ("unit_list", "unit_tree", "person_search", "person_list_mid"):
        get_ok(client, paths[name])


def summarise(
    mode: Mode, samples: dict[str, list[float]], small: dict[str, int], big: dict[str, int]
) -> dict[str, Any]:
    baseline = p95(samples[BASELINE])
    result: dict[str, Any] = {"bench": "staff_lists", "units": mode.units, "people": mode.people}
    for name in (*PAGES, BASELINE):
        result[f"{name}_p95_ms"] = round(p95(samples[name]), 1)
        result[f"{name}_p50_ms"] = round(statistics.median(samples[name]), 1)
    for name in PAGES:
        result[f"ratio_{name}"] = round(p95(samples[name]) / baseline, 1)
    flat = {name: small[name] == big[name] for name in PAGES}
    for name in PAGES:
        result[f"{name}_queries"] = big[name]
        result[f"{name}_queries_flat"] = flat[name]
    slowest = max(PAGES, key=lambda name: p95(samples[name]))
    result["requests_per_path"] = mode.requests
    result["slowest"] = slowest
    result["queries_flat"] = all(flat.values())
    result["target_p95_ms"] = TARGET_P95_MS
    result["meets_target"] = result["queries_flat"] and p95(samples[slowest]) <= TARGET_P95_MS
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 units, 5,000 people, 30 runs")
    add_database_argument(parser)
    args = parser.parse_args()
    mode = QUICK if args.quick else FULL

    var_dir = tempfile.mkdtemp(prefix="thidua-bench-staff-")
    try:
        setup_django(var_dir, args.database)
        try:
            result = run(mode)
        finally:
            teardown_database()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
