"""The runner's outer process: it starts the jailed runner, then holds no privilege.

It forks the runner into new namespaces (see ``_jail.enter_runner_jail``), writes the
runner's uid and gid maps (root inside is never root outside), moves it into its
cgroups, then drops every capability (bounding set included), sets ``no_new_privs``
and only waits: it mirrors the runner's exit status and removes its cgroups.  It keeps
uid 0 when started as root, without capabilities, only to remove those cgroups (those
it may not remove without privilege, at the root of a hierarchy, are removed by the
next runner's start).
"""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

from exercises.sandbox import _cgroups, _linux


def start(
    pid: int,
    ready: int,
    groups: _cgroups.Groups | None,
    maps: tuple[str, str],
    owner: int | None,
) -> None:
    """Map the new runner's ids, put it in its cgroups, let it go; then drop privileges.

    ``owner`` is the runner's host uid when we are root (it owns the children's
    cgroups).  On failure the runner is killed and this process ends (the caller sees
    the runner stop before saying hello).
    """
    try:
        if groups is not None:
            _cgroups.enter_runner(groups, pid)
        proc = Path(f"/proc/{pid}")
        (proc / "setgroups").write_text("deny")
        (proc / "uid_map").write_text(maps[0])
        (proc / "gid_map").write_text(maps[1])
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.write(2, f"tutor runner: cannot map the runner's ids: {exc}\n".encode())
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        wait_and_exit(pid, groups, owner)
    os.write(ready, b"1")  # kept open: the runner sees end of file if we die
    if owner is not None:  # we are root: keep uid 0 (for cleanup) but no capability
        _linux.drop_all_capabilities()
    _linux.prctl(_linux.PR_SET_NO_NEW_PRIVS, 1)


def wait_and_exit(pid: int, groups: _cgroups.Groups | None, owner: int | None) -> None:
    """Wait for the jailed runner, remove its cgroups and mirror its exit; never returns."""
    for fd in range(3):
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    code = 1
    while True:
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        exit_code = os.waitstatus_to_exitcode(status)
        code = exit_code if exit_code >= 0 else 128 - exit_code
        break
    cleanup(groups, owner)
    os._exit(code)


def cleanup(groups: _cgroups.Groups | None, owner: int | None) -> None:
    """Remove the runner's cgroups: its children's as their owner, the rest as ourselves."""
    if groups is None:
        return
    if owner is not None:
        with contextlib.suppress(OSError):
            os.setresuid(-1, owner, -1)
            _cgroups.remove_children(groups)
        with contextlib.suppress(OSError):
            os.setresuid(-1, 0, -1)
    else:
        _cgroups.remove_children(groups)
    _cgroups.remove(groups)
