"""A unit code is one unit's, whatever the capitals or spaces it is typed with: the services
refuse a near-duplicate naming the unit that holds it, and the database refuses what gets past
them (two creations at the same moment, a write that skips the services)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.factories.xlsx import xlsx_upload
from thidua.organizations import services
from thidua.organizations.models import ImportBatch, Unit, UnitKind

NEAR_DUPLICATE = "(chỉ khác chữ hoa, chữ thường hoặc dấu cách)"


def _codes_like(key: str) -> list[str]:
    return [
        c for c in Unit.objects.values_list("code", flat=True) if c.replace(" ", "").lower() == key
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["p-vuninh", "P-VU NINH", "p-vu ninh "])
def test_the_database_refuses_a_code_taken_in_other_capitals_or_spacing(city, typed):
    with pytest.raises(IntegrityError), transaction.atomic():
        Unit.objects.create(code=typed, name="Phường Vũ Ninh (trùng)", kind=UnitKind.WARD)
    assert Unit.objects.filter(name="Phường Vũ Ninh (trùng)").count() == 0
    Unit.objects.create(code="P-VUNINH-2", name="Phường Vũ Ninh 2", kind=UnitKind.WARD)


@pytest.fixture
def rival_after_checks(monkeypatch):
    """Another request saves a unit with `code` after the service checked the new one (its code
    and the model's constraints) and before it saves: what two creations at the same moment
    do. The rival is saved behind the services' back, in the same transaction."""

    def arrange(code: str) -> None:
        full_clean = Unit.full_clean
        done: list[str] = []

        def clean_then_rival(unit, *args, **kwargs):
            full_clean(unit, *args, **kwargs)
            if not done:
                done.append(code)
                Unit.objects.create(code=code, name="Đơn vị thêm cùng lúc", kind=UnitKind.WARD)

        monkeypatch.setattr(Unit, "full_clean", clean_then_rival)

    return arrange


@pytest.mark.django_db
def test_a_code_taken_at_the_same_moment_is_refused_as_the_check_refuses_it(
    city, office_user, rival_after_checks
):
    rival_after_checks("P.KINHBAC")
    with pytest.raises(ValidationError) as refused:
        services.unit_create(
            actor=office_user,
            code="p.kinhbac ",
            name="Ủy ban nhân dân phường Kinh Bắc",
            kind=UnitKind.WARD,
            parent=city.city,
        )
    assert refused.value.message_dict == {
        "code": [
            "Mã đơn vị “p.kinhbac ” trùng với mã “P.KINHBAC” của đơn vị “Đơn vị thêm cùng lúc”"
            f"{' ' + NEAR_DUPLICATE}. Hãy chọn mã khác."
        ]
    }
    assert _codes_like("p.kinhbac") == []  # the stand-in rival was in the refused transaction


@pytest.mark.django_db
def test_a_merge_into_a_code_taken_at_the_same_moment_is_refused_on_the_code(
    city, office_user, rival_after_checks
):
    rival_after_checks("P-VUSUOI")
    with pytest.raises(ValidationError) as refused:
        services.unit_merge(
            actor=office_user,
            predecessors=[city.vu_ninh, city.suoi_hoa],
            code="p-vusuoi",
            name="Ủy ban nhân dân phường Vũ Suối",
            effective=date(2025, 7, 1),
        )
    assert (
        "trùng với mã “P-VUSUOI” của đơn vị “Đơn vị thêm cùng lúc”"
        in refused.value.message_dict["code"][0]
    )


@pytest.mark.django_db
def test_an_import_row_whose_code_is_taken_at_the_same_moment_is_an_error_on_its_line(
    city, office_user, rival_after_checks
):
    rival_after_checks("TDP-1")
    upload = xlsx_upload(
        [
            ["Mã đơn vị", "Tên đầy đủ", "Loại đơn vị", "Mã đơn vị cấp trên"],
            ["tdp-1", "Tổ dân phố số 1", "Khác", "P-VUNINH"],
        ]
    )
    batch = services.units_import(actor=office_user, upload=upload, filename="u.xlsx")
    assert batch.status == ImportBatch.Status.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "Mã đơn vị")]
    assert "trùng với mã “TDP-1” của đơn vị “Đơn vị thêm cùng lúc”" in batch.errors[0]["message"]
    assert not Unit.objects.filter(name="Tổ dân phố số 1").exists()


