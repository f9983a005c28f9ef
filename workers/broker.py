"""The embedded Kafka-protocol broker (noida-db) for dev, tests and CI; a reachability check for any broker.

noida-db's `noida-db` command is a Python wrapper that runs the real Go binary as a child, so the broker is
started in its own process group and always stopped as a group: signalling only the wrapper leaves the
binary running. Data is saved on a graceful stop (SIGTERM) and only every few seconds otherwise, so stop()
waits for the group to exit before resorting to SIGKILL.

noida-db 0.2.3 saves its data on SIGTERM and then goes on answering requests for a few tens of milliseconds: a
message acknowledged then is lost at the next start, and its offset is given to another message
(tests/faults/test_noida_restart.py). Its own `noida-db stop kafka` closes the Kafka listener before it saves, so the
broker is stopped that way first, then signalled.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ipaddress
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Coroutine, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from aiokafka.conn import create_conn
from aiokafka.protocol.metadata import MetadataRequest

from workers.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

EXECUTABLE = "noida-db"
PIDFILE = "broker.pid"
LOGFILE = "broker.log"
# noida-db's own files (kafka.json, noida.control.json) live in a subfolder so data_dir can hold other things.
NOIDA_SUBDIR = "kafka"
STARTUP_TIMEOUT = 30.0
# The binary is built against a newer glibc and says so on every start; it runs fine, so hide it from errors.
_NOISE = "weak version `GLIBC"


class BrokerError(RuntimeError):
    """The broker could not be reached, started or stopped."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (racy by nature, fine for tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def split_host_port(address: str, default_port: int = 9092) -> tuple[str, int]:
    """'host:port' (or 'kafka://host:port', or '[::1]:port') to (host, port)."""
    address = address.strip().removeprefix("kafka://")
    if address.startswith("["):
        host, _, rest = address[1:].partition("]")
        return host, int(rest.lstrip(":") or default_port)
    host, sep, port = address.rpartition(":")
    if not sep:
        return address, default_port
    return host, int(port)


def _servers(bootstrap: str | list[str]) -> list[str]:
    items = bootstrap if isinstance(bootstrap, list) else bootstrap.replace(";", ",").split(",")
    return [s.strip().removeprefix("kafka://") for s in items if s.strip()]


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from sync code, even when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        running = False
    else:
        running = True
    if not running:
        return asyncio.run(coro)
    # asyncio.run refuses to nest, so use a private loop on a helper thread.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def _tcp_open(host: str, port: int, timeout: float) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


async def _answers_metadata(server: str, timeout: float, security: Mapping[str, Any]) -> bool:
    host, port = split_host_port(server)
    # A plain TCP probe first: it fails fast on a closed port.
    if not await asyncio.to_thread(_tcp_open, host, port, timeout):
        return False
    conn = None
    try:
        # One raw connection rather than AIOKafkaClient, which logs every failed attempt as an error.
        conn = await asyncio.wait_for(
            create_conn(host, port, request_timeout_ms=max(int(timeout * 1000), 100), **security), timeout
        )
        # An empty topic list asks for brokers only: naming topics would auto-create them.
        await asyncio.wait_for(conn.send(MetadataRequest([])), timeout)
        return True
    except Exception:  # any failure means "not a usable broker", which is the answer asked for
        return False
    finally:
        if conn is not None:
            conn.close()


async def is_reachable_async(
    bootstrap: str | list[str], timeout: float = 1.0, security: Mapping[str, Any] | None = None
) -> bool:
    """True if some bootstrap server answers a Kafka metadata request within `timeout` seconds."""
    probes = [_answers_metadata(s, timeout, dict(security or {})) for s in _servers(bootstrap)]
    return any(await asyncio.gather(*probes))


def is_reachable(bootstrap: str | list[str], timeout: float = 1.0, security: Mapping[str, Any] | None = None) -> bool:
    """Sync form of is_reachable_async: a real metadata round trip, not just an open port."""
    return run_sync(is_reachable_async(bootstrap, timeout, security))


