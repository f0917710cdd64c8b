"""TODO: continue a distributed trace: parse and propagate the W3C `traceparent` header.

A traceparent is `VERSION-TRACEID-PARENTID-FLAGS`, e.g.
`00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`:
VERSION 2 lowercase hex digits (not "ff"), TRACEID 32, PARENTID 16, FLAGS 2; trace id and
parent id must not be all zeros. Bit 0 of FLAGS means "sampled".

- `parse_traceparent(header)` returns `{"trace_id", "parent_id", "sampled"}` for a valid
  header, `None` for anything else (missing, malformed, upper-case hex, zero ids...).
- `child_traceparent(header, span_id, new_trace_id)` returns the header to send on an
  outgoing call made by span `span_id`: the same trace id and flags with `span_id` as the
  parent id; if `header` is not valid, a new sampled trace `00-{new_trace_id}-{span_id}-01`.
"""



def parse_traceparent(header: str | None) -> dict[str, object] | None:
    return None


def child_traceparent(header: str | None, span_id: str, new_trace_id: str) -> str:
    return f"00-{new_trace_id}-{span_id}-01"
