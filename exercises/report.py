"""Plain-text renderings of verdicts and course proofs for the command line."""

from __future__ import annotations

import textwrap

from exercises.prove import CourseProof
from exercises.verdict import Verdict


def _indent(text: str, prefix: str = "      ") -> str:
    return textwrap.indent(text.rstrip(), prefix)


def verdict_text(verdict: Verdict) -> str:
    if verdict.error is not None:
        return f"ERROR  {verdict.summary()}\n{_indent(verdict.error, '  ')}"
    lines = [("PASSED " if verdict.passed else "FAILED ") + verdict.summary()]
    if verdict.weak_sandbox:
        lines.append("  (graded in the WEAK sandbox: rlimits only, no namespaces)")
    elif verdict.limits == "rlimit" and verdict.checks:
        lines.append("  (memory limited per process (RLIMIT_AS): cgroups were unavailable)")
    for check in verdict.checks:
        lines.append(f"  {'✓' if check.passed else '✗'} {check.name}")
        if check.message and not check.passed:
            lines.append(_indent(check.message))
        if check.details and not check.passed:
            lines.append(_indent(check.details, "        "))
    if verdict.limit_hit:
        lines.append(f"  limit: {verdict.limit_hit}")
    if verdict.output.strip():
        lines.append("  output:")
        lines.append(_indent(verdict.output))
        if verdict.output_truncated:
            lines.append("      … (truncated)")
    lines += [f"  common mistake: {m.strip()}" for m in verdict.mistakes]
    lines += [f"  hint: {h.strip()}" for h in verdict.hints]
    lines.append(f"  time: {verdict.time_used:.3f} s")
    return "\n".join(lines)


def proof_text(proof: CourseProof) -> str:
    lines = []
    for item in proof.items:
        lines.append(f"{'ok  ' if item.ok else 'FAIL'} {item.where}: {item.what}")
        if not item.ok and item.detail:
            lines.append(_indent(item.detail))
    failures = len(proof.failures)
    state = "proved" if proof.ok else f"NOT proved: {failures} failure(s)"
    lines.append(f"{proof.course_id}: {len(proof.items)} claims checked, {state}")
    return "\n".join(lines)
