TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = "00f067aa0ba902b7"
SPAN = "b7ad6b7169203331"
NEW_TRACE = "0af7651916cd43dd8448eb211c80319c"


def test_parses_a_valid_header(submission):
    parsed = submission.call("parse_traceparent", f"00-{TRACE}-{PARENT}-01")
    assert parsed is not None, "a valid traceparent must be parsed"
    assert parsed["trace_id"] == TRACE and parsed["parent_id"] == PARENT, parsed
    assert parsed["sampled"] is True


def test_reads_the_sampled_flag(submission):
    assert submission.call("parse_traceparent", f"00-{TRACE}-{PARENT}-00")["sampled"] is False
    assert submission.call("parse_traceparent", f"00-{TRACE}-{PARENT}-03")["sampled"] is True, (
        "sampled is bit 0 of the flags: 03 has it set"
    )


def test_rejects_invalid_headers(submission):
    bad = {
        "no header": None,
        "empty": "",
        "upper-case hex": f"00-{TRACE.upper()}-{PARENT}-01",
        "short trace id": f"00-{TRACE[:-1]}-{PARENT}-01",
        "all-zero trace id": f"00-{'0' * 32}-{PARENT}-01",
        "all-zero parent id": f"00-{TRACE}-{'0' * 16}-01",
        "version ff": f"ff-{TRACE}-{PARENT}-01",
        "not hex": f"00-{TRACE[:-1]}g-{PARENT}-01",
        "missing flags": f"00-{TRACE}-{PARENT}",
    }
    for what, header in bad.items():
        assert submission.call("parse_traceparent", header) is None, (
            f"{what} ({header!r}) is not a valid traceparent: return None"
        )


def test_child_continues_the_trace(submission):
    child = submission.call("child_traceparent", f"00-{TRACE}-{PARENT}-01", SPAN, NEW_TRACE)
    assert child == f"00-{TRACE}-{SPAN}-01", (
        f"keep the trace id, put the current span id in the parent position: got {child!r}"
    )


def test_child_keeps_the_sampling_decision(submission):
    child = submission.call("child_traceparent", f"00-{TRACE}-{PARENT}-00", SPAN, NEW_TRACE)
    assert child == f"00-{TRACE}-{SPAN}-00", (
        f"the caller decided not to sample (flags 00): downstream must keep 00, got {child!r}"
    )


def test_invalid_or_missing_header_starts_a_new_trace(submission):
    for header in (None, "garbage", f"00-{'0' * 32}-{PARENT}-01"):
        child = submission.call("child_traceparent", header, SPAN, NEW_TRACE)
        assert child == f"00-{NEW_TRACE}-{SPAN}-01", (
            f"without a valid incoming header ({header!r}) start a new sampled trace, got {child!r}"
        )
