"""Signing keys: :class:`Pkcs12Key` (a ``.p12``/``.pfx`` file and its passphrase: demo and
tests) or :class:`Pkcs11Key` (a USB token or HSM through its PKCS#11 module: production)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol


class SigningError(Exception):
    """The document could not be signed (key missing, wrong passphrase, token absent)."""


class SigningKeySource(Protocol):
    """Opens a pyHanko signer for the duration of a ``with`` block."""

    def open(self) -> contextlib.AbstractContextManager[Any]: ...


@dataclass(frozen=True)
class Pkcs12Key:
    """A PKCS#12 file (key, certificate and its chain) and its passphrase."""

    path: Path
    passphrase: bytes

    @contextlib.contextmanager
    def open(self) -> Iterator[Any]:
        from pyhanko.sign.signers import SimpleSigner

        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise SigningError(f"Không đọc được tệp khóa ký số {self.path.name}.") from exc
        try:
            signer = SimpleSigner.load_pkcs12_data(data, other_certs=(), passphrase=self.passphrase)
        except ValueError:
            signer = None
        if signer is None:
            raise SigningError("Không mở được tệp khóa ký số (sai mật khẩu hoặc tệp hỏng).")
        yield signer


@dataclass(frozen=True)
class Pkcs11Key:
    """A key on a PKCS#11 token: the module (.so), the token's label, the key's label (the
    certificate has the same label unless told) and the user PIN."""

    module: str
    token_label: str
    key_label: str
    pin: str
    cert_label: str = ""

    @contextlib.contextmanager
    def open(self) -> Iterator[Any]:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        try:
            session = open_pkcs11_session(
                self.module,
                token_criteria=TokenCriteria(label=self.token_label or None),
                user_pin=self.pin or None,
            )
        except Exception as exc:  # the module raises its own error types
            raise SigningError(f"Không mở được token ký số: {exc}") from exc
        try:
            yield PKCS11Signer(
                session,
                key_label=self.key_label,
                cert_label=self.cert_label or self.key_label,
            )
        finally:
            session.close()
