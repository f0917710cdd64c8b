"""The OpenAI-compatible backend: Chat Completions, streamed, on the ``openai`` package.

Works with OpenAI, Ollama, vLLM, LM Studio and llama.cpp's server (``OPENAI_BASE_URL``).
Every call sends ``max_tokens`` and asks for the final usage chunk. Failures never hang
and always end in one :class:`ErrorEvent` with a message for the learner:

* connect timeout (``httpx`` via ``openai.Timeout``), a deadline for the first token
  (covering the client's own retries) and an idle timeout between chunks;
* retries with backoff by the client (``max_retries``) on connection errors, 408/409,
  429 (honouring ``Retry-After``) and 5xx;
* an ``error`` frame mid-stream, a malformed chunk, a dropped connection, a thinking
  model that returns no content (``reasoning_content``, or a leading ``<think>`` block
  in the content, which is never shown);
* closing the generator (the learner left) closes the HTTP response.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

import openai
import pydantic
from openai import AsyncOpenAI

from tutor.backends.base import ModelRequest
from tutor.backends.think import ThinkFilter
from tutor.events import BackendEvent, Delta, ErrorEvent, Notice, Usage


@dataclass(frozen=True)
class OpenAIOptions:
    model: str
    api_key: str | None = None
    base_url: str | None = None
    connect_timeout_s: float = 10.0
    first_token_timeout_s: float = 60.0
    idle_timeout_s: float = 30.0
    max_retries: int = 2


class _Failed(Exception):
    def __init__(self, event: ErrorEvent) -> None:
        super().__init__(event.message)
        self.event = event


def _status_error(exc: openai.APIStatusError) -> ErrorEvent:
    status = exc.status_code
    if status == 429:
        return ErrorEvent(
            code="rate_limited",
            message="The model service is busy (rate limited). Please try again in a minute.",
        )
    if status >= 500:
        return ErrorEvent(
            code="server_error",
            message=f"The model service had an error (HTTP {status}). Please try again shortly.",
        )
    hints = {
        401: "the API key was refused; check OPENAI_API_KEY",
        403: "access was denied; check OPENAI_API_KEY",
        404: "the model or URL was not found; check TUTOR_MODEL and OPENAI_BASE_URL",
    }
    hint = hints.get(status, "the request was rejected")
    return ErrorEvent(
        code="bad_request", message=f"The model service said no (HTTP {status}): {hint}."
    )


def _error_for(exc: BaseException, base_url: str, *, opened: bool = True) -> ErrorEvent:
    if isinstance(exc, openai.APIConnectionError) and not opened:
        return ErrorEvent(
            code="connection",
            message=f"I could not reach the model service at {base_url}: check that it is "
            "running and that OPENAI_BASE_URL is right, then try again.",
        )
    if isinstance(exc, _Failed):
        return exc.event
    if isinstance(exc, openai.APITimeoutError | TimeoutError):
        return ErrorEvent(
            code="timeout",
            message="The model took too long to answer, so I stopped waiting. Please try again.",
        )
    if isinstance(exc, openai.APIConnectionError):
        return ErrorEvent(
            code="connection",
            message=f"The connection to the model service ({base_url}) failed or was lost "
            "mid-answer. Please try again.",
        )
    if isinstance(exc, openai.APIStatusError):
        return _status_error(exc)
    if isinstance(exc, openai.APIError):
        return ErrorEvent(
            code="stream_error",
            message=f"The model service reported an error mid-answer: {exc.message}",
        )
    return ErrorEvent(
        code="malformed",
        message="The model service sent a reply I could not read. Please try again.",
    )


EMPTY_THINKING = (
    "The model spent its whole reply thinking and returned no answer. Please try again; "
    "if it keeps happening, raise TUTOR_MAX_REPLY_TOKENS or use a non-thinking model."
)
EMPTY = "The model returned an empty reply. Please try again."
LOST = "The connection to the model was lost before the answer was finished."
CUT = "The reply reached the maximum length (TUTOR_MAX_REPLY_TOKENS) and was cut short."


MALFORMED = ErrorEvent(
    code="malformed",
    message="The model service sent a reply I could not read. Please try again.",
)


@dataclass(frozen=True, slots=True)
class _Chunk:
    """What Tutor reads of one ``chat.completion.chunk`` (plain JSON)."""

    usage: Usage | None
    choices: list[tuple[str, bool, str | None]]  # (content, reasoning seen, finish_reason)

    @staticmethod
    def parse(data: object) -> _Chunk:
        """The chunk's parts; a chunk that is not shaped like one is a malformed reply."""
        try:
            if not isinstance(data, dict):
                raise TypeError(data)
            raw_usage = data.get("usage")
            usage = None
            if raw_usage is not None:
                usage = Usage(
                    prompt_tokens=raw_usage["prompt_tokens"],
                    completion_tokens=raw_usage["completion_tokens"],
                )
            choices = []
            for choice in data.get("choices") or ():
                delta = choice.get("delta") or {}
                content = delta.get("content") or ""
                if not isinstance(content, str):
                    raise TypeError(content)
                reasoning = bool(delta.get("reasoning_content") or delta.get("reasoning"))
                finish = choice.get("finish_reason")
                choices.append((content, reasoning, finish if isinstance(finish, str) else None))
        except (AttributeError, KeyError, TypeError, pydantic.ValidationError):
            raise _Failed(MALFORMED) from None
        return _Chunk(usage, choices)


