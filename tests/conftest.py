from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from thidua.accounts.models import Role, User
from thidua.campaigns import services as campaigns
from thidua.demo import CRITERIA, SEED_PLAN
from thidua.organizations.models import Unit, UnitKind, UnitRole
from thidua.organizations.services import _set_unit_derived


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_append_only_log():
    """Transactional tests empty the database with one TRUNCATE of every table, which the
    action log refuses on PostgreSQL (core migration 0005). The suite runs as a superuser, so
    its flush sets session_replication_role = replica for that transaction: the deliberate
    maintenance switch that an application role cannot use."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        original(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", execute_sql_flush)
        yield


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    for each in caches.all():  # cached pages and fragments must not leak from one test to the next
        each.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.THIDUA_TOTP_REQUIRED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.THIDUA_JOB_THREADS = False
    settings.THIDUA_SIGNING_KEY_DIR = tmp_path / "signing" / "keys"
    settings.THIDUA_SIGNING_TRUST_DIR = tmp_path / "signing" / "trust"


@pytest.fixture(scope="session")
def test_ca():
    """A certificate authority of the tests' own (documents signing)."""
    from tests.documents.ca import make_ca

    return make_ca()


@pytest.fixture
def give_signing_key(test_ca, settings, monkeypatch):
    """Give a user a PKCS#12 key issued by the test CA, trusted by validation."""
    from thidua.documents.models import SigningKey

    def give(
        user: User | None = None,
        organisation: str = "UBND thành phố Bắc Ninh",
        unit: Unit | None = None,
    ) -> SigningKey:
        """A user's key, or with `unit` the body's own key (common name: the body)."""
        test_ca.write_root(settings.THIDUA_SIGNING_TRUST_DIR)
        settings.THIDUA_SIGNING_KEY_DIR.mkdir(parents=True, exist_ok=True)
        name = f"{user.username if user else unit.code}.p12"
        (settings.THIDUA_SIGNING_KEY_DIR / name).write_bytes(
            test_ca.pkcs12(
                user.get_full_name() if user else unit.name, organisation, b"mat-khau-thu"
            )
        )
        monkeypatch.setenv("THIDUA_TEST_P12_PASS", "mat-khau-thu")
        return SigningKey.objects.create(
            user=user, unit=unit, pkcs12_file=name, passphrase_env="THIDUA_TEST_P12_PASS"
        )

    return give


def make_unit(code: str, name: str, kind: str, parent: Unit | None = None, **extra) -> Unit:
    unit = Unit(code=code, name=name, kind=kind, parent=parent, **extra)
    _set_unit_derived(unit)
    unit.save()
    return unit


class City:
    """A small tree: province → city → Phòng Nội vụ, Trung tâm, two wards."""

    def __init__(self) -> None:
        self.province = make_unit("TBN", "Ủy ban nhân dân tỉnh Bắc Ninh", UnitKind.PROVINCE)
        self.city = make_unit(
            "TPBN", "Ủy ban nhân dân thành phố Bắc Ninh", UnitKind.DISTRICT, self.province
        )
        self.noivu = make_unit("NV", "Phòng Nội vụ", UnitKind.OFFICE, self.city, symbol="NV")
        self.centre = make_unit(
            "TTVHTTTT",
            "Trung tâm Văn hóa, Thể thao và Truyền thông thành phố",
            UnitKind.SERVICE_UNIT,
            self.city,
        )
        self.vu_ninh = make_unit(
            "P-VUNINH",
            "Ủy ban nhân dân phường Vũ Ninh",
            UnitKind.WARD,
            self.city,
            short_name="Phường Vũ Ninh",
            valid_from=date(2000, 1, 1),
        )
        self.suoi_hoa = make_unit(
            "P-SUOIHOA",
            "Ủy ban nhân dân phường Suối Hoa",
            UnitKind.WARD,
            self.city,
            short_name="Phường Suối Hoa",
            valid_from=date(2000, 1, 1),
        )


@pytest.fixture
def city(db) -> City:
    return City()


ROLE_HOME = {  # which unit each matrix role is granted in
    Role.SYSTEM_ADMIN: "city",
    Role.EMULATION_OFFICE: "noivu",
    Role.COUNCIL_MEMBER: "city",
    Role.SIGNER: "city",
    Role.UNIT_OFFICER: "suoi_hoa",
    Role.UNIT_HEAD: "suoi_hoa",
    Role.MEDIA_STAFF: "centre",
    Role.CONTEST_ORGANISER: "centre",
}


@pytest.fixture
def make_user(city) -> Callable[..., User]:
    def _make(
        role: str | None = None, unit: Unit | None = None, username: str | None = None
    ) -> User:
        username = username or f"u-{role or 'none'}-{User.objects.count()}"
        user = User.objects.create_user(
            username=username,
            password="Mat-khau-dai-12",
            email=f"{username}@example.vn",
            full_name=f"Người dùng {username}",
        )
        if role:
            UnitRole.objects.create(
                user=user, unit=unit or getattr(city, ROLE_HOME[role]), role=role
            )
        return user

    return _make


def verified_client(user: User) -> Client:
    """A client signed in with a confirmed TOTP device, as after a real second factor."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for(make_user) -> Callable[..., Client]:
    def _client(role: str | None, unit: Unit | None = None) -> Client:
        return verified_client(make_user(role, unit))

    return _client


@pytest.fixture
def office_user(make_user) -> User:
    return make_user(Role.EMULATION_OFFICE)


@pytest.fixture
def ward_office(make_user, city) -> User:
    """Nội vụ of a ward (Suối Hoa): the body-scope rules (R13-R24) keep it out of the city's."""
    return make_user(Role.EMULATION_OFFICE, city.suoi_hoa, username="noivu-suoihoa")


@pytest.fixture
def ward_signer(make_user, city) -> User:
    return make_user(Role.SIGNER, city.suoi_hoa, username="chutich-suoihoa")


@pytest.fixture
def office_client(office_user) -> Client:
    return verified_client(office_user)


@pytest.fixture
def campaign(city, office_user):
    """The seed plan, with the demo criteria, issued and running."""
    draft = campaigns.campaign_import(
        actor=office_user, text=SEED_PLAN.read_text(encoding="utf-8"), owner_unit=city.city
    )
    draft = campaigns.campaign_update(
        actor=office_user, campaign=draft, version=draft.version, signer_name="A"
    )
    campaigns.campaign_items_replace(
        actor=office_user, campaign=draft, kind="criteria", items=CRITERIA
    )
    return campaigns.campaign_issue(actor=office_user, campaign=draft, issued_on=date(2022, 5, 25))


@pytest.fixture
def officer(make_user, city):
    return make_user(Role.UNIT_OFFICER, city.suoi_hoa)


@pytest.fixture
def head(make_user, city):
    return make_user(Role.UNIT_HEAD, city.suoi_hoa)


def one_rate_window() -> time_machine.travel:
    """The clock held still, so requests counted against a rate limit fall in one window however
    slow the machine is (the limits' windows follow the clock)."""
    return time_machine.travel(timezone.now(), tick=False)
