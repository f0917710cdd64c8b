"""Choose the backend from the settings: OpenAI-compatible when a model is set, else offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.backends.base import Backend
from tutor.backends.offline import OfflineBackend
from tutor.engine import EngineOptions
from tutor.limits import LimitSettings
from tutor.settings import Settings, get_settings

if TYPE_CHECKING:
    from tutor.backends.openai_backend import OpenAIOptions


def openai_options(settings: Settings, model: str) -> OpenAIOptions:
    from tutor.backends.openai_backend import OpenAIOptions  # openai is slow to import

    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return OpenAIOptions(
        model=model,
        api_key=key,
        base_url=settings.openai_base_url,
        connect_timeout_s=settings.model_connect_timeout_s,
        first_token_timeout_s=settings.model_first_token_timeout_s,
        idle_timeout_s=settings.model_idle_timeout_s,
        max_retries=settings.model_max_retries,
    )


def backend_from_settings(settings: Settings | None = None) -> Backend:
    """``OpenAIBackend`` when ``TUTOR_MODEL`` is set, else ``OfflineBackend``."""
    settings = settings or get_settings()
    if not settings.model:
        return OfflineBackend()
    from tutor.backends.openai_backend import OpenAIBackend

    return OpenAIBackend(openai_options(settings, settings.model))


def engine_options(settings: Settings | None = None) -> EngineOptions:
    """The engine's limits and budgets from the settings."""
    settings = settings or get_settings()
    limits = LimitSettings(
        requests_per_minute=settings.requests_per_minute,
        daily_tokens=settings.daily_tokens,
        max_question_chars=settings.max_question_chars,
        max_reply_tokens=settings.max_reply_tokens,
    )
    return EngineOptions(limits=limits, context_tokens=settings.context_tokens)
