"""Sign and verify service-to-service requests with HMAC-SHA256.

`sign(secret, method, path, body, timestamp)` returns the hex HMAC-SHA256, keyed with
`secret` (UTF-8), of the message f"{timestamp}\\n{METHOD}\\n{path}\\n{body}" (the method
upper-cased), encoded as UTF-8.

`verify(secret, method, path, body, timestamp, signature, now)` returns True only when
`signature` is the right one *and* the timestamp is at most `MAX_SKEW_S` seconds away
from `now` (in either direction). It compares in constant time and returns False,
without raising, for any malformed signature.
"""

import hashlib
import hmac

MAX_SKEW_S = 300


def sign(secret: str, method: str, path: str, body: str, timestamp: int) -> str:
    message = f"{timestamp}\n{method.upper()}\n{path}\n{body}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(secret: str, method: str, path: str, body: str, timestamp: int,
           signature: str, now: int) -> bool:
    expected = sign(secret, method, path, body, timestamp)
    return hmac.compare_digest(expected.encode(), signature.encode())