@pytest.mark.django_db(transaction=True)
def test_two_creations_at_the_same_moment_make_one_unit(city, office_user):
    """Two offices add the same ward at once, typed differently: both pass the check before
    either has saved; the database keeps the first and the second is told which unit has
    the code. PostgreSQL (SQLite serialises writers)."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is exercised on PostgreSQL in CI")
    from thidua.organizations import rules

    assert rules.can_manage_unit(office_user, city.city)  # roles loaded before the threads
    barrier = threading.Barrier(2)
    full_clean = Unit.full_clean
    refused: list[dict[str, list[str]]] = []

    def clean_then_wait(unit, *args, **kwargs):
        full_clean(unit, *args, **kwargs)
        barrier.wait(timeout=10)  # both have checked the code; neither has saved

    def create(code: str) -> None:
        try:
            services.unit_create(
                actor=office_user,
                code=code,
                name=f"Ủy ban nhân dân phường Kinh Bắc ({code})",
                kind=UnitKind.WARD,
                parent=city.city,
            )
        except ValidationError as exc:
            refused.append(exc.message_dict)
        finally:
            connection.close()

    Unit.full_clean = clean_then_wait  # type: ignore[method-assign]
    try:
        threads = [threading.Thread(target=create, args=(c,)) for c in ("P-KINHBAC", "p-kinhbac ")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        Unit.full_clean = full_clean  # type: ignore[method-assign]
    assert len(_codes_like("p-kinhbac")) == 1
    assert len(refused) == 1
    assert list(refused[0]) == ["code"]
    assert "trùng với mã" in refused[0]["code"][0]
    assert "của đơn vị “Ủy ban nhân dân phường Kinh Bắc (" in refused[0]["code"][0]


@pytest.mark.django_db(transaction=True)
def test_the_migration_lists_codes_that_differ_only_in_capitals_or_spaces_and_stops():
    """An installation made before the services compared codes this way may hold such units:
    the migration names them and changes nothing, then passes once they differ."""
    before = [("organizations", "0005_unit_name_sort")]
    after = [("organizations", "0006_unit_code_key_unique")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_unit = executor.loader.project_state(before).apps.get_model("organizations", "Unit")
    try:
        old_unit.objects.create(code="P-VUNINH", name="Phường Vũ Ninh", kind="ward")
        old_unit.objects.create(code="p-vu ninh", name="Phường Vũ Ninh (nhập lại)", kind="ward")
        old_unit.objects.create(code="OTHER-1", name="Phòng Nội vụ", kind="office")
        with pytest.raises(CommandError) as stopped:
            MigrationExecutor(connection).migrate(after)
        message = str(stopped.value)
        assert "unit_code_key_unique" in message
        assert '"P-VUNINH" (id ' in message
        assert '"p-vu ninh" (id ' in message
        assert "OTHER-1" not in message
        assert MigrationExecutor(connection).loader.applied_migrations.keys() >= set(before)
        assert ("organizations", "0006_unit_code_key_unique") not in (
            MigrationExecutor(connection).loader.applied_migrations
        )

        old_unit.objects.filter(code="p-vu ninh").update(code="P-VUNINH-2")
        MigrationExecutor(connection).migrate(after)
        with pytest.raises(IntegrityError), transaction.atomic():
            Unit.objects.create(code="p-vuninh-2", name="Trùng", kind=UnitKind.WARD)
    finally:
        old_unit.objects.all().delete()
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
