"""Run ``tutor serve`` as a real subprocess on a free port (for multi-process tests)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(
        self,
        env: dict[str, str],
        workers: int = 1,
        port: int | None = None,
        *,
        tutor: Sequence[str] = (sys.executable, "-m", "tutor.cli"),
        cwd: Path | None = None,
        args: Sequence[str] = (),
    ) -> None:
        self.tutor = tuple(tutor)
        self.args = tuple(args)
        self.cwd = cwd
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env}
        self.workers = workers
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = Path(env["TUTOR_DATA_DIR"]) / f"server-{self.port}.log"

    def start(self) -> Server:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [
                    *self.tutor,
                    "serve",
                    "--port",
                    str(self.port),
                    "--workers",
                    str(self.workers),
                    *self.args,
                ],
                env=self.env,
                cwd=self.cwd,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group (uvicorn and its workers)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class Browser:
    """A logged-in HTTP client speaking to a real server."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)

    def token(self) -> str:
        return str(self.http.get("/api/csrf").json()["token"])

    def signup(self, email: str, password: str = "correct horse 1") -> None:
        r = self.http.post(
            "/signup", data={"email": email, "password": password, "csrf_token": self.token()}
        )
        assert r.status_code == 303, r.text

    def login(self, email: str, password: str = "correct horse 1") -> None:
        r = self.http.post(
            "/login", data={"email": email, "password": password, "csrf_token": self.token()}
        )
        assert r.status_code == 303, r.text

    def close(self) -> None:
        self.http.close()
