"""Issue 18 on the real stack (two gunicorn servers, worker, beat, PostgreSQL, Redis).

M2: anonymous clients sending 1 GB bodies in parallel are refused at once, nothing reaches the
disk, and a signed-in user keeps getting quick answers.
L13: a gunicorn master killed with SIGKILL leaves workers that hold the port; the supervisor
ends them, so the first restart binds and serves.
"""

import os
import select
import signal
import socket
import statistics
import threading
import time
from pathlib import Path

import pytest

from tests.ops.conftest import PASSWORD, Browser, bases, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

GIGABYTE = 1024**3
CHUNK = b"\0" * (64 * 1024)
ATTACK_SECONDS = 10


def gigabyte_post(port: int, path: str, deadline_s: float = 30.0) -> dict[str, object]:
    """Claim a 1 GB multipart body and stream it until the server answers (or 1 GB is sent, or
    the deadline passes): the status seen, the bytes sent, the seconds taken."""
    started = time.monotonic()
    sent, received = 0, b""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        sock.sendall(
            (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                "Content-Type: multipart/form-data; boundary=xxxx\r\n"
                f"Content-Length: {GIGABYTE}\r\n\r\n"
                '--xxxx\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n'
            ).encode()
        )
        sock.setblocking(False)
        sending = True
        while sent < GIGABYTE and time.monotonic() - started < deadline_s:
            readable, writable, _ = select.select([sock], [sock] if sending else [], [], 1.0)
            if readable:
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    break
                received += data
                if not data or b"\r\n\r\n" in received:
                    break
            elif writable:
                try:
                    sent += sock.send(CHUNK)
                except BlockingIOError:
                    continue
                except (BrokenPipeError, ConnectionResetError):
                    sending = False  # the server closed its side: read what it answered
    finally:
        sock.close()
    status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/") else None
    return {"status": status, "sent": sent, "seconds": time.monotonic() - started}


def _tmp_bytes(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:
            continue
    return total


def test_parallel_anonymous_gigabyte_uploads_are_refused_and_staff_keep_working(stack, staff_user):
    a, b = bases(stack)
    browser = Browser()
    status, _ = browser.login(a, "chuyenvien", PASSWORD)
    assert status == 200
    tmp = Path(stack.env["TMPDIR"])
    targets = [
        "/tai-khoan/dang-nhap/",  # anonymous form page
        "/ca-nhan/nhap/",  # an upload page, without a session
        "/cong-thong-tin/",
        "/khong-co-trang-nay/",
    ]
    results: list[dict[str, object]] = []
    latencies: list[float] = []
    tmp_peak = [0]
    stop = threading.Event()

    def attacker(n: int) -> None:
        port = stack.ports[n % 2]
        round_ = 0
        while time.monotonic() - attack_start < ATTACK_SECONDS:
            results.append(gigabyte_post(port, targets[(n + round_) % len(targets)]))
            round_ += 1

    def staff() -> None:
        while not stop.is_set():
            for base in (a, b):
                begun = time.monotonic()
                status, page = browser.get(f"{base}/thong-bao/")
                latencies.append(time.monotonic() - begun)
                assert status == 200, status
                assert "Người dùng chuyenvien" in page
            tmp_peak[0] = max(tmp_peak[0], _tmp_bytes(tmp))
            time.sleep(0.05)

    watcher = threading.Thread(target=staff)
    attackers = [threading.Thread(target=attacker, args=(n,)) for n in range(8)]
    attack_start = time.monotonic()
    watcher.start()
    for thread in attackers:
        thread.start()
    for thread in attackers:
        thread.join(120)
    attack_seconds = time.monotonic() - attack_start
    stop.set()
    watcher.join(30)

    assert len(results) >= 8 * 4
    statuses = {r["status"] for r in results}
    assert statuses == {413}, statuses
    slowest = max(float(r["seconds"]) for r in results)  # type: ignore[arg-type]
    most_sent = max(int(r["sent"]) for r in results)  # type: ignore[call-overload]
    # Refused from the headers: the bytes taken and the temporary files prove it; the time
    # bounds are loose because CI shares two cores with these 8 senders (2.07 s seen once).
    assert most_sent < 16 * 1024**2, most_sent  # only what socket buffers took meanwhile
    assert tmp_peak[0] < 1024**2, tmp_peak[0]  # nothing streamed to temporary files
    assert slowest < 5.0, slowest  # not after reading a gigabyte (was 55 s of freeze)
    assert len(latencies) >= 10
    assert max(latencies) < 5.0, max(latencies)
    print(  # the figures for the report (pytest -s)
        f"M2: {len(results)} refused in {attack_seconds:.1f} s, slowest refusal "
        f"{slowest * 1000:.0f} ms, most sent {most_sent // 1024} KB; staff {len(latencies)} "
        f"pages, median {statistics.median(latencies) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _ready(base: str) -> bool:
    try:
        return Browser().get(f"{base}/readyz")[0] == 200
    except OSError:
        return False


def test_a_master_killed_with_sigkill_comes_back_on_the_first_restart(stack):
    port = stack.ports[0]
    web = stack.procs[f"web-{port}"]
    master = web.pid
    workers = _children(master)
    assert workers, "gunicorn has no worker"
    restarts = web.restarts
    os.kill(master, signal.SIGKILL)
    killed = time.monotonic()
    wait_until(lambda: web.restarts == restarts + 1 and web.alive(), timeout=30)
    assert not any(_alive(pid) for pid in workers)  # the orphans were ended first
    assert set(workers) <= set(web.reaped)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: _ready(base), timeout=30)
    back_after = time.monotonic() - killed
    time.sleep(6)  # a master that cannot bind gives up after five tries, one a second
    assert web.alive()
    assert web.restarts == restarts + 1  # the first restart held
    assert back_after < 20, back_after
    print(f"L13: master killed, {len(workers)} orphan(s) reaped, serving after {back_after:.1f} s")


def test_the_systemd_units_end_the_whole_group():
    repo = Path(__file__).resolve().parents[2]
    units = {p.name: p.read_text() for p in (repo / "deploy" / "systemd").glob("*.service")}
    assert "\nKillMode=control-group\n" in units["thidua-web@.service"]
    assert "\nKillMode=control-group\n" in units["thidua-beat.service"]
    # The worker's pool hears of a stop from its main process; the rest gets SIGKILL.
    assert "\nKillMode=mixed\n" in units["thidua-worker.service"]
    for name, text in units.items():
        assert "KillMode=process" not in text, name
        assert "KillMode=none" not in text, name
        assert "SendSIGKILL=no" not in text, name
