"""Broken copies of a file, as users send them: cut short, or with a few bytes changed."""

import random


def damaged(data: bytes, seed: int) -> list[bytes]:
    """Thirty reproducible broken copies of `data`."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible damage, not secrets
    out = [data[: rnd.randrange(1, len(data))] for _ in range(15)]
    for _ in range(15):
        copy = bytearray(data)
        for _ in range(rnd.randint(1, 20)):
            copy[rnd.randrange(len(copy))] = rnd.randrange(256)
        out.append(bytes(copy))
    return out
