"""A throwaway PostgreSQL cluster for the contest benchmarks (never the shared server).

initdb into a temporary directory, start on a random high port (durable defaults: fsync and
synchronous_commit on), and stop and delete it at the end. The drill restarts it with
`pg_ctl restart -m immediate` (a crash: no shutdown checkpoint) while the load runs.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _common import free_port, log

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(args: list[str]) -> list[str]:
    """Run the PostgreSQL tools as the postgres user when we are root (initdb refuses root)."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Cluster:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.data = root / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{port}/bench"

    def _ctl(self, *args: str) -> None:
        subprocess.run(  # noqa: S603 - our own arguments
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60", *args]),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def options(self) -> str:
        return (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
            " -c max_connections=200 -c shared_buffers=512MB -c work_mem=64MB"
            " -c maintenance_work_mem=256MB -c max_wal_size=4GB -c fsync=on"
            " -c synchronous_commit=on"
        )

    def start(self) -> None:
        try:
            self._ctl("-o", self.options(), "-l", str(self.root / "log"), "start")
        except subprocess.CalledProcessError:
            # pg_ctl says only "exit status 1": the server's own log says why.
            log_file = self.root / "log"
            log(log_file.read_text(errors="replace")[-2000:] if log_file.exists() else "no log")
            raise

    def crash_restart(self) -> float:
        """`-m immediate` (no checkpoint: recovery from WAL), then start; returns seconds down."""
        began = time.perf_counter()
        self._ctl("-m", "immediate", "stop")
        self.start()
        return time.perf_counter() - began

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("-m", "fast", "stop")


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="thidua-bench-pg-"))
    os.chmod(root, 0o755)  # noqa: S103 - the postgres user must reach it
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(root, free_port())
    try:
        initdb = [str(PG_BIN / "initdb"), "-D", str(cluster.data), "-U", "postgres"]
        subprocess.run(  # noqa: S603 - our own arguments
            _as_postgres([*initdb, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cluster.start()
        psql = ["psql", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-q"]
        subprocess.run([*psql, "-c", "CREATE DATABASE bench"], check=True)  # noqa: S603
        log(f"PostgreSQL 15 throwaway cluster on port {cluster.port} ({root})")
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
