"""What the benchmarks need beyond Python packages, installed on first use.

``wrk`` (Debian's package) loads the web server in ``bench/web_throughput.py``. Run as
root on a machine with ``apt-get``, a missing ``wrk`` is installed here, the way
``scripts/_services.sh`` installs Chromium for the browser tests; elsewhere the
benchmark says how to get it and falls back to its asyncio load generator.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def ensure_debian_package(command: str, package: str | None = None) -> bool:
    """Whether ``command`` is on the PATH, installing Debian's ``package`` if it can."""
    if shutil.which(command):
        return True
    package = package or command
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print(
            f"note: `{command}` is not installed (Debian package `{package}`; "
            f"`sudo apt-get install {package}`)",
            file=sys.stderr,
        )
        return False
    print(f"Installing Debian's {package} for the benchmark ...", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", package]):
        done = subprocess.run(step, env=env, stdout=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            print(f"warning: `{' '.join(step)}` failed", file=sys.stderr)
            return False
    return shutil.which(command) is not None
