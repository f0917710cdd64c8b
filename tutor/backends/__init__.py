"""Model backends: the streaming protocol, the offline default and the OpenAI-compatible one."""

from tutor.backends.base import Backend, ModelRequest
from tutor.backends.offline import OfflineBackend

__all__ = ["Backend", "ModelRequest", "OfflineBackend"]
