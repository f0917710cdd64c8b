def test_uses_mock_transport(submission):
    assert "MockTransport" in submission.source, (
        "replace the network with httpx.MockTransport(handler) so the tests can choose "
        "each answer and never depend on the real service"
    )
