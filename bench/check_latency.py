"""Check latency and throughput of Tutor's sandboxed grader, beside nbgrader's autograde.

    .venv/bin/python -m bench.check_latency [--runs 200] [--nbgrader-runs 5] [--no-nbgrader]

Measures, in one run on this machine: p50/p95 latency of grading a one-check
plain-Python exercise and a one-check FastAPI exercise (submit -> verdict, through
the runner and a fresh sandboxed child), checks per second with two clients, and
``nbgrader autograde`` of the same plain exercise as a notebook.  nbgrader is
installed into the benchmark's own virtualenv under /tmp, never into the project.
Targets: plain p50 <= 10 ms, FastAPI p50 <= 30 ms, >= 100 checks/s, >= 100x nbgrader.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from curriculum.model import CodeExercise
from exercises.grade import Grader

NBGRADER_VENV = Path(tempfile.gettempdir()) / "tutor-bench-nbgrader"

PLAIN = CodeExercise(
    kind="code",
    id="add",
    title="Add",
    prompt="Write add(a, b).",
    starter="",
    solution="def add(a, b):\n    return a + b\n",
    checks="def test_adds(submission):\n    assert submission.call('add', 2, 3) == 5\n",
)
FASTAPI = CodeExercise(
    kind="code",
    id="items",
    title="Items",
    prompt="GET /items/{item_id}.",
    starter="",
    solution=(
        "from fastapi import FastAPI\napp = FastAPI()\n"
        "@app.get('/items/{item_id}')\ndef read(item_id: int):\n    return {'id': item_id}\n"
    ),
    checks=(
        "def test_item(submission):\n    r = submission.http('GET', '/items/3')\n"
        "    assert r.status_code == 200\n    assert r.json() == {'id': 3}\n"
    ),
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def latencies(grader: Grader, exercise: CodeExercise, runs: int) -> list[float]:
    source = str(exercise.solution)
    for _ in range(5):
        assert grader.grade(exercise, source).passed
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        verdict = grader.grade(exercise, source)
        found.append(time.perf_counter() - start)
        assert verdict.passed
    return found


def throughput(grader: Grader, exercise: CodeExercise, runs: int, clients: int = 2) -> float:
    source = str(exercise.solution)

    def client() -> None:
        for _ in range(runs // clients):
            assert grader.grade(exercise, source).passed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (runs // clients) * clients / (time.perf_counter() - start)


def _cell(kind: str, source: str, **nbgrader: object) -> dict[str, object]:
    meta = {"nbgrader": {"schema_version": 3, "task": False, **nbgrader}}
    cell: dict[str, object] = {"cell_type": kind, "metadata": meta, "source": source}
    if kind == "code":
        cell.update(outputs=[], execution_count=None)
    return cell


def _notebook(answer: str) -> dict[str, object]:
    cells = [
        _cell("code", answer, grade=False, grade_id="add", locked=False, solution=True),
        _cell(
            "code",
            "assert add(2, 3) == 5",
            grade=True,
            grade_id="test_add",
            locked=True,
            points=1,
            solution=False,
        ),
    ]
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 4,
    }


def ensure_nbgrader() -> Path | str:
    """The nbgrader command in the benchmark's own venv, or why it is unavailable."""
    command = NBGRADER_VENV / "bin" / "nbgrader"
    if command.exists():
        return command
    try:
        subprocess.run([sys.executable, "-m", "venv", str(NBGRADER_VENV)], check=True)
        subprocess.run(
            [str(NBGRADER_VENV / "bin" / "pip"), "install", "-q", "nbgrader"],
            check=True,
            timeout=900,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        return f"nbgrader could not be installed into {NBGRADER_VENV}: {exc}"
    return command if command.exists() else "nbgrader installed no 'nbgrader' command"


def nbgrader_latencies(command: Path, runs: int) -> list[float] | str:
    course = Path(tempfile.mkdtemp(prefix="tutor-bench-nbgrader-course-"))
    try:
        (course / "nbgrader_config.py").write_text(
            "c = get_config()\nc.CourseDirectory.course_id = 'bench'\n"
            f"c.CourseDirectory.root = {str(course)!r}\n"
        )
        source = course / "source" / "ps1"
        source.mkdir(parents=True)
        answer = "### BEGIN SOLUTION\ndef add(a, b):\n    return a + b\n### END SOLUTION"
        (source / "add.ipynb").write_text(json.dumps(_notebook(answer)))
        env = {"PATH": f"{command.parent}:/usr/bin:/bin", "HOME": str(course)}
        run = {"cwd": course, "env": env, "capture_output": True, "text": True}
        made = subprocess.run([str(command), "generate_assignment", "ps1", "--force"], **run)  # type: ignore[call-overload]
        if made.returncode:
            return f"nbgrader generate_assignment failed: {made.stderr[-500:]}"
        submitted = course / "submitted" / "learner" / "ps1"
        submitted.mkdir(parents=True)
        released = json.loads((course / "release" / "ps1" / "add.ipynb").read_text())
        released["cells"][0]["source"] = "def add(a, b):\n    return a + b\n"
        (submitted / "add.ipynb").write_text(json.dumps(released))
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            graded = subprocess.run(  # type: ignore[call-overload]
                [str(command), "autograde", "ps1", "--student", "learner", "--force", "--create"],
                **run,
            )
            times.append(time.perf_counter() - start)
            if graded.returncode:
                return f"nbgrader autograde failed: {graded.stderr[-500:]}"
        return times
    finally:
        shutil.rmtree(course, ignore_errors=True)


def _ms(value: float) -> str:
    return f"{value * 1000:8.1f} ms"


def _tree_cpu() -> float:
    """CPU seconds used so far by this process and every process below it.

    Each live process counts its own time plus what it has reaped (cutime and
    cstime), so runners, zygotes and learner children are all included, while a
    runner's start-up before the measurement is not (``RUSAGE_CHILDREN`` would
    charge a runner's whole life, start-up included, to the phase that reaps it).
    Kernel workers (such as the asynchronous clean-up of network namespaces) are
    not attributed to any process and are not counted.
    """
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    times: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = sum(int(f) for f in fields[11:15])
    mine = {os.getpid()}
    grew = True
    while grew:
        found = {pid for pid, ppid in parents.items() if ppid in mine} - mine
        mine |= found
        grew = bool(found)
    own = resource.getrusage(resource.RUSAGE_SELF)
    others = sum(times[pid] for pid in mine if pid != os.getpid()) / tick
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime + others


Phase = Callable[[Grader], float | list[float]]


def measured(phase: Phase, checks: int) -> tuple[float | list[float], float]:
    """Run ``phase`` on fresh runners; also return the CPU seconds it cost per check."""
    grader = Grader("strict", runners=2)
    grader.grade(PLAIN, str(PLAIN.solution))
    grader.grade(FASTAPI, str(FASTAPI.solution))
    before = _tree_cpu()
    try:
        result = phase(grader)
        spent = _tree_cpu() - before
    finally:
        grader.close()
    return result, spent / checks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--nbgrader-runs", type=int, default=5)
    parser.add_argument("--no-nbgrader", action="store_true")
    args = parser.parse_args()
    runs = args.runs
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} at start")

    plain, plain_cpu = measured(lambda g: latencies(g, PLAIN, runs), runs + 5)
    fastapi, fastapi_cpu = measured(lambda g: latencies(g, FASTAPI, runs), runs + 5)
    rate, rate_cpu = measured(lambda g: throughput(g, PLAIN, runs), runs)
    assert isinstance(plain, list) and isinstance(fastapi, list) and isinstance(rate, float)
    print(f"{'exercise':<28}{'p50':>11}{'p95':>11}{'CPU/check':>13}")
    for name, values, cpu in (
        ("plain Python (1 check)", plain, plain_cpu),
        ("FastAPI (1 check)", fastapi, fastapi_cpu),
    ):
        p50, p95 = statistics.median(values), percentile(values, 0.95)
        print(f"{name:<28}{_ms(p50)} {_ms(p95)} {_ms(cpu)}")
    cores = os.cpu_count() or 1
    print(f"throughput, 2 clients: {rate:.0f} checks/s measured")
    print(f"capacity from CPU cost: {cores / rate_cpu:.0f} checks/s on {cores} idle cores")
    p50 = statistics.median(plain)
    targets = [
        ("plain p50 <= 10 ms", p50 <= 0.010),
        ("FastAPI p50 <= 30 ms", statistics.median(fastapi) <= 0.030),
        (">= 100 checks/s", rate >= 100),
    ]
    if args.no_nbgrader:
        print("nbgrader: skipped (--no-nbgrader)")
    else:
        command = ensure_nbgrader()
        result = (
            nbgrader_latencies(command, args.nbgrader_runs)
            if isinstance(command, Path)
            else command
        )
        if isinstance(result, str):
            print(f"nbgrader: not measured: {result}")
        else:
            nb50 = statistics.median(result)
            print(f"{'nbgrader autograde (same)':<28}{_ms(nb50)} {_ms(percentile(result, 0.95))}")
            print(f"Tutor is {nb50 / p50:.0f}x faster than nbgrader (p50 / p50)")
            targets.append((">= 100x faster than nbgrader", nb50 / p50 >= 100))
    for name, met in targets:
        print(f"target {name}: {'met' if met else 'NOT met'}")
    if load > cores:
        print(
            f"note: the machine was busy (load {load:.1f} on {cores} cores): latencies are inflated"
        )


if __name__ == "__main__":
    main()
