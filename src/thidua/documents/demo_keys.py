"""Demo signing keys: a self-made demo CA and a PKCS#12 file per demo signer.

Only for the demo (``make demo``; ``manage.py signing_demo_keys``): the CA's root goes into
THIDUA_SIGNING_TRUST_DIR so the demo's signatures validate; keys are written under
THIDUA_SIGNING_KEY_DIR (var/, git-ignored), never committed. The files' passphrase is read
from THIDUA_DEMO_SIGNING_PASSPHRASE (the Makefile's demo target sets it; default below for a
shell that did not). Production keys come from a licensed CA, on tokens (PKCS#11).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from thidua.accounts.models import User
from thidua.documents.models import SigningKey
from thidua.organizations.models import Unit

PASSPHRASE_ENV = "THIDUA_DEMO_SIGNING_PASSPHRASE"  # noqa: S105 - a variable name
DEFAULT_PASSPHRASE = "demo-ky-so"  # noqa: S105 - demo keys only, documented in the README
CA_NAME = "Thi dua DEMO Root CA (khong dung that)"


def _passphrase() -> bytes:
    os.environ.setdefault(PASSPHRASE_ENV, DEFAULT_PASSPHRASE)
    return os.environ[PASSPHRASE_ENV].encode()


def _ca(folder: Path) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """The demo CA, made once and kept in ``folder``."""
    key_path, cert_path = folder / "demo-ca.key", folder / "demo-ca.pem"
    if key_path.exists() and cert_path.exists():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)  # noqa: S101 - we wrote it
        return key, x509.load_pem_x509_certificate(cert_path.read_bytes())
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key, cert


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _pkcs12(common_name: str, organisation: str) -> bytes:
    ca_key, ca_cert = _ca(Path(settings.THIDUA_SIGNING_KEY_DIR) / "demo-ca")
    trust = Path(settings.THIDUA_SIGNING_TRUST_DIR)
    trust.mkdir(parents=True, exist_ok=True)
    (trust / "demo-ca.pem").write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=3650))
        .not_valid_after(now + timedelta(days=3 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        common_name.encode(),
        key,
        cert,
        [ca_cert],
        serialization.BestAvailableEncryption(_passphrase()),
    )


def demo_key_for(user: User, organisation: Unit) -> SigningKey:
    """The user's demo PKCS#12 key (made when missing) and its SigningKey row."""
    folder = Path(settings.THIDUA_SIGNING_KEY_DIR)
    name = f"demo-{user.username}.p12"
    if not (folder / name).exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(
            _pkcs12(user.get_full_name(), organisation.name.replace("Ủy ban nhân dân", "UBND"))
        )
        (folder / name).chmod(0o600)
    _passphrase()
    key, _created = SigningKey.objects.update_or_create(
        user=user,
        defaults={
            "backend": SigningKey.Backend.PKCS12,
            "pkcs12_file": name,
            "passphrase_env": PASSPHRASE_ENV,
            "active": True,
        },
    )
    return key
