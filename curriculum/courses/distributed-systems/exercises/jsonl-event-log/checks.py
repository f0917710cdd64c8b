EVENTS = [
    {"id": 1, "type": "order.placed", "customer": "Zoë", "total": "19.90"},
    {"id": 2, "type": "order.paid", "customer": "Ahmed"},
]


def test_round_trip(submission):
    result = submission.call("round_trip", EVENTS)
    assert result["events"] == EVENTS, result["events"]
    assert result["bad_lines"] == []
    lines = result["raw"].splitlines()
    assert len(lines) == 2, f"one JSON object per line expected, the file has {len(lines)} lines"
    assert "Zoë" in result["raw"], (
        "non-ASCII text must be written as UTF-8 (json.dumps(..., ensure_ascii=False)), "
        "not as \\u escapes"
    )


def test_skips_blank_lines_and_reports_bad_ones(submission):
    appended = '\n{"id": 3, "type": "order.shipped"\n[1, 2]\n   \n{"id": 4}\nnot json\n'
    result = submission.call("round_trip", EVENTS, appended)
    assert result["events"] == [*EVENTS, {"id": 4}], (
        f"valid objects in order, blank and bad lines skipped: {result['events']}"
    )
    assert result["bad_lines"] == [4, 5, 8], (
        f"1-based numbers of the lines that are not JSON objects (line 3 is blank): "
        f"expected [4, 5, 8], got {result['bad_lines']}"
    )


def test_a_failed_write_leaves_the_old_file(submission):
    result = submission.call("failed_overwrite", EVENTS)
    assert result["error"] is not None, "serialising a set must raise TypeError"
    assert result["events"] == EVENTS, (
        f"after a failed overwrite the file must still hold the old events, it holds "
        f"{result['events']}: write to a temporary file and os.replace it at the end"
    )


def test_no_temporary_files_left_behind(submission):
    for result in (submission.call("round_trip", EVENTS),
                   submission.call("failed_overwrite", EVENTS)):
        assert result["files"] == ["events.jsonl"], (
            f"only events.jsonl may remain in the folder, found {result['files']}"
        )
