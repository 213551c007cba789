"""The gunicorn settings production runs (deploy/gunicorn.conf.py)."""

import random
import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def test_worker_recycling_is_spread_over_a_whole_period(monkeypatch, tmp_path) -> None:
    """Five workers under even load: with gunicorn's rule (limit = max_requests +
    randint(0, jitter)) the first recycles are spread over at least a third of a period, not
    bunched within 10 % of it."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    conf = runpy.run_path(str(CONF))
    base, jitter = conf["max_requests"], conf["max_requests_jitter"]
    assert base >= 1000
    assert jitter >= base
    rng = random.Random(22)  # noqa: S311 - a fixed draw, not a secret
    spreads = []
    for _ in range(200):
        limits = sorted(base + rng.randint(0, jitter) for _ in range(5))
        spreads.append((limits[-1] - limits[0]) / base)
    spreads.sort()
    assert spreads[len(spreads) // 10] > 0.33  # in 9 draws out of 10
