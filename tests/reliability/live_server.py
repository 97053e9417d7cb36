"""The app served for real: uvicorn with two worker processes on a free localhost port, configured as
`papers serve` configures it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(
    database_url: str, secret_key: str, *, settings: dict[str, str], workers: int = 2
) -> Iterator[str]:
    """Serve the app on DATABASE_URL and yield its base URL; the processes are stopped afterwards."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "SECRET_KEY": secret_key,
        "FAST_PASSWORD_HASHING": "true",
        "LOG_LEVEL": "WARNING",
        **{name.upper(): value for name, value in settings.items()},
    }
    launch = (
        "import sys, uvicorn\n"
        "from app.cli import uvicorn_options\n"
        "from app.config import get_settings\n"
        "uvicorn.run('app.main:create_app', factory=True, host='127.0.0.1', port=int(sys.argv[1]),\n"
        "            workers=int(sys.argv[2]), **uvicorn_options(get_settings()))\n"
    )
    command = [sys.executable, "-c", launch, str(port), str(workers)]
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen(command, env=environment, stdout=log, stderr=subprocess.STDOUT)
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_healthy(server, base_url, workers)
            yield base_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.seek(0)
            served.last_log = log.read().decode(errors="replace")  # type: ignore[attr-defined]


def _wait_until_healthy(server: subprocess.Popen[bytes], base_url: str, workers: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    healthy = 0
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            # A new connection each time, so that every worker is asked once it listens.
            if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                healthy += 1
                if healthy >= 2 * workers:
                    return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not become healthy in time")
