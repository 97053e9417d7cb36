"""Serving and loading: start a server on a free loopback port, drive it with wrk, account its CPU time."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and every process below it (uvicorn's workers)."""
        return sum(_own_cpu_ticks(pid) for pid in _tree(self.process.pid)) / CLOCK_TICKS


def _own_cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0
    # After the command name: state is field 3, utime and stime are fields 14 and 15 (1-based).
    return int(fields[11]) + int(fields[12])


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


@contextmanager
def serving(command: Sequence[str], *, port: int, ready_path: str, env: dict[str, str]) -> Iterator[Server]:
    """Run COMMAND until the block ends; wait until GET READY_PATH answers 200 (at most three minutes)."""
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            list(command), env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT
        )
    base_url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 180  # workers start slowly on a busy machine
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}; see {log}")
            try:
                if httpx.get(base_url + ready_path, timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within three minutes; see {log}")
            time.sleep(0.3)
        yield Server(process, base_url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass(frozen=True)
class Load:
    """What one wrk run measured."""

    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers, socket errors and timeouts
    cache_hits: int = 0  # answers with X-Cache: hit (pooled runs only)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse_wrk(output: str) -> Load:
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(found.group(1))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        errors += sum(int(part) for part in found.groups())
    return Load(requests, rate, _milliseconds(percentiles["50"]), _milliseconds(percentiles["99"]), errors)


def wrk_path() -> str:
    found = shutil.which("wrk")
    if found is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    return found


ROUND_ROBIN = Path(__file__).resolve().parent / "roundrobin.lua"


def write_requests(path: Path, requests: Sequence[tuple[str, dict[str, str]]]) -> Path:
    """One request per line for roundrobin.lua: the path, then its headers, tab-separated."""
    lines = [
        "\t".join([target, *(f"{name}: {value}" for name, value in headers.items())])
        for target, headers in requests
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def parse_pool(output: str, *, concurrency: int, limit: int) -> Load:
    found = re.search(
        r"POOL hits=(\d+) requests=(\d+) duration_us=(\d+) mean_us=(\d+) p50_us=(\d+) p99_us=(\d+) "
        r"status_errors=(\d+) socket_errors=(\d+)",
        output,
    )
    if found is None:
        raise ValueError(f"no POOL line in wrk's output: {output[-500:]}")
    hits, requests, duration, mean, p50, p99, status, socket = (int(part) for part in found.groups())
    rate = requests / max(duration / 1e6, 1e-9)
    if requests >= limit - concurrency and mean:
        # The pool ran out before the time did; wrk idles until its end. A closed loop of CONCURRENCY
        # connections completes concurrency / mean latency requests a second (Little's law).
        rate = concurrency * 1e6 / mean
    return Load(requests, rate, p50 / 1000, p99 / 1000, status + socket, cache_hits=hits)


def drive_pool(
    base_url: str, requests_file: Path, *, offset: int, limit: int, concurrency: int, seconds: float
) -> Load:
    """Send the file's requests from OFFSET in turn (at most LIMIT, SECONDS) over CONCURRENCY connections."""
    threads = min(concurrency, 2)
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(ROUND_ROBIN),
        "-H",
        "Accept-Encoding: identity",
        base_url,
        "--",
        str(requests_file),
        str(offset),
        str(limit),
        str(threads),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)
    if result.returncode != 0:
        print(
            f"    wrk failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}",
            flush=True,
        )
        return Load(requests=0, requests_per_second=0.0, p50_ms=0.0, p99_ms=0.0, errors=1)
    return parse_pool(result.stdout, concurrency=concurrency, limit=limit)


def drive(url: str, *, concurrency: int, seconds: float) -> Load:
    """Send requests to URL from CONCURRENCY connections for SECONDS (wrk, latency percentiles on)."""
    threads = min(concurrency, 2)
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "--latency",
        "-H",
        "Accept-Encoding: identity",
        url,
    ]
    for _attempt in range(2):
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=seconds + 60)
        if result.returncode == 0:
            return parse_wrk(result.stdout)
        print(
            f"    wrk failed ({result.returncode}): {result.stderr.strip() or result.stdout.strip()}",
            flush=True,
        )
    return Load(requests=0, requests_per_second=0.0, p50_ms=0.0, p99_ms=0.0, errors=1)