class OpenAIBackend:
    """Streams Chat Completions from any OpenAI-compatible server."""

    generates = True

    def __init__(self, options: OpenAIOptions, client: AsyncOpenAI | None = None) -> None:
        self.options = options
        read = max(options.first_token_timeout_s, options.idle_timeout_s)
        self.client = client or AsyncOpenAI(
            api_key=options.api_key or "not-needed",
            base_url=options.base_url,
            max_retries=options.max_retries,
            timeout=openai.Timeout(read, connect=options.connect_timeout_s),
        )

    @property
    def model(self) -> str:
        return self.options.model

    async def aclose(self) -> None:
        """Close the HTTP client (its connections belong to the running event loop)."""
        await self.client.close()

    async def stream(self, request: ModelRequest) -> AsyncGenerator[BackendEvent, None]:
        base_url = str(self.client.base_url)
        stream: Any = None
        try:
            stream = await self._open(request)
            async for event in self._read(stream):
                yield event
        except asyncio.CancelledError:
            raise
        except (openai.OpenAIError, TimeoutError, _Failed, json.JSONDecodeError) as exc:
            yield _error_for(exc, base_url, opened=stream is not None)
        except pydantic.ValidationError as exc:
            yield _error_for(exc, base_url)
        finally:
            if stream is not None:
                await stream.close()

    async def _open(self, request: ModelRequest) -> Any:
        # The request is plain JSON already and each chunk is read as plain JSON: posting
        # through the client's generic ``post`` (its documented way to call any endpoint,
        # with the same retries, timeouts and error frames) skips the per-call type
        # transform of the parameters and a pydantic model for every chunk, which cost
        # milliseconds per request.
        body = {
            "model": self.options.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "max_tokens": request.max_tokens,
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        async with asyncio.timeout(self.options.first_token_timeout_s):
            return await self.client.post(
                "/chat/completions",
                cast_to=object,
                body=body,
                stream=True,
                stream_cls=openai.AsyncStream[object],
            )

    async def _read(self, stream: Any) -> AsyncGenerator[BackendEvent, None]:
        iterator = stream.__aiter__()
        think = ThinkFilter()
        got_text = thought = finished = False
        timeout = self.options.first_token_timeout_s
        while True:
            try:
                async with asyncio.timeout(timeout):
                    chunk = _Chunk.parse(await iterator.__anext__())
            except StopAsyncIteration:
                break
            if chunk.usage is not None:
                yield chunk.usage
            for content, reasoning, finish_reason in chunk.choices:
                thought = thought or reasoning
                if content:
                    timeout = self.options.idle_timeout_s
                    visible = think.feed(content)
                    if visible:
                        got_text = True
                        yield Delta(text=visible)
                if finish_reason is not None:
                    finished = True
                if finish_reason == "length":
                    yield Notice(text=CUT)
        rest = think.flush()
        if rest.strip():
            got_text = True
            yield Delta(text=rest)
        if not got_text:
            message = EMPTY_THINKING if thought or think.thought else EMPTY
            raise _Failed(ErrorEvent(code="empty", message=message))
        if not finished:
            raise _Failed(ErrorEvent(code="connection", message=LOST))
