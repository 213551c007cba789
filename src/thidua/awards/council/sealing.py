"""Sealed secret ballots (the package's docstring says why): sealing a choice while the vote is
open, and opening the seals into shuffled, unlinkable ballots when it closes."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac

from thidua.awards.models import AgendaItem, Ballot, Choice

_NONCE_BYTES = 16
_SEAL_SALT = "thidua.awards.ballot-seal"


def _seal_keys(item_pk: int) -> list[bytes]:
    """The item's sealing key from the current SECRET_KEY, then from each fallback (so a key
    rotated during a vote still opens the seals made before)."""
    return [
        salted_hmac(_SEAL_SALT, f"item:{item_pk}", secret=secret, algorithm="sha256").digest()
        for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", []))
    ]


def _mac(key: bytes, nonce: bytes, choice: str) -> bytes:
    return hmac.new(key, nonce + choice.encode(), hashlib.sha256).digest()


def ballot_seal(item_pk: int, choice: str) -> str:
    """A fixed-length, never repeated seal of `choice`: nonce ‖ HMAC(key, nonce ‖ choice)."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return (nonce + _mac(_seal_keys(item_pk)[0], nonce, choice)).hex()


def ballot_unseal(item_pk: int, seal: str) -> str:
    """The choice in a seal, found by checking each possible choice against the MAC."""
    raw = bytes.fromhex(seal)
    nonce, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    for key in _seal_keys(item_pk):
        for choice in Choice.values:
            if hmac.compare_digest(_mac(key, nonce, choice), tag):
                return str(choice)
    raise ValidationError("Có phiếu kín không mở được (sai khóa niêm phong): không kiểm phiếu.")


def ballots_unseal(item: AgendaItem) -> list[str]:
    """Open every sealed ballot of the item, write the choices in random order with random keys
    and delete the seals. Runs inside the close transaction."""
    seals = list(item.sealed_ballots.values_list("seal", flat=True))
    receipts = item.casts.count()
    if len(seals) != receipts:
        raise ValidationError(
            f"Số phiếu niêm phong ({len(seals)}) khác số thành viên đã bỏ phiếu ({receipts}): "
            "không kiểm phiếu."
        )
    choices = [ballot_unseal(item.pk, seal) for seal in seals]
    secrets.SystemRandom().shuffle(choices)
    item.sealed_ballots.all().delete()
    Ballot.objects.bulk_create(Ballot(item=item, choice=choice) for choice in choices)
    return choices