def find_executable() -> str:
    """The `noida-db` command of this interpreter's environment, else the one on PATH."""
    beside = Path(sys.executable).parent / EXECUTABLE
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which(EXECUTABLE)
    if found:
        return found
    raise BrokerError(
        f"`{EXECUTABLE}` not found next to {sys.executable} or on PATH; install it with `pip install noida-db==0.2.3`"
    )


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in a process group."""
    if pgid <= 0:  # 0 and negatives mean "my own group" or "everything" to the kernel, never a broker
        return []
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: signal 0 is the best test there is (it counts zombies too)
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return []
        except PermissionError:
            pass
        return [pgid]
    members = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Fields after the command name, which is in parentheses and may itself contain spaces.
        state, _ppid, pgrp = stat.rpartition(")")[2].split()[:3]
        if int(pgrp) == pgid and state not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def _is_noida(pid: int) -> bool:
    """Guard against a stale pidfile whose pid now belongs to an unrelated process."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return not Path("/proc").is_dir()  # no /proc: cannot tell, trust the pidfile
    except OSError:
        return False
    return EXECUTABLE.encode() in cmdline


def stop_group(pgid: int, timeout: float = 10.0) -> bool:
    """SIGTERM a process group, wait up to `timeout` s, then SIGKILL. True if it was running."""
    if not group_members(pgid):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if group_members(pgid):
        log.warning("broker group %d ignored SIGTERM for %.0f s; killing it", pgid, timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        deadline = time.monotonic() + 5.0
        while group_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if group_members(pgid):
            raise BrokerError(f"broker process group {pgid} survived SIGKILL")
    return True


def stop_kafka_service(noida_dir: Path | str, executable: str | None = None, timeout: float = 10.0) -> bool:
    """Ask the noida-db server of `noida_dir` to stop its Kafka service (`noida-db stop kafka`), which refuses new
    requests before it saves the data, unlike a SIGTERM. True if the command ran and said so; False otherwise (no
    server there, no executable, a timeout), and the caller signals the process group anyway."""
    try:
        exe = executable or find_executable()
        done = subprocess.run(
            [exe, "stop", "kafka", "--data-dir", str(noida_dir)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
        )
    except (BrokerError, OSError, subprocess.SubprocessError) as err:
        log.warning("could not stop the Kafka service of %s cleanly: %s", noida_dir, err)
        return False
    stopped = done.returncode == 0 and b"kafka stopped" in done.stdout
    if not stopped:
        output = (done.stdout + done.stderr).decode(errors="replace")
        log.warning("`noida-db stop kafka` for %s: %s", noida_dir, _without_noise(output) or done.returncode)
    return stopped


def read_pidfile(data_dir: Path | str) -> int | None:
    """The pid (= process group) of the embedded broker recorded in data_dir, if it is still running."""
    path = Path(data_dir) / PIDFILE
    try:
        pid = int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if group_members(pid) and _is_noida(pid) else None


def stop_from_pidfile(data_dir: Path | str, timeout: float = 10.0) -> bool:
    """Stop the embedded broker started from data_dir by any process (for `rasad broker stop`).

    Returns True if a broker was running and is now stopped.
    """
    pid = read_pidfile(data_dir)
    if pid is not None:
        stop_kafka_service(Path(data_dir) / NOIDA_SUBDIR)
    stopped = pid is not None and stop_group(pid, timeout)
    with contextlib.suppress(FileNotFoundError):
        (Path(data_dir) / PIDFILE).unlink()
    return stopped


def _without_noise(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if _NOISE not in line).strip()


def _tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    kept = _without_noise(text).splitlines()
    return "\n".join(kept[-lines:]) or "(log is empty)"


class EmbeddedBroker:
    """A noida-db Kafka broker on 127.0.0.1:port keeping its data, log and pidfile under data_dir.

    Use as a context manager, or call start()/stop(). A broker that is started and never stopped keeps
    running after this process exits (it is in its own session); stop it later with stop_from_pidfile().
    """

    def __init__(
        self,
        data_dir: Path | str,
        port: int = 19092,
        host: str = "127.0.0.1",
        executable: str | None = None,
        startup_timeout: float = STARTUP_TIMEOUT,
    ) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.port = port
        self.host = host
        self.executable = executable
        self.startup_timeout = startup_timeout
        self._proc: subprocess.Popen[bytes] | None = None

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> EmbeddedBroker:
        """The embedded broker that settings.broker points at (must be a loopback address)."""
        host, port = split_host_port(settings.bootstrap_servers[0])
        bind = _bind_address(host)
        if bind is None:
            raise BrokerError(f"the embedded broker only runs on 127.0.0.1/localhost, not {settings.broker!r}")
        return cls(settings.data_dir, port=port, host=bind, **kwargs)

    @property
    def bootstrap(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        """Pid of the started wrapper process, which is also the process group id; None if not started."""
        return self._proc.pid if self._proc is not None else None

    @property
    def log_path(self) -> Path:
        return self.data_dir / LOGFILE

    @property
    def pidfile(self) -> Path:
        return self.data_dir / PIDFILE

    @property
    def noida_dir(self) -> Path:
        return self.data_dir / NOIDA_SUBDIR

    def running(self) -> bool:
        return self._proc is not None and bool(group_members(self._proc.pid))

    def start(self) -> EmbeddedBroker:
        """Start the broker and return once it answers Kafka metadata requests; BrokerError otherwise."""
        if self.running():
            return self
        other = read_pidfile(self.data_dir)
        if other is not None:
            raise BrokerError(
                f"an embedded broker from {self.data_dir} is already running (pid {other}); "
                "stop it first with `rasad broker stop`"
            )
        exe = self.executable or find_executable()
        self.noida_dir.mkdir(parents=True, exist_ok=True)
        cmd = [exe, "start", "--only", "kafka", "--host", self.host, "--kafka-port", str(self.port)]
        cmd += ["--data-dir", str(self.noida_dir)]
        with self.log_path.open("ab") as logf:
            logf.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {' '.join(cmd)}\n".encode())
            logf.flush()
            # Own session: its own process group to stop as one, and no Ctrl-C from our terminal.
            try:
                self._proc = subprocess.Popen(
                    cmd,
                    stdin=subprocess.DEVNULL,
                    stdout=logf,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            except OSError as err:
                raise BrokerError(f"could not run {exe}: {err}") from err
        self.pidfile.write_text(f"{self._proc.pid}\n")
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        log.info("embedded broker on %s (pid %d, data %s)", self.bootstrap, self._proc.pid, self.noida_dir)
        return self

    def _wait_ready(self) -> None:
        assert self._proc is not None
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            code = self._proc.poll()
            if code is not None:
                raise BrokerError(
                    f"embedded broker exited with code {code} while starting on {self.bootstrap}; "
                    f"log {self.log_path}:\n{_tail(self.log_path)}"
                )
            if is_reachable(self.bootstrap, timeout=0.5):
                return
            time.sleep(0.05)
        raise BrokerError(
            f"embedded broker did not answer on {self.bootstrap} within {self.startup_timeout:.0f} s; "
            f"log {self.log_path}:\n{_tail(self.log_path)}"
        )

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the broker without losing a message it acknowledged: its Kafka service first (`noida-db stop
        kafka`, which saves the data), then the whole process group: SIGTERM, wait, then SIGKILL. Safe to repeat."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if group_members(proc.pid):
            stop_kafka_service(self.noida_dir, self.executable)
        stop_group(proc.pid, timeout)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=5)  # reap the wrapper so no zombie is left behind
        with contextlib.suppress(FileNotFoundError):
            if self.pidfile.read_text().split()[:1] == [str(proc.pid)]:
                self.pidfile.unlink()

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmbeddedBroker({self.bootstrap}, data_dir={str(self.data_dir)!r}, pid={self.pid})"


def _bind_address(host: str) -> str | None:
    """The IPv4 loopback address to bind for a broker host, or None if the embedded broker cannot serve it."""
    if host == "localhost":
        return "127.0.0.1"  # noida-db listens on IPv4 only
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return None
    return host if ip.version == 4 and ip.is_loopback else None


def ensure_broker(settings: Settings, timeout: float = 1.0) -> EmbeddedBroker | None:
    """Make sure a broker answers at settings.broker, starting the embedded one if needed.

    Returns the started broker (the caller owns it and should stop it) or None if one was already running.
    """
    if is_reachable(settings.bootstrap_servers, timeout=timeout, security=settings.aiokafka_security()):
        return None
    host = split_host_port(settings.bootstrap_servers[0])[0]
    if len(settings.bootstrap_servers) != 1 or _bind_address(host) is None:
        raise BrokerError(
            f"no Kafka broker answers at {settings.broker!r}, and the embedded broker only runs on a single "
            "127.0.0.1/localhost address; start that broker or point RASAD_BROKER at a running one"
        )
    return EmbeddedBroker.from_settings(settings).start()
