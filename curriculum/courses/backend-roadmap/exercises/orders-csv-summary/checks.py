HEADER = "order_id,customer,amount,status\n"


def _summary(submission, body):
    path = submission.call("write_sample", HEADER + body)
    return submission.call("summarise_orders", path)


def test_paid_total_is_exact(submission):
    result = _summary(submission, "1,Ada,0.10,paid\n2,Bob,0.20,paid\n3,Cy,5.00,pending\n")
    assert result["paid_total"] == "0.30", (
        f"0.10 + 0.20 must be exactly 0.30 (use Decimal, not float), got {result['paid_total']!r}"
    )


def test_two_decimals(submission):
    assert _summary(submission, "1,Ada,20,paid\n")["paid_total"] == "20.00"
    assert _summary(submission, "1,Ada,19.99,paid\n2,Ada,0.3,paid\n")["paid_total"] == "20.29"


def test_customers_and_statuses(submission):
    body = "1,Zoë,19.99,paid\n2,Ada,5.00,paid\n3,Zoë,1.00,paid\n4,Bob,3.00,refunded\n5,Cy,2.00,pending\n"
    result = _summary(submission, body)
    assert result["customers"] == ["Ada", "Zoë"], f"distinct paying customers, sorted: {result}"
    assert result["by_status"] == {"paid": 3, "refunded": 1, "pending": 1}, result["by_status"]
    assert result["paid_total"] == "25.99"


def test_bad_rows_are_reported_not_fatal(submission):
    body = (
        "1,Ada,10.00,paid\n"  # line 2
        "2,Bob,ten,paid\n"  # line 3: not a number
        "3,Cy,5.00\n"  # line 4: 3 fields
        "\n"  # line 5: blank, skipped silently
        "4,Dee,-3.00,paid\n"  # line 6: negative
        "5,Eve,2.00,lost\n"  # line 7: unknown status
        "6,Fay,1.50,paid\n"  # line 8
    )
    result = _summary(submission, body)
    assert result["bad_lines"] == [3, 4, 6, 7], (
        f"bad line numbers (header = 1): {result['bad_lines']}"
    )
    assert result["paid_total"] == "11.50" and result["by_status"] == {"paid": 2}, result


def test_empty_export(submission):
    result = _summary(submission, "")
    assert result == {"paid_total": "0.00", "customers": [], "by_status": {}, "bad_lines": []}
